package store

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DeliveryKind is what sort of thing a delivery is.
type DeliveryKind string

// The delivery kinds.
const (
	DeliveryMilestone   DeliveryKind = "MILESTONE"   // milepæl: a date to reach
	DeliveryTarget      DeliveryKind = "TARGET"      // målpunkt: a value to reach, with a unit
	DeliveryDeliverable DeliveryKind = "DELIVERABLE" // leveranse: something handed over
)

var allDeliveryKinds = []DeliveryKind{DeliveryMilestone, DeliveryTarget, DeliveryDeliverable}

// TiltakDelivery is a delivery or milestone (leveranse, milepæl) under a
// tiltak, with its baseline, forecast and actual dates. Its key is unique
// within the tiltak. (The Go name keeps it apart from a webhook
// [Delivery]; in GraphQL it is Delivery.)
type TiltakDelivery struct {
	TiltakKey     string       `json:"tiltakKey"`
	Key           string       `json:"key"`
	Title         string       `json:"title"`
	Kind          DeliveryKind `json:"kind"`
	BaselineDate  string       `json:"baselineDate,omitempty"`
	ForecastDate  string       `json:"forecastDate,omitempty"`
	ActualDate    string       `json:"actualDate,omitempty"`
	Phase         *Phase       `json:"phase,omitempty"`
	Health        *Health      `json:"health,omitempty"`
	Unit          string       `json:"unit,omitempty"`
	BaselineValue *float64     `json:"baselineValue,omitempty"`
	TargetValue   *float64     `json:"targetValue,omitempty"`
	AchievedValue *float64     `json:"achievedValue,omitempty"`
	EvidenceURL   string       `json:"evidenceUrl,omitempty"`
	VerifiedBy    string       `json:"verifiedBy,omitempty"`
	VerifiedAt    *time.Time   `json:"verifiedAt,omitempty"`
	Meta
}

// DeliveryProgress is a status report's word on one delivery: what of it
// changes. Submitting the report writes it onto the delivery.
type DeliveryProgress struct {
	DeliveryKey   string   `json:"deliveryKey"`
	Phase         *Phase   `json:"phase,omitempty"`
	Health        *Health  `json:"health,omitempty"`
	ForecastDate  string   `json:"forecastDate,omitempty"`
	ActualDate    string   `json:"actualDate,omitempty"`
	AchievedValue *float64 `json:"achievedValue,omitempty"`
	Note          string   `json:"note,omitempty"`
}

func days(a, b string) (int, bool) {
	x, err1 := time.Parse(time.DateOnly, a)
	y, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(y.Sub(x).Hours() / 24), true
}

// SlipDays is how many days the delivery is (or was) later than its
// baseline: the actual date, else the forecast, less the baseline date.
// Negative when early; nil without a baseline or either of the others.
func (d *TiltakDelivery) SlipDays() *int {
	end := d.ActualDate
	if end == "" {
		end = d.ForecastDate
	}
	if d.BaselineDate == "" || end == "" {
		return nil
	}
	n, ok := days(d.BaselineDate, end)
	if !ok {
		return nil
	}
	return &n
}

// DueDate is when the delivery is due: the forecast, else the baseline.
func (d *TiltakDelivery) DueDate() string {
	if d.ForecastDate != "" {
		return d.ForecastDate
	}
	return d.BaselineDate
}

// OverdueOn reports whether the delivery is not done (no actual date) and
// its due date is before today (YYYY-MM-DD).
func (d *TiltakDelivery) OverdueOn(today string) bool {
	due := d.DueDate()
	return d.ActualDate == "" && due != "" && due < today
}

