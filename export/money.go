package export

import (
	"strconv"
	"strings"

	"handlingsplan/store"
)

// The money files: cost years, funding lines, the benefits register, the
// goals with their scores, and the money roll-up. Kroner are whole numbers.
// They are live files only (/export/, not /open-data/{period}/): money keeps
// no history by period, so a file «as it stood» would show today's figures.

// liveTables are the files served only as they stand now.
var liveTables = []*table{costTable, fundingTable, benefitTable, goalTable, moneyRollupTable}

func liveTableNamed(name string) *table {
	for _, t := range liveTables {
		if t.name == name {
			return t
		}
	}
	return nil
}

// withLiveTables adds the live files to the index's map of live files.
func withLiveTables(m map[string]string) map[string]string {
	for _, t := range liveTables {
		for _, ext := range []string{"csv", "json"} {
			m[t.name+"."+ext] = ExportPath + t.name + "." + ext
		}
	}
	return m
}

var moneyTiltakParams = []string{"tiltakKey", "bodyKey", "focusAreaKey"}

var costTable = &table{
	name: "costs",
	columns: []column{{"tiltakKey", typeKey}, {"tiltakTitle", typeText}, {"responsibleKey", typeKey}, {"year", typeInt},
		{"baselineNok", typeInt}, {"forecastNok", typeInt}, {"actualNok", typeInt}, {"variancePercent", typeNumber}, {"narrative", typeText}},
	params: append(moneyTiltakParams[:3:3], "year"),
	rows:   costRows,
}

var fundingTable = &table{
	name: "funding",
	columns: []column{{"tiltakKey", typeKey}, {"tiltakTitle", typeText}, {"responsibleKey", typeKey}, {"fundingKey", typeKey},
		{"source", typeKey}, {"grantRef", typeText}, {"purpose", typeKey}, {"year", typeInt}, {"amountNok", typeInt}, {"status", typeKey},
		{"sharePercent", typeInt}, {"confidence", typeKey}},
	params: moneyTiltakParams,
	rows:   fundingRows,
}

var benefitTable = &table{
	name: "benefits",
	columns: []column{{"key", typeKey}, {"tiltakKey", typeKey}, {"tiltakTitle", typeText}, {"title", typeText}, {"type", typeKey},
		{"priced", typeKey}, {"responsible", typeText}, {"ownerKeys", typeKeys}, {"indicatorName", typeText}, {"indicatorUnit", typeText},
		{"baselineValue", typeNumber}, {"baselineMeasuredAt", typeDate}, {"targetValue", typeNumber}, {"targetBy", typeDate},
		{"latestPeriod", typeKey}, {"latestValue", typeNumber}, {"budgetCutCommittedNok", typeInt}, {"state", typeKey},
		{"followUntil", typeDate}, {"version", typeInt}},
	params: moneyTiltakParams,
	rows:   benefitRows,
}

var goalTable = &table{
	name: "goals",
	columns: []column{{"key", typeKey}, {"number", typeKey}, {"name", typeText}, {"parentKey", typeKey}, {"score", typeNumber},
		{"band", typeKey}, {"projectedScore", typeNumber}, {"indicatorCount", typeInt}, {"tiltakCount", typeInt}, {"confidence", typeKey}},
	rows: goalRows,
}

var moneyRollupTable = &table{
	name: "money-rollup",
	columns: []column{{"scope", typeKey}, {"key", typeKey}, {"name", typeText}, {"tiltakCount", typeInt}, {"baselineNok", typeInt},
		{"forecastNok", typeInt}, {"actualNok", typeInt}, {"variancePercent", typeNumber}, {"wholeLifeCostNok", typeInt},
		{"confirmedFundingNok", typeInt}, {"fundingGapNok", typeInt}, {"operationsUnfunded", typeInt}, {"benefitCount", typeInt},
		{"budgetCutCommittedNok", typeInt}},
	params: []string{"by", "year"},
	rows:   moneyRollupRows,
}

// kroner writes an amount (Go's int is 64 bits on every platform we build).
func kroner(v *int64) any {
	if v == nil {
		return nil
	}
	return int(*v)
}

