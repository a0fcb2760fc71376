package defaultdata_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/store"
)

func plan(t *testing.T) *store.Plan {
	t.Helper()
	p, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanIsFreshEachCall(t *testing.T) {
	a := plan(t)
	name := a.Bodies[0].Name
	a.Bodies[0].Name = "changed"
	a.Tiltak = nil
	b := plan(t)
	if b.Bodies[0].Name != name || len(b.Tiltak) == 0 {
		t.Fatal("Plan returned a value shared with an earlier call")
	}
}

func TestCounts(t *testing.T) {
	p := plan(t)
	if p.Format != store.PlanFormat {
		t.Errorf("format = %q, want %q", p.Format, store.PlanFormat)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"life events", len(p.LifeEvents), 7},
		{"focus areas", len(p.FocusAreas), 8},
		{"initiatives", len(p.Initiatives), 10},
		{"tiltak", len(p.Tiltak), 24},
		{"governance levels", len(p.GovernanceLevels), 3},
	} {
		if c.got != c.want {
			t.Errorf("%d %s, want %d", c.got, c.what, c.want)
		}
	}
	if len(p.Forums) == 0 {
		t.Error("no forums")
	}
	if len(p.StatusReports) != 0 {
		t.Errorf("%d status reports; the default data has none", len(p.StatusReports))
	}
}

var (
	fourDigits = regexp.MustCompile(`^[0-9]{4}$`)
	twoDigits  = regexp.MustCompile(`^[0-9]{2}$`)
)

// TestMunicipalitiesAndCounties checks the 2024 structure: 357 municipalities
// in 15 counties. Oslo is both: one MUNICIPALITY body that carries county
// number 03, and no separate COUNTY body.
func TestMunicipalitiesAndCounties(t *testing.T) {
	p := plan(t)
	munis := map[string]store.Body{}      // by municipality number
	counties := map[string]store.Body{}   // COUNTY bodies by county number
	muniCounties := map[string][]string{} // county number → municipality numbers
	for _, b := range p.Bodies {
		switch b.Kind {
		case store.BodyMunicipality:
			if !fourDigits.MatchString(b.MunicipalityNumber) {
				t.Errorf("%s: municipality number %q is not 4 digits", b.Key, b.MunicipalityNumber)
				continue
			}
			if _, dup := munis[b.MunicipalityNumber]; dup {
				t.Errorf("municipality number %s used twice", b.MunicipalityNumber)
			}
			munis[b.MunicipalityNumber] = b
			if b.CountyNumber != b.MunicipalityNumber[:2] {
				t.Errorf("%s: county %q does not match municipality number %s", b.Key, b.CountyNumber, b.MunicipalityNumber)
			}
			muniCounties[b.CountyNumber] = append(muniCounties[b.CountyNumber], b.MunicipalityNumber)
			if !strings.HasSuffix(b.Key, "-kommune") || !strings.Contains(b.Name, " kommune") {
				t.Errorf("%s: municipality key/name %q does not follow <name>-kommune / <Name> kommune", b.Key, b.Name)
			}
		case store.BodyCounty:
			if !twoDigits.MatchString(b.CountyNumber) {
				t.Errorf("%s: county number %q is not 2 digits", b.Key, b.CountyNumber)
			}
			if _, dup := counties[b.CountyNumber]; dup {
				t.Errorf("county number %s used twice", b.CountyNumber)
			}
			counties[b.CountyNumber] = b
			if b.MunicipalityNumber != "" || !strings.HasSuffix(b.Key, "-fylkeskommune") {
				t.Errorf("%s: county with municipality number %q or key not <name>-fylkeskommune", b.Key, b.MunicipalityNumber)
			}
		default:
			if b.MunicipalityNumber != "" || b.CountyNumber != "" {
				t.Errorf("%s: %s body has municipality/county number", b.Key, b.Kind)
			}
		}
		if (b.Kind == store.BodyMunicipality || b.Kind == store.BodyCounty) && b.ParentKey != "" {
			t.Errorf("%s: self-governing %s has parent %q", b.Key, b.Kind, b.ParentKey)
		}
	}
	if len(munis) != 357 {
		t.Errorf("%d municipalities, want 357", len(munis))
	}
	if len(muniCounties) != 15 {
		t.Errorf("municipalities lie in %d counties, want 15", len(muniCounties))
	}
	for county, numbers := range muniCounties {
		if _, ok := counties[county]; ok {
			continue
		}
		if county == "03" && len(numbers) == 1 && munis[numbers[0]].Key == "oslo-kommune" {
			continue // Oslo is its own county
		}
		t.Errorf("county %s (municipalities %v) has no COUNTY body", county, numbers)
	}
	if len(counties)+1 != 15 {
		t.Errorf("%d COUNTY bodies + Oslo, want 15 counties", len(counties))
	}
	if _, ok := counties["03"]; ok {
		t.Error("Oslo has a separate COUNTY body; it should be the one oslo-kommune body")
	}
	for number, key := range map[string]string{
		"1515": "heroy-more-og-romsdal-kommune", "1818": "heroy-nordland-kommune",
		"3114": "valer-ostfold-kommune", "3419": "valer-innlandet-kommune",
		"1826": "hattfjelldal-kommune", "5540": "kafjord-kommune", "5612": "kautokeino-kommune",
		"3101": "halden-kommune", "4601": "bergen-kommune",
	} {
		if got := munis[number].Key; got != key {
			t.Errorf("municipality %s has key %q, want %q", number, got, key)
		}
	}
	if got := munis["1875"].Name; got != "Hábmer - Hamarøy kommune" {
		t.Errorf("1875 is named %q, want the bilingual official name", got)
	}
}

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// keySets returns the keys of each kind and fails on an empty, repeated or
// non-kebab-case key.
func keySets(t *testing.T, p *store.Plan) map[store.Kind]map[string]bool {
	t.Helper()
	sets := map[store.Kind]map[string]bool{}
	add := func(kind store.Kind, key string) {
		if sets[kind] == nil {
			sets[kind] = map[string]bool{}
		}
		if !kebab.MatchString(key) {
			t.Errorf("%s key %q is not kebab-case ASCII", kind, key)
		}
		if sets[kind][key] {
			t.Errorf("%s key %q is used twice", kind, key)
		}
		sets[kind][key] = true
	}
	for _, x := range p.Bodies {
		add(store.KindBody, x.Key)
	}
	for _, x := range p.Forums {
		add(store.KindForum, x.Key)
	}
	for _, x := range p.LifeEvents {
		add(store.KindLifeEvent, x.Key)
	}
	for _, x := range p.FocusAreas {
		add(store.KindFocusArea, x.Key)
	}
	for _, x := range p.Initiatives {
		add(store.KindInitiative, x.Key)
	}
	for _, x := range p.Tiltak {
		add(store.KindTiltak, x.Key)
	}
	return sets
}

