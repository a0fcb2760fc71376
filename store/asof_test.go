package store_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"handlingsplan/store"
)

// timeline makes one change of each kind at its own time and returns the
// times between them: before[0] precedes a status report on
// digitalt-dodsbo, before[1] its retitling, before[2] the new tiltak
// ny-tiltak, before[3] the deletion of sykt-barn-info, before[4] follows.
func timeline(t *testing.T, db *store.DB, c *stepClock) [5]time.Time {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "sykt-barn-info", Period: "2020-H2", BodyKey: "halden-kommune", Phase: store.PhaseActive, Health: ptr(store.HealthOnTrack), Progress: 20}); err != nil {
		t.Fatal(err)
	}
	var at [5]time.Time
	at[0] = c.Now()
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "digitalt-dodsbo", Period: "2021-H1", BodyKey: "digdir", Phase: store.PhaseCompleted, Progress: 100}); err != nil {
		t.Fatal(err)
	}
	at[1] = c.Now()
	if _, err := db.UpdateTiltak(ctx, store.System, "digitalt-dodsbo", store.Expect{}, func(t *store.Tiltak) error { t.Title = "Dødsbo"; return nil }); err != nil {
		t.Fatal(err)
	}
	at[2] = c.Now()
	if _, err := db.CreateTiltak(ctx, store.System, &store.Tiltak{Key: "ny-tiltak", Title: "Nytt", ResponsibleKey: "digdir", GovernanceLevel: 3, InitiativeKeys: []string{"livshendelser"}}); err != nil {
		t.Fatal(err)
	}
	at[3] = c.Now()
	if err := db.DeleteTiltak(ctx, store.System, "sykt-barn-info", store.Expect{}); err != nil {
		t.Fatal(err)
	}
	at[4] = c.Now()
	return at
}

func tiltakIn(p *store.Plan, key string) *store.Tiltak {
	for i := range p.Tiltak {
		if p.Tiltak[i].Key == key {
			return &p.Tiltak[i]
		}
	}
	return nil
}

func reportsOf(p *store.Plan, key string) []string {
	var out []string
	for _, r := range p.StatusReports {
		if r.TiltakKey == key {
			out = append(out, r.Period)
		}
	}
	return out
}

func TestPlanAtUndoesLaterChanges(t *testing.T) {
	db, c := revDB(t)
	at := timeline(t, db, c)
	ctx := context.Background()
	plans := make([]*store.Plan, len(at))
	for i, ti := range at {
		p, err := db.PlanAt(ctx, ti)
		if err != nil {
			t.Fatalf("plan at %d: %v", i, err)
		}
		plans[i] = p
	}
	dodsbo := func(i int) *store.Tiltak { return tiltakIn(plans[i], "digitalt-dodsbo") }
	if d := dodsbo(0); *d.Phase != store.PhaseActive || *d.Progress != 40 || d.Health == nil || d.Version != 1 || len(reportsOf(plans[0], "digitalt-dodsbo")) != 0 {
		t.Errorf("before the report: %+v, reports %v", d, reportsOf(plans[0], "digitalt-dodsbo"))
	}
	if d := dodsbo(1); *d.Phase != store.PhaseCompleted || d.Health != nil || d.Title != "Digitalt dødsbo" || d.Version != 2 {
		t.Errorf("after the report, before the update: %+v", d)
	}
	if d := dodsbo(2); d.Title != "Dødsbo" || tiltakIn(plans[2], "ny-tiltak") != nil {
		t.Errorf("after the update, before the create: %q, %v", d.Title, tiltakIn(plans[2], "ny-tiltak"))
	}
	if tiltakIn(plans[3], "ny-tiltak") == nil || tiltakIn(plans[3], "sykt-barn-info") == nil {
		t.Errorf("after the create, before the delete: missing tiltak")
	}
	if got := reportsOf(plans[3], "sykt-barn-info"); len(got) != 1 || got[0] != "2020-H2" {
		t.Errorf("the deleted tiltak's reports before it was deleted: %v", got)
	}
	if tiltakIn(plans[4], "sykt-barn-info") != nil || len(reportsOf(plans[4], "sykt-barn-info")) != 0 {
		t.Errorf("after the delete: still there")
	}
	imported, err := db.PlanAt(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := fixturePlan()
	if len(imported.Tiltak) != len(want.Tiltak) || len(imported.StatusReports) != 0 || tiltakIn(imported, "digitalt-dodsbo").Title != "Digitalt dødsbo" {
		t.Errorf("before the first change: %d tiltak, %d reports", len(imported.Tiltak), len(imported.StatusReports))
	}
}

func TestHistoryServesThePlanAsOf(t *testing.T) {
	db, c := revDB(t)
	at := timeline(t, db, c)
	h := db.NewHistory(2, time.Minute)
	t.Cleanup(h.Close)
	ctx := context.Background()
	title := func(ti time.Time) string {
		t.Helper()
		s, release, err := h.Snapshot(ctx, ti)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		defer s.Close()
		tk, err := s.Tiltak("digitalt-dodsbo")
		if err != nil {
			t.Fatal(err)
		}
		sum, err := s.TiltakSummary(store.TiltakFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Tiltak("sykt-barn-info"); (err == nil) != ti.Before(at[3].Add(time.Minute)) {
			t.Errorf("at %v: sykt-barn-info: %v", ti, err)
		}
		return tk.Title + "/" + string(*tk.Phase) + "/" + strconv.Itoa(sum.Total)
	}
	for range 2 {
		if got := title(at[0]); got != "Digitalt dødsbo/ACTIVE/4" {
			t.Errorf("at[0]: %s", got)
		}
		if got := title(at[2]); got != "Dødsbo/COMPLETED/4" {
			t.Errorf("at[2]: %s", got)
		}
		if got := title(at[3]); got != "Dødsbo/COMPLETED/5" {
			t.Errorf("at[3]: %s", got)
		}
	}
	// Now: the live store; and a later write leaves the past as it was.
	if got := title(at[4].Add(time.Hour)); got != "Dødsbo/COMPLETED/4" {
		t.Errorf("now: %s", got)
	}
	if _, err := db.UpdateTiltak(ctx, store.System, "digitalt-dodsbo", store.Expect{}, func(t *store.Tiltak) error { t.Title = "Senere"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := title(at[2]); got != "Dødsbo/COMPLETED/4" {
		t.Errorf("at[2] after a later write: %s", got)
	}
	// Many readers at once (run with -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, release, err := h.Snapshot(ctx, at[i%4])
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := s.Tiltak("digitalt-dodsbo"); err != nil {
				t.Error(err)
			}
			s.Close()
			release()
		}()
	}
	wg.Wait()
}
