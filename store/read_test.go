package store_test

import (
	"context"
	"slices"
	"testing"

	"handlingsplan/store"
)

func TestRelationshipsReadTheSameFromBothEnds(t *testing.T) {
	db := newTestDB(t)
	snap := db.Snapshot()
	defer snap.Close()
	all := func(f store.TiltakFilter) []string {
		t.Helper()
		p, err := snap.FindTiltak(f, nil, store.PageArgs{First: ptr(100)})
		if err != nil {
			t.Fatal(err)
		}
		return p.Keys
	}
	if got, want := all(store.TiltakFilter{ResponsibleKey: "digdir"}), []string{"digitalt-dodsbo", "ressurssenter-lansert"}; !slices.Equal(got, want) {
		t.Errorf("digdir responsible for %v, want %v", got, want)
	}
	if got, want := all(store.TiltakFilter{ParticipantKey: "oslo-kommune"}), []string{"digitalt-dodsbo"}; !slices.Equal(got, want) {
		t.Errorf("oslo participates in %v, want %v", got, want)
	}
	if got, want := all(store.TiltakFilter{BodyKey: "oslo-kommune"}), []string{"digitalt-dodsbo", "gravferdsmelding"}; !slices.Equal(got, want) {
		t.Errorf("oslo responsible or participant in %v, want %v", got, want)
	}
	if got, want := all(store.TiltakFilter{FocusAreaKey: "deling-av-data"}), []string{"ressurssenter-lansert"}; !slices.Equal(got, want) {
		t.Errorf("deling-av-data has tiltak %v, want %v", got, want)
	}
	if got, want := all(store.TiltakFilter{DependsOnKey: "gravferdsmelding"}), []string{"sykt-barn-info"}; !slices.Equal(got, want) {
		t.Errorf("dependents of gravferdsmelding %v, want %v", got, want)
	}
	if got, want := snap.RelatedKeys(store.LifeEventInitiatives, "alvorlig-sykt-barn"), []string{"livshendelser"}; !slices.Equal(got, want) {
		t.Errorf("initiatives of alvorlig-sykt-barn %v, want %v", got, want)
	}
	if got, want := snap.RelatedKeys(store.BodyChildren, "kmd"), []string{"digdir"}; !slices.Equal(got, want) {
		t.Errorf("children of kmd %v, want %v", got, want)
	}
	b, err := snap.BodyByOrgNumber("991825827")
	if err != nil || b.Key != "digdir" {
		t.Errorf("body by org number: %v, %v", b, err)
	}
}

func TestPagingVisitsEachTiltakOnce(t *testing.T) {
	db := newTestDB(t)
	snap := db.Snapshot()
	defer snap.Close()
	for _, size := range []int{1, 2, 3, 10} {
		var seen []string
		var after *string
		for {
			p, err := snap.FindTiltak(store.TiltakFilter{}, nil, store.PageArgs{First: ptr(size), After: after})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, p.Keys...)
			if !p.HasNextPage {
				break
			}
			c := p.Cursor(len(p.Keys) - 1)
			after = &c
		}
		if want := []string{"digitalt-dodsbo", "gravferdsmelding", "ressurssenter-lansert", "sykt-barn-info"}; !slices.Equal(seen, want) {
			t.Errorf("page size %d visited %v, want %v", size, seen, want)
		}
		// Backwards from the end gives the same keys.
		var back []string
		var before *string
		for {
			p, err := snap.FindTiltak(store.TiltakFilter{}, nil, store.PageArgs{Last: ptr(size), Before: before})
			if err != nil {
				t.Fatal(err)
			}
			back = append(p.Keys, back...)
			if !p.HasPreviousPage {
				break
			}
			c := p.Cursor(0)
			before = &c
		}
		if !slices.Equal(back, seen) {
			t.Errorf("page size %d backwards visited %v, want %v", size, back, seen)
		}
	}
	n, err := snap.CountTiltak(store.TiltakFilter{})
	if err != nil || n != 4 {
		t.Errorf("count %d, %v; want 4", n, err)
	}
}

