package store

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Proposals. The annual revision of the plan is built from the input of
// every level: any body with a token proposes a new tiltak, a change to a
// tiltak or initiative, or a removal; an editor accepts it in a forum case
// (it is then applied to the draft through the normal write path, in the
// same transaction) or rejects it.

// ProposalKind is what a proposal asks for.
type ProposalKind string

// The kinds of proposal.
const (
	ProposeNewTiltak ProposalKind = "NEW_TILTAK"
	ProposeChange    ProposalKind = "CHANGE"
	ProposeRemoval   ProposalKind = "REMOVAL"
)

// ProposalState is where a proposal stands.
type ProposalState string

// The states of a proposal.
const (
	ProposalOpen     ProposalState = "OPEN"
	ProposalAccepted ProposalState = "ACCEPTED"
	ProposalRejected ProposalState = "REJECTED"
)

// Proposal is a proposal for the next revision of the plan.
type Proposal struct {
	ID         string       `json:"id"`
	Kind       ProposalKind `json:"kind"`
	TargetKind PlanItemKind `json:"targetKind"`
	// TargetKey is the tiltak or initiative to change or remove, or the key
	// of the new tiltak.
	TargetKey string `json:"targetKey"`
	// Fields is a JSON object: for NEW_TILTAK the new tiltak (shaped as
	// CreateTiltakInput), for CHANGE the fields to change.
	Fields string        `json:"fields,omitempty"`
	Reason string        `json:"reason"`
	State  ProposalState `json:"state"`
	// ProposerKey is the proposing body, ProposerLevel the governance level
	// it sits at (ministries 2, everyone else 3).
	ProposerKey    string    `json:"proposerKey"`
	ProposerLevel  int       `json:"proposerLevel"`
	TokenName      string    `json:"tokenName,omitempty"`
	CreatedAt      time.Time `json:"createdAt"`
	DecidedAt      time.Time `json:"decidedAt,omitzero"`
	DecidedBy      string    `json:"decidedBy,omitempty"`
	DecidedIn      string    `json:"decidedIn,omitempty"`
	DecisionReason string    `json:"decisionReason,omitempty"`
}

// The fields a proposal may set, by what it targets.
var (
	tiltakFields     = []string{"title", "description", "responsibleKey", "participantKeys", "initiativeKeys", "lifeEventKeys", "dependsOnKeys", "startDate", "endDate", "governanceLevel", "predecessorKeys"}
	newTiltakFields  = append([]string{"key", "phase", "health"}, tiltakFields...)
	initiativeFields = []string{"number", "title", "description", "focusAreaKey", "lifeEventKeys", "ownerKey", "executingBodyKey", "governanceLevel", "predecessorKeys"}
)

