package graph

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// Revisions: plan versions, proposals, meetings and cases, and time travel
// (asOf). The resolvers are in revisions.resolvers.go.

// revisionStore is what the revision resolvers need of the store (part
// of [Store]).
type revisionStore interface {
	NewHistory(size int, idle time.Duration) *store.History
	AdoptPlanVersion(ctx context.Context, a store.Actor, key, meetingKey string) (*store.PlanVersion, error)
	ProposeChange(ctx context.Context, a store.Actor, p store.Proposal) (*store.Proposal, error)
	AcceptProposal(ctx context.Context, a store.Actor, id, decidedIn string) (*store.Proposal, error)
	RejectProposal(ctx context.Context, a store.Actor, id, reason, decidedIn string) (*store.Proposal, error)
	CreateMeeting(ctx context.Context, a store.Actor, m *store.Meeting) (*store.Meeting, error)
	UpdateMeeting(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Meeting) error) (*store.Meeting, error)
	DeleteMeeting(ctx context.Context, a store.Actor, key string, x store.Expect) error
	CreateCase(ctx context.Context, a store.Actor, c *store.Case) (*store.Case, error)
	UpdateCase(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Case) error) (*store.Case, error)
	DeleteCase(ctx context.Context, a store.Actor, key string, x store.Expect) error
}

// revisions returns the store's revision methods. It never fails; the
// error keeps the call sites' shape.
func (r *Resolver) revisions() (revisionStore, error) { return r.store, nil }

// How many reconstructed plans a handler keeps for asOf reads, and for how
// long unused.
const (
	historySize = 4
	historyIdle = 2 * time.Minute
)

// history is a handler's cache of reconstructed plans, made on first use.
type history struct {
	st   Store
	once sync.Once
	h    *store.History
}

func (h *history) get() (*store.History, error) {
	h.once.Do(func() { h.h = h.st.NewHistory(historySize, historyIdle) })
	return h.h, nil
}

// pastViews are an operation's snapshots of the plan as it stood at given
// times, one per time.
type pastViews struct {
	hist    *history
	mu      sync.Mutex
	snaps   map[string]*store.Snapshot
	release []func()
}

// at returns the operation's snapshot of the plan as of t.
func (p *pastViews) at(ctx context.Context, t time.Time) (*store.Snapshot, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := t.UTC().Format(time.RFC3339Nano)
	if s, ok := p.snaps[k]; ok {
		return s, nil
	}
	h, err := p.hist.get()
	if err != nil {
		return nil, err
	}
	s, release, err := h.Snapshot(ctx, t)
	if err != nil {
		return nil, err
	}
	if p.snaps == nil {
		p.snaps = map[string]*store.Snapshot{}
	}
	p.snaps[k], p.release = s, append(p.release, func() { s.Close(); release() })
	return s, nil
}

func (p *pastViews) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.release {
		f()
	}
	p.snaps, p.release = nil, nil
}

// asOfArg returns the asOf argument of the root query field ctx is under,
// or nil: everything beneath such a field reads the plan as of then. (A
// field of Query is always a root field; the chain may go on above it.)
func asOfArg(ctx context.Context) *time.Time {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Object == "Query" {
			t, _ := fc.Args["asOf"].(*time.Time)
			return t
		}
	}
	return nil
}

// snapAt returns the snapshot a root query field reads: the plan as of
// asOf, or the operation's current snapshot when asOf is nil.
func snapAt(ctx context.Context, asOf *time.Time) (*store.Snapshot, error) {
	v := ctx.Value(snapshotKey{}).(*views)
	if asOf == nil {
		return v.current(), nil
	}
	return v.past.at(ctx, *asOf)
}

// pastSnapshot is what snapshot(ctx) returns beneath a root field with
// asOf. The root resolver has made it (snapAt), so this cannot fail.
func pastSnapshot(ctx context.Context, v *views, t time.Time) *store.Snapshot {
	s, err := v.past.at(ctx, t)
	if err != nil {
		panic(err)
	}
	return s
}

// actorWithReason is actorOf with why the change is made and the forum case
// that decided it, for the audit trail.
func actorWithReason(ctx context.Context, reason, decidedIn *string) store.Actor {
	a := actorOf(ctx)
	a.Reason, a.DecidedIn = str(reason), str(decidedIn)
	return a
}

func newMeeting(in model.CreateMeetingInput) *store.Meeting {
	return &store.Meeting{Key: in.Key, ForumKey: in.ForumKey, Date: in.Date, Title: in.Title, FollowUpPeriod: str(in.FollowUpPeriod)}
}

