//go:build ignore

// Command gen converts the project's reference material into
// defaultdata/actionplan-2020.json, the default data set (a store.Plan).
//
// Regenerate from the module root with:
//
//	go run defaultdata/gen/main.go -data ../shared/data -out defaultdata/actionplan-2020.json
//
// It reads actionplan-2020.json (life events, focus areas, initiatives, tiltak,
// bodies, governance levels), actionplan-2020.sources.json (confidence and
// source ids per key, Skate's members) and municipalities-2024.json (the 357
// municipalities in 15 counties) from -data. What those files do not hold —
// descriptions, short names, dates, per-field provenance, the forums, the
// source titles — is written out below, transcribed from FACTS.md in the same
// folder. The JSON is committed; nothing runs this at build or test time.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"handlingsplan/store"
)

func main() {
	dataDir := flag.String("data", "../shared/data", "folder with actionplan-2020.json, actionplan-2020.sources.json, municipalities-2024.json and FACTS.md")
	out := flag.String("out", "defaultdata/actionplan-2020.json", "file to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	var in input
	readJSON(filepath.Join(*dataDir, "actionplan-2020.json"), &in.seed)
	readJSON(filepath.Join(*dataDir, "actionplan-2020.sources.json"), &in.conf)
	readJSON(filepath.Join(*dataDir, "municipalities-2024.json"), &in.munis)
	facts, err := os.ReadFile(filepath.Join(*dataDir, "FACTS.md"))
	if err != nil {
		log.Fatal(err)
	}
	checkSourceTable(string(facts), in.conf)

	plan := build(in)
	data := encode(plan)

	// The result must read back strictly into store.Plan and say the same.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var back store.Plan
	if err := dec.Decode(&back); err != nil {
		log.Fatalf("output does not decode strictly: %v", err)
	}
	if !bytes.Equal(encode(&back), data) {
		log.Fatal("output does not round-trip")
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d sources, %d bodies, %d governance levels, %d forums, %d life events, %d focus areas, %d initiatives, %d tiltak",
		*out, len(plan.Sources), len(plan.Bodies), len(plan.GovernanceLevels), len(plan.Forums),
		len(plan.LifeEvents), len(plan.FocusAreas), len(plan.Initiatives), len(plan.Tiltak))
}

// ---------------------------------------------------------------------------
// Input files

type input struct {
	seed  seedFile
	conf  sourcesFile
	munis municipalitiesFile
}

type seedFile struct {
	LifeEvents []struct {
		Key, NameNb, NameEn, Audience, LeadBody string
	} `json:"lifeEvents"`
	FocusAreas []struct {
		Key, NameNb, NameEn string
	} `json:"focusAreas"`
	Initiatives []struct {
		Key, Title, FocusArea string
		LifeEvents            []string
	} `json:"initiatives"`
	Tiltak []struct {
		Key, Title, Responsible               string
		Participants, Initiatives, LifeEvents []string
		Status                                string
	} `json:"tiltak"`
	Bodies []struct {
		Key, Name, Kind   string
		OrgNumber, Parent *string
	} `json:"bodies"`
	GovernanceLevels []struct {
		Level                      int
		NameNb, Scope, Secretariat string
		Forums                     []string
	} `json:"governanceLevels"`
}

// confEntry is one key's entry in actionplan-2020.sources.json.
type confEntry struct {
	Confidence          string   `json:"confidence"`
	Sources             []string `json:"sources"`
	Notes               string   `json:"notes"`
	Chapter             int      `json:"chapter"`
	Number              *string  `json:"number"`
	ResponsibleMinistry string   `json:"responsibleMinistry"`
	Executing           string   `json:"executing"`
	Period              string   `json:"period"`
	StatusDate          string   `json:"statusDate"`
	CofundingNOK        int64    `json:"cofundingNOK"`
}

type sourcesFile struct {
	Legend           map[string]string          `json:"legend"`
	SourceIndex      string                     `json:"sourceIndex"`
	LifeEvents       map[string]confEntry       `json:"lifeEvents"`
	FocusAreas       map[string]json.RawMessage `json:"focusAreas"` // entries plus a "_note" string
	Initiatives      map[string]confEntry       `json:"initiatives"`
	Tiltak           map[string]confEntry       `json:"tiltak"`
	Bodies           map[string]confEntry       `json:"bodies"`
	SkateMembers     skateMembers               `json:"skateMembers"`
	GovernanceLevels confEntry                  `json:"governanceLevels"`
	MunicipalityData []json.RawMessage          `json:"municipalityDataFiles"`
}

type skateMembers struct {
	Members2018 []string `json:"2018-2020"`
	Members2021 []string `json:"2021-2023"`
	Sources     []string `json:"sources"`
	Confidence  string   `json:"confidence"`
}

type municipalitiesFile struct {
	Structure string `json:"structure"`
	Source    string `json:"source"`
	Notes     string `json:"notes"`
	Counties  []struct {
		Number, Name   string
		Municipalities []struct{ Number, Name string }
	} `json:"counties"`
}

func readJSON(path string, v any) {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

func (f sourcesFile) focusArea(key string) confEntry {
	raw, ok := f.FocusAreas[key]
	if !ok {
		log.Fatalf("sources.json: no focus area %q", key)
	}
	var e confEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		log.Fatalf("sources.json focus area %q: %v", key, err)
	}
	return e
}

func lookup(m map[string]confEntry, kind, key string) confEntry {
	e, ok := m[key]
	if !ok {
		log.Fatalf("sources.json: no %s %q", kind, key)
	}
	return e
}

// ---------------------------------------------------------------------------
// Sources

// Source ids for the facts read in public code rather than in a page.
const (
	srcOrgnr       = "CODE-ORGNR"
	srcMunis       = "CODE-MUNICIPALITIES-2024"
	srcSamiNames   = "CODE-SSB-BILINGUAL-NAMES"
	municipalities = "navikt/paw-arbeidssoekerregisteret-for-personbruker"
	muniCommit     = "10c845b2498bede28a395dd94daa49f814d6c070"
)

// sourceTable is the Sources section of FACTS.md. A URL is given only where
// FACTS.md names both the host and a whole path; paths it shortens ("…") or
// gives as a bare page number stay in the title and the URL stays empty.
// FACTS.md has no S34.
var sourceTable = []store.Source{
	{ID: "S1", Title: "digdir.no – «Arbeidet med de sju livshendelsene»", URL: "https://digdir.no/sammenhengende-tjenester/arbeidet-med-de-sju-livshendelsene/1170"},
	{ID: "S2", Title: "ks.no – «Utvikler sømløse tjenester på tvers av sektorer»", URL: "https://ks.no/fagomrader/digitalisering/styring-og-organisering/utvikler-somlose-tjenester-pa-tvers-av-sektorer/"},
	{ID: "S3", Title: "digdir.no – «Erfaringene fra de syv prioriterte livshendelsene inngår nå i nasjonalt veikart» (/digitalisering-og-samordning/…/7937)"},
	{ID: "S4", Title: "digdir.no – «Oppfølging av regjeringen og KS sin digitaliseringsstrategi» (/digitalisering-og-samordning/…/1285)"},
	{ID: "S5", Title: "digdir.no – handlingsplanen «Økt deling av data og verdiskaping» (også under /digitalisering-og-samordning/…/1228)", URL: "https://digdir.no/handlingsplanen/okt-deling-av-data-og-verdiskaping/1228"},
	{ID: "S5b", Title: "statogstyring.no – «De prioriterte hendelsene i norske liv» (27.01.2022)"},
	{ID: "S6", Title: "aarsrapport2022.digdir.no – «Handlingsplanen – status på innsatsområdene» (/kapittel-3/…/55.html)"},
	{ID: "S7", Title: "regjeringen.no – «Én digital offentlig sektor», id2653874 (?ch=1 forord; /sec3 kapittel 2)", URL: "https://regjeringen.no/id2653874/"},
	{ID: "S8", Title: "dig.watch – «Norway's One Digital Public Sector strategy (2019–2025)»"},
	{ID: "S9", Title: "digdir.no – handlingsplanen «Alvorlig sykt barn» (også …-en-prioritert-livshendelse/2585)", URL: "https://digdir.no/handlingsplanen/alvorlig-sykt-barn/2585"},
	{ID: "S9b", Title: "digdir.no – medfinansieringsordningen «Helsedirektoratet – Enklere tilgang til informasjon» (/3936)"},
	{ID: "S10", Title: "ehelse.no – Nasjonal e-helseportefølje, tiltak «Alvorlig sykt barn»"},
	{ID: "S11", Title: "digdir.no – handlingsplanen «Dødsfall og arv – en prioritert livshendelse» (/2588)"},
	{ID: "S11b", Title: "digdir.no – «Skal gjøre oppgavene for de etterlatte enklere» (03.05.2021)"},
	{ID: "S11c", Title: "losdigitalmagasin.no – «Hvor digital kan døden bli?» (Virke Gravferd i styringsgruppen)"},
	{ID: "S12", Title: "digdir.no – Digitaliseringsrådet «Statsforvalteren i Vestfold og Telemark – Digital gravferdsmelding» (/4103)"},
	{ID: "S12b", Title: "digdir.no – Digitaliseringsrådet «Helsedirektoratet – Livshendelsen Alvorlig sykt barn» (/3131)"},
	{ID: "S13", Title: "digdir.no – «Nasjonal samordning av digitalisering» (/7660)"},
	{ID: "S14", Title: "digdir.no – handlingsplanen «Starte og drive en frivillig organisasjon» (/2589, to versjoner)"},
	{ID: "S15", Title: "digdir.no – Digitaliseringsrådet «Kultur- og likestillingsdepartementet – Starte og drive en frivillig organisasjon» (/3621)"},
	{ID: "S16", Title: "riksrevisjonen.no – Dok. 3:16 (2024–2025) «The authorities' efforts related to seamless digital services»; også stortinget.no Innst. 81 S (2025–2026)"},
	{ID: "S17", Title: "digdir.no – Skate-møte 23. mars 2022, referat (/3451)"},
	{ID: "S18", Title: "digdir.no – «Skate – eit toppleiarforum» (/1260)"},
	{ID: "S19", Title: "samarbeid.digdir.no – «Ny sammensetning av Skate» (04.02.2021)"},
	{ID: "S20", Title: "difi.no – Skate og «Mandat for Skate»"},
	{ID: "S21", Title: "digdir.no – Skate-møte 14. oktober 2020, referat (/1970); også 11. mars 2020 (/1321) og 17. juni 2020 (/1879)"},
	{ID: "S22", Title: "digdir.no – Skate-møte 6.12.2023, referat (/5245)"},
	{ID: "S23", Title: "digdir.no – handlingsplanen «Økt digital kompetanse i offentlig sektor» (/1296)"},
	{ID: "S24", Title: "digdir.no – handlingsplanen «Styring og samordning for en mer sammenhengende offentlig sektor» (/1258)"},
	{ID: "S25", Title: "regjeringen.no – «Én digital offentlig sektor», kapittel 6 (id2653874/sec7)", URL: "https://regjeringen.no/id2653874/sec7"},
	{ID: "S26", Title: "digdir.no – «Anbefalinger for 2021», erfaringsrapport om handlingsplanen 2020 (/2583)"},
	{ID: "S27", Title: "digdir.no – Skate-møte 18. desember 2019, referat (/1320)"},
	{ID: "S28", Title: "digdir.no – «Skates erfaringsrapport 2020» (/2321)"},
	{ID: "S29", Title: "ks.no – Digitaliseringsutvalget (samstyringsstruktur)"},
	{ID: "S30", Title: "digdir.no – «Digitaliseringsrådets mandat» (/1878)"},
	{ID: "S31", Title: "regjeringen.no – «Én digital offentlig sektor», kapittel 4 (id2653874/?ch=5)", URL: "https://regjeringen.no/id2653874/?ch=5"},
	{ID: "S32", Title: "regjeringen.no – «Én digital offentlig sektor», kapittel 5 (id2653874/sec6)", URL: "https://regjeringen.no/id2653874/sec6"},
	{ID: "S33", Title: "regjeringen.no – «Én digital offentlig sektor», kapittel 9 (id2653874/?ch=10)", URL: "https://regjeringen.no/id2653874/?ch=10"},
	{ID: "S35", Title: "digdir.no – Rikets digitale tilstand «Mål 1» (/3483)"},
	{ID: "S36", Title: "oecd.org – «The Digital Transformation of Norway's Public Sector» (2024), kap. 6 Digital public infrastructure"},
	{ID: "S37", Title: "dfo.no – «Digdir: Offentlig sektor er verdensledende på digitalisering» (virksomhetsstrategi)"},
	{ID: "S38", Title: "prosjekt.statsforvalteren.no – Digital gravferdsmelding, veiledning for fagfolk"},
	{ID: "S39", Title: "digi.no – «Gode IT-løsninger blir ikke rullet ut…» (juni 2025)"},
	{ID: "S40", Title: "globalcompactrefugees.org – «New in Norway – online information»"},
	{ID: "S41", Title: "dokumentasjon.dsop.no – «Oppgjør etter dødsfall» (DSOP)"},
	{ID: "S42", Title: "regjeringen.no – Prop. 1 S (2025–2026) Digitaliserings- og forvaltningsdepartementet, kap. 1"},
	{ID: "S43", Title: "regjeringen.no – «Oppretter digitaliseringsutvalg» (SMK, 2017)"},
	{ID: "S44", Title: "digdir.no – «Om veiledningen» (sammenhengende tjenester, /3163)"},
	{ID: "S45", Title: "digdir.no – Rikets digitale tilstand 2019–2024, forord (/5596)"},
	{ID: "S46", Title: "pdfslide.us – kopi av strategien som PDF (forside og forord med underskrivere)"},
	{ID: "S47", Title: "digdir.no – Digitaliseringsrådets erfaringsrapport 2022 «Korleis gå frå ord til handling?» (/3999)"},
	{ID: "S48", Title: "regjeringen.no – Meld. St. 30 (2019–2020) En innovativ offentlig sektor, kap. 11"},
	{ID: "S49", Title: "digdir.no – Rikets digitale tilstand «Mål 2» (/3501)"},
	{ID: "S50", Title: "digdir.no – Rikets digitale tilstand «Mål 3» (/3517)"},
	{ID: "S51", Title: "digdir.no – Rikets digitale tilstand «Mål 4» (/3518)"},
	{ID: "S52", Title: "digdir.no – Rikets digitale tilstand 2019–2024 «Om rapporten» (/5915)"},
	{ID: "S53", Title: "aarsrapport2021.digdir.no – «Samlet vurdering av måloppnåelse» (/27.html)"},
	{ID: "S54", Title: "digdir.no – Veileder digitaliseringsvennlig regelverk («Hva, hvorfor og hvordan», /2870)"},
	{ID: "S55", Title: "digdir.no – «Følg prinsipp for samordning med og involvering av kommunal sektor» (/3439)"},
	{ID: "S56", Title: "kudos.dfo.no – «Evaluering av Digitaliseringsrådet»"},
	{ID: "S57", Title: "digdir.no – «For deg som skal rapportere på den nasjonale digitaliseringsstrategien» (/7272)"},
	{ID: srcOrgnr, Title: "Organisasjonsnumre og overordnet departement lest i offentlig kode: testdata fra Felles datakatalog (orgPath /STAT/<departement>/<virksomhet>), en CODEOWNERS-oversikt hos Brreg/Digdir, to uavhengige kuraterte lister over statlige organ (en «Kontaktlisteregisteret»-prototype og frølisten gen_statlige_organ.py), Altinn-testdata (DiBK) og NVAs kundeoversikt (Unit, Statped). Depotnavnene ble ikke alltid notert. Alle numrene består MOD11-kontrollen."},
	// The title of srcMunis is completed from municipalities-2024.json.
	{ID: srcMunis, URL: "https://github.com/" + municipalities + "/blob/" + muniCommit + "/src/components/styrkl%C3%B8ft/fylker.ts"},
	{ID: srcSamiNames, Title: "Tospråklige kommunenavn slik SSBs klassifikasjon 131 skriver dem, med det samiske navnet først (for eksempel «Hábmer - Hamarøy», «Gáivuotna - Kåfjord - Kaivuono»), sitert i offentlig kode: dokumentasjonen til en R-pakke som lister SSB-navnene for 2026, og kodelister som kartlegger samisk-først-navn til norsk navn. Depotnavnene ble ikke notert."},
}

func buildSources(in input) []store.Source {
	src := slices.Clone(sourceTable)
	for i := range src {
		if src[i].ID == srcMunis {
			if !strings.Contains(in.munis.Source, municipalities) || !strings.Contains(in.munis.Source, muniCommit) {
				log.Fatalf("municipalities-2024.json: source line changed: %q", in.munis.Source)
			}
			src[i].Title = "Kommuner og fylker etter 2024-inndelingen (357 kommuner, 15 fylker): " + municipalities +
				", src/components/styrkløft/fylker.ts, commit " + muniCommit + "; autoritativ kilde er SSBs klassifikasjon 131 (kommuneinndeling)"
		}
	}
	return src
}

var sourceIDPattern = regexp.MustCompile(`\bS\d+[a-z]?\b`)

// checkSourceTable fails if FACTS.md or sources.json name a source id the
// table lacks, or the table holds an id FACTS.md never names (S50 only
// appears inside the range "S49–S51").
func checkSourceTable(facts string, conf sourcesFile) {
	have := map[string]bool{}
	for _, s := range sourceTable {
		have[s.ID] = true
	}
	named := map[string]bool{"S50": true}
	for _, id := range sourceIDPattern.FindAllString(facts, -1) {
		named[id] = true
		if !have[id] {
			log.Fatalf("FACTS.md names source %s, which the table lacks", id)
		}
	}
	for _, s := range sourceTable {
		if strings.HasPrefix(s.ID, "S") && !named[s.ID] {
			log.Fatalf("source %s is not named in FACTS.md", s.ID)
		}
	}
	var all []confEntry
	for _, m := range []map[string]confEntry{conf.LifeEvents, conf.Initiatives, conf.Tiltak, conf.Bodies} {
		for _, e := range m {
			all = append(all, e)
		}
	}
	all = append(all, conf.GovernanceLevels, confEntry{Sources: conf.SkateMembers.Sources})
	for _, e := range all {
		for _, id := range e.Sources {
			if !have[id] {
				log.Fatalf("sources.json names source %s, which the table lacks", id)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Provenance helpers

func confidence(s string) store.Confidence {
	switch s {
	case "verified-in-source":
		return store.VerifiedInSource
	case "verified-in-code":
		return store.VerifiedInCode
	case "derived":
		return store.Derived
	case "from-memory":
		return store.FromMemory
	}
	log.Fatalf("unknown confidence %q", s)
	return ""
}

func field(name string, c store.Confidence, note string) store.FieldProvenance {
	return store.FieldProvenance{Field: name, Confidence: c, Note: note}
}

// ids joins source id lists, dropping repeats and keeping the first order.
func ids(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, id := range l {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

func joinNotes(notes ...string) string {
	var parts []string
	for _, n := range notes {
		if n = strings.TrimSpace(n); n != "" {
			if !strings.HasSuffix(n, ".") {
				n += "."
			}
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " ")
}

// notesNb holds the notes of actionplan-2020.sources.json in bokmål, so that
// every note in the plan is in one language. A note missing here stops the
// generator: translate it when sources.json changes.
var notesNb = map[string]string{
	"leadBody = responsible ministry in 2019 (ASD, later AID). Executing agency NAV is from-memory.": "ASD i 2019, senere AID. At NAV er utførende etat, er fra hukommelsen.",
	"HOD overall responsible, Helsedirektoratet operative.":                                          "HOD har det overordnede ansvaret, Helsedirektoratet det operative.",
	"ASD (AID from 2022). Executing agency NAV from-memory.":                                         "ASD (AID fra 2022). At NAV er utførende etat, er fra hukommelsen.",
	"KD in 2019; moved to AID in 2022 (from-memory). Executing agency IMDi from-memory.":             "KD i 2019; at ansvaret gikk til AID i 2022, er fra hukommelsen. At IMDi er utførende etat, er fra hukommelsen.",
	"KMD in 2019 (KDD 2022-23, DFD from 2024); Digdir runs the programme.":                           "KMD i 2019 (KDD 2022–2023, DFD fra 2024); Digdir leder programmet.",
	"NFD; audience business verified (S5b). Executing agency Brreg from-memory.":                     "NFD; målgruppen næringsliv er bekreftet (S5b). At Brønnøysundregistrene er utførende etat, er fra hukommelsen.",
	"KUD (Kultur- og likestillingsdep. from 2022).":                                                  "KUD (Kultur- og likestillingsdepartementet fra 2022).",
	"Chapter 7 exists but its exact title was not found; nameNb/nameEn are placeholders.":            "Kapittel 7 finnes, men den nøyaktige tittelen er ikke funnet; nameNb og nameEn er plassholdere.",
	"listed as initiative in operation under focus area 3; ministry/executing body from-memory":      "Oppført som initiativ i drift under innsatsområde 3; departement og utførende virksomhet er fra hukommelsen.",
	"guide exists on digdir.no; that it is a numbered action-plan initiative is from-memory":         "Veilederen finnes på digdir.no; at den er et eget initiativ i handlingsplanen, er fra hukommelsen.",
	"responsible Digdir is from-memory":                                                              "Digdir som ansvarlig er fra hukommelsen.",
	"participant KS is stated as 'will be involved'":                                                 "Kilden sier at KS skal involveres.",
	"rollout expected during 2025 (S39)":                                                             "Utrulling ventet i løpet av 2025 (S39).",
	"pilot live; nationwide during 2026":                                                             "Pilot i drift; landsdekkende i løpet av 2026.",
	"status as reported ~2021":                                                                       "Status slik den ble rapportert rundt 2021.",
	"status (work considered finished, 2022) verified; responsible NAV is from-memory":               "Statusen (arbeidet regnet som ferdig i 2022) er bekreftet; NAV som ansvarlig er fra hukommelsen.",
	"responsible NAV from-memory; status unknown":                                                    "NAV som ansvarlig er fra hukommelsen; status ukjent.",
	"responsible IMDi from-memory (IMDi took part in the 2019 life-event gathering, S2)":             "IMDi som ansvarlig er fra hukommelsen (IMDi deltok på samlingen om livshendelsene i 2019, S2).",
	"responsible Brreg from-memory (Brreg took part in the 2019 gathering, S2)":                      "Brønnøysundregistrene som ansvarlig er fra hukommelsen (deltok på samlingen i 2019, S2).",
	"link to the Ny i Norge life event is inferred":                                                  "Koblingen til livshendelsen Ny i Norge er en slutning.",
	"same orgnr used for KDD (2022-2023)":                                                            "Samme organisasjonsnummer brukt for KDD (2022–2023).",
	"established 2024-01-01; orgnr not found":                                                        "Opprettet 2024-01-01; organisasjonsnummer ikke funnet.",
	"AID from 2022, same orgnr":                                                                      "AID fra 2022, samme organisasjonsnummer.",
	"parent kmd 2020-2023 (FDK orgPath /STAT/972417858/991825827); DFD from 2024; formally established 2020-01-01 (S37); Difi's orgnr retained": "Overordnet departement KMD 2020–2023 (orgPath /STAT/972417858/991825827 i FDK-data), DFD fra 2024; formelt opprettet 2020-01-01 (S37); beholdt Difis organisasjonsnummer.",
	"parent from-memory": "Overordnet departement er fra hukommelsen.",
	"orgnr verified for Unit; that Sikt kept it is from-memory; parent from-memory": "Organisasjonsnummeret er verifisert for Unit; at Sikt beholdt det, er fra hukommelsen, og det samme er overordnet departement.",
	"parent KD for 2019-2021 from-memory; AID from 2022":                            "KD som overordnet departement 2019–2021 er fra hukommelsen; AID fra 2022.",
	"orgnr from a single file; parent from-memory":                                  "Organisasjonsnummeret er funnet i én fil; overordnet departement er fra hukommelsen.",
	"orgnr not found; parent from-memory":                                           "Organisasjonsnummer ikke funnet; overordnet departement er fra hukommelsen.",
	"kommunenummer 0301":                                                            "Kommunenummer 0301.",
	"kommunenummer 3001 (2020-2023), 3101 (from 2024); Skate member 2021-2023":      "Kommunenummer 3001 (2020–2023), 3101 (fra 2024); medlem av Skate 2021–2023.",
	"participant in the data-sharing resource centre; orgnr not found":              "Deltaker i ressurssenteret for deling av data; organisasjonsnummer ikke funnet.",
	"Level labels are a synthesis; sources name ministry level and agency level explicitly. No source found for 'nivå 1/2/3' or quarterly KMD-Digdir meetings; Skate meets about once per quarter (S18).": "Nivåinndelingen er en sammenstilling; kildene nevner departementsnivå og virksomhetsnivå eksplisitt. Ingen kilde er funnet for «nivå 1/2/3» eller for kvartalsvise møter mellom KMD og Digdir; Skate møtes om lag én gang i kvartalet (S18).",
	"nameEn values are own translations, not the official English titles.": "nameEn er egne oversettelser, ikke offisielle engelske titler.",
}

var parentPerFDK = regexp.MustCompile(`^parent ([A-Z]+) per FDK orgPath$`)

// nb returns a sources.json note in bokmål.
func nb(en string) string {
	if en == "" {
		return ""
	}
	if m := parentPerFDK.FindStringSubmatch(en); m != nil {
		return "Overordnet departement " + m[1] + " ifølge orgPath i FDK-data."
	}
	s, ok := notesNb[en]
	if !ok {
		log.Fatalf("sources.json note has no bokmål version: %q", en)
	}
	return s
}

// ---------------------------------------------------------------------------
// Keys

var translit = map[rune]string{
	'æ': "ae", 'ø': "o", 'å': "a",
	'á': "a", 'à': "a", 'â': "a", 'ä': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ï': "i", 'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o",
	'ú': "u", 'ü': "u", 'č': "c", 'đ': "d", 'ŋ': "n", 'š': "s", 'ŧ': "t", 'ž': "z",
}

// slug turns a Norwegian name into kebab-case ASCII: æ→ae, ø→o, å→a, other
// diacritics stripped, everything else a separator.
func slug(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		var part string
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			part = string(r)
		case translit[r] != "":
			part = translit[r]
		case unicode.IsLetter(r):
			log.Fatalf("slug %q: no transliteration for %q", s, r)
		default:
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteString(part)
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// Bodies

var bodyKinds = map[string]store.BodyKind{
	"ministry":     store.BodyMinistry,
	"directorate":  store.BodyDirectorate,
	"agency":       store.BodyAgency,
	"municipality": store.BodyMunicipality,
	"county":       store.BodyCounty,
	"association":  store.BodyAssociation,
	"other":        store.BodyOther,
}

// bodyExtra is what FACTS.md adds to a body of actionplan-2020.json.
type bodyExtra struct {
	name      string // replaces the seed's name (to move an abbreviation into shortName)
	shortName string
	sources   []string // beyond sources.json
	note      string
	fields    []store.FieldProvenance
}

func parentFromMemory(ministry string) store.FieldProvenance {
	return field("parentKey", store.FromMemory, "Overordnet departement ("+ministry+") er fra hukommelsen; ikke funnet i kildene.")
}

var bodyExtras = map[string]bodyExtra{
	"kmd": {shortName: "KMD", sources: []string{"S17", "S21", "S42", "S13", "S46"},
		note: "Eide strategien 2019–2021 (minister Nikolai Astrup). Heter Kommunal- og distriktsdepartementet fra 2022: KMD i Skate-referatet fra oktober 2020 (S21), KDD i mars 2022 (S17). Fra 1. januar 2024 overtok DFD digitaliseringspolitikken og eierskapet til Digdir (S42, S13)"},
	"dfd": {shortName: "DFD", sources: []string{"S13"},
		note: "Overtok digitaliseringspolitikken og eierskapet til Digdir 1. januar 2024"},
	"asd": {shortName: "ASD"},
	"hod": {shortName: "HOD"},
	"kd": {shortName: "KD",
		note: "Organisasjonsnummeret begynner på 8; funnet i to filer"},
	"kud": {shortName: "KUD", sources: []string{"S14", "S15"},
		note: "Heter Kultur- og likestillingsdepartementet fra 2022 (S14, S15), med samme organisasjonsnummer. En Digdir-side forkorter det KLD, som ellers betyr Klima- og miljødepartementet"},
	"nfd": {shortName: "NFD"},
	"bfd": {shortName: "BFD"},
	"fin": {shortName: "FIN"},
	"jd":  {shortName: "JD"},
	"sd":  {shortName: "SD"},
	"lmd": {shortName: "LMD"},
	"digdir": {shortName: "Digdir", sources: []string{"S37", "S27", "S21", "S42"},
		note: "Satt sammen av Altinn, deler av Brønnøysundregistrenes enhet for informasjonsforvaltning og deler av Difi (S37); organisasjonsnummeret ble registrert 2007-10-15. Difi var medlem av Skate til desember 2019, Digdir fra mars 2020 (S27, S21). Datoen 1. september 2019 som noen ganger oppgis, støttes ikke av kildene"},
	"ks": {shortName: "KS", sources: []string{"S13", "S46"},
		note: "Representerer kommuner og fylkeskommuner og oppnevner de kommunale representantene i nasjonale organer (S13). La fram strategien sammen med regjeringen (S46)"},
	"brreg": {shortName: "Brreg",
		note: "Juridisk navn: Registerenheten i Brønnøysund"},
	"nav":        {name: "Arbeids- og velferdsetaten", shortName: "NAV"},
	"kartverket": {shortName: "Kartverket"},
	"lanekassen": {shortName: "Lånekassen",
		fields: []store.FieldProvenance{parentFromMemory("KD")}},
	"unit-sikt": {sources: []string{"S17", "S22"},
		note: "Heter Sikt fra 2022 (Skate-referatene S17, S22)",
		fields: []store.FieldProvenance{
			field("orgNumber", store.FromMemory, "919477822 er verifisert i kode for Unit; at Sikt beholdt nummeret, er fra hukommelsen."),
			parentFromMemory("KD"),
		}},
	"ssb":                {shortName: "SSB"},
	"politidirektoratet": {fields: []store.FieldProvenance{parentFromMemory("JD")}},
	"dibk":               {shortName: "DiBK", fields: []store.FieldProvenance{parentFromMemory("KMD")}},
	"imdi": {shortName: "IMDi",
		fields: []store.FieldProvenance{field("parentKey", store.FromMemory, "KD som overordnet departement 2019–2021 er fra hukommelsen; fra 2022 AID (også fra hukommelsen).")}},
	"bufdir": {shortName: "Bufdir", fields: []store.FieldProvenance{parentFromMemory("BFD")}},
	"dfo":    {shortName: "DFØ", fields: []store.FieldProvenance{parentFromMemory("FIN")}},
	"udi":    {shortName: "UDI", fields: []store.FieldProvenance{parentFromMemory("JD")}},
	"statped": {name: "Statlig spesialpedagogisk tjeneste", shortName: "Statped",
		fields: []store.FieldProvenance{parentFromMemory("KD")}},
	"statens-vegvesen":      {fields: []store.FieldProvenance{parentFromMemory("SD")}},
	"landbruksdirektoratet": {fields: []store.FieldProvenance{parentFromMemory("LMD")}},
	"arbeidstilsynet":       {fields: []store.FieldProvenance{parentFromMemory("ASD")}},
	"dsb":                   {shortName: "DSB", fields: []store.FieldProvenance{parentFromMemory("JD")}},
	"lotteri-og-stiftelsestilsynet": {sources: []string{"S14"},
		note:   "At tilsynet deltar i tilskudd.no, står i S14",
		fields: []store.FieldProvenance{parentFromMemory("KUD")}},
	"statsforvalteren-i-vestfold-og-telemark": {sources: []string{"S12"},
		note:   "Prosjekt- og tjenesteeier for digital gravferdsmelding (S12)",
		fields: []store.FieldProvenance{parentFromMemory("KMD")}},
	"oslo-kommune": {sources: []string{"S5", "S18"},
		note: "Oslo er både kommune og fylke: i kommunelisten er fylke 03 Oslo med den ene kommunen 0301. Her er Oslo én virksomhet av typen MUNICIPALITY med både kommunenummer og fylkesnummer, og ingen egen COUNTY-virksomhet, fordi det er samme juridiske enhet (ett organisasjonsnummer); at Oslo kommune også har fylkeskommunens oppgaver, er fra hukommelsen. Medlem av Skate 2018–2020 og 2021–2023 og deltaker i ressurssenteret for deling av data (S5)"},
	"halden-kommune": {sources: []string{"S19"},
		note: "Kommunelisten (2024) har 3101. Det er kommunedirektøren som sitter i Skate (S19)"},
	"bergen-kommune": {
		fields: []store.FieldProvenance{
			field("municipalityNumber", store.VerifiedInCode, "Fra kommunelisten for 2024 ("+srcMunis+")."),
			field("countyNumber", store.VerifiedInCode, "Fra kommunelisten for 2024 ("+srcMunis+")."),
		}},
}

// samiFirst are the municipalities municipalities-2024.json lists under their
// Sami name only. official is SSB's bilingual form (classification 131),
// which puts the Sami name first; the key is made from the Norwegian name.
var samiFirst = map[string]struct{ sami, norwegian, official string }{
	"1826": {"Aarborte", "Hattfjelldal", "Aarborte - Hattfjelldal"},
	"1875": {"Hábmer", "Hamarøy", "Hábmer - Hamarøy"},
	"5041": {"Snåase", "Snåsa", "Snåase - Snåsa"},
	"5043": {"Raarvihke", "Røyrvik", "Raarvihke - Røyrvik"},
	"5512": {"Dielddanuorri", "Tjeldsund", "Dielddanuorri - Tjeldsund"},
	"5518": {"Loabák", "Lavangen", "Loabák - Lavangen"},
	"5540": {"Gáivuotna", "Kåfjord", "Gáivuotna - Kåfjord - Kaivuono"},
	"5610": {"Kárášjohka", "Karasjok", "Kárášjohka - Karasjok"},
	"5612": {"Guovdageaidnu", "Kautokeino", "Guovdageaidnu - Kautokeino"},
	"5628": {"Deatnu", "Tana", "Deatnu - Tana"},
	"5636": {"Unjárga", "Nesseby", "Unjárga - Nesseby"},
}

var disambiguated = regexp.MustCompile(`^(.+) \((.+)\)$`)

const muniNote = "Kommunenummer, navn og fylke fra kommunelisten for 2024-inndelingen (357 kommuner i 15 fylker), en offentlig kodefil; autoritativ kilde er SSBs klassifikasjon 131. Kommunen er selvstyrt og har ingen overordnet virksomhet."

func buildBodies(in input) []store.Body {
	var bodies []store.Body
	seedMunis := map[string]store.Body{} // seed municipalities, merged below
	for _, b := range in.seed.Bodies {
		c := lookup(in.conf.Bodies, "body", b.Key)
		x := bodyExtras[b.Key]
		kind, ok := bodyKinds[b.Kind]
		if !ok {
			log.Fatalf("body %s: unknown kind %q", b.Key, b.Kind)
		}
		conf := confidence(c.Confidence)
		var src []string
		if conf == store.VerifiedInCode {
			src = []string{srcOrgnr}
		}
		body := store.Body{
			Key:       b.Key,
			Name:      b.Name,
			ShortName: x.shortName,
			Kind:      kind,
		}
		if x.name != "" {
			body.Name = x.name
		}
		if b.OrgNumber != nil {
			body.OrgNumber = *b.OrgNumber
		}
		if b.Parent != nil {
			body.ParentKey = *b.Parent
		}
		body.Provenance = &store.Provenance{
			Confidence: conf,
			SourceIDs:  ids(src, c.Sources, x.sources),
			Note:       joinNotes(nb(c.Notes), x.note),
			Fields:     x.fields,
		}
		if kind == store.BodyMunicipality {
			seedMunis[b.Key] = body
			continue
		}
		bodies = append(bodies, body)
	}

	// Counties first, then municipalities, each in number order.
	notes := in.munis.Notes
	baseNames := map[string]int{}
	for _, c := range in.munis.Counties {
		for _, m := range c.Municipalities {
			name := m.Name
			if s := disambiguated.FindStringSubmatch(name); s != nil {
				name = s[1]
			}
			baseNames[name]++
		}
	}
	var counties, munis []store.Body
	for _, c := range in.munis.Counties {
		if len(c.Number) != 2 {
			log.Fatalf("county %s: number is not 2 digits", c.Number)
		}
		if c.Number != "03" { // Oslo: see oslo-kommune
			counties = append(counties, store.Body{
				Key:          slug(c.Name) + "-fylkeskommune",
				Name:         c.Name + " fylkeskommune",
				Kind:         store.BodyCounty,
				CountyNumber: c.Number,
				Meta: store.Meta{Provenance: &store.Provenance{
					Confidence: store.VerifiedInCode,
					SourceIDs:  []string{srcMunis},
					Note:       "Fylkesnummer og fylkesnavn fra kommunelisten for 2024-inndelingen (15 fylker); virksomheten er fylkeskommunen. Fylkeskommunen er selvstyrt og har ingen overordnet virksomhet. Organisasjonsnummer er ikke hentet.",
					Fields: []store.FieldProvenance{field("name", store.Derived,
						"Satt sammen som «<fylke> fylkeskommune»; offisielle parallellnavn på samisk eller kvensk, der de finnes, står ikke i kilden.")},
				}},
			})
		}
		for _, m := range c.Municipalities {
			if len(m.Number) != 4 || m.Number[:2] != c.Number {
				log.Fatalf("municipality %s %s: number does not fit county %s", m.Number, m.Name, c.Number)
			}
			name, keyName := m.Name, m.Name
			prov := &store.Provenance{
				Confidence: store.VerifiedInCode,
				SourceIDs:  []string{srcMunis},
				Note:       muniNote,
			}
			if s := disambiguated.FindStringSubmatch(m.Name); s != nil {
				if s[2] != c.Name || baseNames[s[1]] < 2 {
					log.Fatalf("municipality %s %q: unexpected qualifier", m.Number, m.Name)
				}
				name, keyName = s[1], s[1]+" "+c.Name
				prov.Note += " To kommuner heter " + s[1] + "; fylket står i nøkkelen og i parentes i navnet for å skille dem, slik SSBs liste gjør."
			}
			full := name + " kommune"
			if baseNames[m.Name] > 1 {
				log.Fatalf("municipality name %q is not unique and not qualified", m.Name)
			}
			if sf, ok := samiFirst[m.Number]; ok {
				if m.Name != sf.sami || !strings.Contains(notes, m.Number+" "+sf.sami+" = "+sf.norwegian) {
					log.Fatalf("municipality %s: %q does not match the note's Sami-name list", m.Number, m.Name)
				}
				full = sf.official + " kommune"
				keyName = sf.norwegian
				prov.SourceIDs = append(prov.SourceIDs, srcSamiNames)
				prov.Fields = append(prov.Fields, field("name", store.Derived,
					"Kommunelisten gir bare det samiske navnet «"+sf.sami+"», og merknaden i den sier at det er "+sf.norwegian+
						" og at det offisielle navnet er tospråklig. Den tospråklige formen «"+sf.official+"» er SSBs (klassifikasjon 131, samisk navn først), sitert i offentlig kode ("+srcSamiNames+"); "+
						"den stemmer med at kommunelisten viser første ledd. Nøkkelen er laget av det norske navnet."))
			} else if m.Name != name {
				full = name + " kommune (" + c.Name + ")"
			}
			body := store.Body{
				Key:                slug(keyName) + "-kommune",
				Name:               full,
				Kind:               store.BodyMunicipality,
				MunicipalityNumber: m.Number,
				CountyNumber:       c.Number,
				Meta:               store.Meta{Provenance: prov},
			}
			if seed, ok := seedMunis[body.Key]; ok {
				body = mergeMunicipality(seed, body)
				delete(seedMunis, body.Key)
			}
			munis = append(munis, body)
		}
	}
	for _, sf := range samiFirst {
		if !strings.Contains(notes, sf.sami) {
			log.Fatalf("the note no longer names %s", sf.sami)
		}
	}
	if len(seedMunis) > 0 {
		log.Fatalf("seed municipalities not found in the municipality list: %v", seedMunis)
	}
	slices.SortStableFunc(munis, func(a, b store.Body) int { return strings.Compare(a.MunicipalityNumber, b.MunicipalityNumber) })
	bodies = append(bodies, counties...)
	return append(bodies, munis...)
}

// mergeMunicipality keeps a seed municipality's name, organisation number and
// provenance, and takes the numbers and the list's source from the list.
func mergeMunicipality(seed, list store.Body) store.Body {
	seed.MunicipalityNumber = list.MunicipalityNumber
	seed.CountyNumber = list.CountyNumber
	if seed.Name != list.Name {
		log.Fatalf("%s: seed name %q differs from list name %q", seed.Key, seed.Name, list.Name)
	}
	p := *seed.Provenance
	p.SourceIDs = ids(p.SourceIDs, list.Provenance.SourceIDs)
	p.Note = joinNotes(p.Note, "Kommunenummer og fylkesnummer fra kommunelisten for 2024 ("+srcMunis+")")
	seed.Provenance = &p
	return seed
}

// ---------------------------------------------------------------------------
// Governance levels and forums

var levelNamesEn = map[int]string{1: "Political and strategic level", 2: "Ministry level", 3: "Agency level"}

var levelSecretariat = map[int]struct {
	key   string
	extra string
	field store.FieldProvenance
}{
	1: {"digdir", "", field("secretariatKey", store.VerifiedInSource,
		"Digdirs programkontor for oppfølging av handlingsplanen er kontaktpunktet (S23); at det tjener dette nivået, er en del av sammenstillingen.")},
	2: {"ks", " KS og Digdir koordinerer sammen departementsgruppen for livshendelsene.", field("secretariatKey", store.Derived,
		"KS og Digdir koordinerer i fellesskap (S4); feltet rommer én virksomhet, og KS er valgt fordi kildene nevner KS først.")},
	3: {"digdir", " KS har trolig sekretariatet for sitt digitaliseringsutvalg (ikke bekreftet).", field("secretariatKey", store.VerifiedInSource,
		"Digdir har Skate-sekretariatet (S18, S20) og sekretariatet for Digitaliseringsrådet (S30).")},
}

func buildLevels(in input) []store.GovernanceLevel {
	c := in.conf.GovernanceLevels
	var out []store.GovernanceLevel
	for _, l := range in.seed.GovernanceLevels {
		s, ok := levelSecretariat[l.Level]
		if !ok {
			log.Fatalf("governance level %d: no secretariat mapping", l.Level)
		}
		out = append(out, store.GovernanceLevel{
			Level:          l.Level,
			Name:           l.NameNb,
			NameEn:         levelNamesEn[l.Level],
			Description:    joinNotes(l.Scope, "Sekretariat: "+l.Secretariat) + s.extra,
			SecretariatKey: s.key,
			Meta: store.Meta{Provenance: &store.Provenance{
				Confidence: confidence(c.Confidence),
				SourceIDs:  c.Sources,
				Note:       joinNotes("Tre nivåer satt sammen fra handlingsplanens oppbygging (innsatsområder, initiativer, tiltak) og kildenes styringslinje", nb(c.Notes)),
				Fields: []store.FieldProvenance{
					field("nameEn", store.Derived, "Egen oversettelse."),
					s.field,
				},
			}},
		})
	}
	return out
}

func levelFromTable() store.FieldProvenance {
	return field("governanceLevel", store.Derived, "Plasseringen på styringsnivå følger den sammenstilte tre-nivå-modellen, ikke en kilde.")
}

func buildForums(in input) []store.Forum {
	skate := in.conf.SkateMembers
	if len(skate.Members2021) != 14 || len(skate.Members2018) != 11 {
		log.Fatalf("Skate membership changed: %d/%d", len(skate.Members2018), len(skate.Members2021))
	}
	lifeEventMinistries := []string{}
	for _, le := range in.seed.LifeEvents {
		if !slices.Contains(lifeEventMinistries, le.LeadBody) {
			lifeEventMinistries = append(lifeEventMinistries, le.LeadBody)
		}
	}
	vis := store.VerifiedInSource
	return []store.Forum{
		{
			Key: "regjeringens-digitaliseringsutvalg", Name: "Regjeringens digitaliseringsutvalg",
			Description:     "Regjeringsutvalg for digitalisering ledet av statsministeren, opprettet i 2017.",
			GovernanceLevel: 1,
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S43"},
				Note:   "Medlemmer og sekretariat er ikke kjent fra kildene.",
				Fields: []store.FieldProvenance{levelFromTable()}}},
		},
		{
			Key: "skate-moter-med-digitaliseringsministeren", Name: "Skates møter med digitaliseringsministeren",
			Description:     "Skate møter digitaliseringsministeren to ganger i året; Skate er rådgivende både for Digdir og for ministeren.",
			GovernanceLevel: 1, SecretariatKey: "digdir",
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S18", "S20"},
				Note: "Modellert som eget forum fordi styringsmodellen legger møtene på det politiske nivået. Deltakerne er Skates medlemmer og ministeren; listen er ikke gjentatt her.",
				Fields: []store.FieldProvenance{levelFromTable(),
					field("secretariatKey", store.Derived, "Digdir har Skate-sekretariatet (S18); at det også forbereder ministermøtene, er en slutning.")}}},
		},
		{
			Key: "kommit-radet", Name: "KommIT-rådet",
			Description:     "KS' strategiske råd for digitalisering i kommunesektoren, øverste ledd i KS' samstyringsstruktur. Digitaliseringsutvalget forbereder saker for rådet.",
			GovernanceLevel: 1, SecretariatKey: "ks",
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S13", "S29"},
				Note: "Medlemmene er ikke kjent fra kildene.",
				Fields: []store.FieldProvenance{levelFromTable(),
					field("secretariatKey", store.FromMemory, "At KS har sekretariatet, er fra hukommelsen; kildene sier bare at rådet er en del av KS' samstyring.")}}},
		},
		{
			Key: "departementsgruppen-for-livshendelsene", Name: "Departementsgruppen for livshendelsene",
			Description:     "Gruppe av departementene med ansvar for livshendelsene, KS og BFD, som følger opp og samordner livshendelsene på departements- og virksomhetsnivå. KS og Digdir koordinerer gruppen.",
			GovernanceLevel: 2, MemberKeys: append(lifeEventMinistries, "ks", "bfd"), SecretariatKey: "ks",
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S4", "S2"},
				Fields: []store.FieldProvenance{
					field("memberKeys", store.Derived, "S4 sier «de ansvarlige departementene, KS og BFD»; departementene er de som var ansvarlige for livshendelsene ved oppstart i 2019 (S2). Endringer etter 2022 (AID, KDD, DFD) er ikke med."),
					field("secretariatKey", store.Derived, "KS og Digdir koordinerer i fellesskap (S4); feltet rommer én virksomhet, og KS er valgt fordi kilden nevner KS først."),
				}}},
		},
		{
			Key: "digitaliseringsarenaer-i-konsultasjonsordningen", Name: "Digitaliseringsarenaer i konsultasjonsordningen mellom regjeringen og KS",
			Description:     "Arenaer i konsultasjonsordningen mellom regjeringen og KS for å følge opp digitaliseringstiltak som berører kommunal sektor, også tiltak i strategien; etablert i 2020 (initiativ 6.6). Prinsippene for involvering av kommunal sektor er likeverd og innflytelse, representativitet og involvering hele veien.",
			GovernanceLevel: 2, MemberKeys: []string{"kmd", "ks"},
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S24", "S55"},
				Note: "Sekretariat ikke kjent fra kildene.",
				Fields: []store.FieldProvenance{levelFromTable(),
					field("memberKeys", store.Derived, "Konsultasjonsordningen er mellom regjeringen og KS; KMD står for regjeringen fordi departementet eier initiativ 6.6. Andre departementer kan delta.")}}},
		},
		{
			Key: "statssekretaerutvalget-for-digitalisering", Name: "Statssekretærutvalget for digitalisering og innovasjon i offentlig sektor",
			Description:     "Utvalg av statssekretærer for digitalisering og innovasjon i offentlig sektor; finnes fra 2024, etter handlingsplanen fra 2020.",
			GovernanceLevel: 2,
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S13"},
				Fields: []store.FieldProvenance{levelFromTable(),
					field("name", store.Derived, "Kilden er gjengitt på engelsk i forskningsnotatene; det nøyaktige norske navnet er ikke bekreftet.")}}},
		},
		{
			Key: "embetsgruppen-for-digitalisering", Name: "Embetsgruppen for digitalisering",
			Description:     "Gruppe av embetsverket i departementene for digitalisering; finnes fra 2024, etter handlingsplanen fra 2020.",
			GovernanceLevel: 2,
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S13"},
				Fields: []store.FieldProvenance{levelFromTable()}}},
		},
		{
			Key: "skate", Name: "Skate – Styring og koordinering av tjenester i e-forvaltning", ShortName: "Skate",
			Description: "Toppledermøte ledet av Digdir (før 2020 Difi), som også har sekretariatet. KMD oppnevner medlemmene for tre år (oppnevning fra 1.1.2018); om lag ett møte i kvartalet og møter med digitaliseringsministeren to ganger i året. Rådgivende for Digdir og ministeren og koordinerende og rådgivende i oppfølgingen av handlingsplanen. Nytt mandat i april 2020 med årlig erfaringsrapport. " +
				"Medlemmer 2018–2020 (9 statlige og 2 kommunale): Difi/Digdir, Arkivverket, Brønnøysundregistrene, Direktoratet for e-helse, Kartverket, KS, Lånekassen, NAV, Oslo kommune, Skatteetaten og Unit. " +
				"Fra 2021 (2021–2023) kom SSB, Politidirektoratet, Direktoratet for byggkvalitet og Halden kommune inn, og Lånekassen gikk ut etter rotasjonsregelen; Unit heter Sikt fra 2022. KMD/KDD deltar som observatør.",
			GovernanceLevel: 3, MemberKeys: skate.Members2021, SecretariatKey: "digdir",
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: confidence(skate.Confidence), SourceIDs: ids(skate.Sources, []string{"S20", "S28"}),
				Note: "memberKeys er sammensetningen 2021–2023; sammensetningen 2018–2020 står i beskrivelsen."}},
		},
		{
			Key: "skate-au", Name: "Skates arbeidsutvalg", ShortName: "Skate AU",
			Description:     "Arbeidsutvalget for Skate: representanter for Skate-virksomhetene, ledet av lederen for Skate-sekretariatet. Forbereder sakene til Skate og møtes normalt hver måned unntatt juli.",
			GovernanceLevel: 3, MemberKeys: skate.Members2021, SecretariatKey: "digdir",
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S20"},
				Fields: []store.FieldProvenance{levelFromTable(),
					field("memberKeys", store.Derived, "Mandatet sier at Skate-virksomhetene er representert; listen er satt lik Skates sammensetning 2021–2023.")}}},
		},
		{
			Key: "digitaliseringsutvalget-ks", Name: "Digitaliseringsutvalget (KS)", ShortName: "DU",
			Description:     "KS' digitaliseringsutvalg forbereder saker for KommIT-rådet, for eksempel prioriteringene i DigiFin, og har faglige utvalg under seg. Del av KS' samstyringsstruktur sammen med de regionale digitaliseringsnettverkene.",
			GovernanceLevel: 3, SecretariatKey: "ks",
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S13", "S29"},
				Note: "Medlemmene er ikke kjent fra kildene.",
				Fields: []store.FieldProvenance{levelFromTable(),
					field("secretariatKey", store.FromMemory, "At KS har sekretariatet, er fra hukommelsen.")}}},
		},
		{
			Key: "digitaliseringsradet", Name: "Digitaliseringsrådet",
			Description:     "Uavhengig rådgivende råd med 8–10 ledere fra statlig, kommunal og privat sektor og akademia, oppnevnt av departementet (KMD, nå DFD) og opprettet i januar 2016. Et frivillig tilbud til statlige virksomheter; Digdir har sekretariatet. Tre av de sju livshendelsene var til behandling i 2021–2022.",
			GovernanceLevel: 3, SecretariatKey: "digdir",
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: vis, SourceIDs: []string{"S30", "S56", "S47"},
				Note:   "Medlemmene er personer, ikke virksomheter; memberKeys er derfor tom.",
				Fields: []store.FieldProvenance{levelFromTable()}}},
		},
	}
}

