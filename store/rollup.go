package store

import (
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Money roll-ups: cost, funding, funding gap and benefits summed over the
// tiltak of a focus area, life event, responsible body or governance level
// (the same sets the status summaries count), for every fiscal year or one.
// Every figure is the sum of the same figure of each tiltak, so a scope's
// sum always equals the sum of its tiltak.

// MoneyFigures are the money figures of one tiltak or the sum over many.
type MoneyFigures struct {
	TiltakCount int
	// BaselineNok sums the cost baselines.
	BaselineNok int64
	// ForecastNok sums, per cost year, the forecast or else the baseline.
	ForecastNok int64
	// ActualNok sums the actuals given.
	ActualNok int64
	// WholeLifeCostNok sums the whole-life costs (all years, whatever the
	// year asked for).
	WholeLifeCostNok int64
	// ConfirmedFundingNok sums the CONFIRMED funding amounts (for one year,
	// only lines that give that year).
	ConfirmedFundingNok int64
	// FundingGapNok sums each tiltak's max(0, forecast − confirmed funding).
	FundingGapNok int64
	// OperationsUnfunded counts tiltak near completion with no confirmed
	// operations money.
	OperationsUnfunded int
	// Benefits counts benefits; BudgetCutCommittedNok sums their committed
	// budget cuts (uttrekk).
	Benefits              int
	BudgetCutCommittedNok int64
}

// VariancePercent is the forecast's variance from the baseline, nil with
// no baseline.
func (m *MoneyFigures) VariancePercent() *float64 {
	return variancePercent(&m.BaselineNok, &m.ForecastNok)
}

// add sums o into m.
func (m *MoneyFigures) add(o MoneyFigures) {
	m.TiltakCount += o.TiltakCount
	m.BaselineNok += o.BaselineNok
	m.ForecastNok += o.ForecastNok
	m.ActualNok += o.ActualNok
	m.WholeLifeCostNok += o.WholeLifeCostNok
	m.ConfirmedFundingNok += o.ConfirmedFundingNok
	m.FundingGapNok += o.FundingGapNok
	m.OperationsUnfunded += o.OperationsUnfunded
	m.Benefits += o.Benefits
	m.BudgetCutCommittedNok += o.BudgetCutCommittedNok
}

// Figures are one tiltak's figures for a fiscal year (nil: every year).
func Figures(t *Tiltak, f *TiltakFinance, benefits []*Benefit, year *int) MoneyFigures {
	m := MoneyFigures{TiltakCount: 1}
	for i := range f.CostYears {
		c := &f.CostYears[i]
		if year != nil && c.Year != *year {
			continue
		}
		if c.BaselineNok != nil {
			m.BaselineNok += *c.BaselineNok
		}
		if c.ForecastNok != nil {
			m.ForecastNok += *c.ForecastNok
		} else if c.BaselineNok != nil {
			m.ForecastNok += *c.BaselineNok
		}
		if c.ActualNok != nil {
			m.ActualNok += *c.ActualNok
		}
	}
	if w := f.WholeLifeCostNok(); w != nil {
		m.WholeLifeCostNok = *w
	}
	for i := range f.Funding {
		m.ConfirmedFundingNok += f.Funding[i].ConfirmedNok(year)
	}
	m.FundingGapNok = max(0, m.ForecastNok-m.ConfirmedFundingNok)
	if OperationsUnfunded(t, f) {
		m.OperationsUnfunded = 1
	}
	for _, b := range benefits {
		m.Benefits++
		if b.BudgetCutCommittedNok != nil {
			m.BudgetCutCommittedNok += *b.BudgetCutCommittedNok
		}
	}
	return m
}

// TiltakFigures returns one tiltak's figures. Returns NotFound for an
// unknown tiltak.
func (s *Snapshot) TiltakFigures(key string, year *int) (MoneyFigures, error) {
	return memo(s, "money:"+key+":"+yearKey(year), func() (MoneyFigures, error) {
		t, err := s.Tiltak(key)
		if err != nil {
			return MoneyFigures{}, err
		}
		f, err := s.TiltakFinance(key)
		if err != nil {
			return MoneyFigures{}, err
		}
		b, err := s.tiltakBenefits(key)
		if err != nil {
			return MoneyFigures{}, err
		}
		return Figures(t, f, b, year), nil
	})
}

func yearKey(year *int) string {
	if year == nil {
		return "all"
	}
	return strconv.Itoa(*year)
}

// MoneyScope is what a roll-up groups by.
type MoneyScope string

// The roll-up scopes.
const (
	ScopeFocusArea       MoneyScope = "FOCUS_AREA"
	ScopeLifeEvent       MoneyScope = "LIFE_EVENT"
	ScopeBody            MoneyScope = "BODY" // the responsible body
	ScopeGovernanceLevel MoneyScope = "GOVERNANCE_LEVEL"
)

var moneyScopes = enumOf[MoneyScope]{[]MoneyScope{ScopeFocusArea, ScopeLifeEvent, ScopeBody, ScopeGovernanceLevel}, "MoneyScope"}

// MarshalGQL writes the enum value.
func (v MoneyScope) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// UnmarshalGQL reads the enum value.
func (v *MoneyScope) UnmarshalGQL(x any) error { return moneyScopes.unmarshal(v, x) }

func (v MoneyScope) relation() relation {
	switch v {
	case ScopeFocusArea:
		return relFocusAreaTiltak
	case ScopeLifeEvent:
		return relLifeEventTilt
	case ScopeBody:
		return relBodyResponsible
	}
	return relLevelTiltak
}

// MoneyFilter selects the tiltak a money summary sums: those in every
// scope given (all tiltak when none is), for one fiscal year or all.
type MoneyFilter struct {
	FocusAreaKey    string
	LifeEventKey    string
	BodyKey         string
	GovernanceLevel *int
	Year            *int
}

// MoneySummary sums the figures of the tiltak that f selects.
func (s *Snapshot) MoneySummary(f MoneyFilter) (*MoneyFigures, error) {
	var keys []string
	sets := 0
	for _, sc := range []struct {
		rel  relation
		from string
	}{{relFocusAreaTiltak, f.FocusAreaKey}, {relLifeEventTilt, f.LifeEventKey}, {relBodyResponsible, f.BodyKey}, {relLevelTiltak, levelOrEmpty(f.GovernanceLevel)}} {
		if sc.from == "" {
			continue
		}
		ks := s.relatedKeys(sc.rel, sc.from)
		if sets == 0 {
			keys = ks
		} else {
			keys = intersectSorted(keys, ks)
		}
		sets++
	}
	if sets == 0 {
		keys = s.allTiltakKeys()
	}
	return s.sumFigures(keys, f.Year)
}

func levelOrEmpty(l *int) string {
	if l == nil {
		return ""
	}
	return levelKey(*l)
}

func intersectSorted(a, b []string) []string {
	in := map[string]bool{}
	for _, k := range b {
		in[k] = true
	}
	out := []string{}
	for _, k := range a {
		if in[k] {
			out = append(out, k)
		}
	}
	return out
}

func (s *Snapshot) allTiltakKeys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prefixKeys([]byte(recordPrefix[KindTiltak]))
}

