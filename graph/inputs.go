package graph

import (
	"context"
	"errors"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// Conversions from mutation inputs to store records and patches.

// set copies an optional input value over a field.
func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// setList replaces a list when the input gives one (an empty list clears it).
func setList(dst *[]string, src []string) {
	if src != nil {
		*dst = src
	}
}

func orDefault(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func expect(v *int) store.Expect { return store.Expect{Version: v} }

// outcome turns a store error into user errors (validation, missing
// references, stale versions) or passes it on (anything else). On success
// it makes the rest of the operation read what was written.
func outcome(ctx context.Context, err error) ([]*model.UserError, error) {
	if err == nil {
		wrote(ctx)
		return []*model.UserError{}, nil
	}
	var se *store.Error
	if !errors.As(err, &se) || se.Code == store.Internal || se.Code == store.StorageUnavailable {
		return nil, err // not the input's fault: a GraphQL error
	}
	ue := &model.UserError{Message: se.Message, Code: string(se.Code)}
	if se.Field != "" {
		f := se.Field
		ue.Field = &f
	}
	return []*model.UserError{ue}, nil
}

func deleted(ctx context.Context, key string, err error) (*model.DeletePayload, error) {
	ue, err := outcome(ctx, err)
	if err != nil {
		return nil, err
	}
	p := &model.DeletePayload{UserErrors: ue}
	if len(ue) == 0 {
		p.DeletedKey = &key
	}
	return p, nil
}

func newLifeEvent(in model.CreateLifeEventInput) *store.LifeEvent {
	return &store.LifeEvent{Key: in.Key, NameNb: in.NameNb, NameEn: str(in.NameEn), Audience: in.Audience,
		Description: str(in.Description), LeadBodyKey: str(in.LeadBodyKey)}
}

func patchLifeEvent(in model.UpdateLifeEventInput) func(*store.LifeEvent) error {
	return func(e *store.LifeEvent) error {
		set(&e.NameNb, in.NameNb)
		set(&e.NameEn, in.NameEn)
		set(&e.Audience, in.Audience)
		set(&e.Description, in.Description)
		set(&e.LeadBodyKey, in.LeadBodyKey)
		return nil
	}
}

func newFocusArea(in model.CreateFocusAreaInput) *store.FocusArea {
	return &store.FocusArea{Key: in.Key, Number: in.Number, NameNb: in.NameNb, NameEn: str(in.NameEn),
		Description: str(in.Description), GovernanceLevel: orDefault(in.GovernanceLevel, 1)}
}

func patchFocusArea(in model.UpdateFocusAreaInput) func(*store.FocusArea) error {
	return func(f *store.FocusArea) error {
		set(&f.Number, in.Number)
		set(&f.NameNb, in.NameNb)
		set(&f.NameEn, in.NameEn)
		set(&f.Description, in.Description)
		set(&f.GovernanceLevel, in.GovernanceLevel)
		return nil
	}
}

func newInitiative(in model.CreateInitiativeInput) *store.Initiative {
	return &store.Initiative{Key: in.Key, Number: str(in.Number), Title: in.Title, Description: str(in.Description),
		FocusAreaKey: in.FocusAreaKey, LifeEventKeys: in.LifeEventKeys, OwnerKey: str(in.OwnerKey),
		ExecutingBodyKey: str(in.ExecutingBodyKey), GovernanceLevel: orDefault(in.GovernanceLevel, 2), PredecessorKeys: in.PredecessorKeys}
}

func patchInitiative(in model.UpdateInitiativeInput) func(*store.Initiative) error {
	return func(i *store.Initiative) error {
		set(&i.Number, in.Number)
		set(&i.Title, in.Title)
		set(&i.Description, in.Description)
		set(&i.FocusAreaKey, in.FocusAreaKey)
		setList(&i.LifeEventKeys, in.LifeEventKeys)
		set(&i.OwnerKey, in.OwnerKey)
		set(&i.ExecutingBodyKey, in.ExecutingBodyKey)
		set(&i.GovernanceLevel, in.GovernanceLevel)
		setList(&i.PredecessorKeys, in.PredecessorKeys)
		return nil
	}
}

func newTiltak(in model.CreateTiltakInput) *store.Tiltak {
	return &store.Tiltak{Key: in.Key, Title: in.Title, Description: str(in.Description), ResponsibleKey: in.ResponsibleKey,
		ParticipantKeys: in.ParticipantKeys, InitiativeKeys: in.InitiativeKeys, LifeEventKeys: in.LifeEventKeys,
		DependsOnKeys: in.DependsOnKeys, StartDate: str(in.StartDate), EndDate: str(in.EndDate),
		GovernanceLevel: orDefault(in.GovernanceLevel, 3), Phase: in.Phase, Health: in.Health, PredecessorKeys: in.PredecessorKeys}
}

func patchTiltak(in model.UpdateTiltakInput) func(*store.Tiltak) error {
	return func(t *store.Tiltak) error {
		set(&t.Title, in.Title)
		set(&t.Description, in.Description)
		set(&t.ResponsibleKey, in.ResponsibleKey)
		setList(&t.ParticipantKeys, in.ParticipantKeys)
		setList(&t.InitiativeKeys, in.InitiativeKeys)
		setList(&t.LifeEventKeys, in.LifeEventKeys)
		setList(&t.DependsOnKeys, in.DependsOnKeys)
		set(&t.StartDate, in.StartDate)
		set(&t.EndDate, in.EndDate)
		set(&t.GovernanceLevel, in.GovernanceLevel)
		setList(&t.PredecessorKeys, in.PredecessorKeys)
		return nil
	}
}

func newBody(in model.CreateBodyInput) *store.Body {
	return &store.Body{Key: in.Key, Name: in.Name, ShortName: str(in.ShortName), OrgNumber: str(in.OrgNumber), Kind: in.Kind,
		MunicipalityNumber: str(in.MunicipalityNumber), CountyNumber: str(in.CountyNumber), ParentKey: str(in.ParentKey)}
}

func patchBody(in model.UpdateBodyInput) func(*store.Body) error {
	return func(b *store.Body) error {
		set(&b.Name, in.Name)
		set(&b.ShortName, in.ShortName)
		set(&b.OrgNumber, in.OrgNumber)
		set(&b.Kind, in.Kind)
		set(&b.MunicipalityNumber, in.MunicipalityNumber)
		set(&b.CountyNumber, in.CountyNumber)
		set(&b.ParentKey, in.ParentKey)
		return nil
	}
}

func newGovernanceLevel(in model.CreateGovernanceLevelInput) *store.GovernanceLevel {
	return &store.GovernanceLevel{Level: in.Level, Name: in.Name, NameEn: str(in.NameEn), Description: str(in.Description), SecretariatKey: str(in.SecretariatKey)}
}

func patchGovernanceLevel(in model.UpdateGovernanceLevelInput) func(*store.GovernanceLevel) error {
	return func(g *store.GovernanceLevel) error {
		set(&g.Name, in.Name)
		set(&g.NameEn, in.NameEn)
		set(&g.Description, in.Description)
		set(&g.SecretariatKey, in.SecretariatKey)
		return nil
	}
}

func newForum(in model.CreateForumInput) *store.Forum {
	return &store.Forum{Key: in.Key, Name: in.Name, ShortName: str(in.ShortName), Description: str(in.Description),
		GovernanceLevel: in.GovernanceLevel, MemberKeys: in.MemberKeys, SecretariatKey: str(in.SecretariatKey)}
}

func patchForum(in model.UpdateForumInput) func(*store.Forum) error {
	return func(f *store.Forum) error {
		set(&f.Name, in.Name)
		set(&f.ShortName, in.ShortName)
		set(&f.Description, in.Description)
		set(&f.GovernanceLevel, in.GovernanceLevel)
		setList(&f.MemberKeys, in.MemberKeys)
		set(&f.SecretariatKey, in.SecretariatKey)
		return nil
	}
}

func statusReport(ctx context.Context, in model.ReportStatusInput) store.StatusReport {
	body := str(in.BodyKey)
	if body == "" {
		if t := actor(ctx); t != nil {
			body = t.BodyKey
		}
	}
	r := store.StatusReport{TiltakKey: in.TiltakKey, Period: in.Period, BodyKey: body, Phase: in.Phase, Health: in.Health,
		Progress: in.Progress, Summary: str(in.Summary), Risks: str(in.Risks)}
	withLifecycle(&r, in)
	return r
}

func changeConnection(snap *store.Snapshot, f store.ChangeFilter, first *int, after *string) (*model.ChangeConnection, error) {
	changes, page, err := snap.Changes(f, store.PageArgs{First: first, After: after})
	if err != nil {
		return nil, err
	}
	c := &model.ChangeConnection{Nodes: changes, PageInfo: pageInfo(page), Edges: []*model.ChangeEdge{}}
	for i, ch := range changes {
		c.Edges = append(c.Edges, &model.ChangeEdge{Cursor: page.Cursor(i), Node: ch})
	}
	return c, nil
}
