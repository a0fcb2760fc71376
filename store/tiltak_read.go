package store

import (
	"fmt"
	"strconv"
	"strings"
)

// TiltakFilter selects tiltak. Every field that is set must hold; lists
// match any of their values.
type TiltakFilter struct {
	Phases          []Phase
	Healths         []Health
	ResponsibleKey  string
	ParticipantKey  string
	BodyKey         string // responsible or participant
	LifeEventKey    string
	InitiativeKey   string
	FocusAreaKey    string
	DependsOnKey    string // tiltak that depend on this one
	GovernanceLevel *int
	Text            string
}

// TiltakOrderField is what tiltak can be ordered by.
type TiltakOrderField string

// The tiltak order fields.
const (
	TiltakOrderKey       TiltakOrderField = "KEY"
	TiltakOrderTitle     TiltakOrderField = "TITLE"
	TiltakOrderStartDate TiltakOrderField = "START_DATE"
	TiltakOrderEndDate   TiltakOrderField = "END_DATE"
	TiltakOrderProgress  TiltakOrderField = "PROGRESS"
)

// TiltakOrder orders a tiltak list.
type TiltakOrder struct {
	Field     TiltakOrderField
	Direction OrderDirection
}

// Tiltak returns the tiltak with key. Returns NotFound if there is none.
func (s *Snapshot) Tiltak(key string) (*Tiltak, error) { return getOne[Tiltak](s, KindTiltak, key) }

// TiltakByKeys returns the tiltak with keys, in order. Returns NotFound for
// the first missing key.
func (s *Snapshot) TiltakByKeys(keys []string) ([]*Tiltak, error) {
	return getRecords[Tiltak](s, KindTiltak, keys)
}

func (s *Snapshot) tiltakPlan(f TiltakFilter) (listPlan, error) {
	type stream struct {
		set    bool
		prefix []byte
	}
	streams := []stream{
		{f.InitiativeKey != "", relPrefix(relInitiativeTilt, f.InitiativeKey)},
		{f.DependsOnKey != "", relPrefix(relTiltakDependent, f.DependsOnKey)},
		{f.LifeEventKey != "", relPrefix(relLifeEventTilt, f.LifeEventKey)},
		{f.ResponsibleKey != "", relPrefix(relBodyResponsible, f.ResponsibleKey)},
		{f.ParticipantKey != "", relPrefix(relBodyParticipant, f.ParticipantKey)},
		{f.FocusAreaKey != "", relPrefix(relFocusAreaTiltak, f.FocusAreaKey)},
		{f.GovernanceLevel != nil, relPrefix(relLevelTiltak, levelKey(deref(f.GovernanceLevel)))},
	}
	var drive []byte
	conditions := 0
	for _, st := range streams {
		if st.set {
			conditions++
			if drive == nil {
				drive = st.prefix
			}
		}
	}
	if f.BodyKey != "" {
		conditions++
	}
	if len(f.Phases) > 0 || len(f.Healths) > 0 || f.Text != "" {
		conditions += 2
	}
	var match func(string) (bool, error)
	if conditions > 1 {
		match = func(key string) (bool, error) {
			t, err := s.Tiltak(key)
			if err != nil {
				return false, err
			}
			return f.matches(t), nil
		}
	}
	switch {
	case f.Text != "":
		keys, err := s.searchKeys(f.Text, KindTiltak)
		return candidatePlan(keys, match), err
	case drive == nil && f.BodyKey != "":
		keys := append(s.relatedKeys(relBodyResponsible, f.BodyKey), s.relatedKeys(relBodyParticipant, f.BodyKey)...)
		if conditions == 1 {
			match = nil
		}
		return candidatePlan(keys, match), nil
	case drive == nil:
		return prefixPlan([]byte(recordPrefix[KindTiltak]), match), nil
	}
	return prefixPlan(drive, match), nil
}

func (f TiltakFilter) matches(t *Tiltak) bool {
	if len(f.Phases) > 0 && (t.Phase == nil || !oneOf(*t.Phase, f.Phases)) {
		return false
	}
	if len(f.Healths) > 0 && (t.Phase == nil || *t.Phase != PhaseActive || t.Health == nil || !oneOf(*t.Health, f.Healths)) {
		return false
	}
	if f.ResponsibleKey != "" && t.ResponsibleKey != f.ResponsibleKey {
		return false
	}
	if f.ParticipantKey != "" && !has(t.ParticipantKeys, f.ParticipantKey) {
		return false
	}
	if f.BodyKey != "" && t.ResponsibleKey != f.BodyKey && !has(t.ParticipantKeys, f.BodyKey) {
		return false
	}
	if f.LifeEventKey != "" && !has(t.LifeEventKeys, f.LifeEventKey) {
		return false
	}
	if f.InitiativeKey != "" && !has(t.InitiativeKeys, f.InitiativeKey) {
		return false
	}
	if f.DependsOnKey != "" && !has(t.DependsOnKeys, f.DependsOnKey) {
		return false
	}
	if f.GovernanceLevel != nil && t.GovernanceLevel != *f.GovernanceLevel {
		return false
	}
	// FocusAreaKey and Text are answered by their key streams, which the
	// plan always drives when they are set together with others.
	return true
}