// bulkFrom is how many tiltak a sum covers before it reads every money
// record in one pass rather than one look-up each.
const bulkFrom = 200

func (s *Snapshot) sumFigures(keys []string, year *int) (*MoneyFigures, error) {
	if len(keys) >= bulkFrom {
		if err := s.preloadMoney(); err != nil {
			return nil, err
		}
	}
	sum := &MoneyFigures{}
	for _, k := range keys {
		m, err := s.TiltakFigures(k, year)
		if err != nil {
			return nil, err
		}
		sum.add(m)
	}
	return sum, nil
}

// MoneyRollupRow is one scope's sum: a focus area, life event, body or
// governance level by its key.
type MoneyRollupRow struct {
	Scope   MoneyScope
	Key     string
	Name    string
	Figures *MoneyFigures
}

// MoneyRollup sums the figures per focus area, life event, responsible
// body (those responsible for a tiltak) or governance level, by key.
func (s *Snapshot) MoneyRollup(scope MoneyScope, year *int) ([]*MoneyRollupRow, error) {
	rel := scope.relation()
	s.mu.Lock()
	full := s.prefixFull([]byte("x/" + string(rel) + "/"))
	s.mu.Unlock()
	if len(full) >= bulkFrom {
		if err := s.preloadMoney(); err != nil {
			return nil, err
		}
	}
	groups := map[string][]string{}
	var order []string
	for _, k := range full {
		parts := strings.Split(k, "/")
		from, to := parts[2], parts[3]
		if _, ok := groups[from]; !ok {
			order = append(order, from)
		}
		groups[from] = append(groups[from], to)
	}
	sort.Strings(order)
	out := []*MoneyRollupRow{}
	for _, from := range order {
		sum, err := s.sumFigures(groups[from], year)
		if err != nil {
			return nil, err
		}
		out = append(out, &MoneyRollupRow{Scope: scope, Key: from, Name: s.scopeName(scope, from), Figures: sum})
	}
	return out, nil
}