// ---------------------------------------------------------------------------
// Life events and focus areas

var audiences = map[string]store.Audience{
	"citizen":      store.AudienceCitizen,
	"business":     store.AudienceBusiness,
	"organisation": store.AudienceVoluntaryOrganisation,
}

var lifeEventExtras = map[string]struct {
	description string
	sources     []string
	ownEnglish  bool // nameEn is an own translation, not from S16
}{
	"fa-barn": {ownEnglish: true,
		description: "Livshendelse for innbyggere som får barn. ASD var ansvarlig departement ved oppstarten i 2019 (AID fra 2022). Ifølge Digdirs årsrapport for 2022 vurderte livshendelsen arbeidet sitt som ferdig det året.",
		sources:     []string{"S6"}},
	"alvorlig-sykt-barn": {
		description: "Livshendelse for familier som har et alvorlig sykt barn. Arbeidet viderefører 0–24-samarbeidet og gjelder 2019–2025; HOD har det overordnede ansvaret og Helsedirektoratet det operative. Riksrevisjonen undersøkte livshendelsen i Dok. 3:16 (2024–2025), og Digitaliseringsrådet har gitt råd om den."},
	"miste-og-finne-jobb": {
		description: "Livshendelse for innbyggere som mister jobben og skal finne nytt arbeid. ASD var ansvarlig departement (AID fra 2022). En av de fire livshendelsene Riksrevisjonen undersøkte i Dok. 3:16 (2024–2025)."},
	"ny-i-norge": {ownEnglish: true,
		description: "Livshendelse for personer som kommer til Norge for å bo. KD var ansvarlig departement i 2019. Portalen nyinorge.no fra IMDi, NAV, UDI og Helsedirektoratet (fra januar 2023) er en beslektet tjeneste.",
		sources:     []string{"S40"}},
	"dodsfall-og-arv": {
		description: "Livshendelse for etterlatte etter et dødsfall, med arveoppgjøret. Digdir leder programmet (2020–2025) i samarbeid med KS; ansvarlig departement var KMD (KDD 2022–2023, DFD fra 2024). En innsiktsrapport ble levert KDD i juni 2021, og Riksrevisjonen undersøkte livshendelsen i Dok. 3:16 (2024–2025).",
		sources:     []string{"S11b"}},
	"starte-og-drive-en-bedrift": {ownEnglish: true,
		description: "Livshendelse for dem som starter og driver en bedrift, valgt for å gjøre det enklere for næringslivet. NFD er ansvarlig departement."},
	"starte-og-drive-en-frivillig-organisasjon": {
		description: "Livshendelse for dem som starter og driver en frivillig organisasjon, valgt for å gjøre det enklere for frivillig sektor. KUD har det overordnede ansvaret; Brønnøysundregistrene ledet StimuLab-prosjektet og eier Frivillighetsregisteret, og DFØ drifter tilskudd.no. Perioden var først 2019–2022, senere 2019–2025. Livshendelsen er også forankret i Meld. St. 10 (2018–2019) Frivilligheita.",
		sources:     []string{"S16"}},
}

