package store

import (
	"context"
	"strconv"

	"github.com/dgraph-io/badger/v4"
)

// The write methods of each kind. Each runs in one transaction: the
// record, both directions of every relationship, counters, the audit entry
// and the outbox event are written together or not at all.

var lifeEventSpec = spec[LifeEvent]{
	kind:  KindLifeEvent,
	refs:  func(txn *badger.Txn, e *LifeEvent) error { return exists(txn, "leadBodyKey", KindBody, e.LeadBodyKey) },
	write: writeSimple(KindLifeEvent, func(e *LifeEvent) string { return e.Key }, lifeEventDerived),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relLifeEventTilt: "tiltak", relLifeEventInit: "initiative"})
	},
	drop: dropSimple(lifeEventDerived),
}

var focusAreaSpec = spec[FocusArea]{
	kind: KindFocusArea,
	refs: func(txn *badger.Txn, f *FocusArea) error {
		return exists(txn, "governanceLevel", KindGovernanceLevel, levelKey(f.GovernanceLevel))
	},
	write: writeSimple(KindFocusArea, func(f *FocusArea) string { return f.Key }, focusAreaDerived),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relFocusAreaInit: "initiative"})
	},
	drop: dropSimple(focusAreaDerived),
}

var initiativeSpec = spec[Initiative]{
	kind: KindInitiative,
	refs: func(txn *badger.Txn, i *Initiative) error {
		for _, err := range []error{
			exists(txn, "focusAreaKey", KindFocusArea, i.FocusAreaKey),
			existAll(txn, "lifeEventKeys", KindLifeEvent, i.LifeEventKeys),
			exists(txn, "ownerKey", KindBody, i.OwnerKey),
			exists(txn, "executingBodyKey", KindBody, i.ExecutingBodyKey),
			exists(txn, "governanceLevel", KindGovernanceLevel, levelKey(i.GovernanceLevel)),
			checkPredecessors(txn, KindInitiative, i.Key, i.PredecessorKeys),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	},
	write: func(txn *badger.Txn, old, i *Initiative) error {
		if err := writeSimple(KindInitiative, func(i *Initiative) string { return i.Key }, initiativeDerived)(txn, old, i); err != nil {
			return err
		}
		if old == nil || old.FocusAreaKey == i.FocusAreaKey {
			return nil
		}
		// The focus area moved: its tiltak move with it in the indexes and
		// the focus-area counters.
		for _, tk := range txnRelated(txn, relInitiativeTilt, i.Key) {
			t, err := txnGet[Tiltak](txn, KindTiltak, tk)
			if err != nil {
				return err
			}
			lookup := focusAreaLookup(txn)
			before := func(in string) string {
				if in == i.Key {
					return old.FocusAreaKey
				}
				return lookup(in)
			}
			deltas := counterDeltas{}
			deltas.addTiltak(t, before, -1)
			deltas.addTiltak(t, lookup, 1)
			if err := applyDerived(txn, tiltakDerived(t, before), tiltakDerived(t, lookup)); err != nil {
				return err
			}
			if err := applyCounters(txn, deltas); err != nil {
				return err
			}
		}
		return nil
	},
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relInitiativeTilt: "tiltak"})
	},
	drop: dropSimple(initiativeDerived),
}

var tiltakSpec = spec[Tiltak]{
	kind: KindTiltak,
	refs: func(txn *badger.Txn, t *Tiltak) error {
		for _, err := range []error{
			exists(txn, "responsibleKey", KindBody, t.ResponsibleKey),
			existAll(txn, "participantKeys", KindBody, t.ParticipantKeys),
			existAll(txn, "initiativeKeys", KindInitiative, t.InitiativeKeys),
			existAll(txn, "lifeEventKeys", KindLifeEvent, t.LifeEventKeys),
			existAll(txn, "dependsOnKeys", KindTiltak, t.DependsOnKeys),
			exists(txn, "governanceLevel", KindGovernanceLevel, levelKey(t.GovernanceLevel)),
			checkPredecessors(txn, KindTiltak, t.Key, t.PredecessorKeys),
		} {
			if err != nil {
				return err
			}
		}
		return checkNoCycle(txn, t)
	},
	write: putTiltak,
	inUse: func(txn *badger.Txn, key string) []string {
		return append(usedBy(txn, key, map[relation]string{relTiltakDependent: "tiltak (dependsOn)", relTiltakBenefit: "benefit"}), typedDependents(txn, key)...)
	},
	drop: func(txn *badger.Txn, old *Tiltak) error {
		if err := dropFinance(txn, old.Key); err != nil {
			return err
		}
		fa := focusAreaLookup(txn)
		deltas := counterDeltas{}
		deltas.addTiltak(old, fa, -1)
		if err := applyDerived(txn, tiltakDerived(old, fa), nil); err != nil {
			return err
		}
		if err := applyCounters(txn, deltas); err != nil {
			return err
		}
		if err := dropLifecycle(txn, old.Key); err != nil {
			return err
		}
		return deletePrefix(txn, statusReportPrefix(old.Key))
	},
	event: EventTiltakChanged,
}