func TestKeysAreUniqueAndKebabCase(t *testing.T) {
	keySets(t, plan(t))
}

func TestReferencesResolve(t *testing.T) {
	p := plan(t)
	keys := keySets(t, p)
	levels := map[int]bool{}
	for _, l := range p.GovernanceLevels {
		if levels[l.Level] {
			t.Errorf("governance level %d twice", l.Level)
		}
		levels[l.Level] = true
	}
	for l := 1; l <= 3; l++ {
		if !levels[l] {
			t.Errorf("governance level %d missing", l)
		}
	}
	ref := func(from, field string, kind store.Kind, key string, required bool) {
		t.Helper()
		if key == "" {
			if required {
				t.Errorf("%s: %s is empty", from, field)
			}
			return
		}
		if !keys[kind][key] {
			t.Errorf("%s: %s %q is no %s", from, field, key, kind)
		}
	}
	refs := func(from, field string, kind store.Kind, list []string) {
		t.Helper()
		for _, k := range list {
			ref(from, field, kind, k, true)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(list)))) != len(list) {
			t.Errorf("%s: %s repeats a key: %v", from, field, list)
		}
	}
	level := func(from string, got, want int) {
		t.Helper()
		if !levels[got] || (want != 0 && got != want) {
			t.Errorf("%s: governance level %d, want %d", from, got, want)
		}
	}
	for _, b := range p.Bodies {
		ref("body "+b.Key, "parentKey", store.KindBody, b.ParentKey, false)
		if b.ParentKey == b.Key {
			t.Errorf("body %s is its own parent", b.Key)
		}
	}
	for _, l := range p.GovernanceLevels {
		ref(fmt.Sprint("governance level ", l.Level), "secretariatKey", store.KindBody, l.SecretariatKey, false)
	}
	for _, f := range p.Forums {
		from := "forum " + f.Key
		refs(from, "memberKeys", store.KindBody, f.MemberKeys)
		ref(from, "secretariatKey", store.KindBody, f.SecretariatKey, false)
		level(from, f.GovernanceLevel, 0)
	}
	for _, le := range p.LifeEvents {
		ref("life event "+le.Key, "leadBodyKey", store.KindBody, le.LeadBodyKey, true)
	}
	for _, fa := range p.FocusAreas {
		level("focus area "+fa.Key, fa.GovernanceLevel, 1)
	}
	for _, in := range p.Initiatives {
		from := "initiative " + in.Key
		ref(from, "focusAreaKey", store.KindFocusArea, in.FocusAreaKey, true)
		refs(from, "lifeEventKeys", store.KindLifeEvent, in.LifeEventKeys)
		ref(from, "ownerKey", store.KindBody, in.OwnerKey, false)
		ref(from, "executingBodyKey", store.KindBody, in.ExecutingBodyKey, false)
		level(from, in.GovernanceLevel, 2)
	}
	for _, tk := range p.Tiltak {
		from := "tiltak " + tk.Key
		ref(from, "responsibleKey", store.KindBody, tk.ResponsibleKey, true)
		refs(from, "participantKeys", store.KindBody, tk.ParticipantKeys)
		refs(from, "initiativeKeys", store.KindInitiative, tk.InitiativeKeys)
		refs(from, "lifeEventKeys", store.KindLifeEvent, tk.LifeEventKeys)
		refs(from, "dependsOnKeys", store.KindTiltak, tk.DependsOnKeys)
		level(from, tk.GovernanceLevel, 3)
	}
}

