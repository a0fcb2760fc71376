package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Plan versions. The plan is revised every year. The live entities are the
// working plan, the DRAFT; adopting a version copies the plan's items (life
// events, focus areas, initiatives and tiltak, with every field and link)
// to pvc/<version>/<kind>/<key>, so the version reads as adopted whatever
// happens to the draft afterwards.

// The kinds of the revision records.
const (
	KindMeeting     Kind = "Meeting"
	KindCase        Kind = "Case"
	KindPlanVersion Kind = "PlanVersion"
)

// PlanVersionState says whether a version is the working plan or adopted.
type PlanVersionState string

// The states of a plan version.
const (
	VersionDraft   PlanVersionState = "DRAFT"
	VersionAdopted PlanVersionState = "ADOPTED"
)

// DraftKey names the working plan (the live entities) where a version key
// is expected. Version keys are lower-case, so it never clashes with one.
const DraftKey = "DRAFT"

// PlanVersion is an adopted version of the plan, or the draft.
type PlanVersion struct {
	Key   string           `json:"key"`
	State PlanVersionState `json:"state"`
	// Number is the version's place in adoption order, from 1.
	Number    int       `json:"number,omitempty"`
	AdoptedAt time.Time `json:"adoptedAt,omitzero"`
	// MeetingKey is the meeting it was adopted in.
	MeetingKey string `json:"meetingKey,omitempty"`
	// ChangeSeq is the audit sequence number of the last change it holds.
	ChangeSeq uint64 `json:"changeSeq,omitempty"`
}

// frozenKinds are the kinds a plan version holds.
var frozenKinds = []Kind{KindLifeEvent, KindFocusArea, KindInitiative, KindTiltak}

// AdoptPlanVersion freezes the working plan as version key, adopted in the
// meeting with meetingKey, and emits PLAN_VERSION_ADOPTED. Adoptions are
// chronological: the meeting may not be earlier than the last adopted
// version's. Returns Invalid (bad key, unknown meeting, out of order) or
// Conflict (the key is taken).
//
// Writers wait while the plan is copied: the copy is written in batches
// (a large plan does not fit one transaction), then one transaction marks
// the version adopted, so an interrupted adoption leaves no version.
func (db *DB) AdoptPlanVersion(ctx context.Context, actor Actor, key, meetingKey string) (*PlanVersion, error) {
	if err := ValidateKey("key", key); err != nil {
		return nil, err
	}
	if err := ValidateKey("meetingKey", meetingKey); err != nil {
		return nil, err
	}
	db.writeMu.Lock()
	pv, err := db.adopt(ctx, actor, key, meetingKey)
	db.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	db.notify()
	return pv, nil
}

// adopt runs under db.writeMu, so no write lands between reading the plan
// and marking it adopted.
func (db *DB) adopt(ctx context.Context, actor Actor, key, meetingKey string) (*PlanVersion, error) {
	now := db.now().UTC()
	pv := &PlanVersion{Key: key, State: VersionAdopted, Number: 1, AdoptedAt: now, MeetingKey: meetingKey}
	read := db.bdb.NewTransaction(false)
	defer read.Discard()
	if err := checkAdoption(read, pv); err != nil {
		return nil, err
	}
	var err error
	if pv.ChangeSeq, err = readSeq(read, keyChangeSeq); err != nil {
		return nil, err
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	// Leftovers of an adoption interrupted before it was marked.
	if err := eachKey(read, frozenPrefix(key), func(k, _ []byte) error { return wb.Delete(k) }); err != nil {
		return nil, err
	}
	for _, kind := range frozenKinds {
		prefix := []byte(recordPrefix[kind])
		err := eachKey(read, prefix, func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return wb.Set(frozenKey(key, kind, string(k[len(prefix):])), v)
		})
		if err != nil {
			return nil, err
		}
	}
	if err := wb.Flush(); err != nil {
		return nil, fmt.Errorf("adopt plan version %s: %w", key, err)
	}
	err = db.bdb.Update(func(txn *badger.Txn) error {
		if err := txnPut(txn, planVersionKey(key), pv); err != nil {
			return err
		}
		if err := txn.Set(relKey(relMeetingVersion, meetingKey, key), nil); err != nil {
			return err
		}
		if _, err := recordChange(txn, now, actor, KindPlanVersion, key, nil, pv); err != nil {
			return err
		}
		return enqueueEvent(txn, now, EventPlanVersionAdopted, KindPlanVersion, key, pv)
	})
	if err != nil {
		return nil, err
	}
	return pv, db.bdb.Sync()
}

