package generate

import "handlingsplan/store"

// The word lists the synthetic data is drawn from. Names of bodies follow
// real Norwegian state bodies; titles are built from the services that
// municipalities and agencies actually run.

// stateBody is a synthetic state body under one of the real ministries.
type stateBody struct {
	name, short, parent string
	kind                store.BodyKind
}

// stateBodies are added to the real ones so that the plan has about 90
// state bodies, each under its ministry (parent keys are real ministries).
var stateBodies = []stateBody{
	{"Husbanken", "", "kmd", store.BodyAgency},
	{"Valgdirektoratet", "", "kmd", store.BodyDirectorate},
	{"Datatilsynet", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Oslo og Viken", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Innlandet", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Agder", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Rogaland", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Vestland", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Møre og Romsdal", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Trøndelag", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Nordland", "", "kmd", store.BodyAgency},
	{"Statsforvalteren i Troms og Finnmark", "", "kmd", store.BodyAgency},
	{"Statsbygg", "", "dfd", store.BodyAgency},
	{"Nasjonal kommunikasjonsmyndighet", "Nkom", "dfd", store.BodyDirectorate},
	{"Havindustritilsynet", "", "asd", store.BodyAgency},
	{"Statens arbeidsmiljøinstitutt", "STAMI", "asd", store.BodyAgency},
	{"Trygderetten", "", "asd", store.BodyAgency},
	{"Statens pensjonskasse", "SPK", "asd", store.BodyAgency},
	{"Folkehelseinstituttet", "FHI", "hod", store.BodyAgency},
	{"Statens helsetilsyn", "Helsetilsynet", "hod", store.BodyAgency},
	{"Norsk helsenett", "NHN", "hod", store.BodyAgency},
	{"Direktoratet for medisinske produkter", "DMP", "hod", store.BodyDirectorate},
	{"Helseklage", "", "hod", store.BodyAgency},
	{"Norsk pasientskadeerstatning", "NPE", "hod", store.BodyAgency},
	{"Utdanningsdirektoratet", "Udir", "kd", store.BodyDirectorate},
	{"Direktoratet for høyere utdanning og kompetanse", "HK-dir", "kd", store.BodyDirectorate},
	{"Nasjonalt organ for kvalitet i utdanningen", "NOKUT", "kd", store.BodyAgency},
	{"Norges forskningsråd", "Forskningsrådet", "kd", store.BodyAgency},
	{"Nasjonalbiblioteket", "", "kud", store.BodyAgency},
	{"Medietilsynet", "", "kud", store.BodyAgency},
	{"Kulturdirektoratet", "", "kud", store.BodyDirectorate},
	{"Språkrådet", "", "kud", store.BodyAgency},
	{"Fiskeridirektoratet", "", "nfd", store.BodyDirectorate},
	{"Sjøfartsdirektoratet", "", "nfd", store.BodyDirectorate},
	{"Patentstyret", "", "nfd", store.BodyAgency},
	{"Justervesenet", "", "nfd", store.BodyAgency},
	{"Konkurransetilsynet", "", "nfd", store.BodyAgency},
	{"Direktoratet for mineralforvaltning", "DMF", "nfd", store.BodyDirectorate},
	{"Kystverket", "", "nfd", store.BodyAgency},
	{"Forbrukertilsynet", "", "bfd", store.BodyAgency},
	{"Forbrukerrådet", "", "bfd", store.BodyAgency},
	{"Tolletaten", "", "fin", store.BodyAgency},
	{"Finanstilsynet", "", "fin", store.BodyAgency},
	{"Kriminalomsorgsdirektoratet", "KDI", "jd", store.BodyDirectorate},
	{"Domstoladministrasjonen", "DA", "jd", store.BodyAgency},
	{"Nasjonal sikkerhetsmyndighet", "NSM", "jd", store.BodyDirectorate},
	{"Statens sivilrettsforvaltning", "SRF", "jd", store.BodyAgency},
	{"Kontoret for voldsoffererstatning", "", "jd", store.BodyAgency},
	{"Utlendingsnemnda", "UNE", "jd", store.BodyAgency},
	{"Sivil klareringsmyndighet", "SKM", "jd", store.BodyAgency},
	{"Jernbanedirektoratet", "", "sd", store.BodyDirectorate},
	{"Luftfartstilsynet", "", "sd", store.BodyAgency},
	{"Statens jernbanetilsyn", "", "sd", store.BodyAgency},
	{"Mattilsynet", "", "lmd", store.BodyAgency},
	{"Norsk institutt for bioøkonomi", "NIBIO", "lmd", store.BodyAgency},
}