func TestPageArgumentsAreChecked(t *testing.T) {
	db := newTestDB(t)
	snap := db.Snapshot()
	defer snap.Close()
	for name, args := range map[string]store.PageArgs{
		"first over max": {First: ptr(101)},
		"negative last":  {Last: ptr(-1)},
		"bad cursor":     {After: ptr("not-a-cursor!")},
	} {
		if _, err := snap.FindTiltak(store.TiltakFilter{}, nil, args); store.ErrorCode(err) != store.Invalid {
			t.Errorf("%s: got %v, want Invalid", name, err)
		}
	}
	if _, err := snap.FindTiltak(store.TiltakFilter{}, nil, store.PageArgs{First: ptr(100)}); err != nil {
		t.Errorf("first = 100 refused: %v", err)
	}
}

func TestSummaryCountersMatchAScan(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	red := store.HealthMajorDelays
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "sykt-barn-info", Period: "2021-H1", BodyKey: "halden-kommune", Phase: store.PhaseActive, Health: &red, Progress: 10}); err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	defer snap.Close()
	scopes := []store.TiltakFilter{
		{}, {LifeEventKey: "dodsfall-og-arv"}, {InitiativeKey: "livshendelser"}, {FocusAreaKey: "felles-okosystem"},
		{ResponsibleKey: "digdir"}, {GovernanceLevel: ptr(3)}, {FocusAreaKey: "felles-okosystem", Healths: []store.Health{store.HealthMajorDelays}},
	}
	for _, f := range scopes {
		got, err := snap.TiltakSummary(f)
		if err != nil {
			t.Fatal(err)
		}
		// The same filter plus a condition the counters cannot answer forces a scan.
		scanF := f
		scanF.BodyKey = ""
		keys, _ := snap.FindTiltak(f, nil, store.PageArgs{First: ptr(100)})
		ts, _ := snap.TiltakByKeys(keys.Keys)
		want := map[store.Phase]int{}
		wantHealth := map[store.Health]int{}
		for _, tl := range ts {
			if tl.Phase != nil {
				want[*tl.Phase]++
				if *tl.Phase == store.PhaseActive && tl.Health != nil {
					wantHealth[*tl.Health]++
				}
			}
		}
		if got.Total != len(ts) {
			t.Errorf("%+v: total %d, want %d", f, got.Total, len(ts))
		}
		for _, pc := range got.ByPhase {
			if pc.Count != want[pc.Phase] {
				t.Errorf("%+v: %s = %d, want %d", f, pc.Phase, pc.Count, want[pc.Phase])
			}
		}
		for _, hc := range got.ByHealth {
			if hc.Count != wantHealth[hc.Health] {
				t.Errorf("%+v: %s = %d, want %d", f, hc.Health, hc.Count, wantHealth[hc.Health])
			}
		}
	}
	root, _ := snap.TiltakSummary(store.TiltakFilter{})
	if root.AverageProgress == nil || *root.AverageProgress != (40.0+100+10)/3 {
		t.Errorf("average progress %v, want %v", root.AverageProgress, (40.0+100+10)/3)
	}
	if root.UnknownPhase != 0 {
		t.Errorf("unknown phase %d after the report, want 0", root.UnknownPhase)
	}
}