// checkAdoption checks that pv's key is free and its meeting exists and is
// not earlier than the last adopted version's, and numbers pv.
func checkAdoption(txn *badger.Txn, pv *PlanVersion) error {
	if _, err := txnGetKey[PlanVersion](txn, planVersionKey(pv.Key)); err == nil {
		return FieldErrorf(Conflict, "key", "plan version %q is already adopted: version keys are unique", pv.Key)
	} else if ErrorCode(err) != NotFound {
		return err
	}
	m, err := txnGet[Meeting](txn, KindMeeting, pv.MeetingKey)
	if ErrorCode(err) == NotFound {
		return FieldErrorf(Invalid, "meetingKey", "meetingKey refers to meeting %q, which does not exist", pv.MeetingKey)
	} else if err != nil {
		return err
	}
	var last *PlanVersion
	err = eachKey(txn, planVersionPrefix, func(_, v []byte) error {
		p := new(PlanVersion)
		if err := decode(v, p); err != nil {
			return err
		}
		if last == nil || p.Number > last.Number {
			last = p
		}
		return nil
	})
	if err != nil || last == nil {
		return err
	}
	if lm, err := txnGet[Meeting](txn, KindMeeting, last.MeetingKey); err == nil && m.Date < lm.Date {
		return FieldErrorf(Invalid, "meetingKey", "plan versions are adopted in order: %q was adopted in a meeting on %s, after this meeting (%s)", last.Key, lm.Date, m.Date)
	}
	if pv.AdoptedAt.Before(last.AdoptedAt) {
		return Errorf(Invalid, "plan versions are adopted in order: %q was adopted at %s, after now", last.Key, last.AdoptedAt.Format(time.RFC3339))
	}
	pv.Number = last.Number + 1
	return nil
}

// eachKey calls fn with every key and value under prefix (copies, safe to
// keep).
func eachKey(txn *badger.Txn, prefix []byte, fn func(k, v []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		if err := fn(it.Item().KeyCopy(nil), v); err != nil {
			return err
		}
	}
	return nil
}

// readSeq returns the current value of a sequence kept at key (0 if none).
func readSeq(txn *badger.Txn, key []byte) (uint64, error) {
	item, err := txn.Get(key)
	if err == badger.ErrKeyNotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var n uint64
	return n, item.Value(func(b []byte) error { return json.Unmarshal(b, &n) })
}

// PlanVersions returns the adopted versions in adoption order, then the
// draft.
func (s *Snapshot) PlanVersions() ([]*PlanVersion, error) {
	s.mu.Lock()
	var out []*PlanVersion
	err := eachKey(s.txn, planVersionPrefix, func(_, v []byte) error {
		p := new(PlanVersion)
		out = append(out, p)
		return decode(v, p)
	})
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return append(out, &PlanVersion{Key: DraftKey, State: VersionDraft}), err
}