// ProposeChange stores a proposal from actor's body. Returns Invalid (bad
// kind, fields or reason), NotFound (unknown target) or Conflict (a new
// tiltak's key is taken or retired).
func (db *DB) ProposeChange(ctx context.Context, actor Actor, p Proposal) (*Proposal, error) {
	if actor.BodyKey == "" {
		return nil, Errorf(Invalid, "a proposal comes from a body: use a token of the proposing body")
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	now := db.now().UTC()
	err := db.update(ctx, func(txn *badger.Txn) error {
		b, err := txnGet[Body](txn, KindBody, actor.BodyKey)
		if err != nil {
			return err
		}
		kind := p.TargetKind.Kind()
		if p.Kind == ProposeNewTiltak {
			if _, err := txn.Get(recordKey(KindTiltak, p.TargetKey)); err == nil {
				return FieldErrorf(Conflict, "fields", "a tiltak with key %q already exists", p.TargetKey)
			}
			if err := checkNotRetired(txn, kind, p.TargetKey); err != nil {
				return err
			}
		} else if _, err := txn.Get(recordKey(kind, p.TargetKey)); err != nil {
			return FieldErrorf(NotFound, "targetKey", "%s %q not found", kindLabel(kind), p.TargetKey)
		}
		seq, err := nextSeq(txn, keyProposalSeq)
		if err != nil {
			return err
		}
		p.ID, p.State, p.CreatedAt = strconv.FormatUint(seq, 10), ProposalOpen, now
		p.ProposerKey, p.ProposerLevel, p.TokenName = b.Key, 3, actor.TokenName
		if b.Kind == BodyMinistry {
			p.ProposerLevel = 2
		}
		return txnPut(txn, proposalKey(seq), &p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// check validates a proposal's own fields and fills in its target.
func (p *Proposal) check() error {
	if strings.TrimSpace(p.Reason) == "" {
		return FieldErrorf(Invalid, "reason", "reason is required: say why the plan should change")
	}
	switch p.Kind {
	case ProposeNewTiltak:
		t, err := p.newTiltak()
		if err != nil {
			return err
		}
		if p.TargetKey != "" && p.TargetKey != t.Key {
			return FieldErrorf(Invalid, "targetKey", "targetKey %q differs from the new tiltak's key %q", p.TargetKey, t.Key)
		}
		p.TargetKind, p.TargetKey = ItemTiltak, t.Key
		return t.validate()
	case ProposeChange, ProposeRemoval:
		if p.TargetKind == "" {
			p.TargetKind = ItemTiltak
		}
		if p.TargetKind != ItemTiltak && p.TargetKind != ItemInitiative {
			return FieldErrorf(Invalid, "targetKind", "a proposal changes or removes a TILTAK or an INITIATIVE, not %s", p.TargetKind)
		}
		if err := ValidateKey("targetKey", p.TargetKey); err != nil {
			return err
		}
		if p.Kind == ProposeRemoval {
			if p.Fields != "" {
				return FieldErrorf(Invalid, "fields", "a REMOVAL proposal has no fields")
			}
			return nil
		}
		allowed := tiltakFields
		if p.TargetKind == ItemInitiative {
			allowed = initiativeFields
		}
		return checkFields(p.Fields, allowed)
	}
	return FieldErrorf(Invalid, "kind", "kind %q is not NEW_TILTAK, CHANGE or REMOVAL", p.Kind)
}

func (p *Proposal) newTiltak() (*Tiltak, error) {
	if err := checkFields(p.Fields, newTiltakFields); err != nil {
		return nil, err
	}
	t := &Tiltak{GovernanceLevel: 3}
	if err := json.Unmarshal([]byte(p.Fields), t); err != nil {
		return nil, FieldErrorf(Invalid, "fields", "fields do not describe a tiltak: %v", err)
	}
	return t, nil
}

// checkFields checks that fields is a JSON object of allowed fields only.
func checkFields(fields string, allowed []string) error {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader([]byte(fields)))
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return FieldErrorf(Invalid, "fields", "fields must be one JSON object, e.g. {\"title\": \"…\"}")
	}
	if len(m) == 0 {
		return FieldErrorf(Invalid, "fields", "fields names nothing to set")
	}
	for k := range m {
		if !has(allowed, k) {
			return FieldErrorf(Invalid, "fields", "fields: %q cannot be proposed here; allowed: %s", k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// AcceptProposal applies an open proposal to the draft, as decided in the
// case decidedIn, and marks it accepted, in one transaction. The change is
// written by actor with the proposal's reason and the case, through the
// normal write path (validation, audit trail, outbox). If it cannot be
// applied the proposal stays open and the error says why (Invalid,
// NotFound, Conflict).
func (db *DB) AcceptProposal(ctx context.Context, actor Actor, id, decidedIn string) (*Proposal, error) {
	if decidedIn == "" {
		return nil, FieldErrorf(Invalid, "decidedIn", "decidedIn is required: the case (sak) that decided to accept")
	}
	return db.decide(ctx, actor, id, func(txn *badger.Txn, now time.Time, p *Proposal) error {
		a := actor
		a.Reason, a.DecidedIn = p.Reason, decidedIn
		if err := p.apply(txn, now, a); err != nil {
			return notApplied(p, err)
		}
		p.State, p.DecidedIn = ProposalAccepted, decidedIn
		return nil
	})
}

// RejectProposal marks an open proposal rejected, with why and optionally
// the deciding case; the plan does not change. Returns Invalid, NotFound or
// Conflict (not open).
func (db *DB) RejectProposal(ctx context.Context, actor Actor, id, reason, decidedIn string) (*Proposal, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, FieldErrorf(Invalid, "reason", "reason is required: say why the proposal is rejected")
	}
	return db.decide(ctx, actor, id, func(txn *badger.Txn, _ time.Time, p *Proposal) error {
		if err := checkDecision(txn, decidedIn); err != nil {
			return err
		}
		p.State, p.DecisionReason, p.DecidedIn = ProposalRejected, reason, decidedIn
		return nil
	})
}

func (db *DB) decide(ctx context.Context, actor Actor, id string, fn func(*badger.Txn, time.Time, *Proposal) error) (*Proposal, error) {
	seq, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return nil, Errorf(NotFound, "proposal %q not found", id)
	}
	now := db.now().UTC()
	var out *Proposal
	err = db.update(ctx, func(txn *badger.Txn) error {
		p, err := txnGetKey[Proposal](txn, proposalKey(seq))
		if ErrorCode(err) == NotFound {
			return Errorf(NotFound, "proposal %q not found", id)
		} else if err != nil {
			return err
		}
		if p.State != ProposalOpen {
			return Errorf(Conflict, "proposal %s is already %s", id, strings.ToLower(string(p.State)))
		}
		if err := fn(txn, now, p); err != nil {
			return err
		}
		p.DecidedAt, p.DecidedBy, out = now, actor.TokenName, p
		return txnPut(txn, proposalKey(seq), p)
	})
	return out, err
}

// apply writes the proposed change inside txn.
func (p *Proposal) apply(txn *badger.Txn, now time.Time, a Actor) error {
	fields := func(v any) error { return json.Unmarshal([]byte(p.Fields), v) }
	switch {
	case p.Kind == ProposeNewTiltak:
		t, err := p.newTiltak()
		if err != nil {
			return err
		}
		return createTxn(txn, now, a, tiltakSpec, t)
	case p.Kind == ProposeChange && p.TargetKind == ItemTiltak:
		_, err := updateTxn(txn, now, a, tiltakSpec, p.TargetKey, Expect{}, func(t *Tiltak) error { return fields(t) })
		return err
	case p.Kind == ProposeChange:
		_, err := updateTxn(txn, now, a, initiativeSpec, p.TargetKey, Expect{}, func(i *Initiative) error { return fields(i) })
		return err
	case p.TargetKind == ItemTiltak:
		return removeTxn[Tiltak](txn, now, a, tiltakSpec, p.TargetKey, Expect{})
	default:
		return removeTxn[Initiative](txn, now, a, initiativeSpec, p.TargetKey, Expect{})
	}
}

// notApplied says which proposal could not be applied, keeping the code
// and field of the cause.
func notApplied(p *Proposal, err error) error {
	var code Code = ErrorCode(err)
	if code == Internal {
		return err
	}
	e := &Error{Code: code, Message: "proposal " + p.ID + " cannot be applied: " + ErrorMessage(err)}
	if se, ok := err.(*Error); ok {
		e.Field = se.Field
	}
	return e
}

// Proposals returns the proposals, oldest first (by id); only those in state when
// it is given.
func (s *Snapshot) Proposals(state *ProposalState) ([]*Proposal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Proposal
	err := eachKey(s.txn, proposalPrefix, func(_, v []byte) error {
		p := new(Proposal)
		if err := decode(v, p); err != nil {
			return err
		}
		if state == nil || p.State == *state {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Proposal returns the proposal with id. Returns NotFound if none.
func (s *Snapshot) Proposal(id string) (*Proposal, error) {
	seq, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return nil, Errorf(NotFound, "proposal %q not found", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := snapGet[Proposal](s, proposalKey(seq))
	if ErrorCode(err) == NotFound {
		return nil, Errorf(NotFound, "proposal %q not found", id)
	}
	return p, err
}

// FieldsOrNull returns the proposed fields (JSON), or nil.
func (p *Proposal) FieldsOrNull() *string { return orNull(p.Fields) }

// TokenNameOrNull returns the name of the token used, or nil.
func (p *Proposal) TokenNameOrNull() *string { return orNull(p.TokenName) }

// DecidedInOrNull returns the deciding case, or nil.
func (p *Proposal) DecidedInOrNull() *string { return orNull(p.DecidedIn) }

// DecisionReasonOrNull returns why it was rejected, or nil.
func (p *Proposal) DecisionReasonOrNull() *string { return orNull(p.DecisionReason) }

// DecidedAtOrNull returns when it was decided, or nil while open.
func (p *Proposal) DecidedAtOrNull() *time.Time {
	if p.DecidedAt.IsZero() {
		return nil
	}
	return &p.DecidedAt
}

// MarshalGQL writes the enum value.
func (k ProposalKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *ProposalKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, []ProposalKind{ProposeNewTiltak, ProposeChange, ProposeRemoval}, "ProposalKind")
	return
}

// MarshalGQL writes the enum value.
func (s ProposalState) MarshalGQL(w io.Writer) { writeQuoted(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *ProposalState) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, []ProposalState{ProposalOpen, ProposalAccepted, ProposalRejected}, "ProposalState")
	return
}
