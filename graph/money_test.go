package graph_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"handlingsplan/store"
)

type userErrs []struct {
	Field   *string `json:"field"`
	Message string  `json:"message"`
	Code    string  `json:"code"`
}

func (u userErrs) field() string {
	if len(u) == 0 || u[0].Field == nil {
		return ""
	}
	return *u[0].Field
}

// summary mirrors MoneySummary.
type moneySum struct {
	TiltakCount           int      `json:"tiltakCount"`
	BaselineNok           int64    `json:"baselineNok"`
	ForecastNok           int64    `json:"forecastNok"`
	ActualNok             int64    `json:"actualNok"`
	VariancePercent       *float64 `json:"variancePercent"`
	WholeLifeCostNok      int64    `json:"wholeLifeCostNok"`
	ConfirmedFundingNok   int64    `json:"confirmedFundingNok"`
	FundingGapNok         int64    `json:"fundingGapNok"`
	OperationsUnfunded    int      `json:"operationsUnfunded"`
	BenefitCount          int      `json:"benefitCount"`
	BudgetCutCommittedNok int64    `json:"budgetCutCommittedNok"`
}

const moneyFields = `tiltakCount baselineNok forecastNok actualNok variancePercent wholeLifeCostNok confirmedFundingNok fundingGapNok operationsUnfunded benefitCount budgetCutCommittedNok`

func (s *moneySum) add(o moneySum) {
	s.TiltakCount += o.TiltakCount
	s.BaselineNok += o.BaselineNok
	s.ForecastNok += o.ForecastNok
	s.ActualNok += o.ActualNok
	s.WholeLifeCostNok += o.WholeLifeCostNok
	s.ConfirmedFundingNok += o.ConfirmedFundingNok
	s.FundingGapNok += o.FundingGapNok
	s.OperationsUnfunded += o.OperationsUnfunded
	s.BenefitCount += o.BenefitCount
	s.BudgetCutCommittedNok += o.BudgetCutCommittedNok
}

func (s moneySum) sums() moneySum { s.VariancePercent = nil; return s }

const setCostYear = `mutation($in: SetCostYearInput!) { setCostYear(input: $in) {
  finance { costYears { year baselineNok forecastNok variancePercent narrative } }
  userErrors { field message code } } }`

const focusRollup = `query($year: Int) { moneyRollup(by: FOCUS_AREA, year: $year) { key summary { ` + moneyFields + ` } } }`

func focusRow(t *testing.T, e *followEnv, key string) moneySum {
	t.Helper()
	var out struct {
		MoneyRollup []struct {
			Key     string   `json:"key"`
			Summary moneySum `json:"summary"`
		} `json:"moneyRollup"`
	}
	e.must("", focusRollup, nil, &out)
	for _, r := range out.MoneyRollup {
		if r.Key == key {
			return r.Summary
		}
	}
	t.Fatalf("no roll-up row for focus area %s", key)
	return moneySum{}
}

