// Package direct answers benchmark queries straight from the store, with
// the same [store.Snapshot] calls the resolvers make and no GraphQL in
// between: the ceiling handler (bench/ceiling) serves D1 with it, and the
// reads regression test (graph/bench_test.go) counts what D1 and D2 read.
package direct

import (
	"strconv"

	"handlingsplan/store"
)

// D1 is the answer to bench/queries/d1-dashboard.graphql, field for field in
// the query's order, so that encoding/json writes what gqlgen writes.
type (
	D1 struct {
		Data struct {
			LifeEvents struct {
				Nodes []lifeEventNode `json:"nodes"`
			} `json:"lifeEvents"`
		} `json:"data"`
		// Extensions is what the caller adds after data (the ceiling:
		// extensions.cost, as GraphQL reports it).
		Extensions any `json:"extensions,omitempty"`
	}
	lifeEventNode struct {
		Key           string           `json:"key"`
		Name          string           `json:"name"`
		StatusSummary summaryNode      `json:"statusSummary"`
		Initiatives   []initiativeNode `json:"initiatives"`
	}
	initiativeNode struct {
		Key           string      `json:"key"`
		Title         string      `json:"title"`
		StatusSummary summaryNode `json:"statusSummary"`
		Tiltak        struct {
			Nodes []tiltakNode `json:"nodes"`
		} `json:"tiltak"`
	}
	summaryNode struct {
		Total           int           `json:"total"`
		ByPhase         []phaseCount  `json:"byPhase"`
		ByHealth        []healthCount `json:"byHealth"`
		AverageProgress *gFloat       `json:"averageProgress"`
	}
	phaseCount struct {
		Phase store.Phase `json:"phase"`
		Count int         `json:"count"`
	}
	healthCount struct {
		Health store.Health `json:"health"`
		Count  int          `json:"count"`
	}
	tiltakNode struct {
		Key         string        `json:"key"`
		Title       string        `json:"title"`
		Phase       *store.Phase  `json:"phase"`
		Health      *store.Health `json:"health"`
		Progress    *int          `json:"progress"`
		Responsible struct {
			Name string `json:"name"`
		} `json:"responsible"`
	}
)

// gFloat is written as gqlgen writes a Float (%g).
type gFloat float64

func (f gFloat) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(f), 'g', -1, 64), nil
}

// Dashboard reads what D1 asks for through one snapshot, with the same
// store calls the resolvers make, and nothing else.
func Dashboard(snap *store.Snapshot) (*D1, error) {
	var out D1
	first := store.MaxPageSize
	page, err := snap.FindLifeEvents(store.LifeEventFilter{}, store.PageArgs{First: &first})
	if err != nil {
		return nil, err
	}
	events, err := snap.LifeEventsByKeys(page.Keys)
	if err != nil {
		return nil, err
	}
	out.Data.LifeEvents.Nodes = make([]lifeEventNode, len(events))
	for i, e := range events {
		n := &out.Data.LifeEvents.Nodes[i]
		n.Key, n.Name = e.Key, e.Name(nil)
		if n.StatusSummary, err = summaryOf(snap, store.TiltakFilter{LifeEventKey: e.Key}); err != nil {
			return nil, err
		}
		inits, err := snap.InitiativesByKeys(snap.RelatedKeys(store.LifeEventInitiatives, e.Key))
		if err != nil {
			return nil, err
		}
		n.Initiatives = make([]initiativeNode, len(inits))
		for j, in := range inits {
			if err := initiative(snap, in, &n.Initiatives[j]); err != nil {
				return nil, err
			}
		}
	}
	return &out, nil
}

func initiative(snap *store.Snapshot, in *store.Initiative, n *initiativeNode) error {
	var err error
	n.Key, n.Title = in.Key, in.Title
	if n.StatusSummary, err = summaryOf(snap, store.TiltakFilter{InitiativeKey: in.Key}); err != nil {
		return err
	}
	five := 5
	page, err := snap.FindTiltak(store.TiltakFilter{InitiativeKey: in.Key}, nil, store.PageArgs{First: &five})
	if err != nil {
		return err
	}
	ts, err := snap.TiltakByKeys(page.Keys)
	if err != nil {
		return err
	}
	n.Tiltak.Nodes = make([]tiltakNode, len(ts))
	for k, t := range ts {
		b, err := snap.Body(t.ResponsibleKey)
		if err != nil {
			return err
		}
		tn := &n.Tiltak.Nodes[k]
		tn.Key, tn.Title, tn.Phase, tn.Health, tn.Progress = t.Key, t.Title, t.Phase, t.Health, t.Progress
		tn.Responsible.Name = b.Name
	}
	return nil
}

func summaryOf(snap *store.Snapshot, f store.TiltakFilter) (summaryNode, error) {
	var n summaryNode
	s, err := snap.TiltakSummary(f)
	if err != nil {
		return n, err
	}
	n.Total = s.Total
	for _, p := range s.ByPhase {
		n.ByPhase = append(n.ByPhase, phaseCount{p.Phase, p.Count})
	}
	for _, h := range s.ByHealth {
		n.ByHealth = append(n.ByHealth, healthCount{h.Health, h.Count})
	}
	if s.AverageProgress != nil {
		f := gFloat(*s.AverageProgress)
		n.AverageProgress = &f
	}
	return n, nil
}

// BodyView reads what D2 (bench/queries/d2-body.graphql) asks for: a body,
// the first tiltak it is responsible for with their total count, and each
// one's life events and initiatives. It returns how many tiltak it showed.
func BodyView(snap *store.Snapshot, body string, first int) (int, error) {
	if _, err := snap.Body(body); err != nil {
		return 0, err
	}
	f := store.TiltakFilter{ResponsibleKey: body}
	page, err := snap.FindTiltak(f, nil, store.PageArgs{First: &first})
	if err != nil {
		return 0, err
	}
	if _, err := snap.CountTiltak(f); err != nil {
		return 0, err
	}
	ts, err := snap.TiltakByKeys(page.Keys)
	if err != nil {
		return 0, err
	}
	for _, t := range ts {
		if _, err := snap.LifeEventsByKeys(t.LifeEventKeys); err != nil {
			return 0, err
		}
		if _, err := snap.InitiativesByKeys(t.InitiativeKeys); err != nil {
			return 0, err
		}
	}
	return len(ts), nil
}
