package store

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// CostYearInput is a change of one fiscal year's cost: nil leaves a value
// as it is. The baseline may be set once; after that only [DB.Rebaseline]
// changes it.
type CostYearInput struct {
	Year        int
	BaselineNok *int64
	ForecastNok *int64
	ActualNok   *int64
	Narrative   *string
}

// overThreshold reports whether v differs from baseline by more than
// threshold percent, in integer arithmetic: |v−b|·100 > threshold·b.
func overThreshold(baseline, v *int64, threshold int) bool {
	if baseline == nil || v == nil {
		return false
	}
	d := *v - *baseline
	if d < 0 {
		d = -d
	}
	return d*100 > int64(threshold)**baseline
}

// check refuses a year whose forecast or actual passes the variance
// threshold without a narrative.
func (c *CostYear) check(threshold int) error {
	if c.Narrative != "" {
		return nil
	}
	for name, v := range map[string]*int64{"forecastNok": c.ForecastNok, "actualNok": c.ActualNok} {
		if overThreshold(c.BaselineNok, v, threshold) {
			return FieldErrorf(Invalid, "narrative", "%s %d differs from the baseline %d of %d by more than %d %%: a narrative (avviksforklaring) is required",
				name, *v, *c.BaselineNok, c.Year, threshold)
		}
	}
	return nil
}

// VariancePercent is the forecast's variance from the baseline in percent
// (positive: over), nil without both or with a zero baseline.
func (c *CostYear) VariancePercent() *float64 { return variancePercent(c.BaselineNok, c.ForecastNok) }

func variancePercent(baseline, forecast *int64) *float64 {
	if baseline == nil || forecast == nil || *baseline == 0 {
		return nil
	}
	v := float64(*forecast-*baseline) * 100 / float64(*baseline)
	return &v
}

// NarrativeOrNull returns the narrative, or nil.
func (c *CostYear) NarrativeOrNull() *string { return orNull(c.Narrative) }

// SetCostYear sets a tiltak's baseline (once), forecast, actual and
// narrative for a fiscal year. Returns NotFound for an unknown tiltak and
// Invalid for a bad amount, a changed baseline (use Rebaseline) or a
// variance over the threshold without a narrative (field narrative).
func (db *DB) SetCostYear(ctx context.Context, actor Actor, tiltakKey string, in CostYearInput) (*TiltakFinance, error) {
	if err := validateYear("year", in.Year); err != nil {
		return nil, err
	}
	for field, v := range map[string]*int64{"baselineNok": in.BaselineNok, "forecastNok": in.ForecastNok, "actualNok": in.ActualNok} {
		if err := validateNok(field, v); err != nil {
			return nil, err
		}
	}
	return db.changeFinance(ctx, actor, tiltakKey, func(_ *badger.Txn, f *TiltakFinance, set MoneySettings, _ time.Time) error {
		c := f.costYear(in.Year)
		if in.BaselineNok != nil {
			if c.BaselineNok != nil && *c.BaselineNok != *in.BaselineNok {
				return FieldErrorf(Invalid, "baselineNok", "the baseline of %d is already %d: change it with rebaseline, naming the reason, who approved it and the case", in.Year, *c.BaselineNok)
			}
			c.BaselineNok = in.BaselineNok
		}
		setPtr(&c.ForecastNok, in.ForecastNok)
		setPtr(&c.ActualNok, in.ActualNok)
		setIf(&c.Narrative, in.Narrative)
		return c.check(set.VarianceThresholdPercent)
	})
}

func setPtr[T any](dst **T, src *T) {
	if src != nil {
		v := *src
		*dst = &v
	}
}

// costYear returns the entry for year, adding it in order when missing.
func (f *TiltakFinance) costYear(year int) *CostYear {
	for i := range f.CostYears {
		if f.CostYears[i].Year == year {
			return &f.CostYears[i]
		}
	}
	f.CostYears = append(f.CostYears, CostYear{Year: year})
	sort.Slice(f.CostYears, func(i, j int) bool { return f.CostYears[i].Year < f.CostYears[j].Year })
	for i := range f.CostYears {
		if f.CostYears[i].Year == year {
			return &f.CostYears[i]
		}
	}
	return nil
}

