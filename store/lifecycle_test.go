package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"handlingsplan/store"
)

// lifecycleDB is changedDB with the lifecycle in every state: a tiltak
// through registration and an accepted start-up (so with a delivery), a
// returned status report with obstacles, a closure still in draft, a
// tiltak whose registration waits for the secretariat, ratings and a
// typed dependency.
func lifecycleDB(t *testing.T) *store.DB {
	t.Helper()
	db := changedDB(t)
	ctx := context.Background()
	must := func(r *store.Report, err error) *store.Report {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	editor := store.Actor{TokenName: "sekretariatet", Role: store.RoleEditor}
	const tk = "ressurssenter-lansert"
	reg := must(db.DraftReport(ctx, store.System, store.Report{Stage: store.StageRegistration, TiltakKey: tk, BodyKey: "digdir"}, func(r *store.Report) error {
		r.Registration = &store.Registration{CommitmentText: "Lansere ressurssenteret", MinistryKey: "kmd"}
		return nil
	}))
	must(db.SubmitReport(ctx, store.System, reg.ID()))
	must(db.AcceptReport(ctx, editor, reg.ID()))
	st := must(db.DraftReport(ctx, store.System, store.Report{Stage: store.StageStartup, TiltakKey: tk, BodyKey: "digdir"}, func(r *store.Report) error {
		r.Startup = &store.Startup{PlannedStart: "2024-01-01", Deliveries: []store.PlannedDelivery{{Key: "portal", Title: "Portal", Kind: store.DeliveryDeliverable, BaselineDate: "2024-06-30"}}}
		return nil
	}))
	must(db.SubmitReport(ctx, store.System, st.ID()))
	must(db.AcceptReport(ctx, editor, st.ID()))
	yellow := store.HealthMinorDelays
	sr := must(db.DraftReport(ctx, store.System, store.Report{Stage: store.StageStatus, TiltakKey: tk, Period: "2024-H2", BodyKey: "digdir"}, func(r *store.Report) error {
		r.Status = &store.StatusContent{Phase: store.PhaseActive, Health: &yellow, Progress: 60,
			Obstacles:  []store.Obstacle{{Code: store.ObstacleSupplier, Severity: store.SeverityMedium, DecisionForumKey: "skate"}},
			Deliveries: []store.DeliveryProgress{{DeliveryKey: "portal", ForecastDate: "2024-12-31"}}}
		return nil
	}))
	must(db.SubmitReport(ctx, store.System, sr.ID()))
	must(db.ReturnReport(ctx, editor, sr.ID(), "Mangler plan for leverandøren"))
	must(db.DraftReport(ctx, store.System, store.Report{Stage: store.StageClosure, TiltakKey: tk, BodyKey: "digdir"}, nil))
	reg2 := must(db.DraftReport(ctx, store.System, store.Report{Stage: store.StageRegistration, TiltakKey: "digitalt-dodsbo", BodyKey: "digdir"}, func(r *store.Report) error {
		r.Registration = &store.Registration{CommitmentText: "Digitalt dødsbo"}
		return nil
	}))
	must(db.SubmitReport(ctx, store.System, reg2.ID()))
	for _, a := range []store.Assessment{
		{TiltakKey: tk, Period: "2024-H2", Role: store.RoleSelf, AssessorKey: "digdir", Health: store.HealthOnTrack},
		{TiltakKey: tk, Period: "2024-H2", Role: store.RoleSecretariat, AssessorKey: "digdir", Health: store.HealthMinorDelays, Rationale: "Leverandøren er sen"},
	} {
		if _, err := db.Assess(ctx, editor, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SaveDependency(ctx, store.System, store.Dependency{Key: "arkivlov", FromTiltakKey: "digitalt-dodsbo", To: store.DependsOnLawChange,
		Reference: "Endring i arveloven", State: store.DependencyAtRisk, NeededBy: "2025-06-30", OwnerKey: "kmd"}, store.Expect{}); err != nil {
		t.Fatal(err)
	}
	return db
}

// The lifecycle's records go through export and import unchanged, and the
// imported store enforces the same rules: the start-up gate, returned
// reports not counted.
func TestLifecycleSurvivesExportAndImport(t *testing.T) {
	db := lifecycleDB(t)
	first := exportJSON(t, db)
	var p store.Plan
	if err := json.Unmarshal(first, &p); err != nil {
		t.Fatal(err)
	}
	if p.Lifecycle == nil || len(p.Lifecycle.Reports) != 4 || len(p.Lifecycle.Deliveries) != 1 || len(p.Lifecycle.Assessments) != 2 || len(p.Lifecycle.Dependencies) != 1 {
		t.Fatalf("lifecycle section: %+v", p.Lifecycle)
	}
	other, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return fixedNow.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.ImportPlan(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	if second := exportJSON(t, other); !bytes.Equal(first, second) {
		t.Errorf("export → import → export differs:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
	green := store.HealthOnTrack
	for name, d := range map[string]*store.DB{"original": db, "imported": other} {
		_, err := d.ReportStatus(context.Background(), store.System, store.StatusReport{TiltakKey: "digitalt-dodsbo", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 50})
		if store.ErrorCode(err) != store.Invalid {
			t.Errorf("%s: status on a registered tiltak without an accepted start-up: %v", name, err)
		}
		if _, err := d.ReportStatus(context.Background(), store.System, store.StatusReport{TiltakKey: "ressurssenter-lansert", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 70}); err != nil {
			t.Errorf("%s: status after an accepted start-up: %v", name, err)
		}
		snap := d.Snapshot()
		counts, err := snap.ObstacleCounts(store.GroupByCode, "")
		ds, _ := snap.Deliveries("ressurssenter-lansert")
		snap.Close()
		if err != nil || len(counts) != 0 {
			t.Errorf("%s: a returned report's obstacles are counted: %+v %v", name, counts, err)
		}
		if len(ds) != 1 || ds[0].ForecastDate != "2024-12-31" || *ds[0].SlipDays() != 184 {
			t.Errorf("%s: delivery %+v", name, ds)
		}
	}
}

// A delay travels along typed dependencies that are not met, both ways:
// what it holds up (Impact) and what is delayed beneath a life event.
func TestImpactFollowsTypedDependencies(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	yellow := store.HealthMinorDelays
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "sykt-barn-info", Period: "2025-H1", BodyKey: "halden-kommune", Phase: store.PhaseActive, Health: &yellow, Progress: 10}); err != nil {
		t.Fatal(err)
	}
	dep := store.Dependency{Key: "skjema", FromTiltakKey: "ressurssenter-lansert", To: store.DependsOnTiltak, ToTiltakKey: "sykt-barn-info", State: store.DependencyAtRisk}
	if _, err := db.SaveDependency(ctx, store.System, dep, store.Expect{}); err != nil {
		t.Fatal(err)
	}
	check := func(wantLinked bool) {
		t.Helper()
		snap := db.Snapshot()
		defer snap.Close()
		imp, err := snap.Impact("sykt-barn-info")
		if err != nil {
			t.Fatal(err)
		}
		found := slices.ContainsFunc(imp.Tiltak, func(i store.Impacted) bool {
			return i.Tiltak.Key == "ressurssenter-lansert" && slices.Equal(i.Path, []string{"sykt-barn-info", "ressurssenter-lansert"})
		})
		if found != wantLinked {
			t.Errorf("impact of sykt-barn-info reaches ressurssenter-lansert: %v, want %v (%+v)", found, wantLinked, imp.Tiltak)
		}
		delayed, err := snap.DelayedBeneath("dodsfall-og-arv")
		if err != nil {
			t.Fatal(err)
		}
		found = slices.ContainsFunc(delayed, func(i store.Impacted) bool {
			return i.Tiltak.Key == "sykt-barn-info" && slices.Equal(i.Path, []string{"ressurssenter-lansert", "sykt-barn-info"})
		})
		if found != wantLinked {
			t.Errorf("delayed beneath dodsfall-og-arv includes sykt-barn-info: %v, want %v (%+v)", found, wantLinked, delayed)
		}
		risky, _ := snap.TiltakWithDependenciesIn(nil)
		if slices.Contains(risky, "ressurssenter-lansert") != wantLinked {
			t.Errorf("tiltak with dependencies at risk: %v", risky)
		}
	}
	check(true)
	dep.State = store.DependencyMet
	if _, err := db.SaveDependency(ctx, store.System, dep, store.Expect{}); err != nil {
		t.Fatal(err)
	}
	check(false)
	// Bad dependencies are refused, naming the field.
	for _, c := range []struct {
		d     store.Dependency
		field string
		code  store.Code
	}{
		{store.Dependency{Key: "x", FromTiltakKey: "gravferdsmelding", To: store.DependsOnLawChange}, "reference", store.Invalid},
		{store.Dependency{Key: "x", FromTiltakKey: "gravferdsmelding", To: store.DependsOnTiltak, ToTiltakKey: "finnes-ikke"}, "toTiltakKey", store.NotFound},
		{store.Dependency{Key: "x", FromTiltakKey: "gravferdsmelding", To: store.DependsOnDelivery, ToTiltakKey: "digitalt-dodsbo", ToDeliveryKey: "nei"}, "toDeliveryKey", store.NotFound},
	} {
		_, err := db.SaveDependency(ctx, store.System, c.d, store.Expect{})
		var e *store.Error
		if store.ErrorCode(err) != c.code || !asError(err, &e) || e.Field != c.field {
			t.Errorf("%+v: %v, want %s on %s", c.d, err, c.code, c.field)
		}
	}
}

func asError(err error, e **store.Error) bool {
	x, ok := err.(*store.Error)
	*e = x
	return ok
}

// Bad reports are refused with the field at fault, and nothing of them is
// stored.
func TestReportValidation(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	base := store.Report{Stage: store.StageRegistration, TiltakKey: "gravferdsmelding", BodyKey: "oslo-kommune"}
	with := func(stage store.ReportStage, f func(*store.Report)) (store.Report, func(*store.Report) error) {
		r := base
		r.Stage = stage
		return r, func(r *store.Report) error { f(r); return nil }
	}
	cases := []struct {
		name   string
		stage  store.ReportStage
		edit   func(*store.Report)
		field  string
		code   store.Code
		before func(*store.Report)
	}{
		{"unknown stage", "FINAL", func(*store.Report) {}, "stage", store.Invalid, nil},
		{"status without period", store.StageStatus, func(*store.Report) {}, "period", store.Invalid, nil},
		{"unknown tiltak", store.StageRegistration, func(*store.Report) {}, "tiltakKey", store.NotFound, func(r *store.Report) { r.TiltakKey = "finnes-ikke" }},
		{"unknown ministry", store.StageRegistration, func(r *store.Report) { r.Registration = &store.Registration{MinistryKey: "nei"} }, "registration.ministryKey", store.NotFound, nil},
		{"unknown participant", store.StageRegistration, func(r *store.Report) { r.Registration = &store.Registration{ParticipantKeys: []string{"kmd", "nei"}} }, "registration.participantKeys[1]", store.NotFound, nil},
		{"content of another stage", store.StageRegistration, func(r *store.Report) { r.Closure = &store.Closure{} }, "stage", store.Invalid, nil},
		{"bad planned delivery", store.StageStartup, func(r *store.Report) {
			r.Startup = &store.Startup{Deliveries: []store.PlannedDelivery{{Key: "a", Title: "A", Kind: "BIG"}}}
		}, "startup.deliveries[0].kind", store.Invalid, nil},
		{"bad planned start", store.StageStartup, func(r *store.Report) { r.Startup = &store.Startup{PlannedStart: "i vår"} }, "startup.plannedStart", store.Invalid, nil},
		{"OTHER obstacle without text", store.StageStatus, func(r *store.Report) {
			r.Status = &store.StatusContent{Obstacles: []store.Obstacle{{Code: store.ObstacleOther, Severity: store.SeverityLow}}}
		}, "status.obstacles[0].text", store.Invalid, func(r *store.Report) { r.Period = "2025-H2" }},
		{"discontinued without reason", store.StageClosure, func(r *store.Report) { r.Closure = &store.Closure{Outcome: store.OutcomeDiscontinued} }, "closure.reason", store.Invalid, nil},
		{"unknown operations owner", store.StageClosure, func(r *store.Report) {
			r.Closure = &store.Closure{Outcome: store.OutcomeCompleted, OperationsOwnerKey: "nei"}
		}, "closure.operationsOwnerKey", store.NotFound, nil},
	}
	for _, c := range cases {
		r, change := with(c.stage, c.edit)
		if c.before != nil {
			c.before(&r)
		}
		_, err := db.DraftReport(ctx, store.System, r, change)
		var e *store.Error
		if store.ErrorCode(err) != c.code || !asError(err, &e) || e.Field != c.field {
			t.Errorf("%s: %v (field %q), want %s on %s", c.name, err, fieldOf(err), c.code, c.field)
		}
	}
	snap := db.Snapshot()
	rs, _ := snap.Reports("gravferdsmelding", store.Viewer{Editor: true})
	snap.Close()
	if len(rs) != 0 {
		t.Fatalf("refused drafts were stored: %+v", rs)
	}
	// The workflow's order is kept.
	d, err := db.DraftReport(ctx, store.System, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DraftReport(ctx, store.System, base, nil); store.ErrorCode(err) != store.Conflict {
		t.Errorf("a second draft of the same report: %v", err)
	}
	if _, err := db.AcceptReport(ctx, store.System, d.ID()); store.ErrorCode(err) != store.Invalid {
		t.Errorf("accepting a draft: %v", err)
	}
	if _, err := db.SubmitReport(ctx, store.System, "gravferdsmelding/CLOSURE/-/oslo-kommune"); store.ErrorCode(err) != store.NotFound {
		t.Errorf("submitting a report that does not exist: %v", err)
	}
	if _, err := db.SubmitReport(ctx, store.System, "nonsense"); store.ErrorCode(err) != store.Invalid {
		t.Errorf("a malformed id: %v", err)
	}
	stale := 7
	if _, err := db.UpdateReport(ctx, store.System, d.ID(), store.Expect{Version: &stale}, func(*store.Report) error { return nil }); store.ErrorCode(err) != store.Conflict {
		t.Errorf("a stale update: %v", err)
	}
}

func fieldOf(err error) string {
	if e, ok := err.(*store.Error); ok {
		return e.Field
	}
	return ""
}

// A tiltak others depend on through a typed dependency cannot be deleted;
// once deleted, its lifecycle records go with it and count nowhere.
func TestDeletedTiltakTakesItsLifecycleAlong(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	yellow := store.HealthMinorDelays
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "sykt-barn-info", Period: "2025-H1", BodyKey: "halden-kommune", Phase: store.PhaseActive, Health: &yellow, Progress: 10,
		Obstacles: []store.Obstacle{{Code: store.ObstacleCapacity, Severity: store.SeverityLow}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveDelivery(ctx, store.System, "sykt-barn-info", "skjema", store.Expect{}, func(d *store.TiltakDelivery) error {
		d.Title, d.Kind = "Skjema", store.DeliveryDeliverable
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Assess(ctx, store.System, store.Assessment{TiltakKey: "sykt-barn-info", Period: "2025-H1", Role: store.RoleSecretariat, AssessorKey: "digdir", Health: store.HealthOnTrack}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveDependency(ctx, store.System, store.Dependency{Key: "skjema", FromTiltakKey: "ressurssenter-lansert", To: store.DependsOnDelivery, ToTiltakKey: "sykt-barn-info", ToDeliveryKey: "skjema"}, store.Expect{}); err != nil {
		t.Fatal(err)
	}
	err := db.DeleteTiltak(ctx, store.System, "sykt-barn-info", store.Expect{})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("typed dependency skjema")) {
		t.Fatalf("deleting a tiltak others depend on: %v", err)
	}
	if err := db.RemoveDependency(ctx, store.System, "ressurssenter-lansert", "skjema"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTiltak(ctx, store.System, "sykt-barn-info", store.Expect{}); err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	defer snap.Close()
	counts, _ := snap.ObstacleCounts(store.GroupByBody, "")
	ds, _ := snap.FindDeliveries(store.DeliveryFilter{})
	as, _ := snap.Assessments("sykt-barn-info")
	if len(counts) != 0 || len(ds) != 0 || len(as) != 0 {
		t.Fatalf("left behind: obstacles %v, deliveries %v, ratings %v", counts, ds, as)
	}
}