func (p *params) year(name string) *int {
	s := p.str(name)
	if s == "" || p.err != nil {
		return nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2100 {
		p.fail(badParam(name, "%q is not a fiscal year 2000–2100", s))
		return nil
	}
	return &y
}

// moneyTiltak returns the tiltak the money parameters select, by key.
func moneyTiltak(v *view, p *params) ([]*store.Tiltak, error) {
	key := p.tiltakKey("tiltakKey")
	f := store.TiltakFilter{ResponsibleKey: p.bodyKey("bodyKey"), FocusAreaKey: p.focusAreaKey("focusAreaKey")}
	if p.err != nil {
		return nil, nil
	}
	ts, err := v.tiltak(f)
	if err != nil || key == "" {
		return ts, err
	}
	for _, t := range ts {
		if t.Key == key {
			return []*store.Tiltak{t}, nil
		}
	}
	return nil, nil
}

func costRows(v *view, p *params) ([]row, error) {
	year := p.year("year")
	ts, err := moneyTiltak(v, p)
	if err != nil || p.err != nil {
		return nil, err
	}
	var out []row
	for _, t := range ts {
		f, err := v.snap.TiltakFinance(t.Key)
		if err != nil {
			return nil, err
		}
		for _, c := range f.CostYears {
			if year != nil && c.Year != *year {
				continue
			}
			out = append(out, row{t.Key, t.Title, t.ResponsibleKey, c.Year, kroner(c.BaselineNok), kroner(c.ForecastNok),
				kroner(c.ActualNok), c.VariancePercent(), opt(c.Narrative)})
		}
	}
	return out, nil
}

func fundingRows(v *view, p *params) ([]row, error) {
	ts, err := moneyTiltak(v, p)
	if err != nil || p.err != nil {
		return nil, err
	}
	var out []row
	for _, t := range ts {
		f, err := v.snap.TiltakFinance(t.Key)
		if err != nil {
			return nil, err
		}
		for _, l := range f.Funding {
			var conf any
			if l.Provenance != nil {
				conf = string(l.Provenance.Confidence)
			}
			for _, y := range l.Years {
				out = append(out, row{t.Key, t.Title, t.ResponsibleKey, l.Key, string(l.Source), opt(l.GrantRef), string(l.Purpose),
					y.Year, int(y.AmountNok), string(y.Status), l.SharePercent, conf})
			}
		}
	}
	return out, nil
}

func benefitRows(v *view, p *params) ([]row, error) {
	ts, err := moneyTiltak(v, p)
	if err != nil || p.err != nil {
		return nil, err
	}
	var out []row
	for _, t := range ts {
		bs, err := v.snap.Benefits(t.Key)
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			r := row{b.Key, t.Key, t.Title, b.Title, string(b.Type), strconv.FormatBool(b.Priced), opt(b.Responsible), b.OwnerKeys,
				b.Indicator.Name, b.Indicator.Unit, nil, nil, nil, nil, nil, nil, kroner(b.BudgetCutCommittedNok), string(b.State),
				opt(b.FollowUntil), b.Version}
			if b.Baseline != nil {
				r[10], r[11] = b.Baseline.Value, b.Baseline.MeasuredAt
			}
			if b.Target != nil {
				r[12], r[13] = b.Target.Value, b.Target.By
			}
			if l := b.LatestRealisation(); l != nil {
				r[14], r[15] = l.Period, l.Value
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func goalRows(v *view, _ *params) ([]row, error) {
	gs, err := v.snap.Goals(false)
	if err != nil {
		return nil, err
	}
	var out []row
	for _, g := range gs {
		sc, err := v.snap.GoalScore(g.Key)
		if err != nil {
			return nil, err
		}
		var band, conf any
		if sc.Band != nil {
			band = string(*sc.Band)
		}
		if g.Provenance != nil {
			conf = string(g.Provenance.Confidence)
		}
		out = append(out, row{g.Key, opt(g.Number), g.Name, opt(g.ParentKey), sc.Score, band, sc.ProjectedScore,
			len(sc.Indicators), len(v.snap.GoalTiltakKeys(g.Key)), conf})
	}
	return out, nil
}

func moneyRollupRows(v *view, p *params) ([]row, error) {
	by := store.ScopeFocusArea
	if s := p.str("by"); s != "" {
		by = store.MoneyScope(strings.ToUpper(s))
		if !strings.Contains(" FOCUS_AREA LIFE_EVENT BODY GOVERNANCE_LEVEL ", " "+string(by)+" ") {
			p.fail(badParam("by", "%q is not one of FOCUS_AREA, LIFE_EVENT, BODY, GOVERNANCE_LEVEL", s))
		}
	}
	year := p.year("year")
	if p.err != nil {
		return nil, nil
	}
	rows, err := v.snap.MoneyRollup(by, year)
	if err != nil {
		return nil, err
	}
	var out []row
	for _, r := range rows {
		m := r.Figures
		out = append(out, row{string(by), r.Key, r.Name, m.TiltakCount, int(m.BaselineNok), int(m.ForecastNok), int(m.ActualNok),
			m.VariancePercent(), int(m.WholeLifeCostNok), int(m.ConfirmedFundingNok), int(m.FundingGapNok), m.OperationsUnfunded,
			m.Benefits, int(m.BudgetCutCommittedNok)})
	}
	return out, nil
}