func (d *TiltakDelivery) validate() error {
	if err := checkKey("key", d.Key); err != nil {
		return err
	}
	if strings.TrimSpace(d.Title) == "" {
		return FieldErrorf(Invalid, "title", "title is required")
	}
	if !oneOf(d.Kind, allDeliveryKinds) {
		return FieldErrorf(Invalid, "kind", "kind %q must be MILESTONE, TARGET or DELIVERABLE", d.Kind)
	}
	for _, f := range [][2]string{{"baselineDate", d.BaselineDate}, {"forecastDate", d.ForecastDate}, {"actualDate", d.ActualDate}} {
		if err := validDate(f[0], f[1]); err != nil {
			return err
		}
	}
	if d.Phase != nil && !d.Phase.IsValid() {
		return FieldErrorf(Invalid, "phase", "phase %q is not valid", *d.Phase)
	}
	if d.Health != nil && !d.Health.IsValid() {
		return FieldErrorf(Invalid, "health", "health %q is not valid", *d.Health)
	}
	if d.Kind == DeliveryTarget && d.TargetValue == nil {
		return FieldErrorf(Invalid, "targetValue", "a TARGET needs a targetValue")
	}
	if d.EvidenceURL != "" && !strings.HasPrefix(d.EvidenceURL, "https://") && !strings.HasPrefix(d.EvidenceURL, "http://") {
		return FieldErrorf(Invalid, "evidenceUrl", "evidenceUrl must be an http(s) URL")
	}
	return nil
}

func validateDeliveryProgress(ds []DeliveryProgress) error {
	seen := map[string]bool{}
	for i, s := range ds {
		if s.DeliveryKey == "" {
			return FieldErrorf(Invalid, fieldAt("deliveries", i, "deliveryKey"), "deliveryKey is required")
		}
		if seen[s.DeliveryKey] {
			return FieldErrorf(Invalid, fieldAt("deliveries", i, "deliveryKey"), "delivery %q is given twice", s.DeliveryKey)
		}
		seen[s.DeliveryKey] = true
		if s.Health != nil && !s.Health.IsValid() {
			return FieldErrorf(Invalid, fieldAt("deliveries", i, "health"), "health %q is not valid", *s.Health)
		}
		if s.Phase != nil && !s.Phase.IsValid() {
			return FieldErrorf(Invalid, fieldAt("deliveries", i, "phase"), "phase %q is not valid", *s.Phase)
		}
		if err := validDate(fieldAt("deliveries", i, "forecastDate"), s.ForecastDate); err != nil {
			return err
		}
		if err := validDate(fieldAt("deliveries", i, "actualDate"), s.ActualDate); err != nil {
			return err
		}
	}
	return nil
}

// checkKey checks a kebab-case key.
func checkKey(field, k string) error {
	if k == "" {
		return FieldErrorf(Invalid, field, "%s is required", field)
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return FieldErrorf(Invalid, field, "%s %q must be kebab-case: a-z, 0-9 and -", field, k)
		}
	}
	return nil
}

// putDelivery writes a delivery with its audit entry (old is nil for a new one).
func putDelivery(txn *badger.Txn, now time.Time, actor Actor, old, d *TiltakDelivery) error {
	d.Version, d.UpdatedAt = 1, now
	if old != nil {
		d.Version = old.Version + 1
	}
	if d.Provenance == nil {
		d.Provenance = &Provenance{Confidence: Reported}
	}
	if err := txnPut(txn, tiltakDeliveryKey(d.TiltakKey, d.Key), d); err != nil {
		return err
	}
	var before any
	if old != nil {
		before = old
	}
	_, err := recordChange(txn, now, actor, KindDelivery, d.TiltakKey+"/"+d.Key, before, d)
	return err
}

