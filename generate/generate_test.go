package generate_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handlingsplan/generate"
	"handlingsplan/store"
)

func preset(t *testing.T, name string) generate.Preset {
	t.Helper()
	p, err := generate.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanIsDeterministic(t *testing.T) {
	p := preset(t, "small")
	enc := func(seed uint64) string {
		plan, err := generate.Plan(p, seed)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(plan)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b, c := enc(1), enc(1), enc(2)
	if a != b {
		t.Error("the same seed gave two different plans")
	}
	if a == c {
		t.Error("seeds 1 and 2 gave the same plan")
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"small", "national", "national10x"} {
		if _, err := generate.Lookup(name); err != nil {
			t.Error(err)
		}
	}
	if _, err := generate.Lookup("huge"); err == nil || !strings.Contains(err.Error(), "national10x") {
		t.Errorf("unknown preset: error %v should list the presets", err)
	}
	nat, tenX := preset(t, "national"), preset(t, "national10x")
	if tenX.Tiltak != 10*nat.Tiltak || tenX.Periods != nat.Periods {
		t.Errorf("national10x is %+v, want ten times the tiltak of %+v", tenX, nat)
	}
}

// TestPlanIsConsistent checks what the benchmarks and the API rely on.
func TestPlanIsConsistent(t *testing.T) {
	p := preset(t, "small")
	plan, err := generate.Plan(p, generate.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	c := generate.CountsOf(plan)
	if c.Tiltak != p.Tiltak || c.StatusReports != p.Tiltak*p.Periods {
		t.Errorf("%d tiltak and %d reports, want %d and %d", c.Tiltak, c.StatusReports, p.Tiltak, p.Tiltak*p.Periods)
	}
	if c.LifeEvents != generate.LifeEvents || c.Initiatives != generate.Initiatives || c.FocusAreas != 8 {
		t.Errorf("structure %+v, want %d life events, %d initiatives, 8 focus areas", c, generate.LifeEvents, generate.Initiatives)
	}
	if c.Bodies < 440 || c.Bodies > 480 {
		t.Errorf("%d bodies, want about 460", c.Bodies)
	}
	kinds := map[store.BodyKind]int{}
	for _, b := range plan.Bodies {
		kinds[b.Kind]++
	}
	if kinds[store.BodyMunicipality] != 357 {
		t.Errorf("%d municipalities, want the 357 real ones", kinds[store.BodyMunicipality])
	}
	if state := kinds[store.BodyMinistry] + kinds[store.BodyDirectorate] + kinds[store.BodyAgency]; state < 85 || state > 95 {
		t.Errorf("%d state bodies, want about 90", state)
	}

	responsible := map[string]string{}
	index := map[string]int{}
	sykt := 0
	for i, tl := range plan.Tiltak {
		responsible[tl.Key] = tl.ResponsibleKey
		index[tl.Key] = i
		if strings.Contains(tl.Title, "sykt barn") {
			sykt++
		}
		if tl.Phase == nil || tl.Progress == nil {
			t.Fatalf("tiltak %s has no phase or progress", tl.Key)
		}
		if (tl.Health != nil) != (*tl.Phase == store.PhaseActive) {
			t.Errorf("tiltak %s: phase %s with health %v: health only when ACTIVE", tl.Key, *tl.Phase, tl.Health)
		}
		for _, d := range tl.DependsOnKeys {
			if j, ok := index[d]; !ok || j >= i {
				t.Errorf("tiltak %s depends on %s, which is not an earlier tiltak", tl.Key, d)
			}
		}
		if len(tl.InitiativeKeys) == 0 {
			t.Errorf("tiltak %s supports no initiative", tl.Key)
		}
	}
	if sykt == 0 {
		t.Error(`no tiltak title contains "sykt barn" (the search benchmark D4 looks for it)`)
	}

	latest := map[string]store.StatusReport{}
	for _, r := range plan.StatusReports {
		if r.BodyKey != responsible[r.TiltakKey] {
			t.Errorf("report on %s by %s, not by its responsible body %s", r.TiltakKey, r.BodyKey, responsible[r.TiltakKey])
		}
		if (r.Health != nil) != (r.Phase == store.PhaseActive) {
			t.Errorf("report on %s for %s: phase %s with health %v", r.TiltakKey, r.Period, r.Phase, r.Health)
		}
		if r.Period > latest[r.TiltakKey].Period {
			latest[r.TiltakKey] = r
		}
	}
	for _, tl := range plan.Tiltak {
		r := latest[tl.Key]
		if r.Period != generate.LastPeriod || r.Phase != *tl.Phase || r.Progress != *tl.Progress || !sameHealth(r.Health, tl.Health) {
			t.Errorf("tiltak %s (%s %v %d) differs from its latest report %s (%s %v %d)", tl.Key, *tl.Phase, tl.Health, *tl.Progress, r.Period, r.Phase, r.Health, r.Progress)
		}
	}

	withInitiatives := map[string]bool{}
	for _, in := range plan.Initiatives {
		for _, le := range in.LifeEventKeys {
			withInitiatives[le] = true
		}
	}
	for _, le := range plan.LifeEvents {
		if !withInitiatives[le.Key] {
			t.Errorf("life event %s has no initiative: the dashboard (D1) would show it empty", le.Key)
		}
	}
}

func sameHealth(a, b *store.Health) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func TestNationalSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 240,000 reports")
	}
	plan, err := generate.Plan(preset(t, "national"), generate.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	if c := generate.CountsOf(plan); c.Tiltak != 20_000 || c.StatusReports != 240_000 {
		t.Errorf("national: %+v", c)
	}
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	res, err := generate.Write(context.Background(), dir, preset(t, "small"), generate.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Tiltak != 500 || res.Bytes == 0 {
		t.Errorf("result %+v", res)
	}
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snap := db.Snapshot()
	defer snap.Close()
	sum, err := snap.TiltakSummary(store.TiltakFilter{})
	if err != nil || sum.Total != 500 {
		t.Errorf("stored summary %+v, %v; want 500 tiltak", sum, err)
	}
	first := 20
	hits, err := snap.Search("sykt barn", store.PageArgs{First: &first})
	if err != nil || hits.Total == 0 {
		t.Errorf(`search "sykt barn": %+v, %v`, hits, err)
	}
}

func TestWriteRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := generate.Write(context.Background(), dir, preset(t, "small"), generate.DefaultSeed)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v, want a refusal naming the non-empty directory", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep.txt")); string(b) != "mine" {
		t.Error("the directory's content was touched")
	}
}