func buildLifeEvents(in input) []store.LifeEvent {
	var out []store.LifeEvent
	for _, le := range in.seed.LifeEvents {
		c := lookup(in.conf.LifeEvents, "life event", le.Key)
		x, ok := lifeEventExtras[le.Key]
		if !ok {
			log.Fatalf("life event %s: no description", le.Key)
		}
		aud, ok := audiences[le.Audience]
		if !ok {
			log.Fatalf("life event %s: unknown audience %q", le.Key, le.Audience)
		}
		var fields []store.FieldProvenance
		if x.ownEnglish {
			fields = append(fields, field("nameEn", store.Derived, "Egen oversettelse, ikke en offisiell engelsk tittel."))
		}
		out = append(out, store.LifeEvent{
			Key: le.Key, NameNb: le.NameNb, NameEn: le.NameEn, Audience: aud,
			Description: x.description,
			LeadBodyKey: le.LeadBody,
			Meta: store.Meta{Provenance: &store.Provenance{
				Confidence: confidence(c.Confidence),
				SourceIDs:  ids(c.Sources, x.sources),
				Note:       joinNotes("leadBodyKey er ansvarlig departement ved oppstarten i 2019, som S2 bekrefter for alle sju", nb(c.Notes)),
				Fields:     fields,
			}},
		})
	}
	return out
}