// SaveDelivery creates a delivery under a tiltak or, when one with its key
// exists, changes it with change (x checks its version). Returns Invalid
// for a bad delivery, NotFound for an unknown tiltak and Conflict for a
// stale version or a create (change nil) of a key that exists.
func (db *DB) SaveDelivery(ctx context.Context, actor Actor, tiltak, key string, x Expect, change func(*TiltakDelivery) error) (*TiltakDelivery, error) {
	now := db.now().UTC()
	var out *TiltakDelivery
	err := db.update(ctx, func(txn *badger.Txn) error {
		if _, err := txnGet[Tiltak](txn, KindTiltak, tiltak); err != nil {
			return refErr(err, "tiltakKey")
		}
		old, err := txnGetKey[TiltakDelivery](txn, tiltakDeliveryKey(tiltak, key))
		if err != nil && ErrorCode(err) != NotFound {
			return err
		}
		d := &TiltakDelivery{TiltakKey: tiltak, Key: key}
		if old != nil {
			if x.Version != nil && *x.Version != old.Version {
				return FieldErrorf(Conflict, "expectedVersion", "delivery %s/%s is at version %d, not %d", tiltak, key, old.Version, *x.Version)
			}
			c := *old
			d = &c
		} else if x.Version != nil {
			return FieldErrorf(NotFound, "key", "delivery %s/%s not found", tiltak, key)
		}
		if err := change(d); err != nil {
			return err
		}
		d.TiltakKey, d.Key = tiltak, key
		if err := d.validate(); err != nil {
			return err
		}
		out = d
		return putDelivery(txn, now, actor, old, d)
	})
	return out, err
}

// VerifyDelivery records that the secretariat has checked a delivery's
// evidence: verifiedBy is the actor's token name, verifiedAt now. Returns
// NotFound for an unknown delivery.
func (db *DB) VerifyDelivery(ctx context.Context, actor Actor, tiltak, key, evidenceURL string) (*TiltakDelivery, error) {
	return db.SaveDelivery(ctx, actor, tiltak, key, Expect{}, func(d *TiltakDelivery) error {
		if d.Version == 0 {
			return FieldErrorf(NotFound, "key", "delivery %s/%s not found", tiltak, key)
		}
		if evidenceURL != "" {
			d.EvidenceURL = evidenceURL
		}
		at := db.now().UTC()
		d.VerifiedBy, d.VerifiedAt = actor.TokenName, &at
		if d.VerifiedBy == "" {
			d.VerifiedBy = "system"
		}
		return nil
	})
}

// DeleteDelivery removes a delivery. Returns NotFound if there is none.
func (db *DB) DeleteDelivery(ctx context.Context, actor Actor, tiltak, key string) error {
	now := db.now().UTC()
	return db.update(ctx, func(txn *badger.Txn) error {
		old, err := txnGetKey[TiltakDelivery](txn, tiltakDeliveryKey(tiltak, key))
		if ErrorCode(err) == NotFound {
			return FieldErrorf(NotFound, "key", "delivery %s/%s not found", tiltak, key)
		} else if err != nil {
			return err
		}
		if err := txn.Delete(tiltakDeliveryKey(tiltak, key)); err != nil {
			return err
		}
		_, err = recordChange(txn, now, actor, KindDelivery, tiltak+"/"+key, old, nil)
		return err
	})
}

// applyDeliveryProgress writes a status report's word on each delivery
// onto the delivery. Returns NotFound naming the entry of an unknown one.
func applyDeliveryProgress(txn *badger.Txn, now time.Time, actor Actor, tiltak string, ds []DeliveryProgress) error {
	for i, s := range ds {
		old, err := txnGetKey[TiltakDelivery](txn, tiltakDeliveryKey(tiltak, s.DeliveryKey))
		if ErrorCode(err) == NotFound {
			return FieldErrorf(NotFound, fieldAt("deliveries", i, "deliveryKey"), "tiltak %s has no delivery %q", tiltak, s.DeliveryKey)
		} else if err != nil {
			return err
		}
		d := *old
		if s.Phase != nil {
			d.Phase = s.Phase
		}
		if s.Health != nil {
			d.Health = s.Health
		}
		if s.ForecastDate != "" {
			d.ForecastDate = s.ForecastDate
		}
		if s.ActualDate != "" {
			d.ActualDate = s.ActualDate
		}
		if s.AchievedValue != nil {
			d.AchievedValue = s.AchievedValue
		}
		if err := putDelivery(txn, now, actor, old, &d); err != nil {
			return err
		}
	}
	return nil
}

// Deliveries returns a tiltak's deliveries by key.
func (s *Snapshot) Deliveries(tiltak string) ([]*TiltakDelivery, error) {
	return scanRecords[TiltakDelivery](s, tiltakDeliveryPrefix(tiltak))
}

