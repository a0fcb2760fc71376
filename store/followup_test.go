package store_test

import (
	"context"
	"slices"
	"testing"

	"handlingsplan/store"
)

// reported is one report the tests write, to count from.
type reported struct {
	tiltak, period, body string
	phase                store.Phase
	health               store.Health
	progress             int
}

// twoPeriods is two periods of reports on the default data. For
// digitalt-dodsbo both digdir (responsible) and skatteetaten (participant,
// later) report 2025-H2: the responsible body's counts.
var twoPeriods = []reported{
	{"digitalt-dodsbo", "2025-H1", "digdir", store.PhaseActive, store.HealthMinorDelays, 40},
	{"livshendelse-dodsfall-og-arv", "2025-H1", "digdir", store.PhaseActive, store.HealthOnTrack, 50},
	{"livshendelse-alvorlig-sykt-barn", "2025-H1", "helsedirektoratet", store.PhaseActive, store.HealthMajorDelays, 60},
	{"veileder-styring-digitalisering-sektorene", "2025-H1", "kmd", store.PhaseActive, store.HealthOnTrack, 90},
	{"digitalt-dodsbo", "2025-H2", "digdir", store.PhaseActive, store.HealthOnTrack, 55},
	{"digitalt-dodsbo", "2025-H2", "skatteetaten", store.PhaseActive, store.HealthMajorDelays, 10},
	{"livshendelse-dodsfall-og-arv", "2025-H2", "digdir", store.PhaseActive, store.HealthMajorDelays, 52},
	{"livshendelse-alvorlig-sykt-barn", "2025-H2", "helsedirektoratet", store.PhaseInOperation, "", 100},
	{"nyinorge-no", "2025-H2", "imdi", store.PhaseActive, store.HealthMinorDelays, 20},
}

func writeHistory(t *testing.T, db *store.DB) {
	t.Helper()
	for _, r := range twoPeriods {
		rep(t, db, r.tiltak, r.period, r.body, r.phase, r.health, r.progress)
	}
}

func TestPeriodSummaryIsACountOfTheReports(t *testing.T) {
	db := newDefaultDB(t, roundNow)
	writeHistory(t, db)
	responsible := map[string]string{"digitalt-dodsbo": "digdir"}
	for _, period := range []string{"2025-H1", "2025-H2"} {
		// Count by hand: one report per tiltak, the responsible body's.
		phases, healths, total, sum := map[store.Phase]int{}, map[store.Health]int{}, 0, 0
		for _, r := range twoPeriods {
			if r.period != period || (responsible[r.tiltak] != "" && responsible[r.tiltak] != r.body) {
				continue
			}
			total++
			sum += r.progress
			phases[r.phase]++
			if r.health != "" {
				healths[r.health]++
			}
		}
		snap := db.Snapshot()
		s, err := snap.PeriodSummary(store.TiltakFilter{}, period)
		snap.Close()
		if err != nil {
			t.Fatal(err)
		}
		if s.Total != total || s.ReportedProgress != total || s.AverageProgress == nil || *s.AverageProgress != float64(sum)/float64(total) {
			t.Errorf("%s: total %d, progress %d/%v; want %d, mean %v", period, s.Total, s.ReportedProgress, s.AverageProgress, total, float64(sum)/float64(total))
		}
		for _, pc := range s.ByPhase {
			if pc.Count != phases[pc.Phase] {
				t.Errorf("%s: %s %d, want %d", period, pc.Phase, pc.Count, phases[pc.Phase])
			}
		}
		for _, hc := range s.ByHealth {
			if hc.Count != healths[hc.Health] {
				t.Errorf("%s: %s %d, want %d", period, hc.Health, hc.Count, healths[hc.Health])
			}
		}
	}

	// Not reported for 2025-H2: the three ACTIVE tiltak without any
	// report, and the one active in 2025-H1 that did not report again.
	snap := db.Snapshot()
	defer snap.Close()
	s, err := snap.PeriodSummary(store.TiltakFilter{}, "2025-H2")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.NotReported(); n != 4 {
		t.Errorf("not reported for 2025-H2: %d, want 4 (gravferdsmelding, enklere-tilgang, frivillighetsregisteret, veileder-styring)", n)
	}
	le, err := snap.PeriodSummary(store.TiltakFilter{LifeEventKey: "dodsfall-og-arv"}, "2025-H2")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := le.NotReported(); le.Total != 2 || n != 1 {
		t.Errorf("dodsfall-og-arv in 2025-H2: total %d, not reported %d; want 2 and 1", le.Total, n)
	}
	red, err := snap.PeriodSummary(store.TiltakFilter{Healths: []store.Health{store.HealthMajorDelays}}, "2025-H2")
	if err != nil {
		t.Fatal(err)
	}
	if red.Total != 1 {
		t.Errorf("MAJOR_DELAYS in 2025-H2: %d, want 1 (skatteetaten's red on digitalt-dodsbo does not count)", red.Total)
	}
	// Without a period: the current period (2026-H1) has no reports, so
	// every tiltak ACTIVE now owes one.
	now, err := snap.StatusSummaryFor(store.TiltakFilter{}, "", roundNow)
	if err != nil {
		t.Fatal(err)
	}
	active := now.ByPhase[1]
	if n, _ := now.NotReported(); active.Phase != store.PhaseActive || n != active.Count {
		t.Errorf("not reported now: %d, want the %d ACTIVE tiltak", n, active.Count)
	}
}