var bodySpec = spec[Body]{
	kind: KindBody,
	refs: func(txn *badger.Txn, b *Body) error {
		if err := exists(txn, "parentKey", KindBody, b.ParentKey); err != nil {
			return err
		}
		for p, seen := b.ParentKey, map[string]bool{b.Key: true}; p != ""; {
			if seen[p] {
				return FieldErrorf(Invalid, "parentKey", "parentKey %q would make the line of governance a cycle", b.ParentKey)
			}
			seen[p] = true
			parent, err := txnGet[Body](txn, KindBody, p)
			if err != nil {
				return err
			}
			p = parent.ParentKey
		}
		for k, field := range map[string]string{string(uniqueOrgNumberKey(b.OrgNumber)): "orgNumber", string(uniqueMunicipalityKey(b.MunicipalityNumber)): "municipalityNumber"} {
			if k == string(uniqueOrgNumberKey("")) || k == string(uniqueMunicipalityKey("")) {
				continue
			}
			if owner := uniqueHolder(txn, []byte(k)); owner != "" && owner != b.Key {
				return FieldErrorf(Invalid, field, "%s is already used by body %q", field, owner)
			}
		}
		return nil
	},
	write: writeSimple(KindBody, func(b *Body) string { return b.Key }, bodyDerived),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{
			relBodyResponsible: "tiltak (responsible)", relBodyParticipant: "tiltak (participant)", relBodyChild: "body (parent of)",
			relBodyLeads: "life event", relBodyOwner: "initiative (owner)", relBodyExecuting: "initiative (executing)",
			relBodyForum: "forum (member)", relBodySecretariat: "secretariat of",
		})
	},
	drop: dropSimple(bodyDerived),
}

var levelSpec = spec[GovernanceLevel]{
	kind: KindGovernanceLevel,
	refs: func(txn *badger.Txn, g *GovernanceLevel) error {
		return exists(txn, "secretariatKey", KindBody, g.SecretariatKey)
	},
	write: writeSimple(KindGovernanceLevel, func(g *GovernanceLevel) string { return levelKey(g.Level) }, governanceLevelDerived),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relLevelFocusArea: "focus area", relLevelInitiative: "initiative", relLevelTiltak: "tiltak", relLevelForum: "forum"})
	},
	drop: dropSimple(governanceLevelDerived),
}

var forumSpec = spec[Forum]{
	kind: KindForum,
	refs: func(txn *badger.Txn, f *Forum) error {
		for _, err := range []error{
			existAll(txn, "memberKeys", KindBody, f.MemberKeys),
			exists(txn, "secretariatKey", KindBody, f.SecretariatKey),
			exists(txn, "governanceLevel", KindGovernanceLevel, levelKey(f.GovernanceLevel)),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	},
	write: writeSimple(KindForum, func(f *Forum) string { return f.Key }, forumDerived),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relForumMeeting: "meeting"})
	},
	drop: dropSimple(forumDerived),
}

func uniqueHolder(txn *badger.Txn, k []byte) string {
	item, err := txn.Get(k)
	if err != nil {
		return ""
	}
	v, _ := item.ValueCopy(nil)
	return string(v)
}

// checkNoCycle refuses dependsOn links that lead back to t.
func checkNoCycle(txn *badger.Txn, t *Tiltak) error {
	seen := map[string]bool{}
	var path []string
	var walk func(k string) error
	walk = func(k string) error {
		if k == t.Key {
			return FieldErrorf(Invalid, "dependsOnKeys", "dependsOn would form a cycle: %s → %s", t.Key, joinPath(append(path, k)))
		}
		if seen[k] {
			return nil
		}
		seen[k] = true
		d, err := txnGet[Tiltak](txn, KindTiltak, k)
		if err != nil {
			return err
		}
		path = append(path, k)
		for _, next := range d.DependsOnKeys {
			if err := walk(next); err != nil {
				return err
			}
		}
		path = path[:len(path)-1]
		return nil
	}
	for _, d := range t.DependsOnKeys {
		if err := walk(d); err != nil {
			return err
		}
	}
	return nil
}

func joinPath(p []string) string {
	s := ""
	for i, k := range p {
		if i > 0 {
			s += " → "
		}
		s += k
	}
	return s
}