func patchMeeting(in model.UpdateMeetingInput) func(*store.Meeting) error {
	return func(m *store.Meeting) error {
		set(&m.ForumKey, in.ForumKey)
		set(&m.Date, in.Date)
		set(&m.Title, in.Title)
		set(&m.FollowUpPeriod, in.FollowUpPeriod)
		return nil
	}
}

func planItemRefs(in []*model.PlanItemRefInput) []store.PlanItemRef {
	if in == nil {
		return nil
	}
	out := make([]store.PlanItemRef, len(in))
	for i, r := range in {
		out[i] = store.PlanItemRef{Kind: r.Kind, Key: r.Key}
	}
	return out
}

func newCase(in model.CreateCaseInput) *store.Case {
	return &store.Case{Key: in.Key, MeetingKey: in.MeetingKey, Number: in.Number, Title: in.Title, Kind: in.Kind,
		ProposedDecision: str(in.ProposedDecision), Decision: str(in.Decision), Concerns: planItemRefs(in.Concerns)}
}

func patchCase(in model.UpdateCaseInput) func(*store.Case) error {
	return func(c *store.Case) error {
		set(&c.MeetingKey, in.MeetingKey)
		set(&c.Number, in.Number)
		set(&c.Title, in.Title)
		set(&c.Kind, in.Kind)
		set(&c.ProposedDecision, in.ProposedDecision)
		set(&c.Decision, in.Decision)
		if in.Concerns != nil {
			c.Concerns = planItemRefs(in.Concerns)
		}
		return nil
	}
}

func newProposal(in model.ProposeChangeInput) store.Proposal {
	p := store.Proposal{Kind: in.Kind, TargetKey: str(in.TargetKey), Fields: str(in.Fields), Reason: in.Reason}
	if in.TargetKind != nil {
		p.TargetKind = *in.TargetKind
	}
	return p
}

// refsOf names plan items of one kind by key.
func refsOf(kind store.PlanItemKind, keys []string) []*store.PlanItemRef {
	out := make([]*store.PlanItemRef, len(keys))
	for i, k := range keys {
		out[i] = &store.PlanItemRef{Kind: kind, Key: k}
	}
	return out
}

// liveItem returns the live plan item a reference names, or nil when it
// is retired (or never existed).
func liveItem(snap *store.Snapshot, ref *store.PlanItemRef) (model.Node, error) {
	var n model.Node
	var err error
	switch ref.Kind {
	case store.ItemLifeEvent:
		n, err = snap.LifeEvent(ref.Key)
	case store.ItemFocusArea:
		n, err = snap.FocusArea(ref.Key)
	case store.ItemInitiative:
		n, err = snap.Initiative(ref.Key)
	default:
		n, err = snap.Tiltak(ref.Key)
	}
	if store.ErrorCode(err) == store.NotFound {
		return nil, nil
	}
	return n, err
}

// orNil turns NotFound into a null answer without an error.
func orNil[T any](v *T, err error) (*T, error) {
	if store.ErrorCode(err) == store.NotFound {
		return nil, nil
	}
	return v, err
}

// payload turns a store write's result into a mutation payload: the value,
// or user errors.
func payload[T, P any](ctx context.Context, wrap func(v *T, ue []*model.UserError) *P) func(*T, error) (*P, error) {
	return func(v *T, err error) (*P, error) {
		ue, err := outcome(ctx, err)
		if err != nil || len(ue) > 0 {
			return wrap(nil, ue), err
		}
		return wrap(v, ue), nil
	}
}

func proposalPayload(ctx context.Context) func(*store.Proposal, error) (*model.ProposalPayload, error) {
	return payload(ctx, func(p *store.Proposal, ue []*model.UserError) *model.ProposalPayload {
		return &model.ProposalPayload{Proposal: p, UserErrors: ue}
	})
}

func meetingPayload(ctx context.Context) func(*store.Meeting, error) (*model.MeetingPayload, error) {
	return payload(ctx, func(m *store.Meeting, ue []*model.UserError) *model.MeetingPayload {
		return &model.MeetingPayload{Meeting: m, UserErrors: ue}
	})
}

func casePayload(ctx context.Context) func(*store.Case, error) (*model.CasePayload, error) {
	return payload(ctx, func(c *store.Case, ue []*model.UserError) *model.CasePayload {
		return &model.CasePayload{Case: c, UserErrors: ue}
	})
}