// PlanVersion returns the version with key; [DraftKey] is the working
// plan. Returns NotFound if there is none.
func (s *Snapshot) PlanVersion(key string) (*PlanVersion, error) {
	if key == DraftKey {
		return &PlanVersion{Key: DraftKey, State: VersionDraft}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pv, err := snapGet[PlanVersion](s, planVersionKey(key))
	if ErrorCode(err) == NotFound {
		return nil, Errorf(NotFound, "plan version %q not found (adopted versions and %s)", key, DraftKey)
	}
	return pv, err
}

// versionItems returns the items of kind in a version, by key: the frozen
// copies, or the live records for the draft.
func versionItems[T any](s *Snapshot, version string, kind Kind) ([]*T, error) {
	if version == DraftKey {
		return listRecords[T](s, kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*T
	err := eachKey(s.txn, frozenKindPrefix(version, kind), func(_, v []byte) error {
		s.reads.Add(1)
		x := new(T)
		out = append(out, x)
		return decode(v, x)
	})
	return out, err
}

// VersionLifeEvents returns the life events of a version, by key.
func (s *Snapshot) VersionLifeEvents(version string) ([]*LifeEvent, error) {
	return versionItems[LifeEvent](s, version, KindLifeEvent)
}

// VersionFocusAreas returns the focus areas of a version, by key.
func (s *Snapshot) VersionFocusAreas(version string) ([]*FocusArea, error) {
	return versionItems[FocusArea](s, version, KindFocusArea)
}

// VersionInitiatives returns the initiatives of a version, by key.
func (s *Snapshot) VersionInitiatives(version string) ([]*Initiative, error) {
	return versionItems[Initiative](s, version, KindInitiative)
}

// VersionTiltak returns the tiltak of a version, by key.
func (s *Snapshot) VersionTiltak(version string) ([]*Tiltak, error) {
	return versionItems[Tiltak](s, version, KindTiltak)
}

// VersionTiltakByKey returns one tiltak as a version holds it. Returns
// NotFound if the version has no such tiltak.
func (s *Snapshot) VersionTiltakByKey(version, key string) (*Tiltak, error) {
	if version == DraftKey {
		return s.Tiltak(key)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := snapGet[Tiltak](s, frozenKey(version, KindTiltak, key))
	if ErrorCode(err) == NotFound {
		return nil, Errorf(NotFound, "plan version %q has no tiltak %q", version, key)
	}
	return t, err
}

// AdoptedAtOrNull returns when the version was adopted, nil for the draft.
func (p *PlanVersion) AdoptedAtOrNull() *time.Time {
	if p.AdoptedAt.IsZero() {
		return nil
	}
	return &p.AdoptedAt
}

// MarshalGQL writes the enum value.
func (v PlanVersionState) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// UnmarshalGQL reads the enum value.
func (v *PlanVersionState) UnmarshalGQL(x any) (err error) {
	*v, err = unmarshalEnum(x, []PlanVersionState{VersionDraft, VersionAdopted}, "PlanVersionState")
	return
}

// Nullable accessors for the frozen items of a version (the GraphQL
// Versioned… types) and the audit trail.

// NameEnOrNull returns the English name, or nil.
func (e *LifeEvent) NameEnOrNull() *string { return orNull(e.NameEn) }

// LeadBodyKeyOrNull returns the lead body's key, or nil.
func (e *LifeEvent) LeadBodyKeyOrNull() *string { return orNull(e.LeadBodyKey) }

// NameEnOrNull returns the English name, or nil.
func (f *FocusArea) NameEnOrNull() *string { return orNull(f.NameEn) }

// OwnerKeyOrNull returns the owning ministry's key, or nil.
func (i *Initiative) OwnerKeyOrNull() *string { return orNull(i.OwnerKey) }

// ExecutingBodyKeyOrNull returns the executing body's key, or nil.
func (i *Initiative) ExecutingBodyKeyOrNull() *string { return orNull(i.ExecutingBodyKey) }

// ReasonOrNull returns why the change was made, or nil.
func (c *Change) ReasonOrNull() *string { return orNull(c.Reason) }

// DecidedInOrNull returns the deciding case's key, or nil.
func (c *Change) DecidedInOrNull() *string { return orNull(c.DecidedIn) }