func (s *Snapshot) scopeName(scope MoneyScope, key string) string {
	switch scope {
	case ScopeFocusArea:
		if f, err := s.FocusArea(key); err == nil {
			return f.NameNb
		}
	case ScopeLifeEvent:
		if e, err := s.LifeEvent(key); err == nil {
			return e.NameNb
		}
	case ScopeBody:
		if b, err := s.Body(key); err == nil {
			return b.Name
		}
	case ScopeGovernanceLevel:
		if n, err := strconv.Atoi(key); err == nil {
			if g, err := s.GovernanceLevel(n); err == nil {
				return g.Name
			}
		}
	}
	return key
}

// OperationsUnfunded returns the tiltak near completion with no confirmed
// operations money, by key.
func (s *Snapshot) OperationsUnfunded() ([]*Tiltak, error) {
	out := []*Tiltak{}
	keys := s.allTiltakKeys()
	if len(keys) >= bulkFrom {
		if err := s.preloadMoney(); err != nil {
			return nil, err
		}
	}
	for _, k := range keys {
		m, err := s.TiltakFigures(k, nil)
		if err != nil {
			return nil, err
		}
		if m.OperationsUnfunded > 0 {
			t, err := s.Tiltak(k)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// moneyPreload is the result of [Snapshot.preloadMoney], computed once
// per snapshot even when concurrent resolvers ask at the same time.
type moneyPreload struct {
	once     sync.Once
	ready    atomic.Bool // benefits is complete
	benefits map[string][]*Benefit
	err      error
}

// preloadMoney reads every tiltak, money record and benefit in one pass
// each (once per snapshot): the records land in the snapshot's cache, and
// the benefits are grouped by tiltak, so a roll-up over thousands of
// tiltak makes no look-up per tiltak.
func (s *Snapshot) preloadMoney() error {
	p := s.remember("money-preload", &moneyPreload{}).(*moneyPreload)
	p.once.Do(func() {
		if _, p.err = listRecords[Tiltak](s, KindTiltak); p.err != nil {
			return
		}
		if _, p.err = listRecords[TiltakFinance](s, KindFinance); p.err != nil {
			return
		}
		bs, err := listRecords[Benefit](s, KindBenefit)
		m := map[string][]*Benefit{}
		for _, b := range bs {
			m[b.TiltakKey] = append(m[b.TiltakKey], b)
		}
		p.benefits, p.err = m, err
		p.ready.Store(err == nil)
	})
	return p.err
}

// tiltakBenefits returns a tiltak's benefits: from the preloaded groups
// when a roll-up has read them, else through the tiltak's index.
func (s *Snapshot) tiltakBenefits(key string) ([]*Benefit, error) {
	v, _ := s.cached("money-preload")
	if p, ok := v.(*moneyPreload); ok && p.ready.Load() {
		return p.benefits[key], nil
	}
	return s.Benefits(key)
}