var focusAreaDescriptions = map[string]string{
	"sammenhengende-tjenester":         "Strategiens kapittel 2: tjenester som henger sammen rundt brukerens behov. Initiativet om de sju prioriterte livshendelsene hører hit. Kapitlet åpnes med en illustrasjon knyttet til livshendelsen Ny i Norge.",
	"deling-av-data":                   "Strategiens kapittel 3: mer deling og gjenbruk av data i offentlig sektor og verdiskaping i næringslivet. Her ligger blant annet det nasjonale ressurssenteret for deling av data (3.1), den nasjonale verktøykassen, Datafabrikken og den nasjonale strategien for kunstig intelligens.",
	"digitaliseringsvennlig-regelverk": "Strategiens kapittel 4: regelverk som er klart og legger til rette for digitalisering. Kapitlet åpnes med en illustrasjon knyttet til livshendelsen Alvorlig sykt barn.",
	"felles-okosystem":                 "Strategiens kapittel 5: et felles økosystem for samhandling og tjenesteutvikling. Kapitlet nevner sju nasjonale felleskomponenter – Altinn, ID-porten, digital postkasse til innbyggere, Folkeregisteret, Kontakt- og reservasjonsregisteret, Matrikkelen og Enhetsregisteret – og andre felles plattformer som helsenorge.no, nav.no, Felles datakatalog og FIKS-plattformen. Illustrasjonen knyttes til livshendelsen Få barn.",
	"styring-og-samordning":            "Strategiens kapittel 6: hvordan digitaliseringen styres og samordnes på tvers av sektorer og forvaltningsnivåer, blant annet Skates mandat (6.1) og digitaliseringsarenaer i konsultasjonsordningen med KS (6.6). Illustrasjonen knyttes til livshendelsen Starte og drive en frivillig organisasjon.",
	"samarbeid-med-naringslivet":       "Strategiens kapittel 7. Kapitlet finnes (nummereringen hopper ikke over det), men tittelen er ikke funnet i noen kilde, så navnet er en plassholder. Meld. St. 30 (2019–2020) viser til at strategien sier at offentlig sektor ikke skal gjøre selv det markedet gjør bedre.",
	"digital-kompetanse":               "Strategiens kapittel 8: digital kompetanse i offentlig sektor, blant annet en strategi for digital kompetanse (8.1).",
	"digital-sikkerhet":                "Strategiens kapittel 9: digital sikkerhet. Bygger på den nasjonale strategien for digital sikkerhet (JD, januar 2019) og dens fem prioriterte områder.",
}

