package report

import (
	"fmt"
	"strconv"
	"strings"

	"handlingsplan/store"
)

// moneyView is the report's money and benefits section (økonomi og
// gevinster), formatted: kroner with thin-space thousands, percentages with
// one decimal.
type moneyView struct {
	Year, Threshold            int
	Baseline, Forecast, Actual string
	Variance, Confirmed, Gap   string
	Benefits                   int
	BudgetCut                  string
	OverThreshold              []moneyVariance
	OperationsUnfunded         []string
	FocusAreas                 []moneyRow
}

type moneyVariance struct {
	Title, Body, Baseline, Forecast, Variance, Narrative string
}

type moneyRow struct {
	Name, Baseline, Forecast, Variance, Confirmed, Gap string
	Unfunded, Benefits                                 int
}

func moneyViewOf(m *store.MoneyReport, n *names) *moneyView {
	if m == nil {
		return nil
	}
	s := m.Summary
	v := &moneyView{Year: m.Year, Threshold: m.VarianceThresholdPercent, Baseline: nok(s.BaselineNok), Forecast: nok(s.ForecastNok),
		Actual: nok(s.ActualNok), Variance: percent(s.VariancePercent()), Confirmed: nok(s.ConfirmedFundingNok), Gap: nok(s.FundingGapNok),
		Benefits: s.Benefits, BudgetCut: nok(s.BudgetCutCommittedNok)}
	for _, c := range m.OverThreshold {
		v.OverThreshold = append(v.OverThreshold, moneyVariance{Title: c.Tiltak.Title, Body: n.body(c.Tiltak.ResponsibleKey),
			Baseline: nokp(c.BaselineNok), Forecast: nokp(c.ForecastNok), Variance: percent(c.VariancePercent()), Narrative: c.Narrative})
	}
	for _, t := range m.OperationsUnfunded {
		v.OperationsUnfunded = append(v.OperationsUnfunded, t.Title+" ("+n.body(t.ResponsibleKey)+")")
	}
	for _, r := range m.FocusAreas {
		f := r.Figures
		v.FocusAreas = append(v.FocusAreas, moneyRow{Name: r.Name, Baseline: nok(f.BaselineNok), Forecast: nok(f.ForecastNok),
			Variance: percent(f.VariancePercent()), Confirmed: nok(f.ConfirmedFundingNok), Gap: nok(f.FundingGapNok),
			Unfunded: f.OperationsUnfunded, Benefits: f.Benefits})
	}
	return v
}

// nok writes whole kroner with spaces between thousands: 57 383 633.
func nok(v int64) string {
	s := strconv.FormatInt(max(v, -v), 10)
	var b strings.Builder
	if v < 0 {
		b.WriteString("−")
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(c)
	}
	return b.String()
}

func nokp(v *int64) string {
	if v == nil {
		return "–"
	}
	return nok(*v)
}

func percent(p *float64) string {
	if p == nil {
		return "–"
	}
	return strings.Replace(fmt.Sprintf("%+.1f %%", *p), ".", ",", 1)
}