// lifeEvent is a synthetic life event; lead is a real ministry's key.
type lifeEvent struct {
	nb, en   string
	audience store.Audience
	lead     string
	// topics are tiltak objects that belong to this life event.
	topics []string
}

// realLifeEventTopics are the tiltak objects of the seven real life
// events, by key. «Alvorlig sykt barn» carries the words «sykt barn», which
// the search benchmark (D4) looks for.
var realLifeEventTopics = map[string][]string{
	"fa-barn":                    {"foreldrepenger", "barnetrygd", "engangsstønad", "fødselsmelding", "barnehageplass", "farskap og foreldreskap", "helsestasjon for nyfødte"},
	"alvorlig-sykt-barn":         {"pleiepenger for sykt barn", "opplæringspenger ved sykt barn", "koordinator for familier med sykt barn", "avlastning for familier med alvorlig sykt barn", "tilrettelegging i skolen for sykt barn", "omsorgsstønad for sykt barn", "hjelpemidler for sykt barn"},
	"miste-og-finne-jobb":        {"dagpenger", "meldekort", "jobbsøking", "arbeidsrettet oppfølging", "kvalifiseringsprogrammet", "lønnsgarantiordningen"},
	"ny-i-norge":                 {"introduksjonsprogrammet", "norskopplæring for nyankomne", "godkjenning av utdanning fra utlandet", "bosetting av flyktninger", "tolketjenester", "registrering av utenlandske arbeidstakere"},
	"dodsfall-og-arv":            {"dødsfallsmelding", "skifte av dødsbo", "gravferdsstønad", "gravplassforvaltning", "arveoppgjør", "etterlatteytelser"},
	"starte-og-drive-en-bedrift": {"registrering av foretak", "skjenkebevilling", "næringsmiddeltilsyn", "tilskudd til næringsutvikling", "merverdiavgift for nye foretak", "serveringsbevilling"},
	"starte-og-drive-en-frivillig-organisasjon": {"registrering i Frivillighetsregisteret", "momskompensasjon for frivillige", "lokale aktivitetsmidler", "utlån av kommunale lokaler", "politiattest for frivillige", "søknad om grasrotandel"},
}

