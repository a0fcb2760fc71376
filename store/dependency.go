package store

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DependencyKind is what a typed dependency depends on: another tiltak or
// one of its deliveries, or a prerequisite outside the plan.
type DependencyKind string

// The dependency kinds.
const (
	DependsOnTiltak          DependencyKind = "TILTAK"
	DependsOnDelivery        DependencyKind = "DELIVERY"
	DependsOnLawChange       DependencyKind = "LAW_CHANGE"       // lovendring
	DependsOnCommonComponent DependencyKind = "COMMON_COMPONENT" // felleskomponent
	DependsOnFundingDecision DependencyKind = "FUNDING_DECISION" // finansieringsvedtak
	DependsOnDataAccess      DependencyKind = "DATA_ACCESS"      // tilgang til data
)

var allDependencyKinds = []DependencyKind{DependsOnTiltak, DependsOnDelivery, DependsOnLawChange, DependsOnCommonComponent, DependsOnFundingDecision, DependsOnDataAccess}

// Outside reports whether the kind is a prerequisite outside the plan.
func (k DependencyKind) Outside() bool { return k != DependsOnTiltak && k != DependsOnDelivery }

// DependencyState is how a dependency stands.
type DependencyState string

// The dependency states.
const (
	DependencyOpen   DependencyState = "OPEN"    // not yet met, no sign of trouble
	DependencyAtRisk DependencyState = "AT_RISK" // may not be met by neededBy
	DependencyMet    DependencyState = "MET"     // oppfylt
	DependencyBroken DependencyState = "BROKEN"  // will not be met
)

var allDependencyStates = []DependencyState{DependencyOpen, DependencyAtRisk, DependencyMet, DependencyBroken}

// Dependency is a typed dependency (avhengighet) of a tiltak, or of one of
// its deliveries, on another tiltak or delivery or on an outside
// prerequisite. Its key is unique within the tiltak it goes from.
type Dependency struct {
	Key             string         `json:"key"`
	FromTiltakKey   string         `json:"fromTiltakKey"`
	FromDeliveryKey string         `json:"fromDeliveryKey,omitempty"`
	To              DependencyKind `json:"to"`
	ToTiltakKey     string         `json:"toTiltakKey,omitempty"`
	ToDeliveryKey   string         `json:"toDeliveryKey,omitempty"`
	// Reference names an outside prerequisite (a law, a component, a decision).
	Reference string          `json:"reference,omitempty"`
	NeededBy  string          `json:"neededBy,omitempty"`
	State     DependencyState `json:"state"`
	OwnerKey  string          `json:"ownerKey,omitempty"`
	Meta
}

// Holds reports whether the dependency still holds its tiltak back when
// what it depends on is delayed: it is not met.
func (d *Dependency) Holds() bool { return d.State != DependencyMet }

func (d *Dependency) validate() error {
	if err := checkKey("key", d.Key); err != nil {
		return err
	}
	if !oneOf(d.To, allDependencyKinds) {
		return FieldErrorf(Invalid, "to", "to %q must be TILTAK, DELIVERY, LAW_CHANGE, COMMON_COMPONENT, FUNDING_DECISION or DATA_ACCESS", d.To)
	}
	if !oneOf(d.State, allDependencyStates) {
		return FieldErrorf(Invalid, "state", "state %q must be OPEN, AT_RISK, MET or BROKEN", d.State)
	}
	switch {
	case d.To.Outside():
		if strings.TrimSpace(d.Reference) == "" {
			return FieldErrorf(Invalid, "reference", "a %s prerequisite needs a reference that names it", d.To)
		}
		if d.ToTiltakKey != "" || d.ToDeliveryKey != "" {
			return FieldErrorf(Invalid, "toTiltakKey", "a %s prerequisite is outside the plan: give a reference, not a tiltak", d.To)
		}
	case d.ToTiltakKey == "":
		return FieldErrorf(Invalid, "toTiltakKey", "a dependency on a %s needs toTiltakKey", strings.ToLower(string(d.To)))
	case d.To == DependsOnDelivery && d.ToDeliveryKey == "":
		return FieldErrorf(Invalid, "toDeliveryKey", "a dependency on a delivery needs toDeliveryKey")
	case d.To == DependsOnTiltak && d.ToDeliveryKey != "":
		return FieldErrorf(Invalid, "toDeliveryKey", "a dependency on a TILTAK names no delivery (use DELIVERY)")
	case d.ToTiltakKey == d.FromTiltakKey && d.To == DependsOnTiltak:
		return FieldErrorf(Invalid, "toTiltakKey", "a tiltak cannot depend on itself")
	}
	return validDate("neededBy", d.NeededBy)
}