// FindTiltak returns one page of the tiltak that match f, in order.
// Returns Invalid for bad page arguments.
func (s *Snapshot) FindTiltak(f TiltakFilter, order *TiltakOrder, args PageArgs) (Page, error) {
	key := "find:" + f.key() + "|" + orderKey(order) + "|" + args.key()
	return memo(s, key, func() (Page, error) { return s.findTiltak(f, order, args) })
}

func orderKey(o *TiltakOrder) string {
	if o == nil {
		return ""
	}
	return string(o.Field) + " " + string(o.Direction)
}

func (s *Snapshot) findTiltak(f TiltakFilter, order *TiltakOrder, args PageArgs) (Page, error) {
	lp, err := s.tiltakPlan(f)
	if err != nil {
		return Page{}, err
	}
	if f.FocusAreaKey != "" && (f.Text != "" || f.BodyKey != "" || f.InitiativeKey != "" || f.DependsOnKey != "" || f.LifeEventKey != "" || f.ResponsibleKey != "" || f.ParticipantKey != "") {
		lp = s.intersect(lp, relPrefix(relFocusAreaTiltak, f.FocusAreaKey))
	}
	if order == nil || (order.Field == TiltakOrderKey && order.Direction != Desc) {
		return s.page(lp, args)
	}
	keys, err := s.all(lp)
	if err != nil {
		return Page{}, err
	}
	ts, err := s.TiltakByKeys(keys)
	if err != nil {
		return Page{}, err
	}
	byKey := make(map[string]*Tiltak, len(ts))
	for _, t := range ts {
		byKey[t.Key] = t
	}
	less := func(a, b string) bool {
		ta, tb := byKey[a], byKey[b]
		c := compareTiltak(ta, tb, order.Field)
		if c == 0 {
			c = strings.Compare(a, b)
		}
		if order.Direction == Desc {
			return c > 0
		}
		return c < 0
	}
	return pageOrdered(keys, less, args)
}

func compareTiltak(a, b *Tiltak, field TiltakOrderField) int {
	switch field {
	case TiltakOrderTitle:
		return strings.Compare(Fold(a.Title), Fold(b.Title))
	case TiltakOrderStartDate:
		return strings.Compare(a.StartDate, b.StartDate)
	case TiltakOrderEndDate:
		return strings.Compare(a.EndDate, b.EndDate)
	case TiltakOrderProgress:
		return deref(a.Progress) - deref(b.Progress)
	}
	return 0
}

// CountTiltak returns how many tiltak match f.
func (s *Snapshot) CountTiltak(f TiltakFilter) (int, error) {
	return memo(s, "count:"+f.key(), func() (int, error) { return s.countTiltak(f) })
}

func (s *Snapshot) countTiltak(f TiltakFilter) (int, error) {
	if f.isScopeOnly() {
		sum, err := s.TiltakSummary(f)
		if err != nil {
			return 0, err
		}
		return sum.Total, nil
	}
	lp, err := s.tiltakPlan(f)
	if err != nil {
		return 0, err
	}
	if f.FocusAreaKey != "" && (f.Text != "" || f.BodyKey != "" || f.InitiativeKey != "" || f.DependsOnKey != "" || f.LifeEventKey != "" || f.ResponsibleKey != "" || f.ParticipantKey != "") {
		lp = s.intersect(lp, relPrefix(relFocusAreaTiltak, f.FocusAreaKey))
	}
	return s.count(lp)
}

// intersect narrows a plan to the keys also under prefix.
func (s *Snapshot) intersect(lp listPlan, prefix []byte) listPlan {
	in := map[string]bool{}
	s.mu.Lock()
	for _, k := range s.prefixKeys(prefix) {
		in[k] = true
	}
	s.mu.Unlock()
	inner := lp.match
	lp.match = func(k string) (bool, error) {
		if !in[k] {
			return false, nil
		}
		if inner == nil {
			return true, nil
		}
		return inner(k)
	}
	return lp
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// key spells out the filter, for memoising answers within a snapshot.
func (f TiltakFilter) key() string {
	level := "-"
	if f.GovernanceLevel != nil {
		level = strconv.Itoa(*f.GovernanceLevel)
	}
	return fmt.Sprintf("%v|%v|%q|%q|%q|%q|%q|%q|%q|%s|%q", f.Phases, f.Healths, f.ResponsibleKey, f.ParticipantKey, f.BodyKey,
		f.LifeEventKey, f.InitiativeKey, f.FocusAreaKey, f.DependsOnKey, level, f.Text)
}