// scanRecords decodes every record under prefix, in key order.
func scanRecords[T any](s *Snapshot, prefix []byte) ([]*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
	defer it.Close()
	out := []*T{}
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads.Add(1)
		v := new(T)
		if err := it.Item().Value(func(b []byte) error { return decode(b, v) }); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// DeliveryFilter selects deliveries across the plan. Empty fields match all.
type DeliveryFilter struct {
	// DueFrom and DueTo bound the due date (forecast, else baseline), inclusive.
	DueFrom, DueTo string
	Health         *Health
	// BodyKey is the responsible body of the delivery's tiltak.
	BodyKey string
	Overdue *bool
	// Today is what Overdue is judged against (YYYY-MM-DD).
	Today string
}

// FindDeliveries returns the deliveries of the whole plan that match f,
// by tiltak and key. Returns Invalid for a bad date.
func (s *Snapshot) FindDeliveries(f DeliveryFilter) ([]*TiltakDelivery, error) {
	if err := validDate("dueBetween.from", f.DueFrom); err != nil {
		return nil, err
	}
	if err := validDate("dueBetween.to", f.DueTo); err != nil {
		return nil, err
	}
	all, err := scanRecords[TiltakDelivery](s, []byte("dl/"))
	if err != nil {
		return nil, err
	}
	out := []*TiltakDelivery{}
	for _, d := range all {
		due := d.DueDate()
		if f.DueFrom != "" && (due == "" || due < f.DueFrom) || f.DueTo != "" && (due == "" || due > f.DueTo) {
			continue
		}
		if f.Health != nil && (d.Health == nil || *d.Health != *f.Health) {
			continue
		}
		if f.Overdue != nil && d.OverdueOn(f.Today) != *f.Overdue {
			continue
		}
		if f.BodyKey != "" {
			t, err := s.Tiltak(d.TiltakKey)
			if err != nil || t.ResponsibleKey != f.BodyKey {
				continue
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// Optional fields as null.

// BaselineDateOrNull returns the baseline date, or nil.
func (d *TiltakDelivery) BaselineDateOrNull() *string { return orNull(d.BaselineDate) }

// ForecastDateOrNull returns the forecast date, or nil.
func (d *TiltakDelivery) ForecastDateOrNull() *string { return orNull(d.ForecastDate) }

// ActualDateOrNull returns the actual date, or nil.
func (d *TiltakDelivery) ActualDateOrNull() *string { return orNull(d.ActualDate) }

// UnitOrNull returns the unit, or nil.
func (d *TiltakDelivery) UnitOrNull() *string { return orNull(d.Unit) }

// EvidenceURLOrNull returns the evidence URL, or nil.
func (d *TiltakDelivery) EvidenceURLOrNull() *string { return orNull(d.EvidenceURL) }

// VerifiedByOrNull returns who verified it, or nil.
func (d *TiltakDelivery) VerifiedByOrNull() *string { return orNull(d.VerifiedBy) }

// ForecastDateOrNull returns the forecast date, or nil.
func (s *DeliveryProgress) ForecastDateOrNull() *string { return orNull(s.ForecastDate) }

// ActualDateOrNull returns the actual date, or nil.
func (s *DeliveryProgress) ActualDateOrNull() *string { return orNull(s.ActualDate) }

// NoteOrNull returns the note, or nil.
func (s *DeliveryProgress) NoteOrNull() *string { return orNull(s.Note) }

// MarshalGQL writes the enum value.
func (k DeliveryKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *DeliveryKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, allDeliveryKinds, "DeliveryKind")
	return
}

// Delivery returns one delivery of a tiltak; nil when there is none.
func (s *Snapshot) Delivery(tiltak, key string) (*TiltakDelivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := snapGet[TiltakDelivery](s, tiltakDeliveryKey(tiltak, key))
	if ErrorCode(err) == NotFound {
		return nil, nil
	}
	return d, err
}
