package generate

import (
	"fmt"
	"math/rand/v2"

	"handlingsplan/store"
)

// money gives the generated tiltak money, deterministic from the seed: cost
// years with baselines and forecasts (a narrative where the forecast is off
// by more than the default threshold), funding lines, a benefit for every
// fifth tiltak and a link to one of the default data's goals. It draws from
// its own random stream, so the rest of the plan is the same with or
// without it. Money the default data carries for its own tiltak is dropped
// with them.
func (b *builder) money() {
	rng := rand.New(rand.NewPCG(b.seed, 0x6d6f6e6579))
	var goals []string
	m := &store.MoneyPlan{}
	if base := b.plan.Money; base != nil {
		m.Settings, m.Goals, m.Indicators, m.Segments = base.Settings, base.Goals, base.Indicators, base.Segments
		for _, g := range base.Goals {
			if g.ParentKey == "" {
				goals = append(goals, g.Key)
			}
		}
	}
	sources := []store.FundingSource{store.FundingOwnBudget, store.FundingBudgetProposal, store.FundingCoFunding, store.FundingKSFund, store.FundingEU, store.FundingOther}
	statuses := []store.FundingStatus{store.FundingConfirmed, store.FundingConfirmed, store.FundingApplied, store.FundingPlanned, store.FundingMissing}
	for i := range b.plan.Tiltak {
		t := &b.plan.Tiltak[i]
		f := store.TiltakFinance{TiltakKey: t.Key, Meta: store.Meta{Provenance: b.prov}}
		start := 2019 + rng.IntN(5)
		years := 1 + rng.IntN(4)
		for y := start; y < start+years; y++ {
			base := int64(1+rng.IntN(400)) * 250_000
			forecast := base + base*int64(rng.IntN(21)-8)/100
			c := store.CostYear{Year: y, BaselineNok: &base, ForecastNok: &forecast}
			if y < 2025 {
				actual := forecast
				c.ActualNok = &actual
			}
			d := forecast - base
			if d*100 > 5*base || -d*100 > 5*base {
				c.Narrative = "Generert avvik"
			}
			f.CostYears = append(f.CostYears, c)
		}
		for k := 0; k < rng.IntN(3); k++ {
			purpose := store.PurposeDevelopment
			if k == 1 {
				purpose = store.PurposeOperations
			}
			line := store.Funding{Key: fmt.Sprintf("linje-%d", k+1), Source: sources[rng.IntN(len(sources))], Purpose: purpose}
			for y := start; y < start+years; y++ {
				yy := y
				line.Years = append(line.Years, store.FundingYear{Year: &yy, AmountNok: int64(1+rng.IntN(300)) * 250_000, Status: statuses[rng.IntN(len(statuses))]})
			}
			f.Funding = append(f.Funding, line)
		}
		if len(goals) > 0 {
			f.Goals = []store.GoalLink{{GoalKey: goals[rng.IntN(len(goals))], Primary: true}}
		}
		m.Finance = append(m.Finance, f)
		if i%5 == 0 {
			cut := int64(rng.IntN(40)) * 100_000
			m.Benefits = append(m.Benefits, store.Benefit{Key: t.Key + "-gevinst", TiltakKey: t.Key, Title: "Spart tid for " + t.Title,
				Type: store.BenefitEfficiency, Priced: true, Indicator: store.BenefitIndicator{Name: "Sparte timeverk", Unit: "timer"},
				BudgetCutCommittedNok: &cut, State: store.BenefitPlanned, Meta: store.Meta{Provenance: b.prov}})
		}
	}
	b.plan.Money = m
}