// checkRefs returns NotFound naming the field of a missing reference.
func (d *Dependency) checkRefs(txn *badger.Txn) error {
	if _, err := txnGet[Tiltak](txn, KindTiltak, d.FromTiltakKey); err != nil {
		return refErr(err, "fromTiltakKey")
	}
	if d.FromDeliveryKey != "" {
		if _, err := txnGetKey[TiltakDelivery](txn, tiltakDeliveryKey(d.FromTiltakKey, d.FromDeliveryKey)); err != nil {
			return refErr(Errorf(ErrorCode(err), "delivery %s/%s not found", d.FromTiltakKey, d.FromDeliveryKey), "fromDeliveryKey")
		}
	}
	if d.ToTiltakKey != "" {
		if _, err := txnGet[Tiltak](txn, KindTiltak, d.ToTiltakKey); err != nil {
			return refErr(err, "toTiltakKey")
		}
	}
	if d.ToDeliveryKey != "" {
		if _, err := txnGetKey[TiltakDelivery](txn, tiltakDeliveryKey(d.ToTiltakKey, d.ToDeliveryKey)); err != nil {
			return refErr(Errorf(ErrorCode(err), "delivery %s/%s not found", d.ToTiltakKey, d.ToDeliveryKey), "toDeliveryKey")
		}
	}
	if d.OwnerKey != "" {
		if _, err := txnGet[Body](txn, KindBody, d.OwnerKey); err != nil {
			return refErr(err, "ownerKey")
		}
	}
	return nil
}