func buildFocusAreas(in input) []store.FocusArea {
	var out []store.FocusArea
	var englishNote string
	if err := json.Unmarshal(in.conf.FocusAreas["_note"], &englishNote); err != nil {
		log.Fatalf("sources.json focusAreas._note: %v", err)
	}
	for _, fa := range in.seed.FocusAreas {
		c := in.conf.focusArea(fa.Key)
		desc, ok := focusAreaDescriptions[fa.Key]
		if !ok || c.Chapter < 2 || c.Chapter > 9 {
			log.Fatalf("focus area %s: no description or bad chapter %d", fa.Key, c.Chapter)
		}
		conf := confidence(c.Confidence)
		var fields []store.FieldProvenance
		note := joinNotes("number er kapittelnummeret i strategien", nb(c.Notes))
		if conf == store.FromMemory {
			fields = []store.FieldProvenance{
				field("nameNb", store.FromMemory, "Tittelen på kapittel 7 er ikke funnet; navnet er en plassholder."),
				field("nameEn", store.FromMemory, "Oversettelse av en plassholder."),
				field("number", store.Derived, "Kapittel 7 følger av nummereringen: kapittel 6 og 8 er bekreftet."),
			}
		} else {
			fields = []store.FieldProvenance{field("nameEn", store.Derived, nb(englishNote))}
		}
		out = append(out, store.FocusArea{
			Key: fa.Key, Number: fmt.Sprint(c.Chapter), NameNb: fa.NameNb, NameEn: fa.NameEn,
			Description: desc, GovernanceLevel: 1,
			Meta: store.Meta{Provenance: &store.Provenance{
				Confidence: conf, SourceIDs: c.Sources, Note: note, Fields: fields,
			}},
		})
	}
	return out
}

