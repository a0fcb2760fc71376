package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// MoneyPlan is the money section of a [Plan] document: the settings when
// changed, the goals with their indicators, the segments, every tiltak's
// money record and the benefits register. Export writes it only when the
// store holds any of it, so a plan without money round-trips unchanged.
type MoneyPlan struct {
	Settings   *MoneySettings  `json:"settings,omitempty"`
	Goals      []Goal          `json:"goals,omitempty"`
	Indicators []Indicator     `json:"indicators,omitempty"`
	Segments   []Segment       `json:"segments,omitempty"`
	Finance    []TiltakFinance `json:"finance,omitempty"`
	Benefits   []Benefit       `json:"benefits,omitempty"`
}

func (m *MoneyPlan) empty() bool {
	return m.Settings == nil && len(m.Goals)+len(m.Indicators)+len(m.Segments)+len(m.Finance)+len(m.Benefits) == 0
}

// checkMoney checks the money section against itself and the plan: every
// record valid, every key unique, every reference resolved.
func checkMoney(p *Plan) error {
	m := p.Money
	if m == nil {
		return nil
	}
	tiltak, bodies := map[string]bool{}, map[string]bool{}
	for i := range p.Tiltak {
		tiltak[p.Tiltak[i].Key] = true
	}
	for i := range p.Bodies {
		bodies[p.Bodies[i].Key] = true
	}
	at := func(kind Kind, key string, err error) error {
		if err == nil {
			return nil
		}
		if e, ok := err.(*Error); ok {
			return &Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("money: %s %q: %s", kindLabel(kind), key, e.Message)}
		}
		return err
	}
	ref := func(ok bool, field, key string) error {
		if !ok {
			return FieldErrorf(NotFound, field, "%s refers to %q, which does not exist", field, key)
		}
		return nil
	}
	if m.Settings != nil {
		if err := at(KindMoneySettings, "plan", m.Settings.validate()); err != nil {
			return err
		}
	}
	goals, segments := map[string]bool{}, map[string]bool{}
	for i := range m.Goals {
		goals[m.Goals[i].Key] = true
	}
	for i := range m.Goals {
		g := &m.Goals[i]
		if err := at(KindGoal, g.Key, firstErr(g.validate(), ref(g.ParentKey == "" || goals[g.ParentKey], "parentKey", g.ParentKey))); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i := range m.Indicators {
		x := &m.Indicators[i]
		if err := at(KindIndicator, x.Key, firstErr(x.validate(), ref(goals[x.GoalKey], "goalKey", x.GoalKey), unique(seen, x.Key))); err != nil {
			return err
		}
	}
	for i := range m.Segments {
		g := &m.Segments[i]
		segments[g.Key] = true
		if err := at(KindSegment, g.Key, g.validate()); err != nil {
			return err
		}
	}
	set := DefaultMoneySettings
	if m.Settings != nil {
		set = *m.Settings
	}
	seen = map[string]bool{}
	for i := range m.Finance {
		f := &m.Finance[i]
		err := firstErr(ref(tiltak[f.TiltakKey], "tiltakKey", f.TiltakKey), ref(f.SegmentKey == "" || segments[f.SegmentKey], "segmentKey", f.SegmentKey), unique(seen, f.TiltakKey))
		for j := range f.Funding {
			err = firstErr(err, f.Funding[j].validate())
		}
		for j := range f.CostYears {
			err = firstErr(err, f.CostYears[j].check(set.VarianceThresholdPercent))
		}
		for _, g := range f.Goals {
			err = firstErr(err, ref(goals[g.GoalKey], "goals", g.GoalKey))
		}
		if err := at(KindFinance, f.TiltakKey, err); err != nil {
			return err
		}
	}
	seen = map[string]bool{}
	for i := range m.Benefits {
		b := &m.Benefits[i]
		err := firstErr(b.validate(), ref(tiltak[b.TiltakKey], "tiltakKey", b.TiltakKey), unique(seen, b.Key))
		for _, o := range b.OwnerKeys {
			err = firstErr(err, ref(bodies[o], "ownerKeys", o))
		}
		if err := at(KindBenefit, b.Key, err); err != nil {
			return err
		}
	}
	return nil
}

func unique(seen map[string]bool, key string) error {
	if seen[key] {
		return FieldErrorf(Conflict, "key", "%q is listed twice", key)
	}
	seen[key] = true
	return nil
}

// importMoney writes the money section through put (see [DB.ImportPlan]).
func importMoney(p *Plan, put func(kind Kind, key string, rec any, m *Meta, d derived) error, emit func(k string, v []byte)) error {
	if err := checkMoney(p); err != nil {
		return err
	}
	m := p.Money
	if m == nil {
		return nil
	}
	var errs []error
	if m.Settings != nil {
		b, err := encode(m.Settings)
		errs = append(errs, err)
		emit(string(keyMoneySettings), b)
	}
	for i := range m.Goals {
		g := &m.Goals[i]
		errs = append(errs, put(KindGoal, g.Key, g, &g.Meta, goalDerived(g)))
	}
	for i := range m.Indicators {
		x := &m.Indicators[i]
		errs = append(errs, put(KindIndicator, x.Key, x, &x.Meta, indicatorDerived(x)))
	}
	for i := range m.Segments {
		g := &m.Segments[i]
		errs = append(errs, put(KindSegment, g.Key, g, &g.Meta, derived{}))
	}
	for i := range m.Finance {
		f := &m.Finance[i]
		errs = append(errs, put(KindFinance, f.TiltakKey, f, &f.Meta, financeDerived(f)))
	}
	for i := range m.Benefits {
		b := &m.Benefits[i]
		errs = append(errs, put(KindBenefit, b.Key, b, &b.Meta, benefitDerived(b)))
	}
	return firstErr(errs...)
}

// exportMoney reads the money section, each kind by key; nil when the
// store holds no money.
func exportMoney(ctx context.Context, txn *badger.Txn) (*MoneyPlan, error) {
	m := &MoneyPlan{}
	var err error
	if item, gerr := txn.Get(keyMoneySettings); gerr == nil {
		m.Settings = &MoneySettings{}
		if err := item.Value(func(b []byte) error { return decode(b, m.Settings) }); err != nil {
			return nil, err
		}
	} else if gerr != badger.ErrKeyNotFound {
		return nil, gerr
	}
	if m.Goals, err = exportKind[Goal](ctx, txn, KindGoal); err != nil {
		return nil, err
	}
	if m.Indicators, err = exportKind[Indicator](ctx, txn, KindIndicator); err != nil {
		return nil, err
	}
	if m.Segments, err = exportKind[Segment](ctx, txn, KindSegment); err != nil {
		return nil, err
	}
	if m.Finance, err = exportKind[TiltakFinance](ctx, txn, KindFinance); err != nil {
		return nil, err
	}
	if m.Benefits, err = exportKind[Benefit](ctx, txn, KindBenefit); err != nil {
		return nil, err
	}
	if m.empty() {
		return nil, nil
	}
	slices.SortFunc(m.Goals, func(a, b Goal) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(m.Indicators, func(a, b Indicator) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(m.Segments, func(a, b Segment) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(m.Finance, func(a, b TiltakFinance) int { return cmp.Compare(a.TiltakKey, b.TiltakKey) })
	slices.SortFunc(m.Benefits, func(a, b Benefit) int { return cmp.Compare(a.Key, b.Key) })
	return m, nil
}
