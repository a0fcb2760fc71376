package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"handlingsplan/store"
)

// manyPlan is the fixture plan with n more ACTIVE tiltak (m-0000 …), whose
// reports come with the plan: tiltak i reports 2025-H1 ACTIVE on track
// when i%3 == 0 and COMPLETED when i%3 == 1 (none when 2), and 2025-H2
// ACTIVE with minor delays when i is even. The first 100 support the
// initiative ressurssenter.
func manyPlan(n int) *store.Plan {
	p := fixturePlan()
	active, green, yellow := store.PhaseActive, store.HealthOnTrack, store.HealthMinorDelays
	for i := range n {
		t := store.Tiltak{Key: fmt.Sprintf("m-%04d", i), Title: fmt.Sprintf("Tiltak %d", i), ResponsibleKey: "digdir", Phase: &active, GovernanceLevel: 3}
		if i < 100 {
			t.InitiativeKeys = []string{"ressurssenter"}
		}
		p.Tiltak = append(p.Tiltak, t)
		r := store.StatusReport{TiltakKey: t.Key, BodyKey: "digdir", Period: "2025-H1", Phase: active, Health: &green, Progress: 10}
		switch i % 3 {
		case 0:
			p.StatusReports = append(p.StatusReports, r)
		case 1:
			r.Phase, r.Health, r.Progress = store.PhaseCompleted, nil, 100
			p.StatusReports = append(p.StatusReports, r)
		}
		if i%2 == 0 {
			p.StatusReports = append(p.StatusReports, store.StatusReport{TiltakKey: t.Key, BodyKey: "digdir", Period: "2025-H2", Phase: active, Health: &yellow, Progress: 20})
		}
	}
	return p
}

// manyExpected counts what 2025-H2 should show for tiltak 0 … n-1.
func manyExpected(n int) (owed, reported, worsened, isNew int) {
	for i := range n {
		switch {
		case i%2 == 0:
			owed++
			reported++
			if i%3 == 0 {
				worsened++
			}
			if i%3 == 2 {
				isNew++
			}
		case i%3 != 1: // active before, or never reported and ACTIVE now
			owed++
		}
	}
	return
}

// TestManyTiltakReadTheSameAsFew: past a few hundred tiltak the index is
// scanned period by period instead of read tiltak by tiltak; the answers
// must not change.
func TestManyTiltakReadTheSameAsFew(t *testing.T) {
	const n = 2100
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return roundNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.ImportPlan(context.Background(), manyPlan(n)); err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	defer snap.Close()

	// The fixture's own tiltak: digitalt-dodsbo and gravferdsmelding are
	// ACTIVE without reports (and owe one); the others are not ACTIVE.
	owed, reported, worsened, isNew := manyExpected(n)
	owed += 2
	r, err := snap.ReportingRound("2025-H2", roundNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Owed != owed || r.Reported != reported || len(r.Missing) != owed-reported {
		t.Errorf("round: owed %d, reported %d, missing %d; want %d, %d, %d", r.Owed, r.Reported, len(r.Missing), owed, reported, owed-reported)
	}
	s, err := snap.PeriodSummary(store.TiltakFilter{}, "2025-H2")
	if err != nil {
		t.Fatal(err)
	}
	if nr, _ := s.NotReported(); s.Total != reported || s.ByHealth[1].Count != reported || nr != owed-reported {
		t.Errorf("summary: total %d, yellow %d, not reported %d; want %d, %d, %d", s.Total, s.ByHealth[1].Count, nr, reported, reported, owed-reported)
	}
	f, err := snap.FollowUpReport("2025-H2", nil, roundNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != reported || len(f.Worsened) != worsened || len(f.New) != isNew || f.Owed != owed || len(f.AtRisk) != reported {
		t.Errorf("follow-up: %d items, %d worsened, %d new, %d owed, %d at risk; want %d, %d, %d, %d, %d",
			len(f.Items), len(f.Worsened), len(f.New), f.Owed, len(f.AtRisk), reported, worsened, isNew, owed, reported)
	}

	// The first 100 under ressurssenter: read tiltak by tiltak.
	few, err := snap.PeriodSummary(store.TiltakFilter{InitiativeKey: "ressurssenter"}, "2025-H2")
	if err != nil {
		t.Fatal(err)
	}
	owed100, reported100, _, _ := manyExpected(100)
	if nr, _ := few.NotReported(); few.Total != reported100 || nr != owed100-reported100 {
		t.Errorf("ressurssenter: total %d, not reported %d; want %d and %d", few.Total, nr, reported100, owed100-reported100)
	}
	var section *store.FollowUpSection
	for _, sec := range f.Initiatives {
		if sec.Key == "ressurssenter" {
			section = sec
		}
	}
	if section == nil || len(section.Items) != reported100 || len(section.NotReported) != owed100-reported100 {
		t.Errorf("ressurssenter section: %+v", section)
	}
}

func TestReindexDropsTheEntriesOfDeletedTiltak(t *testing.T) {
	for name, reindex := range map[string]func(*store.DB, context.Context) error{
		"batched":        (*store.DB).ReindexPeriodStatus,
		"migration step": (*store.DB).ReindexPeriodStatusAsMigration,
	} {
		t.Run(name, func(t *testing.T) {
			db := newDefaultDB(t, roundNow)
			ctx := context.Background()
			first := func() string {
				snap := db.Snapshot()
				defer snap.Close()
				ps, err := snap.ReportingPeriods(roundNow)
				if err != nil {
					t.Fatal(err)
				}
				return ps[0].Key
			}
			writeHistory(t, db)
			rep(t, db, "datafabrikken", "2019-H1", "digdir", store.PhaseActive, store.HealthOnTrack, 5)
			if got := first(); got != "2019-H1" {
				t.Fatalf("periods start at %s, want 2019-H1 (the earliest report)", got)
			}
			if err := db.DeleteTiltak(ctx, store.System, "datafabrikken", store.Expect{}); err != nil {
				t.Fatal(err)
			}
			if err := reindex(db, ctx); err != nil {
				t.Fatal(err)
			}
			if got := first(); got != "2025-H1" {
				t.Errorf("after the tiltak is deleted and the index rebuilt, periods start at %s, want 2025-H1 (the earliest report left)", got)
			}
			// The other reports are indexed as before.
			snap := db.Snapshot()
			defer snap.Close()
			for period, want := range map[string]int{"2025-H1": 4, "2025-H2": 4} {
				s, err := snap.PeriodSummary(store.TiltakFilter{}, period)
				if err != nil {
					t.Fatal(err)
				}
				if s.Total != want {
					t.Errorf("%s after reindexing: total %d, want %d", period, s.Total, want)
				}
			}
		})
	}
}