func TestSearchIgnoresCaseAndDiacritics(t *testing.T) {
	db := newTestDB(t)
	snap := db.Snapshot()
	defer snap.Close()
	cases := map[string][]store.SearchHit{
		"dodsfall":    {{Kind: store.KindLifeEvent, Key: "dodsfall-og-arv"}},
		"okosystem":   {{Kind: store.KindFocusArea, Key: "felles-okosystem"}},
		"SYKT barn":   {{Kind: store.KindLifeEvent, Key: "alvorlig-sykt-barn"}, {Kind: store.KindTiltak, Key: "sykt-barn-info"}},
		"digitalt dø": {{Kind: store.KindTiltak, Key: "digitalt-dodsbo"}},
		"finnes-ikke": nil,
		"991825827":   {{Kind: store.KindBody, Key: "digdir"}},
	}
	for text, want := range cases {
		res, err := snap.Search(text, store.PageArgs{First: ptr(20)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Hits, want) {
			t.Errorf("search %q = %v, want %v", text, res.Hits, want)
		}
	}
	if _, err := snap.Search("  ", store.PageArgs{}); store.ErrorCode(err) != store.Invalid {
		t.Errorf("blank search: %v, want Invalid", err)
	}
}

func TestImportRefusesABadPlanAndWritesNothing(t *testing.T) {
	cases := map[string]func(p *store.Plan){
		"bad org number":      func(p *store.Plan) { p.Bodies[0].OrgNumber = "972417859" },
		"missing reference":   func(p *store.Plan) { p.Tiltak[0].ResponsibleKey = "nobody" },
		"dependency cycle":    func(p *store.Plan) { p.Tiltak[0].DependsOnKeys = []string{"sykt-barn-info"} },
		"end before start":    func(p *store.Plan) { p.Tiltak[0].EndDate = "2020-01-01" },
		"key not kebab-case":  func(p *store.Plan) { p.LifeEvents[0].Key = "Dødsfall" },
		"duplicate key":       func(p *store.Plan) { p.Forums = append(p.Forums, p.Forums[0]) },
		"municipality number": func(p *store.Plan) { p.Bodies[2].MunicipalityNumber = "301" },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			db, err := store.Open(store.Options{InMemory: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			p := fixturePlan()
			spoil(p)
			err = db.ImportPlan(context.Background(), p)
			if store.ErrorCode(err) != store.Invalid {
				t.Fatalf("got %v, want Invalid", err)
			}
			if empty, _ := db.IsEmpty(); !empty {
				t.Error("a refused import wrote data")
			}
		})
	}
}

func TestReportStatusReplacesAndFollowsTheLatestPeriod(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	green, red := store.HealthOnTrack, store.HealthMajorDelays
	report := func(period string, h *store.Health, progress int) {
		t.Helper()
		if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "digitalt-dodsbo", Period: period, BodyKey: "digdir", Phase: store.PhaseActive, Health: h, Progress: progress}); err != nil {
			t.Fatal(err)
		}
	}
	report("2021-H2", &green, 50)
	report("2021-H1", &red, 20) // older period: status stays
	report("2021-H2", &red, 55) // same period again: replaces
	snap := db.Snapshot()
	defer snap.Close()
	tl, _ := snap.Tiltak("digitalt-dodsbo")
	if *tl.Health != red || *tl.Progress != 55 {
		t.Errorf("tiltak health %v progress %v, want MAJOR_DELAYS 55", *tl.Health, *tl.Progress)
	}
	reports, _, err := snap.StatusReports("digitalt-dodsbo", store.PageArgs{First: ptr(10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 || reports[0].Period != "2021-H2" || reports[0].Version != 2 || reports[1].Period != "2021-H1" {
		t.Errorf("reports %+v, want 2021-H2 (version 2) then 2021-H1", reports)
	}
	for _, bad := range []store.StatusReport{
		{TiltakKey: "digitalt-dodsbo", Period: "2021-H3", BodyKey: "digdir", Phase: store.PhasePlanned},
		{TiltakKey: "digitalt-dodsbo", Period: "2021-Q1", BodyKey: "digdir", Phase: store.PhaseActive},
		{TiltakKey: "digitalt-dodsbo", Period: "2021-Q1", BodyKey: "digdir", Phase: store.PhasePlanned, Progress: 101},
	} {
		if _, err := db.ReportStatus(ctx, store.System, bad); store.ErrorCode(err) != store.Invalid {
			t.Errorf("%+v: got %v, want Invalid", bad, err)
		}
	}
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "nope", Period: "2021-Q1", BodyKey: "digdir", Phase: store.PhasePlanned}); store.ErrorCode(err) != store.NotFound {
		t.Errorf("unknown tiltak: got %v, want NotFound", err)
	}
}
