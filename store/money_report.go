package store

import (
	"sort"
)

// MoneyReport is the money and benefits section of the follow-up report:
// for the fiscal year the period falls in, the cost, funding and benefits
// of the report's tiltak, the cost years whose variance passes the
// threshold (with their narratives), the tiltak whose operations are
// unfunded, and the sums per focus area.
type MoneyReport struct {
	Year                     int
	VarianceThresholdPercent int
	Summary                  *MoneyFigures
	// OverThreshold are the year's cost variances over the threshold, the
	// largest first.
	OverThreshold []*CostVariance
	// OperationsUnfunded are the tiltak near completion with no confirmed
	// operations money, by key.
	OperationsUnfunded []*Tiltak
	// FocusAreas are the year's sums per focus area, by key.
	FocusAreas []*MoneyRollupRow
}

// CostVariance is one tiltak's cost year with its variance.
type CostVariance struct {
	Tiltak *Tiltak
	CostYear
}

// followUpMoney builds the money section over the tiltak with keys.
func (s *Snapshot) followUpMoney(keys []string, per Period) (*MoneyReport, error) {
	set, err := s.MoneySettings()
	if err != nil {
		return nil, err
	}
	year := per.End.Year()
	out := &MoneyReport{Year: year, VarianceThresholdPercent: set.VarianceThresholdPercent, OverThreshold: []*CostVariance{},
		OperationsUnfunded: []*Tiltak{}, FocusAreas: []*MoneyRollupRow{}}
	if out.Summary, err = s.sumFigures(keys, &year); err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, k := range keys {
		in[k] = true
		t, err := s.Tiltak(k)
		if err != nil {
			return nil, err
		}
		f, err := s.TiltakFinance(k)
		if err != nil {
			return nil, err
		}
		if OperationsUnfunded(t, f) {
			out.OperationsUnfunded = append(out.OperationsUnfunded, t)
		}
		for _, c := range f.CostYears {
			if c.Year == year && (overThreshold(c.BaselineNok, c.ForecastNok, set.VarianceThresholdPercent) || overThreshold(c.BaselineNok, c.ActualNok, set.VarianceThresholdPercent)) {
				out.OverThreshold = append(out.OverThreshold, &CostVariance{Tiltak: t, CostYear: c})
			}
		}
	}
	sort.SliceStable(out.OverThreshold, func(i, j int) bool {
		return absVariance(out.OverThreshold[i]) > absVariance(out.OverThreshold[j])
	})
	rows, err := s.MoneyRollup(ScopeFocusArea, &year)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		var ks []string
		for _, k := range s.relatedKeys(relFocusAreaTiltak, r.Key) {
			if in[k] {
				ks = append(ks, k)
			}
		}
		if len(ks) == 0 {
			continue
		}
		if r.Figures, err = s.sumFigures(ks, &year); err != nil {
			return nil, err
		}
		out.FocusAreas = append(out.FocusAreas, r)
	}
	return out, nil
}

func absVariance(c *CostVariance) float64 {
	if v := c.VariancePercent(); v != nil {
		return max(*v, -*v)
	}
	return 0
}