// syntheticLifeEvents bring the plan to 20 life events.
var syntheticLifeEvents = []lifeEvent{
	{"Flytte", "Moving house", store.AudienceCitizen, "kmd", []string{"flyttemelding", "adresseendring", "parkeringstillatelse for beboere", "renovasjonsabonnement"}},
	{"Bli pensjonist", "Retiring", store.AudienceCitizen, "asd", []string{"alderspensjon", "tjenestepensjon", "pensjonsveiledning", "seniorrabatt i kollektivtrafikken"}},
	{"Starte i barnehage og skole", "Starting kindergarten and school", store.AudienceCitizen, "kd", []string{"skoleskyss", "SFO-plass", "skoleinnskriving", "spesialpedagogisk hjelp"}},
	{"Studere", "Studying", store.AudienceCitizen, "kd", []string{"studielån og stipend", "opptak til høyere utdanning", "vitnemålsportal", "studentbolig"}},
	{"Bygge og eie bolig", "Building and owning a home", store.AudienceCitizen, "kmd", []string{"byggesaker", "eiendomsskatt", "startlån", "bostøtte", "oppmåling og matrikkelføring"}},
	{"Få førerkort og eie kjøretøy", "Driving licence and vehicles", store.AudienceCitizen, "sd", []string{"førerkort", "omregistrering av kjøretøy", "periodisk kjøretøykontroll", "bompengeavtaler"}},
	{"Bli pårørende", "Becoming a carer", store.AudienceCitizen, "hod", []string{"pårørendestøtte", "omsorgsstønad", "avlastningstilbud", "brukerstyrt personlig assistanse"}},
	{"Bli syk eller skadet", "Illness and injury", store.AudienceCitizen, "hod", []string{"sykepenger", "legevakt", "pasientreiser", "fritt behandlingsvalg", "rehabilitering"}},
	{"Gifte seg og etablere familie", "Marriage and family", store.AudienceCitizen, "bfd", []string{"vigsel", "prøving av ekteskapsvilkår", "familievern", "navneendring"}},
	{"Bli utsatt for kriminalitet", "Victim of crime", store.AudienceCitizen, "jd", []string{"anmeldelse", "voldsoffererstatning", "bistandsadvokat", "konfliktråd"}},
	{"Ansette medarbeidere", "Hiring employees", store.AudienceBusiness, "asd", []string{"a-meldingen", "arbeidsgiveravgift", "yrkesskadeforsikring", "HMS-kort"}},
	{"Eksportere og importere varer", "Exporting and importing", store.AudienceBusiness, "fin", []string{"tolldeklarasjon", "opprinnelsesbevis", "eksportlisens", "grensekontroll av matvarer"}},
	{"Avvikle en bedrift", "Closing a business", store.AudienceBusiness, "nfd", []string{"sletting av foretak", "konkursbehandling", "avvikling av aksjeselskap", "sluttoppgjør for ansatte"}},
}

// generalTopics are tiltak objects tied to no life event.
var generalTopics = []string{
	"sosialhjelp", "kommunale utleieboliger", "vann og avløp", "renovasjonsgebyr", "helsetjenester i hjemmet",
	"tilskudd til lag og foreninger", "kulturskoleplass", "hjemmesykepleie", "sykehjemsplass", "trygghetsalarm",
	"arkivtjenester", "innsynsbegjæringer", "fakturahåndtering", "e-handel", "saksbehandlingssystem",
	"politisk saksbehandling", "geodata", "planregister", "kartgrunnlag", "meldingsformidling",
	"digital post", "innbyggerdialog", "chatbot", "sikkerhetsovervåking", "tilgangsstyring",
	"datadeling", "regnskapsrapportering", "lønnssystem", "HR-system", "skytjenester",
}

