package export

import (
	"time"

	"handlingsplan/store"
)

// view reads the plan for one export: the live plan, or with asOf the plan
// as it stood at the end of that period.
type view struct {
	snap *store.Snapshot
	asOf *store.Period // nil: now

	statuses map[string]status
	all      []*store.Tiltak // every tiltak, loaded on first use
}

// status is a tiltak's phase, health and progress as the view sees them,
// and the report they come from (nil: the plan's own data).
type status struct {
	phase    *store.Phase
	health   *store.Health
	progress *int
	report   *store.StatusReport
}

// status returns t's status. Live, that is the tiltak's own fields and its
// latest report. As of a period it is its latest (effective) report for a
// period up to then; a tiltak never reported on keeps the plan's data, one
// reported on only later has none.
func (v *view) status(t *store.Tiltak) (status, error) {
	if s, ok := v.statuses[t.Key]; ok {
		return s, nil
	}
	s, err := v.readStatus(t)
	if err != nil {
		return s, err
	}
	if v.statuses == nil {
		v.statuses = map[string]status{}
	}
	v.statuses[t.Key] = s
	return s, nil
}

func (v *view) readStatus(t *store.Tiltak) (status, error) {
	plan := status{phase: t.Phase, health: t.Health, progress: t.Progress}
	if v.asOf == nil {
		r, err := v.snap.LatestStatus(t.Key)
		plan.report = r
		return plan, err
	}
	hist, err := v.snap.StatusHistory(t.Key)
	if err != nil || len(hist) == 0 {
		return plan, err
	}
	for _, e := range hist { // newest first
		p, err := store.ParsePeriod(e.Period)
		if err != nil {
			return status{}, err
		}
		if !after(p, *v.asOf) {
			phase, progress := e.Phase, e.Progress
			return status{phase: &phase, health: e.Health, progress: &progress, report: e.StatusReport}, nil
		}
	}
	return status{}, nil
}

// after reports whether period a comes after b, as the store orders
// periods: by last day, then a quarter before the half year ending with it.
func after(a, b store.Period) bool {
	if !a.End.Equal(b.End) {
		return a.End.After(b.End)
	}
	return months(a) > months(b)
}

func months(p store.Period) int {
	return 12*(p.End.Year()-p.Start.Year()) + int(p.End.Month()-p.Start.Month()) + 1
}

// allKeys pages through a list of keys with find.
func allKeys(find func(store.PageArgs) (store.Page, error)) ([]string, error) {
	first := store.MaxPageSize
	var after *string
	var out []string
	for {
		page, err := find(store.PageArgs{First: &first, After: after})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Keys...)
		if !page.HasNextPage || len(page.Keys) == 0 {
			return out, nil
		}
		c := page.Cursor(len(page.Keys) - 1)
		after = &c
	}
}

// tiltak returns the tiltak that match f, by key.
func (v *view) tiltak(f store.TiltakFilter) ([]*store.Tiltak, error) {
	keys, err := allKeys(func(a store.PageArgs) (store.Page, error) { return v.snap.FindTiltak(f, nil, a) })
	if err != nil {
		return nil, err
	}
	return v.snap.TiltakByKeys(keys)
}

// allTiltak returns every tiltak, by key.
func (v *view) allTiltak() ([]*store.Tiltak, error) {
	if v.all == nil {
		ts, err := v.tiltak(store.TiltakFilter{})
		if err != nil {
			return nil, err
		}
		v.all = ts
	}
	return v.all, nil
}

// rollup is the status roll-up of a set of tiltak, like the API's
// StatusSummary.
type rollup struct {
	total, unknownPhase, unratedActive int
	byPhase                            map[store.Phase]int
	byHealth                           map[store.Health]int
	progressSum, progressN             int
}

func (r *rollup) add(s status) {
	if r.byPhase == nil {
		r.byPhase, r.byHealth = map[store.Phase]int{}, map[store.Health]int{}
	}
	r.total++
	switch {
	case s.phase == nil:
		r.unknownPhase++
	case *s.phase == store.PhaseActive && s.health == nil:
		r.unratedActive++
	case *s.phase == store.PhaseActive:
		r.byHealth[*s.health]++
	}
	if s.phase != nil {
		r.byPhase[*s.phase]++
	}
	if s.progress != nil {
		r.progressSum += *s.progress
		r.progressN++
	}
}

// rollupColumns are the columns [rollup.values] fills.
var rollupColumns = []column{
	{"tiltakCount", typeInt},
	{"planned", typeInt}, {"active", typeInt}, {"paused", typeInt}, {"completed", typeInt},
	{"inOperation", typeInt}, {"discontinued", typeInt}, {"unknownPhase", typeInt},
	{"onTrack", typeInt}, {"minorDelays", typeInt}, {"majorDelays", typeInt}, {"unratedActive", typeInt},
	{"averageProgress", typeNumber},
}

func (r rollup) values() row {
	out := row{r.total}
	for _, p := range store.AllPhases {
		out = append(out, r.byPhase[p])
	}
	out = append(out, r.unknownPhase)
	for _, h := range store.AllHealths {
		out = append(out, r.byHealth[h])
	}
	out = append(out, r.unratedActive)
	if r.progressN == 0 {
		return append(out, nil)
	}
	avg := float64(int(float64(r.progressSum)/float64(r.progressN)*10+0.5)) / 10
	return append(out, avg)
}

// rollups returns the roll-up of every life event, focus area and
// initiative (by key) over every tiltak under it, each counted once.
func (v *view) rollups() (map[string]*rollup, error) {
	ts, err := v.allTiltak()
	if err != nil {
		return nil, err
	}
	out := map[string]*rollup{}
	add := func(key string, s status) {
		if out[key] == nil {
			out[key] = &rollup{}
		}
		out[key].add(s)
	}
	for _, t := range ts {
		s, err := v.status(t)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, k := range t.LifeEventKeys {
			add("life-event/"+k, s)
		}
		for _, k := range t.InitiativeKeys {
			add("initiative/"+k, s)
			in, err := v.snap.Initiative(k)
			if err != nil {
				return nil, err
			}
			if !seen[in.FocusAreaKey] {
				seen[in.FocusAreaKey] = true
				add("focus-area/"+in.FocusAreaKey, s)
			}
		}
	}
	return out, nil
}

// describes returns the values of the columns that open-data files end
// with: the period the file describes and its last day.
func (v *view) describes() row {
	if v.asOf == nil {
		return nil
	}
	return row{v.asOf.Key, v.asOf.End.Format(time.DateOnly)}
}

// describesColumns end every open-data file.
var describesColumns = []column{{"describesPeriod", typeKey}, {"asOfDate", typeDate}}