// ---------------------------------------------------------------------------
// Initiatives

type initiativeExtra struct {
	description string
	owner       string
	executing   string
	sources     []string
	note        string
	fields      []store.FieldProvenance
}

var initiativeExtras = map[string]initiativeExtra{
	"prioriterte-livshendelser": {
		description: "Regjeringen og KS vil utvikle sammenhengende tjenester med utgangspunkt i sju prioriterte livshendelser. Hver livshendelse har sitt ansvarlige departement. Status 2022: mindre forsinkelser samlet sett; Få barn var ferdig.",
		note:        "ownerKey og executingBodyKey er tomme: eierskapet er delt mellom departementene som har ansvar for hver sin livshendelse (se livshendelsenes leadBodyKey), og de utførende virksomhetene er tiltakenes ansvarlige. Initiativnummeret (2.x) er ikke funnet",
	},
	"nasjonalt-ressurssenter-deling-av-data": {
		description: "Regjeringen vil etablere et nasjonalt ressurssenter for deling av data, med kompetanse på juss, teknologi og forretnings- og forvaltningsprosesser. Ferdigstilt: ressurssenteret ble lansert 21. september 2020.",
		owner:       "kmd", executing: "digdir",
	},
	"nasjonal-verktoykasse-deling-av-data": {
		description: "Nasjonal verktøykasse for deling av data. Status: i drift.",
		owner:       "kmd", executing: "digdir",
		note: "Initiativnummeret (3.x) er ikke funnet",
		fields: []store.FieldProvenance{
			field("ownerKey", store.FromMemory, "KMD som ansvarlig departement er fra hukommelsen."),
			field("executingBodyKey", store.FromMemory, "Digdir som utførende er fra hukommelsen."),
		},
	},
	"datafabrikken": {
		description: "Datafabrikken, en plattform for deling og gjenbruk av data. Prosjektet er avsluttet, men portalen og tjenestene driftes videre.",
		owner:       "kmd", executing: "digdir",
		note: "Digdir som utførende står i Digdirs årsrapport for 2021 (S53). Initiativnummeret (3.x) er ikke funnet",
		fields: []store.FieldProvenance{
			field("ownerKey", store.FromMemory, "KMD som ansvarlig departement er fra hukommelsen."),
		},
	},
	"nasjonal-strategi-kunstig-intelligens": {
		description: "Nasjonal strategi for kunstig intelligens, publisert i januar 2020.",
		owner:       "kmd", executing: "kmd",
		note: "Initiativnummeret (3.x) er ikke funnet",
		fields: []store.FieldProvenance{
			field("ownerKey", store.FromMemory, "KMD som ansvarlig departement er fra hukommelsen."),
			field("executingBodyKey", store.FromMemory, "KMD som utførende er fra hukommelsen."),
		},
	},
	"veiledning-digitaliseringsvennlig-regelverk": {
		description: "Veiledning om digitaliseringsvennlig regelverk. Veilederen er publisert på digdir.no.",
		owner:       "kmd", executing: "digdir",
		note: "Initiativnummeret (4.x) er ikke funnet",
		fields: []store.FieldProvenance{
			field("title", store.FromMemory, "At veiledningen er et eget initiativ i handlingsplanen, er fra hukommelsen."),
			field("ownerKey", store.FromMemory, "KMD som ansvarlig departement er fra hukommelsen."),
			field("executingBodyKey", store.VerifiedInSource, "Veilederen finnes på digdir.no (S54)."),
		},
	},
	"nytt-mandat-for-skate": {
		description: "Regjeringen vil vurdere hvordan Skates mandat kan styrkes og videreutvikles. Ferdigstilt i 2020 med nytt mandat i april 2020.",
		owner:       "kmd", executing: "kmd",
		fields: []store.FieldProvenance{
			field("executingBodyKey", store.Derived, "Kilden oppgir «KMD/Digdir»; KMD er valgt fordi departementet ga mandatet. Digdir er deltaker i tiltaket."),
		},
	},
	"konsultasjonsordningen-digitalisering": {
		description: "Regjeringen vil etablere arenaer i konsultasjonsordningen mellom regjeringen og KS for å følge opp digitaliseringstiltak som berører kommunal sektor, også tiltak i strategien. Ferdigstilt i 2020.",
		owner:       "kmd", executing: "kmd",
	},
	"veileder-strategisk-styring-digitalisering": {
		description: "Regjeringen vil utvikle en veileder for departementene om strategisk styring av digitaliseringen i egen sektor, sammen med Finansdepartementet. Pågår (planlagt 2019–2021).",
		owner:       "kmd", executing: "kmd",
		note: "Initiativnummeret (6.x) er ikke funnet",
	},
	"strategi-digital-kompetanse": {
		description: "Regjeringen vil utarbeide en strategi for digital kompetanse i offentlig sektor og involvere KS og andre. Ikke startet (status 2021/22); Digdirs erfaringsrapport for 2020 anbefalte å starte arbeidet.",
		owner:       "kmd",
		sources:     []string{"S26"},
		fields: []store.FieldProvenance{
			field("executingBodyKey", store.VerifiedInSource, "Utførende virksomhet er «uavklart» i kilden (S23); feltet er derfor tomt."),
		},
	},
}

