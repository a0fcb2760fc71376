package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"handlingsplan/store"
)

// stepClock moves one minute on every reading, so every write has its own
// time; set moves it anywhere.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Minute)
	return c.now
}

func (c *stepClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// revDB opens an in-memory store with the fixture plan, a step clock, the
// forum skate's meetings skate-2020 (2020-06-10) and skate-2021
// (2021-06-09), and cases skate-2020-04 and skate-2021-02 (a decision).
func revDB(t *testing.T) (*store.DB, *stepClock) {
	t.Helper()
	c := &stepClock{now: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	db, err := store.Open(store.Options{InMemory: true, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.ImportPlan(ctx, fixturePlan()); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*store.Meeting{
		{Key: "skate-2020", ForumKey: "skate", Date: "2020-06-10", Title: "Skate-møte juni 2020"},
		{Key: "skate-2021", ForumKey: "skate", Date: "2021-06-09", Title: "Skate-møte juni 2021", FollowUpPeriod: "2021-H1"},
	} {
		if _, err := db.CreateMeeting(ctx, store.System, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, cs := range []*store.Case{
		{Key: "skate-2020-04", MeetingKey: "skate-2020", Number: "04/2020", Title: "Handlingsplanen 2020", Kind: store.CaseDecision},
		{Key: "skate-2021-02", MeetingKey: "skate-2021", Number: "02/2021", Title: "Revisjon av handlingsplanen", Kind: store.CaseDecision},
	} {
		if _, err := db.CreateCase(ctx, store.System, cs); err != nil {
			t.Fatal(err)
		}
	}
	return db, c
}

func snap(t *testing.T, db *store.DB) *store.Snapshot {
	t.Helper()
	s := db.Snapshot()
	t.Cleanup(s.Close)
	return s
}

func wantCode(t *testing.T, err error, code store.Code) {
	t.Helper()
	if store.ErrorCode(err) != code {
		t.Fatalf("error %v (code %q), want code %s", err, store.ErrorCode(err), code)
	}
}

// revise makes the changes between the versions 2020 and 2021: a retitled
// tiltak (with reason and case), a new one and a deleted one.
func revise(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	why := store.Actor{TokenName: "sekretariatet", Reason: "Nytt navn etter revisjonen", DecidedIn: "skate-2021-02"}
	if _, err := db.UpdateTiltak(ctx, why, "digitalt-dodsbo", store.Expect{}, func(t *store.Tiltak) error {
		t.Title = "Digitalt dødsbo 2.0"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	why.Reason = "Nytt tiltak"
	if _, err := db.CreateTiltak(ctx, why, &store.Tiltak{Key: "arv-og-skifte", Title: "Arv og skifte", ResponsibleKey: "digdir", GovernanceLevel: 3}); err != nil {
		t.Fatal(err)
	}
	why.Reason = "Avsluttet"
	if err := db.DeleteTiltak(ctx, why, "sykt-barn-info", store.Expect{}); err != nil {
		t.Fatal(err)
	}
}

func TestAdoptedVersionReadsAsAdopted(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	v20, err := db.AdoptPlanVersion(ctx, store.System, "2020", "skate-2020")
	if err != nil {
		t.Fatal(err)
	}
	if v20.State != store.VersionAdopted || v20.Number != 1 || v20.AdoptedAt.IsZero() {
		t.Fatalf("adopted %+v", v20)
	}
	revise(t, db)
	if _, err := db.AdoptPlanVersion(ctx, store.System, "2021", "skate-2021"); err != nil {
		t.Fatal(err)
	}
	s := snap(t, db)
	old, err := s.VersionTiltakByKey("2020", "digitalt-dodsbo")
	if err != nil || old.Title != "Digitalt dødsbo" {
		t.Fatalf("2020 digitalt-dodsbo = %+v, %v", old, err)
	}
	if _, err := s.VersionTiltakByKey("2020", "sykt-barn-info"); err != nil {
		t.Fatalf("the deleted tiltak is gone from 2020: %v", err)
	}
	if _, err := s.VersionTiltakByKey("2021", "sykt-barn-info"); store.ErrorCode(err) != store.NotFound {
		t.Fatalf("deleted tiltak in 2021: %v", err)
	}
	ts, err := s.VersionTiltak("2021")
	if err != nil || len(ts) != 4 {
		t.Fatalf("2021 has %d tiltak (%v), want 4", len(ts), err)
	}
	vs, err := s.PlanVersions()
	if err != nil || len(vs) != 3 || vs[0].Key != "2020" || vs[1].Key != "2021" || vs[2].Key != store.DraftKey {
		t.Fatalf("versions %v, %v", vs, err)
	}
	events, err := db.EventsAfter(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	adopted := 0
	for _, e := range events {
		if e.Type == store.EventPlanVersionAdopted {
			adopted++
		}
	}
	if adopted != 2 {
		t.Fatalf("%d PLAN_VERSION_ADOPTED events, want 2", adopted)
	}
}

func TestPlanDiffNamesEachChangeWithReasonAndCase(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	if _, err := db.AdoptPlanVersion(ctx, store.System, "2020", "skate-2020"); err != nil {
		t.Fatal(err)
	}
	revise(t, db)
	if _, err := db.AdoptPlanVersion(ctx, store.System, "2021", "skate-2021"); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"2021", store.DraftKey} {
		d, err := snap(t, db).PlanDiff("2020", to)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Added) != 1 || d.Added[0].Key != "arv-og-skifte" || d.Added[0].Reason != "Nytt tiltak" || d.Added[0].DecidedIn != "skate-2021-02" {
			t.Fatalf("to %s: added %+v", to, d.Added)
		}
		if len(d.Removed) != 1 || d.Removed[0].Key != "sykt-barn-info" || d.Removed[0].Reason != "Avsluttet" || d.Removed[0].Title != "Informasjon om sykt barn" {
			t.Fatalf("to %s: removed %+v", to, d.Removed)
		}
		if len(d.Changed) != 1 {
			t.Fatalf("to %s: changed %+v", to, d.Changed)
		}
		c := d.Changed[0]
		want := store.FieldChange{Field: "title", Before: `"Digitalt dødsbo"`, After: `"Digitalt dødsbo 2.0"`}
		if c.Key != "digitalt-dodsbo" || c.Kind != store.ItemTiltak || len(c.Fields) != 1 || c.Fields[0] != want ||
			c.Reason != "Nytt navn etter revisjonen" || c.DecidedIn != "skate-2021-02" {
			t.Fatalf("to %s: changed %+v", to, c)
		}
	}
	d, err := snap(t, db).PlanDiff("2021", store.DraftKey)
	if err != nil || len(d.Added)+len(d.Removed)+len(d.Changed) != 0 {
		t.Fatalf("2021 → DRAFT: %+v, %v", d, err)
	}
	if _, err := snap(t, db).PlanDiff("2019", "2021"); store.ErrorCode(err) != store.NotFound {
		t.Fatalf("unknown version: %v", err)
	}
}

func TestAdoptionRules(t *testing.T) {
	db, c := revDB(t)
	ctx := context.Background()
	if _, err := db.AdoptPlanVersion(ctx, store.System, "2021", "skate-2021"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, key, meeting string
		want               store.Code
	}{
		{"taken key", "2021", "skate-2021", store.Conflict},
		{"not a key", "Versjon 2", "skate-2021", store.Invalid},
		{"unknown meeting", "2022", "skate-2030", store.Invalid},
		{"earlier meeting than the last version's", "2020", "skate-2020", store.Invalid},
	} {
		_, err := db.AdoptPlanVersion(ctx, store.System, tc.key, tc.meeting)
		if store.ErrorCode(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	c.set(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC))
	_, err := db.AdoptPlanVersion(ctx, store.System, "2021b", "skate-2021")
	wantCode(t, err, store.Invalid) // the clock went back: out of order
	wantCode(t, db.DeleteMeeting(ctx, store.System, "skate-2021", store.Expect{}), store.Invalid)
}

func TestDeletedKeysAreRetiredAndNeverReused(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "sykt-barn-info", Period: "2020-H1", BodyKey: "halden-kommune", Phase: store.PhaseActive, Health: ptr(store.HealthMinorDelays), Progress: 30}); err != nil {
		t.Fatal(err)
	}
	why := store.Actor{TokenName: "sekretariatet", Reason: "Splittet i to", DecidedIn: "skate-2020-04"}
	if err := db.DeleteTiltak(ctx, why, "sykt-barn-info", store.Expect{}); err != nil {
		t.Fatal(err)
	}
	_, err := db.CreateTiltak(ctx, store.System, &store.Tiltak{Key: "sykt-barn-info", Title: "Igjen", ResponsibleKey: "digdir", GovernanceLevel: 3})
	wantCode(t, err, store.Conflict)
	r, err := snap(t, db).Retired(store.ItemTiltak, "sykt-barn-info")
	if err != nil {
		t.Fatal(err)
	}
	last, err := r.Tiltak()
	if err != nil || last.Title != "Informasjon om sykt barn" || last.Phase == nil || *last.Phase != store.PhaseActive || *last.Progress != 30 {
		t.Fatalf("retired as %+v, %v", last, err)
	}
	if r.Reason != "Splittet i to" || r.DecidedIn != "skate-2020-04" || len(r.StatusReports) != 1 || *r.LastReportPeriod() != "2020-H1" {
		t.Fatalf("retired %+v", r)
	}
	// Split: two new tiltak continue the retired one.
	for _, k := range []string{"sykt-barn-info-a", "sykt-barn-info-b"} {
		if _, err := db.CreateTiltak(ctx, store.System, &store.Tiltak{Key: k, Title: k, ResponsibleKey: "halden-kommune", GovernanceLevel: 3, PredecessorKeys: []string{"sykt-barn-info"}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := snap(t, db).Successors(store.ItemTiltak, "sykt-barn-info"); len(got) != 2 || got[0] != "sykt-barn-info-a" {
		t.Fatalf("successors %v", got)
	}
	for _, tc := range []struct {
		name  string
		preds []string
		want  store.Code
	}{{"unknown", []string{"finnes-ikke"}, store.NotFound}, {"itself", []string{"ny"}, store.Invalid}, {"twice", []string{"digitalt-dodsbo", "digitalt-dodsbo"}, store.Invalid}} {
		_, err := db.CreateTiltak(ctx, store.System, &store.Tiltak{Key: "ny", Title: "Ny", ResponsibleKey: "digdir", GovernanceLevel: 3, PredecessorKeys: tc.preds})
		if store.ErrorCode(err) != tc.want {
			t.Errorf("%s predecessor: %v", tc.name, err)
		}
	}
	// A merge into an initiative, from a live one.
	if _, err := db.CreateInitiative(ctx, store.System, &store.Initiative{Key: "samlet", Title: "Samlet", FocusAreaKey: "deling-av-data", GovernanceLevel: 2, PredecessorKeys: []string{"ressurssenter"}}); err != nil {
		t.Fatal(err)
	}
	if got := snap(t, db).Successors(store.ItemInitiative, "ressurssenter"); len(got) != 1 || got[0] != "samlet" {
		t.Fatalf("initiative successors %v", got)
	}
}

func TestDecidedInMustNameACase(t *testing.T) {
	db, _ := revDB(t)
	a := store.Actor{Reason: "x", DecidedIn: "skate-1999-01"}
	_, err := db.UpdateTiltak(context.Background(), a, "digitalt-dodsbo", store.Expect{}, func(t *store.Tiltak) error { t.Title = "Y"; return nil })
	wantCode(t, err, store.Invalid)
	changes, _, err := snap(t, db).Changes(store.ChangeFilter{Kind: store.KindTiltak, EntityKey: "digitalt-dodsbo"}, store.PageArgs{})
	if err != nil || len(changes) != 0 {
		t.Fatalf("changes %v, %v", changes, err)
	}
}