// focusTopics are the subjects of synthetic initiatives, by focus area key
// (the real focus areas).
var focusTopics = map[string][]string{
	"sammenhengende-tjenester":         {"en felles inngang til offentlige tjenester", "digitale søknadsprosesser i kommunene", "proaktive tjenester basert på registerdata", "felles løsninger for digital post", "brukerinvolvering i tjenesteutvikling", "tjenester på tvers av stat og kommune", "universell utforming av digitale tjenester"},
	"deling-av-data":                   {"en nasjonal datakatalog", "deling av data om eiendom og bolig", "åpne data fra kommunesektoren", "gjenbruk av opplysninger etter kun-én-gang-prinsippet", "deling av helsedata for forskning", "en felles begrepskatalog for offentlig sektor", "deling av geodata"},
	"digitaliseringsvennlig-regelverk": {"digitaliseringsvennlig regelverk for tilskuddsforvaltning", "hjemler for automatiserte vedtak", "regelverk for deling av taushetsbelagte opplysninger", "forenkling av rapporteringskrav", "digitaliseringsvennlige begreper i lovverket", "regelverk for elektronisk kommunikasjon med innbyggerne", "konsekvensutredning av digitalisering i lovarbeid"},
	"felles-okosystem":                 {"nasjonale felleskomponenter", "eID på høyt sikkerhetsnivå", "Altinn som plattform for samhandling", "felles arkitekturprinsipper", "en nasjonal løsning for fullmakter", "felles meldingsformidling", "en felles plattform for varsling"},
	"styring-og-samordning":            {"samordnet finansiering av fellesløsninger", "medfinansieringsordningen for digitaliseringsprosjekter", "gevinstrealisering i digitaliseringsprosjekter", "porteføljestyring på tvers av sektorer", "samarbeid mellom stat og kommune om digitalisering", "en felles styringsmodell for livshendelsene", "et kompetansemiljø for digital transformasjon"},
	"samarbeid-med-naringslivet":       {"innovative offentlige anskaffelser", "samarbeid med gründere om nye tjenester", "StartOff-ordningen", "digitale økosystemer for næringslivet", "deling av offentlige data med næringslivet", "digital rapportering fra næringslivet", "tilgang til offentlige API-er"},
	"digital-kompetanse":               {"digital kompetanse hos ledere", "et kompetanseprogram for ansatte i kommunene", "rekruttering av IKT-kompetanse", "opplæring i informasjonssikkerhet", "kompetanse om kunstig intelligens", "digital dømmekraft i skolen", "etter- og videreutdanning i digitalisering"},
	"digital-sikkerhet":                {"sikkerhetskultur i offentlig sektor", "en felles hendelseshåndtering", "risikostyring for digitale tjenester", "sikker bruk av skytjenester", "beredskap for IKT-hendelser i kommunene", "styrket personvern i offentlige tjenester", "sikkerhetsovervåking av kritiske systemer"},
}

// initiativeVerbs open an initiative title («Regjeringen vil …»).
var initiativeVerbs = []string{"Etablere", "Utvikle", "Videreutvikle", "Utrede", "Styrke", "Samordne", "Modernisere", "Forenkle"}

// tiltakActions open a tiltak title; the object follows.
var tiltakActions = []string{
	"Digital søknad om", "Ny løsning for", "Automatisert saksbehandling av", "Selvbetjening for",
	"Digitalisering av", "Felles datagrunnlag for", "Innføring av ny løsning for", "Pilot for",
	"Modernisering av", "Samordnet veiledning om", "API for", "Varsling om", "Bedre brukerreise for",
	"Innsikt og brukertesting av", "Gevinstrealisering i", "Datadeling om",
}

// Report texts by phase and health.
var (
	summaryPlanned = []string{"Tiltaket er ikke startet. Finansiering og organisering avklares.", "Forprosjekt planlegges; oppstart ventes neste periode."}
	summaryOnTrack = []string{"Arbeidet går etter planen.", "Leveransene i perioden er gjennomført som planlagt.", "Pilot er gjennomført med gode resultater; utrulling pågår."}
	summaryMinor   = []string{"Mindre forsinkelser i leveransene, uten følger for sluttdato.", "Noe forsinket på grunn av ressursmangel i perioden."}
	summaryMajor   = []string{"Betydelige forsinkelser; ny plan legges fram for styringsgruppen.", "Leveransen er forsinket og sluttdato må flyttes."}
	summaryPaused  = []string{"Tiltaket er satt på vent i påvente av finansiering.", "Satt på vent mens avhengigheter avklares."}
	summaryDone    = []string{"Tiltaket er ferdigstilt og overlevert til linjen.", "Leveransen er ferdigstilt."}
	summaryOps     = []string{"Løsningen er i drift og forvaltes av linjen.", "I drift; gevinster måles."}
	summaryStopped = []string{"Tiltaket er avsluttet uten å bli fullført.", "Avsluttet etter ny prioritering."}
	risks          = []string{"Avhengig av leveranser fra nasjonale felleskomponenter.", "Usikker finansiering for neste år.", "Mangel på nøkkelkompetanse.", "Uavklarte rettslige spørsmål om deling av opplysninger.", "Forsinkelser hos leverandør."}
)