var numberSuffix = regexp.MustCompile(` \((\d+\.\d+)\)$`)

func buildInitiatives(in input) []store.Initiative {
	var out []store.Initiative
	for _, it := range in.seed.Initiatives {
		c := lookup(in.conf.Initiatives, "initiative", it.Key)
		x, ok := initiativeExtras[it.Key]
		if !ok {
			log.Fatalf("initiative %s: no extras", it.Key)
		}
		title, number := it.Title, ""
		if c.Number != nil {
			number = *c.Number
			m := numberSuffix.FindStringSubmatch(title)
			if m == nil || m[1] != number {
				log.Fatalf("initiative %s: title %q does not end in (%s)", it.Key, title, number)
			}
			title = strings.TrimSuffix(title, m[0])
		}
		if c.ResponsibleMinistry != "" && c.ResponsibleMinistry != x.owner {
			log.Fatalf("initiative %s: owner %q, sources.json says %q", it.Key, x.owner, c.ResponsibleMinistry)
		}
		if c.Executing != "" && c.Executing != x.executing && c.Executing != "uavklart" {
			log.Fatalf("initiative %s: executing %q, sources.json says %q", it.Key, x.executing, c.Executing)
		}
		note := x.note
		if c.Period != "" {
			note = joinNotes(note, "Periode "+strings.Replace(c.Period, "-", "–", 1))
		}
		out = append(out, store.Initiative{
			Key: it.Key, Number: number, Title: title, Description: x.description,
			FocusAreaKey: it.FocusArea, LifeEventKeys: it.LifeEvents,
			OwnerKey: x.owner, ExecutingBodyKey: x.executing, GovernanceLevel: 2,
			Meta: store.Meta{Provenance: &store.Provenance{
				Confidence: confidence(c.Confidence),
				SourceIDs:  ids(c.Sources, x.sources),
				Note:       joinNotes(nb(c.Notes), note),
				Fields:     x.fields,
			}},
		})
	}
	return out
}

// ---------------------------------------------------------------------------
// Tiltak

type tiltakExtra struct {
	description string
	start, end  string
	sources     []string
	note        string
	fields      []store.FieldProvenance
}

func yearStart(year, why string) store.FieldProvenance {
	return field("startDate", store.Derived, why+"; "+year+"-01-01 står for et år uten dato.")
}

func yearEnd(year, why string) store.FieldProvenance {
	return field("endDate", store.Derived, why+"; "+year+"-12-31 står for et år uten dato.")
}

func monthEnd(date, why string) store.FieldProvenance {
	return field("endDate", store.Derived, why+"; siste dag i måneden ("+date+") står for en måned uten dag.")
}

var responsibleFromMemory = func(body string) store.FieldProvenance {
	return field("responsibleKey", store.FromMemory, body+" som ansvarlig er fra hukommelsen; ikke funnet i kildene.")
}

var ministryVerified = field("participantKeys", store.VerifiedInSource, "Deltakeren er livshendelsens ansvarlige departement ved oppstart i 2019 (S2).")

var tiltakExtras = map[string]tiltakExtra{
	"lansere-ressurssenter-deling-av-data": {
		description: "Digdir lanserte det nasjonale ressurssenteret for deling av data 21. september 2020. Blant deltakerne var KS, Arbeidstilsynet, Arkivverket, Bergen kommune, Brønnøysundregistrene, Direktoratet for e-helse, DSB, Kartverket, Lånekassen, NAV, Oslo kommune, Skatteetaten, Språkrådet og Digital Norway (listen i kilden er ikke fullstendig).",
		end:         "2020-09-21",
		note:        "Språkrådet og Digital Norway er ikke med som virksomheter i datasettet",
	},
	"drifte-verktoykasse-deling-av-data": {
		description: "Den nasjonale verktøykassen for deling av data er i drift.",
		fields:      []store.FieldProvenance{responsibleFromMemory("Digdir")},
	},
	"datafabrikken": {
		description: "Datafabrikken ble avsluttet som prosjekt; portalen og tjenestene driftes videre.",
		note:        "Fasen DISCONTINUED gjelder prosjektet, ikke portalen",
	},
	"publisere-ki-strategi": {
		description: "KMD publiserte den nasjonale strategien for kunstig intelligens i januar 2020.",
		end:         "2020-01-31",
		fields:      []store.FieldProvenance{monthEnd("2020-01-31", "Publisert i januar 2020")},
	},
	"nytt-skate-mandat-2020": {
		description: "KMD ga Skate et nytt mandat i april 2020, i samarbeid med Digdir og Skate. Mandatet innfører blant annet en årlig erfaringsrapport.",
		end:         "2020-04-30",
		fields:      []store.FieldProvenance{monthEnd("2020-04-30", "Nytt mandat i april 2020")},
	},
	"digitaliseringsarenaer-konsultasjonsordningen": {
		description: "Arenaer for digitalisering i konsultasjonsordningen mellom regjeringen og KS ble etablert i 2020.",
		end:         "2020-12-31",
		fields:      []store.FieldProvenance{yearEnd("2020", "Ferdigstilt i 2020")},
	},
	"veileder-styring-digitalisering-sektorene": {
		description: "KMD utarbeider, sammen med Finansdepartementet, en veileder til departementene om styring av digitaliseringen i egen sektor. Planlagt 2019–2021; pågår.",
		start:       "2019-01-01", end: "2021-12-31",
		fields: []store.FieldProvenance{
			yearStart("2019", "Planlagt periode 2019–2021 for initiativet"),
			yearEnd("2021", "Planlagt slutt; arbeidet pågikk fortsatt ved siste status"),
		},
	},
	"strategi-for-digital-kompetanse": {
		description: "Strategi for digital kompetanse i offentlig sektor, der KS skal involveres. Ikke startet (status 2021/22).",
	},
	"samstyringsrad-digitalisering-grunnopplaering": {
		description: "KS og KD opprettet i 2022 et felles samstyringsråd for digitalisering i grunnopplæringen. Hører til innsatsområde 6, uten kjent initiativ.",
		end:         "2022-12-31",
		note:        "Kilden sier «etablert 2022»; fasen COMPLETED betyr at rådet er opprettet",
		fields:      []store.FieldProvenance{yearEnd("2022", "Etablert i 2022")},
	},
	"veileder-sammenhengende-tjenester": {
		description: "Digdir har, sammen med DFØ, publisert veiledning om styring og organisering av sammenhengende tjenester, rettet mot direktoratene som leder livshendelsene.",
	},
	"livshendelse-alvorlig-sykt-barn": {
		description: "Helsedirektoratet har det operative ansvaret for livshendelsen Alvorlig sykt barn (2019–2025), med HOD som eier og Direktoratet for e-helse som deltaker. Digitaliseringsrådet har gitt råd om arbeidet.",
		start:       "2019-01-01", end: "2025-12-31",
		fields: []store.FieldProvenance{
			yearStart("2019", "Periode 2019–2025"),
			yearEnd("2025", "Periode 2019–2025"),
		},
	},
	"stimulab-alvorlig-sykt-barn": {
		description: "Innsikts- og designprosess med støtte fra StimuLab, med eksperimenter sammen med Flekkefjord kommune. Sluttrapporten gikk til HOD i januar 2022.",
		end:         "2022-01-31",
		fields:      []store.FieldProvenance{monthEnd("2022-01-31", "Sluttrapport i januar 2022")},
	},
	"enklere-tilgang-til-informasjon": {
		description: "Enklere tilgang til informasjon (ETI): en informasjonsassistent som samler informasjon fra mange primærkilder, med et eget delprosjekt for kunstig intelligens. Pågår fra høsten 2022 til 2025, med betaversjon i 2024; medfinansiert med 57 383 633 kroner fra medfinansieringsordningen.",
		start:       "2022-09-01", end: "2025-12-31",
		fields: []store.FieldProvenance{
			field("startDate", store.Derived, "Kilden sier «høsten 2022»; 1. september står for høsten."),
			yearEnd("2025", "Planlagt til og med 2025"),
		},
	},
	"livshendelse-dodsfall-og-arv": {
		description: "Digdir leder programmet Dødsfall og arv (2020–2025) sammen med KS; KMD/KDD er eier, og Virke Gravferd sitter i styringsgruppen. En innsiktsrapport ble levert KDD i juni 2021.",
		start:       "2020-01-01", end: "2025-12-31",
		fields: []store.FieldProvenance{
			yearStart("2020", "Programperiode 2020–2025"),
			yearEnd("2025", "Programperiode 2020–2025"),
		},
	},
	"digitalt-dodsbo": {
		description: "Digital dødsbotjeneste for arvinger, utløst av tingretten: den samler data fra banker, forsikringsselskaper, Kartverket, Landbruksdirektoratet, Statens vegvesen og Brønnøysundregistrene og lenker til Skatteetaten. Bankdataene kommer via Finans Norge. Utrulling i løpet av 2025.",
		end:         "2025-12-31",
		note:        "Finans Norge er ikke med som virksomhet i datasettet",
		fields:      []store.FieldProvenance{yearEnd("2025", "Utrulling ventet i løpet av 2025 (S39); ikke en bekreftet sluttdato")},
	},
	"digital-gravferdsmelding": {
		description: "Digital gravferdsmelding (DGM), «Melding om ansvar for en gravferd». Statsforvalteren i Vestfold og Telemark er prosjekt- og tjenesteeier på oppdrag fra BFD. Piloten er i drift i Bærum, Holmestrand, Horten, Tønsberg, Færder, Sandefjord og Larvik, og tjenesten skal bli landsdekkende i løpet av 2026. Medfinansiert.",
		end:         "2026-12-31",
		fields:      []store.FieldProvenance{yearEnd("2026", "Landsdekkende i løpet av 2026 (plan)")},
	},
	"stimulab-frivillig-organisasjon": {
		description: "StimuLab-prosjekt om hele livshendelsen, ledet av Brønnøysundregistrene med KUD, KS, Frivillighet Norge og Fundraising Norge (leverandører Comte Bureau, Halogen og Rambøll). Ferdigstilt i 2021.",
		end:         "2021-12-31",
		note:        "Frivillighet Norge og Fundraising Norge er ikke med som virksomheter i datasettet",
		fields:      []store.FieldProvenance{yearEnd("2021", "Ferdigstilt i 2021")},
	},
	"tilskudd-no": {
		description: "Digitilskudd ble til tilskudd.no, en oversikt over statlige tilskuddsordninger for frivillig sektor, drevet av DFØ. Lansert i desember 2022; medfinansiert.",
		end:         "2022-12-31",
		fields:      []store.FieldProvenance{monthEnd("2022-12-31", "Lansert i desember 2022")},
	},
	"videreutvikling-frivillighetsregisteret": {
		description: "Videreutvikling av Frivillighetsregisteret hos Brønnøysundregistrene. Mindre forsinkelser ifølge rapporteringen for 2021; ventet ferdig i 2022.",
		end:         "2022-12-31",
		fields:      []store.FieldProvenance{yearEnd("2022", "Ventet ferdig i 2022 (plan)")},
	},
	"livshendelse-fa-barn": {
		description: "Arbeidet med livshendelsen Få barn, med ASD som ansvarlig departement. Livshendelsen vurderte selv arbeidet som ferdig i 2022.",
		end:         "2022-12-31",
		fields: []store.FieldProvenance{
			responsibleFromMemory("NAV"),
			ministryVerified,
			field("phase", store.VerifiedInSource, "Ferdig ifølge egenvurdering i Digdirs årsrapport for 2022 (S6)."),
			yearEnd("2022", "Ferdig i 2022 (egenvurdering)"),
		},
	},
	"livshendelse-miste-og-finne-jobb": {
		description: "Arbeidet med livshendelsen Miste og finne jobb, med ASD (AID fra 2022) som ansvarlig departement. Status ukjent.",
		sources:     []string{"S2"},
		fields:      []store.FieldProvenance{responsibleFromMemory("NAV"), ministryVerified},
	},
	"livshendelse-ny-i-norge": {
		description: "Arbeidet med livshendelsen Ny i Norge, med KD som ansvarlig departement i 2019. Status ukjent.",
		fields:      []store.FieldProvenance{responsibleFromMemory("IMDi"), ministryVerified},
	},
	"livshendelse-starte-og-drive-en-bedrift": {
		description: "Arbeidet med livshendelsen Starte og drive en bedrift, med NFD som ansvarlig departement. Status ukjent.",
		fields:      []store.FieldProvenance{responsibleFromMemory("Brønnøysundregistrene"), ministryVerified},
	},
	"nyinorge-no": {
		description: "nyinorge.no er en flerspråklig informasjonsportal for nyankomne fra IMDi sammen med NAV, UDI og Helsedirektoratet; første versjon var for personer fra Ukraina. I drift fra januar 2023 og videreutvikles.",
		start:       "2023-01-01",
		fields: []store.FieldProvenance{
			field("startDate", store.Derived, "Fra januar 2023; første dag i måneden står for en måned uten dag."),
			field("lifeEventKeys", store.FromMemory, "Koblingen til livshendelsen Ny i Norge er en slutning, ikke funnet i kildene."),
		},
	},
}

