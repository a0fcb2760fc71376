package graph

import (
	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// Root connections other than tiltak (see convert.go), and look-ups by ID.

func lifeEventConnection(snap *store.Snapshot, filter *model.LifeEventFilter, args store.PageArgs) (*model.LifeEventConnection, error) {
	var f store.LifeEventFilter
	if filter != nil {
		f = store.LifeEventFilter{Audience: filter.Audience, LeadBodyKey: str(filter.LeadBodyKey), Text: str(filter.Text)}
	}
	if err := mustExist(snap, store.KindBody, f.LeadBodyKey); err != nil {
		return nil, err
	}
	page, err := snap.FindLifeEvents(f, args)
	if err != nil {
		return nil, err
	}
	nodes, err := snap.LifeEventsByKeys(page.Keys)
	if err != nil {
		return nil, err
	}
	c := &model.LifeEventConnection{Nodes: nodes, PageInfo: pageInfo(page), Count: func() (int, error) { return snap.CountLifeEvents(f) }}
	for i, n := range nodes {
		c.Edges = append(c.Edges, &model.LifeEventEdge{Cursor: page.Cursor(i), Node: n})
	}
	return c, nil
}

func focusAreaConnection(snap *store.Snapshot, filter *model.FocusAreaFilter, args store.PageArgs) (*model.FocusAreaConnection, error) {
	var f store.FocusAreaFilter
	if filter != nil {
		f = store.FocusAreaFilter{GovernanceLevel: filter.GovernanceLevel, Text: str(filter.Text)}
	}
	page, err := snap.FindFocusAreas(f, args)
	if err != nil {
		return nil, err
	}
	nodes, err := snap.FocusAreasByKeys(page.Keys)
	if err != nil {
		return nil, err
	}
	c := &model.FocusAreaConnection{Nodes: nodes, PageInfo: pageInfo(page), Count: func() (int, error) { return snap.CountFocusAreas(f) }}
	for i, n := range nodes {
		c.Edges = append(c.Edges, &model.FocusAreaEdge{Cursor: page.Cursor(i), Node: n})
	}
	return c, nil
}

func initiativeConnection(snap *store.Snapshot, filter *model.InitiativeFilter, args store.PageArgs) (*model.InitiativeConnection, error) {
	var f store.InitiativeFilter
	if filter != nil {
		f = store.InitiativeFilter{FocusAreaKey: str(filter.FocusAreaKey), LifeEventKey: str(filter.LifeEventKey),
			OwnerKey: str(filter.OwnerKey), ExecutingBodyKey: str(filter.ExecutingBodyKey), GovernanceLevel: filter.GovernanceLevel, Text: str(filter.Text)}
	}
	for _, err := range []error{mustExist(snap, store.KindFocusArea, f.FocusAreaKey), mustExist(snap, store.KindLifeEvent, f.LifeEventKey),
		mustExist(snap, store.KindBody, f.OwnerKey), mustExist(snap, store.KindBody, f.ExecutingBodyKey)} {
		if err != nil {
			return nil, err
		}
	}
	page, err := snap.FindInitiatives(f, args)
	if err != nil {
		return nil, err
	}
	nodes, err := snap.InitiativesByKeys(page.Keys)
	if err != nil {
		return nil, err
	}
	c := &model.InitiativeConnection{Nodes: nodes, PageInfo: pageInfo(page), Count: func() (int, error) { return snap.CountInitiatives(f) }}
	for i, n := range nodes {
		c.Edges = append(c.Edges, &model.InitiativeEdge{Cursor: page.Cursor(i), Node: n})
	}
	return c, nil
}

func bodyConnection(snap *store.Snapshot, filter *model.BodyFilter, args store.PageArgs) (*model.BodyConnection, error) {
	var f store.BodyFilter
	if filter != nil {
		f = store.BodyFilter{Kinds: filter.Kind, ParentKey: str(filter.ParentKey), CountyNumber: str(filter.CountyNumber), ForumKey: str(filter.ForumKey), Text: str(filter.Text)}
	}
	if err := mustExist(snap, store.KindBody, f.ParentKey); err != nil {
		return nil, err
	}
	page, err := snap.FindBodies(f, args)
	if err != nil {
		return nil, err
	}
	nodes, err := snap.BodiesByKeys(page.Keys)
	if err != nil {
		return nil, err
	}
	c := &model.BodyConnection{Nodes: nodes, PageInfo: pageInfo(page), Count: func() (int, error) { return snap.CountBodies(f) }}
	for i, n := range nodes {
		c.Edges = append(c.Edges, &model.BodyEdge{Cursor: page.Cursor(i), Node: n})
	}
	return c, nil
}

func search(snap *store.Snapshot, text string, args store.PageArgs) (*model.SearchConnection, error) {
	res, err := snap.Search(text, args)
	if err != nil {
		return nil, err
	}
	c := &model.SearchConnection{PageInfo: &model.PageInfo{HasNextPage: res.HasNextPage, HasPreviousPage: res.HasPreviousPage}, TotalCount: res.Total}
	for i, h := range res.Hits {
		n, err := entity(snap, h.Kind, h.Key)
		if err != nil {
			return nil, err
		}
		c.Nodes = append(c.Nodes, n)
		c.Edges = append(c.Edges, &model.SearchEdge{Cursor: res.Cursors[i], Node: n})
	}
	if n := len(res.Cursors); n > 0 {
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &res.Cursors[0], &res.Cursors[n-1]
	}
	return c, nil
}

// node resolves a global ID. Returns Invalid for a malformed ID and
// NotFound for one that names nothing.
func node(snap *store.Snapshot, id string) (model.Node, error) {
	kind, key, err := store.ParseGlobalID(id)
	if err != nil {
		return nil, err
	}
	return entity(snap, kind, key)
}

func entity(snap *store.Snapshot, kind store.Kind, key string) (model.Node, error) {
	switch kind {
	case store.KindLifeEvent:
		return asNode(snap.LifeEvent(key))
	case store.KindFocusArea:
		return asNode(snap.FocusArea(key))
	case store.KindInitiative:
		return asNode(snap.Initiative(key))
	case store.KindTiltak:
		return asNode(snap.Tiltak(key))
	case store.KindBody:
		return asNode(snap.Body(key))
	case store.KindForum:
		return asNode(snap.Forum(key))
	case store.KindGovernanceLevel:
		level := 0
		for _, r := range key {
			level = level*10 + int(r-'0')
		}
		return asNode(snap.GovernanceLevel(level))
	}
	return nil, store.Errorf(store.Invalid, "unknown kind %q", kind)
}

// asNode keeps a typed nil pointer out of the Node interface.
func asNode[T any, PT interface {
	*T
	model.Node
}](v PT, err error) (model.Node, error) {
	if err != nil || v == nil {
		return nil, err
	}
	return v, nil
}

// sourcesByID returns the sources with ids, in order; all when ids is nil.
func sourcesByID(snap *store.Snapshot, ids []string) ([]*store.Source, error) {
	all, err := snap.Sources()
	if err != nil {
		return nil, err
	}
	byID := map[string]*store.Source{}
	out := []*store.Source{}
	for i := range all {
		byID[all[i].ID] = &all[i]
		if ids == nil {
			out = append(out, &all[i])
		}
	}
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			out = append(out, s)
		} else {
			out = append(out, &store.Source{ID: id, Title: id})
		}
	}
	return out, nil
}

// mustExist checks a key named in a filter, so that a typo gets NOT_FOUND
// rather than an empty list.
func mustExist(snap *store.Snapshot, kind store.Kind, key string) error {
	if key == "" {
		return nil
	}
	_, err := entity(snap, kind, key)
	return err
}
