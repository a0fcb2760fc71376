package graph

import (
	"context"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// Money, benefits and goals: the store methods, input conversions and
// payloads behind money.graphqls. The resolvers are in money.resolvers.go.

// moneyStore is what the money resolvers need of the store (part of
// [Store]).
type moneyStore interface {
	SetMoneySettings(ctx context.Context, a store.Actor, p store.MoneySettingsPatch) (*store.MoneySettings, error)
	SetFunding(ctx context.Context, a store.Actor, tiltakKey string, line store.Funding) (*store.TiltakFinance, error)
	RemoveFunding(ctx context.Context, a store.Actor, tiltakKey, key string) error
	SetCostYear(ctx context.Context, a store.Actor, tiltakKey string, in store.CostYearInput) (*store.TiltakFinance, error)
	SetSchedule(ctx context.Context, a store.Actor, tiltakKey string, in store.ScheduleInput) (*store.TiltakFinance, error)
	Rebaseline(ctx context.Context, a store.Actor, tiltakKey string, in store.RebaselineInput) (*store.TiltakFinance, error)
	CreateBenefit(ctx context.Context, a store.Actor, b *store.Benefit) (*store.Benefit, error)
	UpdateBenefit(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Benefit) error) (*store.Benefit, error)
	ReportBenefitRealisation(ctx context.Context, a store.Actor, key string, r store.BenefitRealisation) (*store.Benefit, error)
	CreateGoal(ctx context.Context, a store.Actor, g *store.Goal) (*store.Goal, error)
	CreateIndicator(ctx context.Context, a store.Actor, i *store.Indicator) (*store.Indicator, error)
	RecordIndicatorObservation(ctx context.Context, a store.Actor, key string, o store.Observation) (*store.Indicator, error)
	LinkTiltakGoal(ctx context.Context, a store.Actor, tiltakKey, goalKey string, primary bool) (*store.TiltakFinance, error)
	UnlinkTiltakGoal(ctx context.Context, a store.Actor, tiltakKey, goalKey string) (*store.TiltakFinance, error)
	UpdateGoal(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Goal) error) (*store.Goal, error)
	UpdateIndicator(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Indicator) error) (*store.Indicator, error)
	UpdateSegment(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Segment) error) (*store.Segment, error)
	CreateSegment(ctx context.Context, a store.Actor, g *store.Segment) (*store.Segment, error)
	SetTiltakSegment(ctx context.Context, a store.Actor, tiltakKey string, segmentKey *string, kind *store.TiltakKind) (*store.TiltakFinance, error)
}

// financePayload answers a write of a tiltak's money with the tiltak and
// its money as written, or user errors.
func financePayload(ctx context.Context, tiltakKey string, f *store.TiltakFinance, err error) (*model.TiltakFinancePayload, error) {
	ue, err := outcome(ctx, err)
	if err != nil || len(ue) > 0 {
		return &model.TiltakFinancePayload{UserErrors: ue}, err
	}
	t, err := snapshot(ctx).Tiltak(tiltakKey)
	if err != nil {
		return nil, err
	}
	return &model.TiltakFinancePayload{Tiltak: t, Finance: f, UserErrors: ue}, nil
}

func fundingLine(in model.SetFundingInput) store.Funding {
	f := store.Funding{Key: in.Key, Source: in.Source, GrantRef: str(in.GrantRef), Purpose: in.Purpose, SharePercent: in.SharePercent,
		Years: []store.FundingYear{}}
	for _, y := range in.Years {
		f.Years = append(f.Years, store.FundingYear{Year: y.Year, AmountNok: y.AmountNok, Status: y.Status})
	}
	return f
}

func newBenefit(in model.CreateBenefitInput) *store.Benefit {
	b := &store.Benefit{Key: in.Key, TiltakKey: in.TiltakKey, Title: in.Title, Type: in.Type, Responsible: str(in.Responsible),
		OwnerKeys: in.OwnerKeys, BudgetCutCommittedNok: in.BudgetCutCommittedNok, FollowUntil: str(in.FollowUntil)}
	set(&b.Priced, in.Priced)
	set(&b.State, in.State)
	b.Indicator = store.BenefitIndicator{Name: in.Indicator.Name, Unit: in.Indicator.Unit, Method: str(in.Indicator.Method)}
	b.Baseline, b.Target = benefitBaseline(in.Baseline), benefitTarget(in.Target)
	return b
}

func benefitBaseline(in *model.BenefitBaselineInput) *store.BenefitMeasure {
	if in == nil {
		return nil
	}
	return &store.BenefitMeasure{Value: in.Value, MeasuredAt: in.MeasuredAt}
}

func benefitTarget(in *model.BenefitTargetInput) *store.BenefitTarget {
	if in == nil {
		return nil
	}
	return &store.BenefitTarget{Value: in.Value, By: in.By}
}

func patchBenefit(in model.UpdateBenefitInput) func(*store.Benefit) error {
	return func(b *store.Benefit) error {
		set(&b.Title, in.Title)
		set(&b.Type, in.Type)
		set(&b.Priced, in.Priced)
		set(&b.Responsible, in.Responsible)
		setList(&b.OwnerKeys, in.OwnerKeys)
		if in.Indicator != nil {
			b.Indicator = store.BenefitIndicator{Name: in.Indicator.Name, Unit: in.Indicator.Unit, Method: str(in.Indicator.Method)}
		}
		if in.Baseline != nil {
			b.Baseline = benefitBaseline(in.Baseline)
		}
		if in.Target != nil {
			b.Target = benefitTarget(in.Target)
		}
		if in.BudgetCutCommittedNok != nil {
			b.BudgetCutCommittedNok = in.BudgetCutCommittedNok
		}
		set(&b.State, in.State)
		set(&b.FollowUntil, in.FollowUntil)
		return nil
	}
}

