package store

import (
	"context"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Goal is one of the strategy's goals (hovedmål) or a sub-goal (delmål)
// under one.
type Goal struct {
	Key         string `json:"key"`
	Number      string `json:"number,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// ParentKey is the goal a sub-goal belongs to.
	ParentKey string `json:"parentKey,omitempty"`
	Meta
}

// Indicator is a measured indicator (indikator) of a goal, with its weight
// in the goal's score, baseline, target, expected trajectory (forventet
// bane) and observations (målinger).
type Indicator struct {
	Key          string        `json:"key"`
	GoalKey      string        `json:"goalKey"`
	Name         string        `json:"name"`
	Unit         string        `json:"unit"`
	Source       string        `json:"source,omitempty"`
	Weight       float64       `json:"weight"`
	Baseline     YearValue     `json:"baseline"`
	Target       YearValue     `json:"target"`
	Trajectory   []YearValue   `json:"trajectory,omitempty"`
	Observations []Observation `json:"observations,omitempty"`
	Meta
}

// YearValue is a value at the end of a year.
type YearValue struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
}

// Observation is a measured value for a period: a year (YYYY, its end) or
// a reporting period (YYYY-H1 … YYYY-Q4).
type Observation struct {
	Period string  `json:"period"`
	Value  float64 `json:"value"`
}

func (g *Goal) entityKey() string      { return g.Key }
func (g *Goal) meta() *Meta            { return &g.Meta }
func (i *Indicator) entityKey() string { return i.Key }
func (i *Indicator) meta() *Meta       { return &i.Meta }

func (g *Goal) validate() error {
	for _, err := range []error{ValidateKey("key", g.Key), required("name", g.Name)} {
		if err != nil {
			return err
		}
	}
	if g.ParentKey == g.Key {
		return FieldErrorf(Invalid, "parentKey", "a goal cannot be its own sub-goal")
	}
	return nil
}

func (i *Indicator) validate() error {
	for _, err := range []error{ValidateKey("key", i.Key), ValidateKey("goalKey", i.GoalKey), required("name", i.Name), required("unit", i.Unit),
		validateYear("baseline.year", i.Baseline.Year), validateYear("target.year", i.Target.Year)} {
		if err != nil {
			return err
		}
	}
	if i.Weight <= 0 {
		return FieldErrorf(Invalid, "weight", "weight must be above 0, not %v", i.Weight)
	}
	if i.Target.Value == i.Baseline.Value {
		return FieldErrorf(Invalid, "target", "the target value must differ from the baseline value (%v)", i.Baseline.Value)
	}
	if i.Target.Year <= i.Baseline.Year {
		return FieldErrorf(Invalid, "target", "the target year %d must be after the baseline year %d", i.Target.Year, i.Baseline.Year)
	}
	seen := map[int]bool{}
	for _, p := range i.Trajectory {
		if err := validateYear("trajectory.year", p.Year); err != nil {
			return err
		}
		if seen[p.Year] {
			return FieldErrorf(Invalid, "trajectory", "trajectory lists %d twice", p.Year)
		}
		seen[p.Year] = true
	}
	for _, o := range i.Observations {
		if _, err := periodYears(o.Period); err != nil {
			return err
		}
	}
	return nil
}

// periodYears places a period on the year axis, at its end: YYYY is the
// end of the year (YYYY), YYYY-H1 mid-year (YYYY − 0.5), YYYY-Q1 YYYY − 0.75.
func periodYears(period string) (float64, error) {
	if len(period) == 4 {
		period += "-H2"
	}
	p, err := ParsePeriod(period)
	if err != nil {
		return 0, FieldErrorf(Invalid, "period", "period %q must be YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1 … YYYY-Q4", period)
	}
	return float64(p.End.Year()) - float64(12-int(p.End.Month()))/12, nil
}

var goalSpec = spec[Goal]{
	kind: KindGoal,
	refs: func(txn *badger.Txn, g *Goal) error {
		if err := exists(txn, "parentKey", KindGoal, g.ParentKey); err != nil {
			return err
		}
		if g.ParentKey != "" {
			p, err := txnGet[Goal](txn, KindGoal, g.ParentKey)
			if err != nil {
				return err
			}
			if p.ParentKey != "" {
				return FieldErrorf(Invalid, "parentKey", "goal %q is itself a sub-goal: sub-goals sit under a main goal", g.ParentKey)
			}
		}
		return nil
	},
	write: writeSimple(KindGoal, func(g *Goal) string { return g.Key }, goalDerived),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relGoalIndicator: "indicator", relGoalSub: "sub-goal", relGoalTiltak: "tiltak"})
	},
	drop:  dropSimple(goalDerived),
	event: EventMoneyChanged,
}

func goalDerived(g *Goal) derived {
	d := derived{}
	d.rel(relGoalSub, g.ParentKey, g.Key)
	return d
}

func indicatorDerived(i *Indicator) derived {
	d := derived{}
	d.rel(relGoalIndicator, i.GoalKey, i.Key)
	return d
}

var indicatorSpec = spec[Indicator]{
	kind:  KindIndicator,
	refs:  func(txn *badger.Txn, i *Indicator) error { return exists(txn, "goalKey", KindGoal, i.GoalKey) },
	write: writeSimple(KindIndicator, func(i *Indicator) string { return i.Key }, indicatorDerived),
	inUse: func(*badger.Txn, string) []string { return nil },
	drop:  dropSimple(indicatorDerived),
	event: EventMoneyChanged,
}

// CreateGoal stores a new goal. Returns Invalid, NotFound (parentKey) or Conflict.
func (db *DB) CreateGoal(ctx context.Context, a Actor, g *Goal) (*Goal, error) {
	return create(ctx, db, a, goalSpec, g)
}

// UpdateGoal changes a goal. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateGoal(ctx context.Context, a Actor, key string, x Expect, change func(*Goal) error) (*Goal, error) {
	return update(ctx, db, a, goalSpec, key, x, change)
}

// CreateIndicator stores a new indicator. Returns Invalid, NotFound
// (goalKey) or Conflict.
func (db *DB) CreateIndicator(ctx context.Context, a Actor, i *Indicator) (*Indicator, error) {
	sortIndicator(i)
	return create(ctx, db, a, indicatorSpec, i)
}

// UpdateIndicator changes an indicator. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateIndicator(ctx context.Context, a Actor, key string, x Expect, change func(*Indicator) error) (*Indicator, error) {
	return update(ctx, db, a, indicatorSpec, key, x, func(i *Indicator) error {
		if err := change(i); err != nil {
			return err
		}
		sortIndicator(i)
		return nil
	})
}

// RecordIndicatorObservation records an indicator's value for a period,
// replacing an earlier one for the same period. Returns NotFound for an
// unknown indicator (field key), Invalid for a bad period.
func (db *DB) RecordIndicatorObservation(ctx context.Context, a Actor, key string, o Observation) (*Indicator, error) {
	if _, err := periodYears(o.Period); err != nil {
		return nil, err
	}
	return db.UpdateIndicator(ctx, a, key, Expect{}, func(i *Indicator) error {
		for j := range i.Observations {
			if i.Observations[j].Period == o.Period {
				i.Observations[j].Value = o.Value
				return nil
			}
		}
		i.Observations = append(i.Observations, o)
		return nil
	})
}

func sortIndicator(i *Indicator) {
	sort.Slice(i.Trajectory, func(a, b int) bool { return i.Trajectory[a].Year < i.Trajectory[b].Year })
	sort.SliceStable(i.Observations, func(a, b int) bool {
		x, _ := periodYears(i.Observations[a].Period)
		y, _ := periodYears(i.Observations[b].Period)
		return x < y
	})
}

// Goal returns the goal with key. Returns NotFound if none.
func (s *Snapshot) Goal(key string) (*Goal, error) { return getOne[Goal](s, KindGoal, key) }

// Goals returns the main goals (mainOnly) or every goal, by number then key.
func (s *Snapshot) Goals(mainOnly bool) ([]*Goal, error) {
	all, err := listRecords[Goal](s, KindGoal)
	out := []*Goal{}
	for _, g := range all {
		if !mainOnly || g.ParentKey == "" {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, err
}

// SubGoals returns a goal's sub-goals by key.
func (s *Snapshot) SubGoals(key string) ([]*Goal, error) {
	return getRecords[Goal](s, KindGoal, s.relatedKeys(relGoalSub, key))
}

// Indicator returns the indicator with key. Returns NotFound if none.
func (s *Snapshot) Indicator(key string) (*Indicator, error) {
	return getOne[Indicator](s, KindIndicator, key)
}

// Indicators returns a goal's indicators by key.
func (s *Snapshot) Indicators(goalKey string) ([]*Indicator, error) {
	return getRecords[Indicator](s, KindIndicator, s.relatedKeys(relGoalIndicator, goalKey))
}

// GoalTiltakKeys returns the keys of the tiltak linked to a goal.
func (s *Snapshot) GoalTiltakKeys(goalKey string) []string {
	return s.relatedKeys(relGoalTiltak, goalKey)
}

// LinkTiltakGoal links a tiltak to a goal; primary makes it the tiltak's
// one primary goal (the first link is primary anyway). Linking again
// changes only primary. Returns NotFound for an unknown tiltak or goal.
func (db *DB) LinkTiltakGoal(ctx context.Context, actor Actor, tiltakKey, goalKey string, primary bool) (*TiltakFinance, error) {
	return db.changeFinance(ctx, actor, tiltakKey, func(txn *badger.Txn, f *TiltakFinance, _ MoneySettings, _ time.Time) error {
		if err := required("goalKey", goalKey); err != nil {
			return err
		}
		if err := exists(txn, "goalKey", KindGoal, goalKey); err != nil {
			return err
		}
		found := false
		for _, g := range f.Goals {
			found = found || g.GoalKey == goalKey
		}
		if !found {
			f.Goals = append(f.Goals, GoalLink{GoalKey: goalKey})
		}
		if primary || len(f.Goals) == 1 {
			for i := range f.Goals {
				f.Goals[i].Primary = f.Goals[i].GoalKey == goalKey
			}
		}
		return nil
	})
}

// UnlinkTiltakGoal removes a goal link; when it was primary, the first
// remaining link becomes primary. Returns NotFound for an unknown link.
func (db *DB) UnlinkTiltakGoal(ctx context.Context, actor Actor, tiltakKey, goalKey string) (*TiltakFinance, error) {
	return db.changeFinance(ctx, actor, tiltakKey, func(_ *badger.Txn, f *TiltakFinance, _ MoneySettings, _ time.Time) error {
		for i, g := range f.Goals {
			if g.GoalKey == goalKey {
				f.Goals = append(f.Goals[:i], f.Goals[i+1:]...)
				if g.Primary && len(f.Goals) > 0 {
					f.Goals[0].Primary = true
				}
				return nil
			}
		}
		return FieldErrorf(NotFound, "goalKey", "tiltak %q is not linked to goal %q", tiltakKey, goalKey)
	})
}

// DescriptionOrNull returns the description, or nil.
func (g *Goal) DescriptionOrNull() *string { return orNull(g.Description) }

// NumberOrNull returns the number, or nil.
func (g *Goal) NumberOrNull() *string { return orNull(g.Number) }

// SourceOrNull returns the indicator's source, or nil.
func (i *Indicator) SourceOrNull() *string { return orNull(i.Source) }
