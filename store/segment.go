package store

import (
	"context"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Segment is a group of tiltak followed up the same way (segment): how
// closely, how often they report and which stage reports they owe.
type Segment struct {
	Key           string           `json:"key"`
	Name          string           `json:"name"`
	FollowUpLevel FollowUpLevel    `json:"followUpLevel"`
	Cadence       ReportingCadence `json:"cadence"`
	// RequiredStages names the stage reports (faserapporter) the segment's
	// tiltak must deliver, in order.
	RequiredStages []string `json:"requiredStages,omitempty"`
	Meta
}

func (g *Segment) entityKey() string { return g.Key }
func (g *Segment) meta() *Meta       { return &g.Meta }

func (g *Segment) validate() error {
	for _, err := range []error{ValidateKey("key", g.Key), required("name", g.Name)} {
		if err != nil {
			return err
		}
	}
	if !g.FollowUpLevel.IsValid() {
		return FieldErrorf(Invalid, "followUpLevel", "followUpLevel %q is not CLOSE, STANDARD or LIGHT", g.FollowUpLevel)
	}
	if !g.Cadence.IsValid() {
		return FieldErrorf(Invalid, "cadence", "cadence %q is not HALF_YEARLY or QUARTERLY", g.Cadence)
	}
	seen := map[string]bool{}
	for _, st := range g.RequiredStages {
		if st == "" || seen[st] {
			return FieldErrorf(Invalid, "requiredStages", "requiredStages has an empty or repeated stage %q", st)
		}
		seen[st] = true
	}
	return nil
}

var segmentSpec = spec[Segment]{
	kind:  KindSegment,
	refs:  func(*badger.Txn, *Segment) error { return nil },
	write: writeSimple(KindSegment, func(g *Segment) string { return g.Key }, func(*Segment) derived { return derived{} }),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relSegmentTiltak: "tiltak"})
	},
	drop:  dropSimple(func(*Segment) derived { return derived{} }),
	event: EventMoneyChanged,
}

// CreateSegment stores a new segment. Returns Invalid or Conflict.
func (db *DB) CreateSegment(ctx context.Context, a Actor, g *Segment) (*Segment, error) {
	return create(ctx, db, a, segmentSpec, g)
}

// UpdateSegment changes a segment. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateSegment(ctx context.Context, a Actor, key string, x Expect, change func(*Segment) error) (*Segment, error) {
	return update(ctx, db, a, segmentSpec, key, x, change)
}

// Segment returns the segment with key. Returns NotFound if none.
func (s *Snapshot) Segment(key string) (*Segment, error) { return getOne[Segment](s, KindSegment, key) }

// Segments returns every segment by key.
func (s *Snapshot) Segments() ([]*Segment, error) { return listRecords[Segment](s, KindSegment) }

// SetTiltakSegment puts a tiltak in a segment and sets its kind; nil
// leaves a value, "" clears it. Returns NotFound for an unknown tiltak or
// segment (field segmentKey), Invalid for a bad kind.
func (db *DB) SetTiltakSegment(ctx context.Context, actor Actor, tiltakKey string, segmentKey *string, kind *TiltakKind) (*TiltakFinance, error) {
	if kind != nil && *kind != "" && !kind.IsValid() {
		return nil, FieldErrorf(Invalid, "kind", "kind %q is not a tiltak kind", *kind)
	}
	return db.changeFinance(ctx, actor, tiltakKey, func(txn *badger.Txn, f *TiltakFinance, _ MoneySettings, _ time.Time) error {
		if segmentKey != nil {
			if err := exists(txn, "segmentKey", KindSegment, *segmentKey); err != nil {
				return err
			}
			f.SegmentKey = *segmentKey
		}
		setIf(&f.Kind, kind)
		return nil
	})
}

// SegmentTiltakKeys returns the keys of the tiltak in a segment.
func (s *Snapshot) SegmentTiltakKeys(key string) []string {
	return s.relatedKeys(relSegmentTiltak, key)
}