func TestStatusHistoryNewestFirstWithChanges(t *testing.T) {
	db := newDefaultDB(t, roundNow)
	writeHistory(t, db)
	snap := db.Snapshot()
	defer snap.Close()
	type entry struct {
		period string
		health store.Health
		change store.StatusChange
		body   string
	}
	for tiltak, want := range map[string][]entry{
		"digitalt-dodsbo": {
			{"2025-H2", store.HealthOnTrack, store.ChangeImproved, "digdir"},
			{"2025-H1", store.HealthMinorDelays, store.ChangeNew, "digdir"},
		},
		"livshendelse-dodsfall-og-arv": {
			{"2025-H2", store.HealthMajorDelays, store.ChangeWorsened, "digdir"},
			{"2025-H1", store.HealthOnTrack, store.ChangeNew, "digdir"},
		},
		"livshendelse-alvorlig-sykt-barn": {
			{"2025-H2", "", store.ChangeCompleted, "helsedirektoratet"},
			{"2025-H1", store.HealthMajorDelays, store.ChangeNew, "helsedirektoratet"},
		},
		"datafabrikken": nil,
	} {
		h, err := snap.StatusHistory(tiltak)
		if err != nil {
			t.Fatal(err)
		}
		var got []entry
		for _, e := range h {
			var hl store.Health
			if e.Health != nil {
				hl = *e.Health
			}
			got = append(got, entry{e.Period, hl, e.Change, e.BodyKey})
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: history %v, want %v", tiltak, got, want)
		}
	}
}

func TestPeriodIndexOfAnImportedPlan(t *testing.T) {
	plan := fixturePlan()
	green := store.HealthOnTrack
	plan.StatusReports = append(plan.StatusReports, store.StatusReport{TiltakKey: plan.Tiltak[0].Key, Period: "2024-H2", BodyKey: plan.Tiltak[0].ResponsibleKey,
		Phase: store.PhaseActive, Health: &green, Progress: 30})
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	defer snap.Close()
	s, err := snap.PeriodSummary(store.TiltakFilter{}, "2024-H2")
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 1 || s.ByHealth[0].Count != 1 {
		t.Errorf("imported report in the 2024-H2 summary: total %d, on track %d; want 1 and 1", s.Total, s.ByHealth[0].Count)
	}
}

func TestEffectiveReportIsTheResponsibleBodysElseTheLatest(t *testing.T) {
	db := newDefaultDB(t, roundNow)
	// digital-gravferdsmelding: statsforvalteren-i-vestfold-og-telemark is
	// responsible, bfd and digdir take part.
	const tiltak, resp = "digital-gravferdsmelding", "statsforvalteren-i-vestfold-og-telemark"
	A := store.PhaseActive
	for _, step := range []struct {
		body   string
		health store.Health
		want   store.Health
	}{
		{"digdir", store.HealthOnTrack, store.HealthOnTrack},
		{"bfd", store.HealthMajorDelays, store.HealthMajorDelays},    // the latest, though "bfd" < "digdir"
		{"digdir", store.HealthMinorDelays, store.HealthMinorDelays}, // written again: the latest again
		{resp, store.HealthOnTrack, store.HealthOnTrack},             // the responsible body's
		{"bfd", store.HealthMajorDelays, store.HealthOnTrack},        // still the responsible body's
	} {
		rep(t, db, tiltak, "2025-H2", step.body, A, step.health, 10)
		snap := db.Snapshot()
		s, err := snap.PeriodSummary(store.TiltakFilter{ResponsibleKey: resp}, "2025-H2")
		snap.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range s.ByHealth {
			if want := map[bool]int{true: 1}[h.Health == step.want]; h.Count != want {
				t.Errorf("after %s's %s: %s counts %d, want %d", step.body, step.health, h.Health, h.Count, want)
			}
		}
	}
}