// A forecast 8 % over its baseline is refused without a narrative (naming
// the field) and nothing is stored; with one it is stored and the variance
// shows in the roll-up. Amounts pass 32 bits: money is 64-bit kroner.
func TestForecastOverThresholdNeedsNarrative(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	ed := e.token("digdir", store.RoleEditor)
	const tk, fa = "digitalt-dodsbo", "sammenhengende-tjenester"
	before := focusRow(t, e, fa)

	type costOut struct {
		SetCostYear struct {
			Finance *struct {
				CostYears []struct {
					Year            int      `json:"year"`
					BaselineNok     *int64   `json:"baselineNok"`
					ForecastNok     *int64   `json:"forecastNok"`
					VariancePercent *float64 `json:"variancePercent"`
					Narrative       *string  `json:"narrative"`
				} `json:"costYears"`
			} `json:"finance"`
			UserErrors userErrs `json:"userErrors"`
		} `json:"setCostYear"`
	}
	var out costOut
	// Exactly 5 % over needs no narrative.
	e.must(ed, setCostYear, map[string]any{"in": map[string]any{"tiltakKey": tk, "year": 2025, "baselineNok": 3_000_000_000, "forecastNok": 3_150_000_000}}, &out)
	if len(out.SetCostYear.UserErrors) > 0 {
		t.Fatalf("5 %% over refused: %+v", out.SetCostYear.UserErrors)
	}
	out = costOut{}
	e.must(ed, setCostYear, map[string]any{"in": map[string]any{"tiltakKey": tk, "year": 2025, "forecastNok": 3_240_000_000}}, &out)
	if got := out.SetCostYear.UserErrors.field(); got != "narrative" {
		t.Fatalf("8 %% over without narrative: userErrors %+v, want field narrative", out.SetCostYear.UserErrors)
	}
	var fin struct {
		TiltakByKey struct {
			Finance struct {
				CostYears []struct {
					ForecastNok int64 `json:"forecastNok"`
				} `json:"costYears"`
			} `json:"finance"`
		} `json:"tiltakByKey"`
	}
	e.must("", `{ tiltakByKey(key: "`+tk+`") { finance { costYears { forecastNok } } } }`, nil, &fin)
	if cy := fin.TiltakByKey.Finance.CostYears; len(cy) != 1 || cy[0].ForecastNok != 3_150_000_000 {
		t.Fatalf("a refused forecast changed what was stored: %+v", cy)
	}

	// A REPORTER of another body may not; one of the responsible body may.
	in := map[string]any{"tiltakKey": tk, "year": 2025, "forecastNok": 3_240_000_000, "narrative": "Økt omfang etter innsiktsarbeid"}
	if errs := e.do(e.token("nav", store.RoleReporter), setCostYear, map[string]any{"in": in}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("another body's REPORTER: errors %+v, want FORBIDDEN", errs)
	}
	out = costOut{}
	e.must(e.token("digdir", store.RoleReporter), setCostYear, map[string]any{"in": in}, &out)
	if len(out.SetCostYear.UserErrors) > 0 {
		t.Fatalf("with a narrative: %+v", out.SetCostYear.UserErrors)
	}
	cy := out.SetCostYear.Finance.CostYears[0]
	if *cy.ForecastNok != 3_240_000_000 || cy.VariancePercent == nil || math.Abs(*cy.VariancePercent-8) > 1e-9 || cy.Narrative == nil {
		t.Fatalf("stored year = %+v, want forecast 3 240 000 000, variance 8 %%, narrative", cy)
	}

	after := focusRow(t, e, fa)
	if after.BaselineNok-before.BaselineNok != 3_000_000_000 || after.ForecastNok-before.ForecastNok != 3_240_000_000 {
		t.Fatalf("roll-up moved by baseline %d, forecast %d", after.BaselineNok-before.BaselineNok, after.ForecastNok-before.ForecastNok)
	}
	want := float64(after.ForecastNok-after.BaselineNok) * 100 / float64(after.BaselineNok)
	if after.VariancePercent == nil || math.Abs(*after.VariancePercent-want) > 1e-9 || *after.VariancePercent <= 0 {
		t.Fatalf("roll-up variancePercent = %v, want %v", after.VariancePercent, want)
	}
	var yr struct {
		MoneySummary moneySum `json:"moneySummary"`
	}
	e.must("", `{ moneySummary(filter: {bodyKey: "digdir"}, year: 2025) { `+moneyFields+` } }`, nil, &yr)
	if yr.MoneySummary.VariancePercent == nil || math.Abs(*yr.MoneySummary.VariancePercent-8) > 1e-9 {
		t.Fatalf("digdir's 2025 variance = %v, want 8", yr.MoneySummary.VariancePercent)
	}
}