// ScheduleInput changes a schedule: nil leaves a value as it is. The
// approved dates may be set once; after that only Rebaseline changes them.
type ScheduleInput struct {
	ApprovedStart, ApprovedEnd, ForecastEnd, DeviationNarrative *string
}

// SetSchedule sets a tiltak's approved start and end (once each), its
// forecast end and deviation narrative. Returns NotFound for an unknown
// tiltak and Invalid for a bad date, a changed approved date or a forecast
// end after the approved end without a deviationNarrative.
func (db *DB) SetSchedule(ctx context.Context, actor Actor, tiltakKey string, in ScheduleInput) (*TiltakFinance, error) {
	for field, v := range map[string]*string{"approvedStart": in.ApprovedStart, "approvedEnd": in.ApprovedEnd, "forecastEnd": in.ForecastEnd} {
		if v != nil {
			if err := ValidateDate(field, *v); err != nil {
				return nil, err
			}
		}
	}
	return db.changeFinance(ctx, actor, tiltakKey, func(_ *badger.Txn, f *TiltakFinance, _ MoneySettings, _ time.Time) error {
		s := &f.Schedule
		for field, p := range map[string][2]*string{"approvedStart": {&s.ApprovedStart, in.ApprovedStart}, "approvedEnd": {&s.ApprovedEnd, in.ApprovedEnd}} {
			if p[1] != nil && *p[0] != "" && *p[0] != *p[1] {
				return FieldErrorf(Invalid, field, "%s is already %s: change it with rebaseline, naming the reason, who approved it and the case", field, *p[0])
			}
			setIf(p[0], p[1])
		}
		setIf(&s.ForecastEnd, in.ForecastEnd)
		setIf(&s.DeviationNarrative, in.DeviationNarrative)
		return s.check()
	})
}

func (s *Schedule) check() error {
	if s.ApprovedStart != "" && s.ApprovedEnd != "" && s.ApprovedEnd < s.ApprovedStart {
		return FieldErrorf(Invalid, "approvedEnd", "approvedEnd %s is before approvedStart %s", s.ApprovedEnd, s.ApprovedStart)
	}
	if s.Delayed() && s.DeviationNarrative == "" {
		return FieldErrorf(Invalid, "deviationNarrative", "forecastEnd %s is after approvedEnd %s: a deviationNarrative is required", s.ForecastEnd, s.ApprovedEnd)
	}
	return nil
}

// Delayed reports whether the forecast end is after the approved end.
func (s *Schedule) Delayed() bool {
	return s.ApprovedEnd != "" && s.ForecastEnd != "" && s.ForecastEnd > s.ApprovedEnd
}

// DeviationDays is how many days the forecast end is after (positive) or
// before the approved end; nil without both.
func (s *Schedule) DeviationDays() *int {
	a, err1 := time.Parse(time.DateOnly, s.ApprovedEnd)
	f, err2 := time.Parse(time.DateOnly, s.ForecastEnd)
	if err1 != nil || err2 != nil {
		return nil
	}
	d := int(f.Sub(a).Hours() / 24)
	return &d
}

// RebaselineInput changes approved baselines, each logged with the reason,
// who approved it and the forum case (sak) that decided it.
type RebaselineInput struct {
	// Year and BaselineNok change a fiscal year's cost baseline.
	Year          *int
	BaselineNok   *int64
	ApprovedStart *string
	ApprovedEnd   *string
	// Narrative replaces the year's narrative (needed when the new
	// baseline leaves the forecast over the threshold).
	Narrative  *string
	Reason     string
	ApprovedBy string
	CaseKey    string
}