// validOrgNumber checks a Norwegian organisation number: nine digits, the
// last a MOD11 check digit over the first eight with weights 3,2,7,6,5,4,3,2.
func validOrgNumber(s string) bool {
	if len(s) != 9 {
		return false
	}
	weights := [8]int{3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		if i < 8 {
			sum += int(r-'0') * weights[i]
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[8]-'0')
}

func TestValidOrgNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"991825827": true, "872417842": true, "958935420": true,
		"991825828": false, "99182582": false, "9918258270": false, "99182582x": false,
		"000000000": true,                     // sum 0: check digit 0
		"100000008": true, "100000006": false, // sum 3: check digit 8
		"400000000": false, "400000001": false, // sum 12: check digit would be 10, never valid
	} {
		if got := validOrgNumber(s); got != want {
			t.Errorf("validOrgNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestOrgNumbers(t *testing.T) {
	p := plan(t)
	seen := map[string]string{}
	n := 0
	for _, b := range p.Bodies {
		if b.OrgNumber == "" {
			continue
		}
		n++
		if !validOrgNumber(b.OrgNumber) {
			t.Errorf("%s: organisation number %q fails the MOD11 check", b.Key, b.OrgNumber)
		}
		if other, dup := seen[b.OrgNumber]; dup {
			t.Errorf("%s and %s share organisation number %s", other, b.Key, b.OrgNumber)
		}
		seen[b.OrgNumber] = b.Key
	}
	if n < 30 {
		t.Errorf("only %d bodies have an organisation number", n)
	}
}

// entity is what the provenance checks need of any plan entity.
type entity struct {
	name string
	meta store.Meta
	v    any
}

func entities(p *store.Plan) []entity {
	var out []entity
	for _, x := range p.Bodies {
		out = append(out, entity{"body " + x.Key, x.Meta, x})
	}
	for _, x := range p.GovernanceLevels {
		out = append(out, entity{fmt.Sprint("governance level ", x.Level), x.Meta, x})
	}
	for _, x := range p.Forums {
		out = append(out, entity{"forum " + x.Key, x.Meta, x})
	}
	for _, x := range p.LifeEvents {
		out = append(out, entity{"life event " + x.Key, x.Meta, x})
	}
	for _, x := range p.FocusAreas {
		out = append(out, entity{"focus area " + x.Key, x.Meta, x})
	}
	for _, x := range p.Initiatives {
		out = append(out, entity{"initiative " + x.Key, x.Meta, x})
	}
	for _, x := range p.Tiltak {
		out = append(out, entity{"tiltak " + x.Key, x.Meta, x})
	}
	return out
}

// jsonFields lists the JSON names of a struct's own fields (not Meta's).
func jsonFields(v any) map[string]bool {
	names := map[string]bool{}
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		names[name] = true
	}
	return names
}

var confidences = []store.Confidence{store.VerifiedInSource, store.VerifiedInCode, store.Derived, store.FromMemory}

func TestProvenance(t *testing.T) {
	p := plan(t)
	sources := map[string]bool{}
	for _, s := range p.Sources {
		if s.ID == "" || s.Title == "" {
			t.Errorf("source %+v lacks id or title", s)
		}
		if sources[s.ID] {
			t.Errorf("source %s listed twice", s.ID)
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("source %s: URL %q is not https", s.ID, s.URL)
		}
		sources[s.ID] = true
	}
	want := []string{"S5b", "S9b", "S11b", "S11c", "S12b"}
	for i := 1; i <= 57; i++ {
		if i != 34 { // FACTS.md has no S34
			want = append(want, fmt.Sprint("S", i))
		}
	}
	for _, id := range want {
		if !sources[id] {
			t.Errorf("source %s missing", id)
		}
	}

	for _, e := range entities(p) {
		if e.meta.Version != 0 || !e.meta.UpdatedAt.Equal(time.Time{}) {
			t.Errorf("%s: version/updatedAt set; the store sets them", e.name)
		}
		pr := e.meta.Provenance
		if pr == nil {
			t.Errorf("%s: no provenance", e.name)
			continue
		}
		if !slices.Contains(confidences, pr.Confidence) {
			t.Errorf("%s: unknown confidence %q", e.name, pr.Confidence)
		}
		if len(pr.SourceIDs) == 0 && pr.Confidence != store.FromMemory {
			t.Errorf("%s: %s without sources", e.name, pr.Confidence)
		}
		for _, id := range pr.SourceIDs {
			if !sources[id] {
				t.Errorf("%s: source %q is not in sources", e.name, id)
			}
		}
		fields := jsonFields(e.v)
		seen := map[string]bool{}
		for _, f := range pr.Fields {
			if !fields[f.Field] {
				t.Errorf("%s: field provenance for unknown field %q", e.name, f.Field)
			}
			if seen[f.Field] {
				t.Errorf("%s: field %q has two provenance entries", e.name, f.Field)
			}
			seen[f.Field] = true
			if !slices.Contains(confidences, f.Confidence) || f.Note == "" {
				t.Errorf("%s: field %q has confidence %q and note %q", e.name, f.Field, f.Confidence, f.Note)
			}
		}
	}
}

var date = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func TestTiltakStatusAndDates(t *testing.T) {
	p := plan(t)
	phases := []store.Phase{store.PhasePlanned, store.PhaseActive, store.PhasePaused, store.PhaseCompleted, store.PhaseInOperation, store.PhaseDiscontinued}
	for _, tk := range p.Tiltak {
		if tk.Phase != nil && !slices.Contains(phases, *tk.Phase) {
			t.Errorf("%s: unknown phase %q", tk.Key, *tk.Phase)
		}
		if tk.Health != nil && (tk.Phase == nil || *tk.Phase != store.PhaseActive) {
			t.Errorf("%s: health %q without phase ACTIVE", tk.Key, *tk.Health)
		}
		if tk.Progress != nil {
			t.Errorf("%s: progress %d; no source gives one", tk.Key, *tk.Progress)
		}
		var parsed []time.Time
		for _, d := range []string{tk.StartDate, tk.EndDate} {
			if d == "" {
				continue
			}
			at, err := time.Parse(time.DateOnly, d)
			if err != nil || !date.MatchString(d) {
				t.Errorf("%s: date %q is not YYYY-MM-DD", tk.Key, d)
			}
			parsed = append(parsed, at)
		}
		if tk.StartDate != "" && tk.EndDate != "" && len(parsed) == 2 && parsed[1].Before(parsed[0]) {
			t.Errorf("%s: ends %s before it starts %s", tk.Key, tk.EndDate, tk.StartDate)
		}
	}
	want := map[string]struct {
		phase  store.Phase
		health store.Health
	}{
		"lansere-ressurssenter-deling-av-data":      {store.PhaseCompleted, ""},
		"drifte-verktoykasse-deling-av-data":        {store.PhaseInOperation, ""},
		"datafabrikken":                             {store.PhaseDiscontinued, ""},
		"veileder-styring-digitalisering-sektorene": {store.PhaseActive, ""},
		"videreutvikling-frivillighetsregisteret":   {store.PhaseActive, store.HealthMinorDelays},
		"strategi-for-digital-kompetanse":           {store.PhasePlanned, ""},
		"livshendelse-miste-og-finne-jobb":          {"", ""},
	}
	for _, tk := range p.Tiltak {
		w, ok := want[tk.Key]
		if !ok {
			continue
		}
		delete(want, tk.Key)
		var phase store.Phase
		var health store.Health
		if tk.Phase != nil {
			phase = *tk.Phase
		}
		if tk.Health != nil {
			health = *tk.Health
		}
		if phase != w.phase || health != w.health {
			t.Errorf("%s: phase %q health %q, want %q %q", tk.Key, phase, health, w.phase, w.health)
		}
	}
	for key := range want {
		t.Errorf("tiltak %s missing", key)
	}
}

// TestInitiativeNumbers checks that numbers are only the verified ones and
// that each sits under its focus area's chapter.
func TestInitiativeNumbers(t *testing.T) {
	p := plan(t)
	chapter := map[string]string{}
	for _, fa := range p.FocusAreas {
		chapter[fa.Key] = fa.Number
	}
	var numbers []string
	for _, in := range p.Initiatives {
		if in.Number == "" {
			continue
		}
		numbers = append(numbers, in.Number)
		if ch, _, _ := strings.Cut(in.Number, "."); ch != chapter[in.FocusAreaKey] {
			t.Errorf("initiative %s (%s) is under focus area %s, chapter %s", in.Key, in.Number, in.FocusAreaKey, chapter[in.FocusAreaKey])
		}
	}
	slices.Sort(numbers)
	if want := []string{"3.1", "6.1", "6.6", "8.1"}; !slices.Equal(numbers, want) {
		t.Errorf("initiative numbers %v, want %v", numbers, want)
	}
	var chapters []string
	for _, fa := range p.FocusAreas {
		chapters = append(chapters, fa.Number)
	}
	if want := []string{"2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(chapters, want) {
		t.Errorf("focus area numbers %v, want %v", chapters, want)
	}
}

func fieldConfidence(pr *store.Provenance, field string) (store.FieldProvenance, bool) {
	for _, f := range pr.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return store.FieldProvenance{}, false
}

func TestSpotChecks(t *testing.T) {
	p := plan(t)
	bodies := map[string]store.Body{}
	for _, b := range p.Bodies {
		bodies[b.Key] = b
	}

	digdir := bodies["digdir"]
	if digdir.OrgNumber != "991825827" || digdir.ParentKey != "kmd" || digdir.Kind != store.BodyDirectorate || digdir.ShortName != "Digdir" {
		t.Errorf("digdir = %+v, want orgnr 991825827, parent kmd, DIRECTORATE, Digdir", digdir)
	}
	if kmd := bodies["kmd"]; kmd.OrgNumber != "972417858" || kmd.Kind != store.BodyMinistry {
		t.Errorf("kmd = %+v", kmd)
	}
	if kd := bodies["kd"]; kd.OrgNumber != "872417842" {
		t.Errorf("kd orgnr %q, want 872417842", kd.OrgNumber)
	}
	oslo := bodies["oslo-kommune"]
	if oslo.MunicipalityNumber != "0301" || oslo.OrgNumber != "958935420" || oslo.CountyNumber != "03" || oslo.Kind != store.BodyMunicipality {
		t.Errorf("oslo-kommune = %+v, want 0301, orgnr 958935420, county 03", oslo)
	}
	if halden := bodies["halden-kommune"]; halden.MunicipalityNumber != "3101" || halden.OrgNumber != "959159092" {
		t.Errorf("halden-kommune = %+v, want 3101 and orgnr 959159092", halden)
	}
	if bergen := bodies["bergen-kommune"]; bergen.MunicipalityNumber != "4601" || bergen.OrgNumber != "" {
		t.Errorf("bergen-kommune = %+v, want 4601 and no orgnr (not found)", bergen)
	}
	if dfd := bodies["dfd"]; dfd.OrgNumber != "" {
		t.Errorf("dfd has orgnr %q; none was found", dfd.OrgNumber)
	}
	for key, f := range map[string]string{"lanekassen": "parentKey", "unit-sikt": "orgNumber"} {
		if fp, ok := fieldConfidence(bodies[key].Provenance, f); !ok || fp.Confidence != store.FromMemory {
			t.Errorf("%s: %s should be FROM_MEMORY, got %+v", key, f, fp)
		}
	}

	var faBarn *store.Tiltak
	for i := range p.Tiltak {
		if p.Tiltak[i].Key == "livshendelse-fa-barn" {
			faBarn = &p.Tiltak[i]
		}
	}
	if faBarn == nil {
		t.Fatal("tiltak livshendelse-fa-barn missing")
	}
	if faBarn.ResponsibleKey != "nav" {
		t.Errorf("livshendelse-fa-barn responsible %q, want nav", faBarn.ResponsibleKey)
	}
	if f, ok := fieldConfidence(faBarn.Provenance, "responsibleKey"); !ok || f.Confidence != store.FromMemory || f.Note == "" {
		t.Errorf("livshendelse-fa-barn: responsibleKey needs a FROM_MEMORY field note, got %+v", f)
	}
	if faBarn.Provenance.Confidence == store.VerifiedInSource || faBarn.Provenance.Confidence == store.VerifiedInCode {
		t.Errorf("livshendelse-fa-barn is %s; its responsible body is from memory", faBarn.Provenance.Confidence)
	}

	for _, fa := range p.FocusAreas {
		switch fa.Key {
		case "samarbeid-med-naringslivet":
			if fa.Number != "7" || fa.Provenance.Confidence != store.FromMemory {
				t.Errorf("samarbeid-med-naringslivet: number %q confidence %s, want 7 FROM_MEMORY", fa.Number, fa.Provenance.Confidence)
			}
		default:
			if fa.Provenance.Confidence != store.VerifiedInSource {
				t.Errorf("focus area %s: confidence %s, want VERIFIED_IN_SOURCE", fa.Key, fa.Provenance.Confidence)
			}
		}
	}

	leads := map[string]string{}
	for _, le := range p.LifeEvents {
		leads[le.Key] = le.LeadBodyKey
	}
	if want := map[string]string{
		"fa-barn": "asd", "alvorlig-sykt-barn": "hod", "miste-og-finne-jobb": "asd", "ny-i-norge": "kd",
		"dodsfall-og-arv": "kmd", "starte-og-drive-en-bedrift": "nfd", "starte-og-drive-en-frivillig-organisasjon": "kud",
	}; !reflect.DeepEqual(leads, want) {
		t.Errorf("life event leads %v, want %v", leads, want)
	}

	for _, in := range p.Initiatives {
		if in.Key == "strategi-digital-kompetanse" && (in.Number != "8.1" || in.ExecutingBodyKey != "" || in.OwnerKey != "kmd") {
			t.Errorf("strategi-digital-kompetanse = %+v, want 8.1, owner kmd, executing body uavklart (empty)", in)
		}
	}

	for _, f := range p.Forums {
		if f.Key != "skate" {
			continue
		}
		if len(f.MemberKeys) != 14 || !slices.Contains(f.MemberKeys, "halden-kommune") || slices.Contains(f.MemberKeys, "lanekassen") || f.SecretariatKey != "digdir" {
			t.Errorf("skate = %v (secretariat %q), want the 14 members of 2021–2023 and Digdir", f.MemberKeys, f.SecretariatKey)
		}
		if !strings.Contains(f.Description, "2018–2020") {
			t.Error("skate description does not mention the 2018–2020 composition")
		}
		return
	}
	t.Error("forum skate missing")
}
