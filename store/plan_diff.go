package store

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/dgraph-io/badger/v4"
)

// DiffOp says what happened to a plan item between two versions.
type DiffOp string

// The diff operations.
const (
	DiffAdded   DiffOp = "ADDED"
	DiffRemoved DiffOp = "REMOVED"
	DiffChanged DiffOp = "CHANGED"
)

// PlanItemDiff is one plan item that differs between two versions, field
// by field, with why: the reason and deciding case of the latest audit
// entry for it between the versions that gives one.
type PlanItemDiff struct {
	Op    DiffOp
	Kind  PlanItemKind
	Key   string
	Title string
	// Fields are the fields that differ, as JSON ("null" when absent).
	Fields    []FieldChange
	Reason    string
	DecidedIn string
}

// PlanDiff is what changed from one plan version to another.
type PlanDiff struct {
	From, To                string
	Added, Removed, Changed []*PlanItemDiff
}

// diffKinds is the order a diff lists kinds in: the plan's levels.
var diffKinds = []Kind{KindFocusArea, KindInitiative, KindTiltak, KindLifeEvent}

// PlanDiff compares two versions (either may be [DraftKey]): what was
// added, removed and changed, field by field, each with the reason and the
// case that decided it. Returns NotFound for an unknown version.
func (s *Snapshot) PlanDiff(from, to string) (*PlanDiff, error) {
	fv, err := s.PlanVersion(from)
	if err != nil {
		return nil, err
	}
	tv, err := s.PlanVersion(to)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lo, hi, err := s.seqRange(fv, tv)
	if err != nil {
		return nil, err
	}
	d := &PlanDiff{From: from, To: to, Added: []*PlanItemDiff{}, Removed: []*PlanItemDiff{}, Changed: []*PlanItemDiff{}}
	for _, kind := range diffKinds {
		a, err := s.rawItems(from, kind)
		if err != nil {
			return nil, err
		}
		b, err := s.rawItems(to, kind)
		if err != nil {
			return nil, err
		}
		for _, key := range unionKeys(a, b) {
			item, err := s.diffItem(kind, key, a[key], b[key], lo, hi)
			if err != nil {
				return nil, err
			}
			switch {
			case item == nil:
			case item.Op == DiffAdded:
				d.Added = append(d.Added, item)
			case item.Op == DiffRemoved:
				d.Removed = append(d.Removed, item)
			default:
				d.Changed = append(d.Changed, item)
			}
		}
	}
	return d, nil
}

// seqRange returns the audit sequence range (lo, hi] between two versions.
// Callers hold s.mu.
func (s *Snapshot) seqRange(a, b *PlanVersion) (uint64, uint64, error) {
	seq := func(v *PlanVersion) (uint64, error) {
		if v.State == VersionDraft {
			return readSeq(s.txn, keyChangeSeq)
		}
		return v.ChangeSeq, nil
	}
	lo, err := seq(a)
	if err != nil {
		return 0, 0, err
	}
	hi, err := seq(b)
	if hi < lo {
		lo, hi = hi, lo
	}
	return lo, hi, err
}

// rawItems returns a version's records of kind by key. Callers hold s.mu.
func (s *Snapshot) rawItems(version string, kind Kind) (map[string]json.RawMessage, error) {
	prefix := frozenKindPrefix(version, kind)
	if version == DraftKey {
		prefix = []byte(recordPrefix[kind])
	}
	out := map[string]json.RawMessage{}
	err := eachKey(s.txn, prefix, func(k, v []byte) error {
		s.reads.Add(1)
		out[string(k[len(prefix):])] = v
		return nil
	})
	return out, err
}

func unionKeys(a, b map[string]json.RawMessage) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// diffItem compares one item's records (nil where absent); nil if equal.
func (s *Snapshot) diffItem(kind Kind, key string, a, b json.RawMessage, lo, hi uint64) (*PlanItemDiff, error) {
	item := &PlanItemDiff{Op: DiffChanged, Kind: itemKindOf(kind), Key: key}
	var old, new any = a, b
	switch {
	case a == nil:
		item.Op, old = DiffAdded, nil
	case b == nil:
		item.Op, new = DiffRemoved, nil
	}
	fields, err := diffFields(old, new)
	if err != nil || len(fields) == 0 {
		return nil, err
	}
	item.Fields = fields
	var names struct{ Title, NameNb string }
	last := b
	if last == nil {
		last = a
	}
	if err := json.Unmarshal(last, &names); err != nil {
		return nil, err
	}
	item.Title = names.Title + names.NameNb
	item.Reason, item.DecidedIn, err = s.why(kind, key, lo, hi)
	return item, err
}

// why returns the reason and deciding case of the latest audit entry for
// an entity in the sequence range (lo, hi] that gives either. Callers hold
// s.mu.
func (s *Snapshot) why(kind Kind, key string, lo, hi uint64) (string, string, error) {
	prefix := relPrefix(relEntityChange, entityRef(kind, key))
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
	defer it.Close()
	for it.Seek(relKey(relEntityChange, entityRef(kind, key), seqString(hi))); it.ValidForPrefix(prefix); it.Next() {
		seq := lastSegment(it.Item().Key())
		if seq <= seqString(lo) {
			break
		}
		c, err := snapGet[Change](s, []byte("a/"+seq))
		if err != nil {
			return "", "", err
		}
		if c.Reason != "" || c.DecidedIn != "" {
			return c.Reason, c.DecidedIn, nil
		}
	}
	return "", "", nil
}

// ReasonOrNull returns the reason, or nil.
func (d *PlanItemDiff) ReasonOrNull() *string { return orNull(d.Reason) }

// DecidedInOrNull returns the deciding case's key, or nil.
func (d *PlanItemDiff) DecidedInOrNull() *string { return orNull(d.DecidedIn) }

// MarshalGQL writes the enum value.
func (o DiffOp) MarshalGQL(w io.Writer) { writeQuoted(w, string(o)) }

// UnmarshalGQL reads the enum value.
func (o *DiffOp) UnmarshalGQL(v any) (err error) {
	*o, err = unmarshalEnum(v, []DiffOp{DiffAdded, DiffRemoved, DiffChanged}, "DiffOp")
	return
}