// Rebaseline changes approved baselines and logs each change with its old
// and new value. Returns NotFound for an unknown tiltak or case (field
// caseKey) and Invalid for missing reason, approvedBy or change.
func (db *DB) Rebaseline(ctx context.Context, actor Actor, tiltakKey string, in RebaselineInput) (*TiltakFinance, error) {
	for _, err := range []error{required("reason", in.Reason), required("approvedBy", in.ApprovedBy), required("caseKey", in.CaseKey)} {
		if err != nil {
			return nil, err
		}
	}
	if in.BaselineNok == nil && in.ApprovedStart == nil && in.ApprovedEnd == nil {
		return nil, FieldErrorf(Invalid, "baselineNok", "rebaseline needs a new baselineNok (with year), approvedStart or approvedEnd")
	}
	if (in.Year == nil) != (in.BaselineNok == nil) {
		return nil, FieldErrorf(Invalid, "year", "year and baselineNok go together")
	}
	if in.Year != nil {
		if err := validateYear("year", *in.Year); err != nil {
			return nil, err
		}
	}
	if err := validateNok("baselineNok", in.BaselineNok); err != nil {
		return nil, err
	}
	for field, v := range map[string]*string{"approvedStart": in.ApprovedStart, "approvedEnd": in.ApprovedEnd} {
		if v != nil {
			if err := ValidateDate(field, *v); err != nil {
				return nil, err
			}
		}
	}
	actor.Reason, actor.DecidedIn = in.Reason, in.CaseKey
	return db.changeFinance(ctx, actor, tiltakKey, func(txn *badger.Txn, f *TiltakFinance, set MoneySettings, now time.Time) error {
		if err := exists(txn, "caseKey", KindCase, in.CaseKey); err != nil {
			return err
		}
		entry := Rebaseline{At: now, Reason: in.Reason, ApprovedBy: in.ApprovedBy, CaseKey: in.CaseKey}
		if in.BaselineNok != nil {
			c := f.costYear(*in.Year)
			e := entry
			e.Field, e.Year, e.OldNok, e.NewNok = RebaselineCost, in.Year, c.BaselineNok, in.BaselineNok
			c.BaselineNok = in.BaselineNok
			setIf(&c.Narrative, in.Narrative)
			if err := c.check(set.VarianceThresholdPercent); err != nil {
				return err
			}
			f.Rebaselines = append(f.Rebaselines, e)
		}
		for _, d := range []struct {
			field RebaselineField
			dst   *string
			v     *string
		}{{RebaselineApprovedStart, &f.Schedule.ApprovedStart, in.ApprovedStart}, {RebaselineApprovedEnd, &f.Schedule.ApprovedEnd, in.ApprovedEnd}} {
			if d.v == nil {
				continue
			}
			e := entry
			e.Field, e.OldDate, e.NewDate = d.field, *d.dst, *d.v
			*d.dst = *d.v
			f.Rebaselines = append(f.Rebaselines, e)
		}
		return f.Schedule.check()
	})
}

// Label names the changed value: "COST_BASELINE 2025", "APPROVED_END".
func (r *Rebaseline) Label() string {
	if r.Year != nil {
		return string(r.Field) + " " + strconv.Itoa(*r.Year)
	}
	return string(r.Field)
}

// OldDateOrNull returns the old date, or nil.
func (r *Rebaseline) OldDateOrNull() *string { return orNull(r.OldDate) }

// NewDateOrNull returns the new date, or nil.
func (r *Rebaseline) NewDateOrNull() *string { return orNull(r.NewDate) }

// WholeLifeCostNok is the tiltak's whole-life cost (livssykluskostnad):
// over every fiscal year, the actual where given, else the forecast, else
// the baseline. Nil when no year has a figure.
func (f *TiltakFinance) WholeLifeCostNok() *int64 {
	var sum int64
	any := false
	for _, c := range f.CostYears {
		if v := bestEstimate(&c); v != nil {
			sum += *v
			any = true
		}
	}
	if !any {
		return nil
	}
	return &sum
}

func bestEstimate(c *CostYear) *int64 {
	switch {
	case c.ActualNok != nil:
		return c.ActualNok
	case c.ForecastNok != nil:
		return c.ForecastNok
	}
	return c.BaselineNok
}
