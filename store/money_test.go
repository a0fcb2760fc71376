package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"handlingsplan/store"
)

// Every money record — settings, goals, indicators with observations,
// segments, funding, cost years, schedule, rebaselines, goal links and
// benefits with realisations — survives export → import → export byte for
// byte, and a store without money exports no money section.
func TestMoneyRoundTrip(t *testing.T) {
	db := newTestDB(t)
	if p, err := db.ExportPlan(context.Background()); err != nil || p.Money != nil {
		t.Fatalf("a plan without money exports %+v, %v", p.Money, err)
	}
	ctx, a := context.Background(), store.System
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	n := func(v int64) *int64 { return &v }
	s := func(v string) *string { return &v }
	y := 2025
	must(db.SetMoneySettings(ctx, a, store.MoneySettingsPatch{VarianceThresholdPercent: ptr(10)}))
	must(db.CreateGoal(ctx, a, &store.Goal{Key: "mal-1", Number: "1", Name: "Mål"}))
	must(db.CreateGoal(ctx, a, &store.Goal{Key: "delmal-1", Name: "Delmål", ParentKey: "mal-1"}))
	must(db.CreateIndicator(ctx, a, &store.Indicator{Key: "andel", GoalKey: "delmal-1", Name: "Andel", Unit: "%", Weight: 1.5,
		Baseline: store.YearValue{Year: 2020, Value: 10}, Target: store.YearValue{Year: 2025, Value: 80}, Trajectory: []store.YearValue{{Year: 2023, Value: 40}}}))
	must(db.RecordIndicatorObservation(ctx, a, "andel", store.Observation{Period: "2024-H1", Value: 44.5}))
	must(db.CreateSegment(ctx, a, &store.Segment{Key: "store-prosjekter", Name: "Store prosjekter", FollowUpLevel: store.FollowUpClose, Cadence: store.CadenceQuarterly, RequiredStages: []string{"konsept", "plan"}}))
	must(db.CreateMeeting(ctx, a, &store.Meeting{Key: "m1", ForumKey: "skate", Date: "2025-01-10", Title: "Møte"}))
	must(db.CreateCase(ctx, a, &store.Case{Key: "sak-1", MeetingKey: "m1", Number: "01/2025", Title: "Ramme", Kind: store.CaseDecision}))
	must(db.SetFunding(ctx, a, "gravferdsmelding", store.Funding{Key: "drift", Source: store.FundingKSFund, Purpose: store.PurposeOperations,
		Years: []store.FundingYear{{Year: &y, AmountNok: 1_500_000, Status: store.FundingApplied}}, SharePercent: ptr(40)}))
	must(db.SetCostYear(ctx, a, "gravferdsmelding", store.CostYearInput{Year: 2025, BaselineNok: n(9_000_000_000), ForecastNok: n(9_500_000_000), ActualNok: n(100), Narrative: s("Høyere lisenskost")}))
	must(db.SetSchedule(ctx, a, "gravferdsmelding", store.ScheduleInput{ApprovedStart: s("2024-01-01"), ApprovedEnd: s("2025-12-31")}))
	must(db.Rebaseline(ctx, a, "gravferdsmelding", store.RebaselineInput{ApprovedEnd: s("2026-06-30"), Reason: "Forsinket", ApprovedBy: "Skate", CaseKey: "sak-1"}))
	must(db.LinkTiltakGoal(ctx, a, "gravferdsmelding", "mal-1", false))
	must(db.SetTiltakSegment(ctx, a, "gravferdsmelding", s("store-prosjekter"), ptr(store.TiltakGovernmentCommitment)))
	must(db.CreateBenefit(ctx, a, &store.Benefit{Key: "tid", TiltakKey: "gravferdsmelding", Title: "Spart tid", Type: store.BenefitQuality,
		OwnerKeys: []string{"oslo-kommune"}, Indicator: store.BenefitIndicator{Name: "Timer", Unit: "t"}, Baseline: &store.BenefitMeasure{Value: 1, MeasuredAt: "2024-01-01"}}))
	must(db.ReportBenefitRealisation(ctx, a, "tid", store.BenefitRealisation{Period: "2025", Value: 3}))

	first := exportJSON(t, db)
	var p store.Plan
	if err := json.Unmarshal(first, &p); err != nil {
		t.Fatal(err)
	}
	if p.Money == nil || len(p.Money.Finance) != 1 || len(p.Money.Benefits) != 1 || len(p.Money.Goals) != 2 || p.Money.Settings == nil {
		t.Fatalf("money section = %+v", p.Money)
	}
	other, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return fixedNow.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.ImportPlan(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if second := exportJSON(t, other); !bytes.Equal(first, second) {
		t.Errorf("export → import → export differs:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
	snap := other.Snapshot()
	defer snap.Close()
	if keys := snap.GoalTiltakKeys("mal-1"); len(keys) != 1 || keys[0] != "gravferdsmelding" {
		t.Errorf("the imported goal link is not indexed: %v", keys)
	}
	if bs, _ := snap.Benefits("gravferdsmelding"); len(bs) != 1 {
		t.Errorf("the imported benefit is not indexed under its tiltak")
	}
}

// A plan whose money refers to what does not exist is refused whole.
func TestMoneyImportChecksReferences(t *testing.T) {
	p := fixturePlan()
	p.Money = &store.MoneyPlan{Finance: []store.TiltakFinance{{TiltakKey: "finnes-ikke"}}}
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.ImportPlan(context.Background(), p)
	if store.ErrorCode(err) != store.NotFound {
		t.Fatalf("import = %v, want NotFound", err)
	}
	if empty, _ := db.IsEmpty(); !empty {
		t.Error("a refused import left records behind")
	}
}

// Every money write has its audit entry and a MONEY_CHANGED outbox event,
// written in its transaction; a refused write has neither.
func TestMoneyWritesAreAudited(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	a := store.Actor{TokenName: "okonomi", BodyKey: "digdir"}
	before, err := db.EventsAfter(0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	b, f := int64(1000), int64(1200)
	if _, err := db.SetCostYear(ctx, a, "gravferdsmelding", store.CostYearInput{Year: 2025, BaselineNok: &b, ForecastNok: &f}); store.ErrorCode(err) != store.Invalid {
		t.Fatalf("20 %% over without narrative: %v", err)
	}
	if _, err := db.CreateGoal(ctx, a, &store.Goal{Key: "mal", Name: "Mål"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetCostYear(ctx, a, "gravferdsmelding", store.CostYearInput{Year: 2025, BaselineNok: &b}); err != nil {
		t.Fatal(err)
	}
	after, err := db.EventsAfter(0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range after[len(before):] {
		got = append(got, string(e.Type)+" "+string(e.Kind)+" "+e.Key)
	}
	want := []string{"MONEY_CHANGED Goal mal", "MONEY_CHANGED TiltakFinance gravferdsmelding"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("events = %v, want %v", got, want)
	}
	snap := db.Snapshot()
	defer snap.Close()
	changes, _, err := snap.Changes(store.ChangeFilter{Kind: store.KindFinance, EntityKey: "gravferdsmelding"}, store.PageArgs{})
	if err != nil || len(changes) != 1 || changes[0].Op != store.OpCreate || changes[0].Actor.BodyKey != "digdir" {
		t.Fatalf("audit = %+v, %v", changes, err)
	}
}

// A tiltak with benefits cannot be deleted; one with only money takes its
// money record and goal links along.
func TestDeleteTiltakWithMoney(t *testing.T) {
	db := newTestDB(t)
	ctx, a := context.Background(), store.System
	if _, err := db.CreateGoal(ctx, a, &store.Goal{Key: "mal", Name: "Mål"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LinkTiltakGoal(ctx, a, "sykt-barn-info", "mal", true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateBenefit(ctx, a, &store.Benefit{Key: "b", TiltakKey: "sykt-barn-info", Title: "B", Type: store.BenefitQuality,
		Indicator: store.BenefitIndicator{Name: "n", Unit: "u"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTiltak(ctx, a, "sykt-barn-info", store.Expect{}); store.ErrorCode(err) != store.Invalid {
		t.Fatalf("delete with a benefit = %v, want Invalid", err)
	}
	if _, err := db.CreateTiltak(ctx, a, &store.Tiltak{Key: "ny", Title: "Ny", ResponsibleKey: "digdir", GovernanceLevel: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LinkTiltakGoal(ctx, a, "ny", "mal", false); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTiltak(ctx, a, "ny", store.Expect{}); err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	defer snap.Close()
	if keys := snap.GoalTiltakKeys("mal"); len(keys) != 1 || keys[0] != "sykt-barn-info" {
		t.Fatalf("the goal's tiltak after the delete = %v", keys)
	}
}
