package store

import (
	"strings"
)

// StatusSummary is the roll-up a dashboard draws: how many tiltak, by phase
// and, for the active ones, by health.
type StatusSummary struct {
	// Total is the number of tiltak counted.
	Total int
	// ByPhase has one entry per phase, in life-cycle order, zeros included.
	ByPhase []PhaseCount
	// ByHealth has one entry per health rating; only active tiltak count.
	ByHealth []HealthCount
	// UnknownPhase counts tiltak whose phase no source gives.
	UnknownPhase int
	// UnratedActive counts active tiltak with no health rating.
	UnratedActive int
	// AverageProgress is the mean progress (0–100) of the tiltak that have
	// reported one; nil when none has.
	AverageProgress *float64
	// ReportedProgress is how many tiltak have a progress figure.
	ReportedProgress int
	// notReported counts, when asked, the tiltak that owe a report and have
	// none (see NotReported in period_summary.go).
	notReported func() (int, error)
}

// PhaseCount is the number of tiltak in one phase.
type PhaseCount struct {
	Phase Phase
	Count int
}

// HealthCount is the number of active tiltak with one health rating.
type HealthCount struct {
	Health Health
	Count  int
}

// isScopeOnly reports whether the filter is at most one scope that status
// counters are kept for, plus phase and health: then counters answer it
// without reading any tiltak.
func (f TiltakFilter) isScopeOnly() bool {
	if f.Text != "" || f.BodyKey != "" || f.ParticipantKey != "" || f.DependsOnKey != "" {
		return false
	}
	n := 0
	for _, set := range []bool{f.LifeEventKey != "", f.InitiativeKey != "", f.FocusAreaKey != "", f.ResponsibleKey != "", f.GovernanceLevel != nil} {
		if set {
			n++
		}
	}
	return n <= 1
}

func (f TiltakFilter) scope() scope {
	switch {
	case f.LifeEventKey != "":
		return scope{scopeLifeEvent, f.LifeEventKey}
	case f.InitiativeKey != "":
		return scope{scopeInitiative, f.InitiativeKey}
	case f.FocusAreaKey != "":
		return scope{scopeFocusArea, f.FocusAreaKey}
	case f.ResponsibleKey != "":
		return scope{scopeBody, f.ResponsibleKey}
	case f.GovernanceLevel != nil:
		return scope{scopeLevel, levelKey(*f.GovernanceLevel)}
	}
	return scope{scopeAll, noValue}
}

// TiltakSummary rolls up the tiltak that match f. A filter of one scope
// (life event, initiative, focus area, responsible body or governance
// level) with phases and healths is answered from counters kept in the
// same transaction as every write; any other filter reads the tiltak.
func (s *Snapshot) TiltakSummary(f TiltakFilter) (*StatusSummary, error) {
	if f.isScopeOnly() {
		sum, err := memo(s, "summary:"+f.key(), func() (StatusSummary, error) {
			sum, err := s.counterSummary(f)
			if err != nil {
				return StatusSummary{}, err
			}
			return *sum, nil
		})
		return &sum, err
	}
	return s.scanSummary(f)
}

// counterSummary answers a scope-only filter from the status counters.
func (s *Snapshot) counterSummary(f TiltakFilter) (*StatusSummary, error) {
	acc := newSummaryAcc()
	{
		sc := f.scope()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.reads.Add(1)
		cells, err := readScopeCells(s.txn.Get, strings.TrimSuffix(string(counterPrefix(sc.kind, sc.key)), "/"))
		if err != nil {
			return nil, err
		}
		for name, cv := range cells {
			phase, health, _ := strings.Cut(name, "/")
			if f.accepts(cell{phase, health}) {
				acc.add(cell{phase, health}, cv)
			}
		}
		return acc.summary(), nil
	}
}

// scanSummary answers any other filter by reading the matching tiltak.
func (s *Snapshot) scanSummary(f TiltakFilter) (*StatusSummary, error) {
	acc := newSummaryAcc()
	lp, err := s.tiltakPlan(f)
	if err != nil {
		return nil, err
	}
	if f.FocusAreaKey != "" {
		lp = s.intersect(lp, relPrefix(relFocusAreaTiltak, f.FocusAreaKey))
	}
	keys, err := s.all(lp)
	if err != nil {
		return nil, err
	}
	ts, err := s.TiltakByKeys(keys)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		cv := counterValue{N: 1}
		if t.Progress != nil {
			cv.ProgressSum, cv.ProgressN = int64(*t.Progress), 1
		}
		acc.add(tiltakCell(t), cv)
	}
	return acc.summary(), nil
}

func (f TiltakFilter) accepts(c cell) bool {
	if len(f.Phases) > 0 && !oneOf(Phase(c.phase), f.Phases) {
		return false
	}
	if len(f.Healths) > 0 && !oneOf(Health(c.health), f.Healths) {
		return false
	}
	return true
}

type summaryAcc struct {
	total, unknown, unrated int
	phase                   map[string]int
	health                  map[string]int
	progSum, progN          int64
}

func newSummaryAcc() *summaryAcc {
	return &summaryAcc{phase: map[string]int{}, health: map[string]int{}}
}

func (a *summaryAcc) add(c cell, v counterValue) {
	n := int(v.N)
	a.total += n
	a.progSum += v.ProgressSum
	a.progN += v.ProgressN
	if c.phase == noValue {
		a.unknown += n
		return
	}
	a.phase[c.phase] += n
	if c.phase == string(PhaseActive) {
		if c.health == noValue {
			a.unrated += n
		} else {
			a.health[c.health] += n
		}
	}
}

func (a *summaryAcc) summary() *StatusSummary {
	out := &StatusSummary{Total: a.total, UnknownPhase: a.unknown, UnratedActive: a.unrated, ReportedProgress: int(a.progN)}
	for _, p := range AllPhases {
		out.ByPhase = append(out.ByPhase, PhaseCount{p, a.phase[string(p)]})
	}
	for _, h := range AllHealths {
		out.ByHealth = append(out.ByHealth, HealthCount{h, a.health[string(h)]})
	}
	if a.progN > 0 {
		avg := float64(a.progSum) / float64(a.progN)
		out.AverageProgress = &avg
	}
	return out
}
