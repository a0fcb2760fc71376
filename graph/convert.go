package graph

import (
	"time"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func pageArgs(first *int, after *string, last *int, before *string) store.PageArgs {
	return store.PageArgs{First: first, After: after, Last: last, Before: before}
}

func pageInfo(p store.Page) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage}
	if n := len(p.Keys); n > 0 {
		start, end := p.Cursor(0), p.Cursor(n-1)
		pi.StartCursor, pi.EndCursor = &start, &end
	}
	return pi
}

// tiltakFilter converts the GraphQL filter and checks that the keys it
// names exist, so a typo gets an error rather than an empty list.
func tiltakFilter(snap *store.Snapshot, f *model.TiltakFilter) (store.TiltakFilter, error) {
	if f == nil {
		return store.TiltakFilter{}, nil
	}
	out := store.TiltakFilter{
		Phases: f.Phase, Healths: f.Health,
		ResponsibleKey: str(f.ResponsibleKey), ParticipantKey: str(f.ParticipantKey), BodyKey: str(f.BodyKey),
		LifeEventKey: str(f.LifeEventKey), InitiativeKey: str(f.InitiativeKey), FocusAreaKey: str(f.FocusAreaKey),
		GovernanceLevel: f.GovernanceLevel, Text: str(f.Text),
	}
	for _, b := range []string{out.ResponsibleKey, out.ParticipantKey, out.BodyKey} {
		if b != "" {
			if _, err := snap.Body(b); err != nil {
				return out, err
			}
		}
	}
	if out.LifeEventKey != "" {
		if _, err := snap.LifeEvent(out.LifeEventKey); err != nil {
			return out, err
		}
	}
	if out.InitiativeKey != "" {
		if _, err := snap.Initiative(out.InitiativeKey); err != nil {
			return out, err
		}
	}
	if out.FocusAreaKey != "" {
		if _, err := snap.FocusArea(out.FocusAreaKey); err != nil {
			return out, err
		}
	}
	if out.GovernanceLevel != nil {
		if err := store.ValidateLevel("governanceLevel", *out.GovernanceLevel); err != nil {
			return out, err
		}
	}
	return out, nil
}

func tiltakOrder(o *model.TiltakOrder) *store.TiltakOrder {
	if o == nil {
		return nil
	}
	out := &store.TiltakOrder{Field: store.TiltakOrderField(o.Field), Direction: store.Asc}
	if o.Direction != nil && *o.Direction == model.OrderDirectionDesc {
		out.Direction = store.Desc
	}
	return out
}

// tiltakConnection lists tiltak: scope narrows the user's filter to the
// parent's tiltak (an initiative's, a body's, …).
func tiltakConnection(snap *store.Snapshot, scope store.TiltakFilter, user *model.TiltakFilter, order *model.TiltakOrder, args store.PageArgs) (*model.TiltakConnection, error) {
	f, err := tiltakFilter(snap, user)
	if err != nil {
		return nil, err
	}
	f = merge(f, scope)
	page, err := snap.FindTiltak(f, tiltakOrder(order), args)
	if err != nil {
		return nil, err
	}
	nodes, err := snap.TiltakByKeys(page.Keys)
	if err != nil {
		return nil, err
	}
	c := &model.TiltakConnection{Nodes: nodes, PageInfo: pageInfo(page), Count: func() (int, error) { return snap.CountTiltak(f) }}
	for i, n := range nodes {
		c.Edges = append(c.Edges, &model.TiltakEdge{Cursor: page.Cursor(i), Node: n})
	}
	return c, nil
}

// merge adds the parent's scope to a user filter.
func merge(f, scope store.TiltakFilter) store.TiltakFilter {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&f.ResponsibleKey, scope.ResponsibleKey)
	set(&f.ParticipantKey, scope.ParticipantKey)
	set(&f.LifeEventKey, scope.LifeEventKey)
	set(&f.InitiativeKey, scope.InitiativeKey)
	set(&f.FocusAreaKey, scope.FocusAreaKey)
	set(&f.DependsOnKey, scope.DependsOnKey)
	if scope.GovernanceLevel != nil {
		f.GovernanceLevel = scope.GovernanceLevel
	}
	return f
}

// summary rolls up a parent's tiltak as they stand, or as reported for
// period when one is given; now decides the current period.
func summary(snap *store.Snapshot, scope store.TiltakFilter, user *model.TiltakFilter, period *string, now time.Time) (*store.StatusSummary, error) {
	f, err := tiltakFilter(snap, user)
	if err != nil {
		return nil, err
	}
	return snap.StatusSummaryFor(merge(f, scope), str(period), now)
}

// nullIfMissing turns NotFound into a null answer with the error beside it.
func nullIfMissing[T any](v *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// each maps a batch of parents to their keyed children.
func each[P, C any](parents []P, keys func(P) []string, load func([]string) ([]*C, error)) ([][]*C, error) {
	out := make([][]*C, len(parents))
	for i, p := range parents {
		cs, err := load(keys(p))
		if err != nil {
			return nil, err
		}
		if cs == nil {
			cs = []*C{}
		}
		out[i] = cs
	}
	return out, nil
}

// one maps a batch of parents to one optional child each.
func one[P, C any](parents []P, key func(P) string, load func(string) (*C, error)) ([]*C, error) {
	out := make([]*C, len(parents))
	for i, p := range parents {
		k := key(p)
		if k == "" {
			continue
		}
		c, err := load(k)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// ptrs returns pointers to the elements of a slice.
func ptrs[T any](vs []T, err error) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out, nil
}