func deletePrefix(txn *badger.Txn, prefix []byte) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	var keys [][]byte
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	it.Close()
	for _, k := range keys {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// CreateLifeEvent stores a new life event. Returns Invalid or Conflict.
func (db *DB) CreateLifeEvent(ctx context.Context, a Actor, e *LifeEvent) (*LifeEvent, error) {
	return create(ctx, db, a, lifeEventSpec, e)
}

// UpdateLifeEvent changes a life event. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateLifeEvent(ctx context.Context, a Actor, key string, x Expect, change func(*LifeEvent) error) (*LifeEvent, error) {
	return update(ctx, db, a, lifeEventSpec, key, x, change)
}

// DeleteLifeEvent deletes a life event nothing refers to.
func (db *DB) DeleteLifeEvent(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[LifeEvent](ctx, db, a, lifeEventSpec, key, x)
}

// CreateFocusArea stores a new focus area. Returns Invalid or Conflict.
func (db *DB) CreateFocusArea(ctx context.Context, a Actor, f *FocusArea) (*FocusArea, error) {
	return create(ctx, db, a, focusAreaSpec, f)
}

// UpdateFocusArea changes a focus area. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateFocusArea(ctx context.Context, a Actor, key string, x Expect, change func(*FocusArea) error) (*FocusArea, error) {
	return update(ctx, db, a, focusAreaSpec, key, x, change)
}

// DeleteFocusArea deletes a focus area no initiative belongs to.
func (db *DB) DeleteFocusArea(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[FocusArea](ctx, db, a, focusAreaSpec, key, x)
}

// CreateInitiative stores a new initiative. Returns Invalid or Conflict.
func (db *DB) CreateInitiative(ctx context.Context, a Actor, i *Initiative) (*Initiative, error) {
	return create(ctx, db, a, initiativeSpec, i)
}

// UpdateInitiative changes an initiative. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateInitiative(ctx context.Context, a Actor, key string, x Expect, change func(*Initiative) error) (*Initiative, error) {
	return update(ctx, db, a, initiativeSpec, key, x, change)
}

// DeleteInitiative deletes an initiative no tiltak supports.
func (db *DB) DeleteInitiative(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[Initiative](ctx, db, a, initiativeSpec, key, x)
}

// CreateTiltak stores a new tiltak. Returns Invalid or Conflict.
func (db *DB) CreateTiltak(ctx context.Context, a Actor, t *Tiltak) (*Tiltak, error) {
	return create(ctx, db, a, tiltakSpec, t)
}

// UpdateTiltak changes a tiltak. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateTiltak(ctx context.Context, a Actor, key string, x Expect, change func(*Tiltak) error) (*Tiltak, error) {
	return update(ctx, db, a, tiltakSpec, key, x, change)
}

// DeleteTiltak deletes a tiltak no other depends on, with its status
// reports.
func (db *DB) DeleteTiltak(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[Tiltak](ctx, db, a, tiltakSpec, key, x)
}

// CreateBody stores a new body. Returns Invalid or Conflict.
func (db *DB) CreateBody(ctx context.Context, a Actor, b *Body) (*Body, error) {
	return create(ctx, db, a, bodySpec, b)
}

// UpdateBody changes a body. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateBody(ctx context.Context, a Actor, key string, x Expect, change func(*Body) error) (*Body, error) {
	return update(ctx, db, a, bodySpec, key, x, change)
}

// DeleteBody deletes a body nothing refers to.
func (db *DB) DeleteBody(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[Body](ctx, db, a, bodySpec, key, x)
}

// CreateGovernanceLevel stores a new governance level (1–3).
func (db *DB) CreateGovernanceLevel(ctx context.Context, a Actor, g *GovernanceLevel) (*GovernanceLevel, error) {
	return create(ctx, db, a, levelSpec, g)
}

// UpdateGovernanceLevel changes a governance level.
func (db *DB) UpdateGovernanceLevel(ctx context.Context, a Actor, level int, x Expect, change func(*GovernanceLevel) error) (*GovernanceLevel, error) {
	return update(ctx, db, a, levelSpec, strconv.Itoa(level), x, change)
}

// DeleteGovernanceLevel deletes a governance level nothing sits at.
func (db *DB) DeleteGovernanceLevel(ctx context.Context, a Actor, level int, x Expect) error {
	return remove[GovernanceLevel](ctx, db, a, levelSpec, strconv.Itoa(level), x)
}

// CreateForum stores a new forum. Returns Invalid or Conflict.
func (db *DB) CreateForum(ctx context.Context, a Actor, f *Forum) (*Forum, error) {
	return create(ctx, db, a, forumSpec, f)
}

// UpdateForum changes a forum. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateForum(ctx context.Context, a Actor, key string, x Expect, change func(*Forum) error) (*Forum, error) {
	return update(ctx, db, a, forumSpec, key, x, change)
}

// DeleteForum deletes a forum.
func (db *DB) DeleteForum(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[Forum](ctx, db, a, forumSpec, key, x)
}