func newIndicator(in model.CreateIndicatorInput) *store.Indicator {
	i := &store.Indicator{Key: in.Key, GoalKey: in.GoalKey, Name: in.Name, Unit: in.Unit, Source: str(in.Source), Weight: 1,
		Baseline: store.YearValue{Year: in.Baseline.Year, Value: in.Baseline.Value},
		Target:   store.YearValue{Year: in.Target.Year, Value: in.Target.Value}}
	set(&i.Weight, in.Weight)
	for _, p := range in.Trajectory {
		i.Trajectory = append(i.Trajectory, store.YearValue{Year: p.Year, Value: p.Value})
	}
	return i
}

func newSegment(in model.CreateSegmentInput) *store.Segment {
	g := &store.Segment{Key: in.Key, Name: in.Name, FollowUpLevel: in.FollowUpLevel, Cadence: store.CadenceHalfYearly, RequiredStages: in.RequiredStages}
	set(&g.Cadence, in.Cadence)
	return g
}

func benefitPayload(ctx context.Context) func(*store.Benefit, error) (*model.BenefitPayload, error) {
	return payload(ctx, func(b *store.Benefit, ue []*model.UserError) *model.BenefitPayload {
		return &model.BenefitPayload{Benefit: b, UserErrors: ue}
	})
}

func goalPayload(ctx context.Context) func(*store.Goal, error) (*model.GoalPayload, error) {
	return payload(ctx, func(g *store.Goal, ue []*model.UserError) *model.GoalPayload {
		return &model.GoalPayload{Goal: g, UserErrors: ue}
	})
}

func indicatorPayload(ctx context.Context) func(*store.Indicator, error) (*model.IndicatorPayload, error) {
	return payload(ctx, func(i *store.Indicator, ue []*model.UserError) *model.IndicatorPayload {
		return &model.IndicatorPayload{Indicator: i, UserErrors: ue}
	})
}

func segmentPayload(ctx context.Context) func(*store.Segment, error) (*model.SegmentPayload, error) {
	return payload(ctx, func(g *store.Segment, ue []*model.UserError) *model.SegmentPayload {
		return &model.SegmentPayload{Segment: g, UserErrors: ue}
	})
}

func settingsPayload(ctx context.Context) func(*store.MoneySettings, error) (*model.MoneySettingsPayload, error) {
	return payload(ctx, func(s *store.MoneySettings, ue []*model.UserError) *model.MoneySettingsPayload {
		return &model.MoneySettingsPayload{Settings: s, UserErrors: ue}
	})
}

// moneyOfTiltak: the money of a REPORTER's own tiltak, or any for EDITOR.
func moneyOfTiltak(_ context.Context, st Store, tok *store.Token, args map[string]any) error {
	switch tok.Role {
	case store.RoleAdmin, store.RoleEditor:
		return nil
	case store.RoleReporter:
		key, _ := args["tiltakKey"].(string)
		switch in := args["input"].(type) {
		case model.SetFundingInput:
			key = in.TiltakKey
		case model.SetCostYearInput:
			key = in.TiltakKey
		case model.SetScheduleInput:
			key = in.TiltakKey
		case model.RebaselineInput:
			key = in.TiltakKey
		}
		return ownTiltak(st, tok, key)
	}
	return forbidden("changing a tiltak's money needs a REPORTER, EDITOR or ADMIN token (this token is %s)", tok.Role)
}

// realisesBenefit: realisations of the benefits of a REPORTER's own
// tiltak, or any for EDITOR.
func realisesBenefit(_ context.Context, st Store, tok *store.Token, args map[string]any) error {
	switch tok.Role {
	case store.RoleAdmin, store.RoleEditor:
		return nil
	case store.RoleReporter:
		in, _ := args["input"].(model.ReportBenefitRealisationInput)
		snap := st.Snapshot()
		b, err := snap.Benefit(in.BenefitKey)
		snap.Close()
		if err != nil {
			return nil // an unknown benefit is reported by the resolver
		}
		return ownTiltak(st, tok, b.TiltakKey)
	}
	return forbidden("reporting a benefit's realisation needs a REPORTER, EDITOR or ADMIN token (this token is %s)", tok.Role)
}

func patchGoal(in model.UpdateGoalInput) func(*store.Goal) error {
	return func(g *store.Goal) error {
		set(&g.Number, in.Number)
		set(&g.Name, in.Name)
		set(&g.Description, in.Description)
		set(&g.ParentKey, in.ParentKey)
		return nil
	}
}

func yearValue(in *model.YearValueInput) store.YearValue {
	return store.YearValue{Year: in.Year, Value: in.Value}
}

func patchIndicator(in model.UpdateIndicatorInput) func(*store.Indicator) error {
	return func(i *store.Indicator) error {
		set(&i.Name, in.Name)
		set(&i.Unit, in.Unit)
		set(&i.Source, in.Source)
		set(&i.Weight, in.Weight)
		if in.Baseline != nil {
			i.Baseline = yearValue(in.Baseline)
		}
		if in.Target != nil {
			i.Target = yearValue(in.Target)
		}
		if in.Trajectory != nil {
			i.Trajectory = []store.YearValue{}
			for _, p := range in.Trajectory {
				i.Trajectory = append(i.Trajectory, yearValue(p))
			}
		}
		return nil
	}
}

func patchSegment(in model.UpdateSegmentInput) func(*store.Segment) error {
	return func(g *store.Segment) error {
		set(&g.Name, in.Name)
		set(&g.FollowUpLevel, in.FollowUpLevel)
		set(&g.Cadence, in.Cadence)
		setList(&g.RequiredStages, in.RequiredStages)
		return nil
	}
}