// phases maps the action plan's status words to phase and health.
var phases = map[string]struct {
	phase  store.Phase
	health store.Health
}{
	"ferdigstilt":         {store.PhaseCompleted, ""},
	"i-drift":             {store.PhaseInOperation, ""},
	"avsluttet":           {store.PhaseDiscontinued, ""},
	"pagar":               {store.PhaseActive, ""},
	"mindre-forsinkelser": {store.PhaseActive, store.HealthMinorDelays},
	"ikke-startet":        {store.PhasePlanned, ""},
	"ukjent":              {"", ""},
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func buildTiltak(in input) []store.Tiltak {
	var out []store.Tiltak
	for _, t := range in.seed.Tiltak {
		c := lookup(in.conf.Tiltak, "tiltak", t.Key)
		x, ok := tiltakExtras[t.Key]
		if !ok {
			log.Fatalf("tiltak %s: no extras", t.Key)
		}
		ph, ok := phases[t.Status]
		if !ok {
			log.Fatalf("tiltak %s: unknown status %q", t.Key, t.Status)
		}
		for _, d := range []string{x.start, x.end} {
			if d != "" && !datePattern.MatchString(d) {
				log.Fatalf("tiltak %s: bad date %q", t.Key, d)
			}
		}
		// statusDate, period and cofundingNOK of sources.json are in the
		// dates and the description.
		var extra []string
		if ph.health == "" && ph.phase == store.PhaseActive {
			extra = append(extra, "Ingen kilde vurderer fremdriften, så health er tom")
		}
		tk := store.Tiltak{
			Key: t.Key, Title: t.Title, Description: x.description,
			ResponsibleKey:  t.Responsible,
			ParticipantKeys: nonEmpty(t.Participants),
			InitiativeKeys:  nonEmpty(t.Initiatives),
			LifeEventKeys:   nonEmpty(t.LifeEvents),
			StartDate:       x.start, EndDate: x.end,
			GovernanceLevel: 3,
			Meta: store.Meta{Provenance: &store.Provenance{
				Confidence: confidence(c.Confidence),
				SourceIDs:  ids(c.Sources, x.sources),
				Note:       joinNotes(append([]string{nb(c.Notes), x.note}, extra...)...),
				Fields:     x.fields,
			}},
		}
		if ph.phase != "" {
			p := ph.phase
			tk.Phase = &p
		}
		if ph.health != "" {
			h := ph.health
			tk.Health = &h
		}
		out = append(out, tk)
	}
	return out
}

func nonEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// ---------------------------------------------------------------------------
// Plan

const planDescription = "Handlingsplanen for oppfølging av digitaliseringsstrategien «Én digital offentlig sektor» (2019–2025), slik den så ut fra 2020: " +
	"de sju prioriterte livshendelsene, strategiens åtte innsatsområder (kapittel 2–9), initiativene («Regjeringen vil») og tiltakene, " +
	"de ansvarlige virksomhetene – også alle kommuner og fylkeskommuner etter 2024-inndelingen –, tre styringsnivåer og foraene der planen følges opp. " +
	"Strategien ble lagt fram i juni 2019 av regjeringen (KMD) og KS. Hvert fakta har proveniens: VERIFIED_IN_SOURCE (lest i kilden), " +
	"VERIFIED_IN_CODE (lest i offentlig kode eller datafiler), DERIVED (satt sammen fra bekreftede opplysninger) eller FROM_MEMORY (ikke bekreftet). " +
	"Navn og eierskap gjelder ved oppstart (2019–2021); senere navneendringer (KDD, AID, DFD, Sikt) står i notatene. " +
	"Tiltaket «Rett på» (under DIGIUNG) er utelatt fordi ansvarlig virksomhet er uklar. Kildelisten har ingen S34."

func build(in input) *store.Plan {
	return &store.Plan{
		Format:           store.PlanFormat,
		Description:      planDescription,
		Sources:          buildSources(in),
		Bodies:           buildBodies(in),
		GovernanceLevels: buildLevels(in),
		Forums:           buildForums(in),
		LifeEvents:       buildLifeEvents(in),
		FocusAreas:       buildFocusAreas(in),
		Initiatives:      buildInitiatives(in),
		Tiltak:           buildTiltak(in),
		Money:            buildMoney(in),
	}
}

// zeroUpdatedAt is how encoding/json writes Meta.UpdatedAt when unset
// (omitempty does not omit a zero time.Time). The store sets it; the file
// leaves it out.
var zeroUpdatedAt = []byte(`"updatedAt":"0001-01-01T00:00:00Z"`)

// encode writes the plan as 2-space-indented JSON without HTML escaping and
// without the zero updatedAt.
func encode(p *store.Plan) []byte {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		log.Fatal(err)
	}
	b := compact.Bytes()
	b = bytes.ReplaceAll(b, append(slices.Clone(zeroUpdatedAt), ','), nil)
	b = bytes.ReplaceAll(b, append([]byte{','}, zeroUpdatedAt...), nil)
	if bytes.Contains(b, []byte(`"updatedAt"`)) || bytes.Contains(b, []byte(`"version"`)) {
		log.Fatal("output still holds updatedAt or version")
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		log.Fatal(err)
	}
	return out.Bytes()
}

// ---------------------------------------------------------------------------
// Money, benefits and goals

// goalTable is FACTS.md's «The six goals for 2025» (hovedmål): its own
// wording, with the sources it gives. Goal 6 is confirmed only by a
// summary (dig.watch).
var goalTable = []struct {
	number, name string
	sources      []string
	note         string
}{
	{"1", "Public sector is digitalised in an open, inclusive and trust-building way", []string{"S35"}, "Rikets digitale tilstand, Mål 1"},
	{"2", "More tasks are solved digitally, and as seamless services", []string{"S49"}, "Rikets digitale tilstand, Mål 2"},
	{"3", "All citizens, businesses and voluntary organisations able to do so communicate digitally with the public sector", []string{"S50"}, "Rikets digitale tilstand, Mål 3"},
	{"4", "Public sector exploits the potential of sharing and using data for user-friendly services and value creation in business", []string{"S51"}, "Rikets digitale tilstand, Mål 4"},
	{"5", "Municipal and central government agencies build their services on a common digital ecosystem for collaboration", []string{"S36"}, "OECD 2024, engelsk formulering"},
	{"6", "Benefits of digitalisation are realised systematically", []string{"S8"}, "Svakt belagt: bare sammendraget hos dig.watch (S8), ikke strategiteksten"},
}

// buildMoney gives the strategy's six goals for 2025 and the funding facts
// of sources.json (cofundingNOK: a co-funding grant from
// medfinansieringsordningen, for the grant's whole life since no source
// splits it by year). Nothing else about money is known from the sources.
func buildMoney(in input) *store.MoneyPlan {
	m := &store.MoneyPlan{}
	for _, g := range goalTable {
		m.Goals = append(m.Goals, store.Goal{Key: "hovedmal-" + g.number, Number: g.number, Name: g.name,
			Meta: store.Meta{Provenance: &store.Provenance{Confidence: store.VerifiedInSource, SourceIDs: g.sources,
				Note: "Hovedmål for 2025 i egen formulering (FACTS.md): " + g.note}}})
	}
	keys := make([]string, 0, len(in.conf.Tiltak))
	for k := range in.conf.Tiltak {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c := in.conf.Tiltak[k]
		if c.CofundingNOK <= 0 {
			continue
		}
		prov := &store.Provenance{Confidence: confidence(c.Confidence), SourceIDs: c.Sources,
			Note:   fmt.Sprintf("Medfinansiert med %d kroner av medfinansieringsordningen; kilden deler ikke beløpet på år", c.CofundingNOK),
			Fields: []store.FieldProvenance{field("purpose", store.FromMemory, "Ordningen gir tilskudd til utvikling; kilden sier ikke formålet")}}
		m.Finance = append(m.Finance, store.TiltakFinance{TiltakKey: k, Meta: store.Meta{Provenance: prov},
			Funding: []store.Funding{{Key: "medfinansiering", Source: store.FundingCoFunding, GrantRef: "Medfinansieringsordningen (Digdir)",
				Purpose: store.PurposeDevelopment, Provenance: prov,
				Years: []store.FundingYear{{AmountNok: c.CofundingNOK, Status: store.FundingConfirmed}}}}})
	}
	return m
}