// A baseline changes only by rebaselining, which logs the old and new
// value, the reason, who approved it and the forum case.
func TestRebaselineIsLogged(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	ctx := context.Background()
	if _, err := e.db.CreateMeeting(ctx, store.System, &store.Meeting{Key: "skate-2025-03", ForumKey: "skate", Date: "2025-03-12", Title: "Skate-møte"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateCase(ctx, store.System, &store.Case{Key: "sak-07-2025", MeetingKey: "skate-2025-03", Number: "07/2025", Title: "Ny ramme", Kind: store.CaseDecision}); err != nil {
		t.Fatal(err)
	}
	ed := e.token("digdir", store.RoleEditor)
	var out costOutAny
	e.must(ed, setCostYear, map[string]any{"in": map[string]any{"tiltakKey": "digitalt-dodsbo", "year": 2024, "baselineNok": 10_000_000}}, &out)
	out = costOutAny{}
	e.must(ed, setCostYear, map[string]any{"in": map[string]any{"tiltakKey": "digitalt-dodsbo", "year": 2024, "baselineNok": 12_000_000}}, &out)
	if out.SetCostYear.UserErrors.field() != "baselineNok" {
		t.Fatalf("changing a baseline without rebaseline: %+v", out.SetCostYear.UserErrors)
	}
	const rebase = `mutation($in: RebaselineInput!) { rebaseline(input: $in) { finance { costYears { year baselineNok }
	  schedule { approvedEnd } rebaselines { field year oldNok newNok oldDate newDate reason approvedBy case { key } } } userErrors { field code } } }`
	var rb struct {
		Rebaseline struct {
			Finance struct {
				Rebaselines []struct {
					Field      string  `json:"field"`
					Year       *int    `json:"year"`
					OldNok     *int64  `json:"oldNok"`
					NewNok     *int64  `json:"newNok"`
					NewDate    *string `json:"newDate"`
					Reason     string  `json:"reason"`
					ApprovedBy string  `json:"approvedBy"`
					Case       *keyed  `json:"case"`
				} `json:"rebaselines"`
			} `json:"finance"`
			UserErrors userErrs `json:"userErrors"`
		} `json:"rebaseline"`
	}
	in := map[string]any{"tiltakKey": "digitalt-dodsbo", "year": 2024, "baselineNok": 12_000_000, "approvedEnd": "2026-06-30",
		"reason": "Utvidet omfang", "approvedBy": "Skate", "caseKey": "sak-99-2025"}
	e.must(ed, rebase, map[string]any{"in": in}, &rb)
	if rb.Rebaseline.UserErrors.field() != "caseKey" || rb.Rebaseline.UserErrors[0].Code != "NOT_FOUND" {
		t.Fatalf("unknown case: %+v", rb.Rebaseline.UserErrors)
	}
	in["caseKey"] = "sak-07-2025"
	e.must(ed, rebase, map[string]any{"in": in}, &rb)
	log := rb.Rebaseline.Finance.Rebaselines
	if len(rb.Rebaseline.UserErrors) > 0 || len(log) != 2 {
		t.Fatalf("rebaseline: %+v, log %+v", rb.Rebaseline.UserErrors, log)
	}
	c := log[0]
	if c.Field != "COST_BASELINE" || *c.Year != 2024 || *c.OldNok != 10_000_000 || *c.NewNok != 12_000_000 || c.Reason != "Utvidet omfang" || c.ApprovedBy != "Skate" || c.Case.Key != "sak-07-2025" {
		t.Fatalf("cost entry = %+v", c)
	}
	if log[1].Field != "APPROVED_END" || *log[1].NewDate != "2026-06-30" {
		t.Fatalf("schedule entry = %+v", log[1])
	}
}

type costOutAny struct {
	SetCostYear struct {
		UserErrors userErrs `json:"userErrors"`
	} `json:"setCostYear"`
}

// The default data carries the six goals for 2025 and the co-funding of
// «Enklere tilgang til informasjon», each with its sources.
func TestDefaultMoneyFactsCarrySources(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	var out struct {
		Goals []struct {
			Key        string `json:"key"`
			Number     string `json:"number"`
			Provenance struct {
				Confidence string `json:"confidence"`
				Sources    []struct {
					ID string `json:"id"`
				} `json:"sources"`
			} `json:"provenance"`
		} `json:"goals"`
		TiltakByKey struct {
			Finance struct {
				Funding []struct {
					Source       string `json:"source"`
					ConfirmedNok int64  `json:"confirmedNok"`
					Years        []struct {
						Year *int `json:"year"`
					} `json:"years"`
					Provenance struct {
						Sources []struct {
							ID string `json:"id"`
						} `json:"sources"`
					} `json:"provenance"`
				} `json:"funding"`
			} `json:"finance"`
			MoneySummary moneySum `json:"moneySummary"`
		} `json:"tiltakByKey"`
	}
	e.must("", `{ goals { key number provenance { confidence sources { id } } }
	  tiltakByKey(key: "enklere-tilgang-til-informasjon") { finance { funding { source confirmedNok years { year } provenance { sources { id } } } }
	    moneySummary { `+moneyFields+` } } }`, nil, &out)
	if len(out.Goals) != 6 || out.Goals[0].Number != "1" || out.Goals[5].Number != "6" {
		t.Fatalf("goals = %+v, want the six main goals by number", out.Goals)
	}
	for _, g := range out.Goals {
		if g.Provenance.Confidence == "" || len(g.Provenance.Sources) == 0 {
			t.Fatalf("goal %s has no sources: %+v", g.Key, g.Provenance)
		}
	}
	f := out.TiltakByKey.Finance.Funding
	if len(f) != 1 || f[0].Source != "CO_FUNDING" || f[0].ConfirmedNok != 57_383_633 || f[0].Years[0].Year != nil {
		t.Fatalf("ETI funding = %+v, want NOK 57 383 633 CO_FUNDING for the grant's whole life", f)
	}
	ids := []string{}
	for _, s := range f[0].Provenance.Sources {
		ids = append(ids, s.ID)
	}
	if !slices.Contains(ids, "S9b") {
		t.Fatalf("ETI funding sources = %v, want S9b", ids)
	}
	if out.TiltakByKey.MoneySummary.ConfirmedFundingNok != 57_383_633 {
		t.Fatalf("ETI money summary = %+v", out.TiltakByKey.MoneySummary)
	}
}

// The follow-up report carries the money of its tiltak for the year the
// period ends in: the sums, the variances over the threshold with their
// narratives, and the sums per focus area.
func TestFollowUpReportMoney(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	ed := e.token("digdir", store.RoleEditor)
	var out costOutAny
	e.must(ed, setCostYear, map[string]any{"in": map[string]any{"tiltakKey": "digitalt-dodsbo", "year": 2025, "baselineNok": 20_000_000,
		"forecastNok": 23_000_000, "narrative": "Nye krav"}}, &out)
	e.must(ed, setCostYear, map[string]any{"in": map[string]any{"tiltakKey": "nyinorge-no", "year": 2024, "baselineNok": 1_000_000}}, &out)
	var rep struct {
		FollowUpReport struct {
			Money struct {
				Year          int      `json:"year"`
				Summary       moneySum `json:"summary"`
				OverThreshold []struct {
					Tiltak          keyed   `json:"tiltak"`
					VariancePercent float64 `json:"variancePercent"`
					Narrative       string  `json:"narrative"`
				} `json:"overThreshold"`
				FocusAreas []struct {
					Key     string   `json:"key"`
					Summary moneySum `json:"summary"`
				} `json:"focusAreas"`
			} `json:"money"`
		} `json:"followUpReport"`
	}
	e.must("", `{ followUpReport(period: "2025-H2") { money { year summary { `+moneyFields+` }
	  overThreshold { tiltak { key } variancePercent narrative } focusAreas { key summary { `+moneyFields+` } } } } }`, nil, &rep)
	m := rep.FollowUpReport.Money
	if m.Year != 2025 || m.Summary.BaselineNok != 20_000_000 || m.Summary.ForecastNok != 23_000_000 {
		t.Fatalf("money of 2025 = %+v (the 2024 year must not count)", m)
	}
	if len(m.OverThreshold) != 1 || m.OverThreshold[0].Tiltak.Key != "digitalt-dodsbo" || math.Abs(m.OverThreshold[0].VariancePercent-15) > 1e-9 || m.OverThreshold[0].Narrative != "Nye krav" {
		t.Fatalf("overThreshold = %+v", m.OverThreshold)
	}
	var sum moneySum
	for _, f := range m.FocusAreas {
		sum.add(f.Summary)
	}
	if sum.BaselineNok != 20_000_000 {
		t.Fatalf("focus areas sum to %+v", sum)
	}
}
