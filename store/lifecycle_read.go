package store

import (
	"sort"
)

// Viewer is who reads stage reports: a draft is seen only by its own body
// and by editors.
type Viewer struct {
	BodyKey string
	Editor  bool
}

// Sees reports whether v may see r.
func (v Viewer) Sees(r *Report) bool {
	return r.State != StateDraft || v.Editor || v.BodyKey != "" && v.BodyKey == r.BodyKey
}

// Reports returns the stage reports on a tiltak that v may see: its
// registration, start-up and closure reports, its status reports (drafts
// and submitted ones) in lifecycle order, then by period and body. A
// status draft that v sees hides the returned report of the same id.
// Returns NotFound for an unknown tiltak.
func (s *Snapshot) Reports(tiltak string, v Viewer) ([]*Report, error) {
	if _, err := s.Tiltak(tiltak); err != nil {
		return nil, err
	}
	lr, err := scanRecords[Report](s, lifecycleReportPrefix(tiltak))
	if err != nil {
		return nil, err
	}
	sr, err := scanRecords[StatusReport](s, statusReportPrefix(tiltak))
	if err != nil {
		return nil, err
	}
	out := []*Report{}
	drafts := map[string]bool{}
	for _, r := range lr {
		if v.Sees(r) {
			out = append(out, r)
			drafts[r.ID()] = true
		}
	}
	for _, x := range sr {
		r := reportOfStatus(x)
		if !drafts[r.ID()] {
			out = append(out, r)
		}
	}
	order := map[ReportStage]int{StageRegistration: 0, StageStartup: 1, StageStatus: 2, StageClosure: 3}
	sortKey := func(r *Report) string {
		if p, err := ParsePeriod(r.Period); err == nil {
			return p.sortKey()
		}
		return ""
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if order[a.Stage] != order[b.Stage] {
			return order[a.Stage] < order[b.Stage]
		}
		if sortKey(a) != sortKey(b) {
			return sortKey(a) < sortKey(b)
		}
		return a.BodyKey < b.BodyKey
	})
	return out, nil
}

// Report returns the report with id as v may see it (a draft of the id
// first, else the submitted one); nil when there is none or v may not
// see it. Returns Invalid for a malformed id.
func (s *Snapshot) Report(id string, v Viewer) (*Report, error) {
	tiltak, _, _, _, err := ParseReportID("id", id)
	if err != nil {
		return nil, err
	}
	rs, err := s.Reports(tiltak, v)
	if ErrorCode(err) == NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.ID() == id {
			return r, nil
		}
	}
	return nil, nil
}