// SaveDependency creates or replaces a typed dependency (x checks the
// version of the one it replaces). Returns Invalid for a bad dependency,
// NotFound naming the field of a missing tiltak, delivery or body, and
// Conflict for a stale version.
func (db *DB) SaveDependency(ctx context.Context, actor Actor, d Dependency, x Expect) (*Dependency, error) {
	if d.State == "" {
		d.State = DependencyOpen
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	now := db.now().UTC()
	err := db.update(ctx, func(txn *badger.Txn) error {
		if err := d.checkRefs(txn); err != nil {
			return err
		}
		old, err := txnGetKey[Dependency](txn, dependencyKey(d.FromTiltakKey, d.Key))
		if err != nil && ErrorCode(err) != NotFound {
			return err
		}
		if x.Version != nil && (old == nil || old.Version != *x.Version) {
			return FieldErrorf(Conflict, "expectedVersion", "dependency %s/%s is not at version %d", d.FromTiltakKey, d.Key, *x.Version)
		}
		d.Version, d.UpdatedAt = 1, now
		var before any
		if old != nil {
			d.Version, before = old.Version+1, old
			if old.ToTiltakKey != "" {
				if err := txn.Delete(dependencyToKey(old.ToTiltakKey, old.FromTiltakKey, old.Key)); err != nil {
					return err
				}
			}
		}
		if d.Provenance == nil {
			d.Provenance = &Provenance{Confidence: Reported}
		}
		if err := putDependency(txn, &d); err != nil {
			return err
		}
		_, err = recordChange(txn, now, actor, KindDependency, d.FromTiltakKey+"/"+d.Key, before, &d)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func putDependency(txn *badger.Txn, d *Dependency) error {
	if err := txnPut(txn, dependencyKey(d.FromTiltakKey, d.Key), d); err != nil {
		return err
	}
	if d.ToTiltakKey != "" {
		return txn.Set(dependencyToKey(d.ToTiltakKey, d.FromTiltakKey, d.Key), []byte{})
	}
	return nil
}

// RemoveDependency deletes a typed dependency. Returns NotFound if there is none.
func (db *DB) RemoveDependency(ctx context.Context, actor Actor, tiltak, key string) error {
	now := db.now().UTC()
	return db.update(ctx, func(txn *badger.Txn) error {
		old, err := txnGetKey[Dependency](txn, dependencyKey(tiltak, key))
		if ErrorCode(err) == NotFound {
			return FieldErrorf(NotFound, "key", "dependency %s/%s not found", tiltak, key)
		} else if err != nil {
			return err
		}
		if err := txn.Delete(dependencyKey(tiltak, key)); err != nil {
			return err
		}
		if old.ToTiltakKey != "" {
			if err := txn.Delete(dependencyToKey(old.ToTiltakKey, tiltak, key)); err != nil {
				return err
			}
		}
		_, err = recordChange(txn, now, actor, KindDependency, tiltak+"/"+key, old, nil)
		return err
	})
}

// Dependencies returns a tiltak's typed dependencies, by key.
func (s *Snapshot) Dependencies(tiltak string) ([]*Dependency, error) {
	return scanRecords[Dependency](s, dependencyPrefix(tiltak))
}

// Dependents returns the typed dependencies on a tiltak (or its
// deliveries), by tiltak and key.
func (s *Snapshot) Dependents(tiltak string) ([]*Dependency, error) {
	s.mu.Lock()
	refs := s.prefixKeys(dependencyToPrefix(tiltak))
	s.mu.Unlock()
	out := []*Dependency{}
	for _, ref := range refs {
		from, key, _ := strings.Cut(ref, ":")
		s.mu.Lock()
		d, err := snapGet[Dependency](s, dependencyKey(from, key))
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// dependentTiltak returns the tiltak that a delay of tiltak holds up:
// those naming it in dependsOn and those with a typed dependency on it or
// its deliveries that is not met; sorted, without repeats.
func (s *Snapshot) dependentTiltak(tiltak string) ([]string, error) {
	out := s.relatedKeys(relTiltakDependent, tiltak)
	ds, err := s.Dependents(tiltak)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.Holds() {
			out = append(out, d.FromTiltakKey)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// prerequisiteTiltak returns the tiltak t waits for: its dependsOn and the
// tiltak of its typed dependencies that are not met; sorted, without repeats.
func (s *Snapshot) prerequisiteTiltak(t *Tiltak) ([]string, error) {
	out := slices.Clone(t.DependsOnKeys)
	ds, err := s.Dependencies(t.Key)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.Holds() && d.ToTiltakKey != "" {
			out = append(out, d.ToTiltakKey)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// DependencyFilter selects typed dependencies across the plan.
type DependencyFilter struct {
	States []DependencyState
	To     *DependencyKind
	// NeededBefore keeps those needed before this date (YYYY-MM-DD).
	NeededBefore string
}

// FindDependencies returns the typed dependencies of the whole plan that
// match f, by tiltak and key.
func (s *Snapshot) FindDependencies(f DependencyFilter) ([]*Dependency, error) {
	if err := validDate("neededBefore", f.NeededBefore); err != nil {
		return nil, err
	}
	all, err := scanRecords[Dependency](s, []byte("dp/"))
	if err != nil {
		return nil, err
	}
	out := []*Dependency{}
	for _, d := range all {
		if len(f.States) > 0 && !slices.Contains(f.States, d.State) || f.To != nil && d.To != *f.To ||
			f.NeededBefore != "" && (d.NeededBy == "" || d.NeededBy >= f.NeededBefore) {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// TiltakWithDependenciesIn returns the keys of tiltak with a typed
// dependency in one of states (AT_RISK and BROKEN when none are given), sorted.
func (s *Snapshot) TiltakWithDependenciesIn(states []DependencyState) ([]string, error) {
	if len(states) == 0 {
		states = []DependencyState{DependencyAtRisk, DependencyBroken}
	}
	ds, err := s.FindDependencies(DependencyFilter{States: states})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.FromTiltakKey)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Optional fields as null.

// FromDeliveryKeyOrNull returns the delivery it goes from, or nil.
func (d *Dependency) FromDeliveryKeyOrNull() *string { return orNull(d.FromDeliveryKey) }

// ReferenceOrNull returns the reference, or nil.
func (d *Dependency) ReferenceOrNull() *string { return orNull(d.Reference) }

// NeededByOrNull returns the date it is needed by, or nil.
func (d *Dependency) NeededByOrNull() *string { return orNull(d.NeededBy) }

// OverdueOn reports whether the dependency is not met and needed before today.
func (d *Dependency) OverdueOn(today time.Time) bool {
	return d.State != DependencyMet && d.NeededBy != "" && d.NeededBy < today.Format(time.DateOnly)
}

// MarshalGQL writes the enum value.
func (k DependencyKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *DependencyKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, allDependencyKinds, "DependencyKind")
	return
}

// MarshalGQL writes the enum value.
func (s DependencyState) MarshalGQL(w io.Writer) { writeQuoted(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *DependencyState) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, allDependencyStates, "DependencyState")
	return
}
