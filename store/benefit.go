package store

import (
	"context"
	"sort"

	"github.com/dgraph-io/badger/v4"
)

// Benefit is an expected benefit (gevinst) of a tiltak in its benefits
// register (gevinstregister): what is measured, from which baseline
// (nullpunkt) to which target, who answers for it, what has been realised
// and how much of the budget is committed to be cut (uttrekk). A benefit
// stays open for realisations after its tiltak is completed or closed:
// benefits often come later.
type Benefit struct {
	Key       string      `json:"key"`
	TiltakKey string      `json:"tiltakKey"`
	Title     string      `json:"title"`
	Type      BenefitType `json:"type"`
	// Priced is whether the benefit is valued in kroner (prissatt).
	Priced bool `json:"priced,omitempty"`
	// Responsible is the person or role answerable (gevinstansvarlig).
	Responsible string `json:"responsible,omitempty"`
	// OwnerKeys are the bodies where the benefit arises (gevinsteiere).
	OwnerKeys             []string             `json:"ownerKeys,omitempty"`
	Indicator             BenefitIndicator     `json:"indicator"`
	Baseline              *BenefitMeasure      `json:"baseline,omitempty"`
	Target                *BenefitTarget       `json:"target,omitempty"`
	Realisations          []BenefitRealisation `json:"realisations,omitempty"`
	BudgetCutCommittedNok *int64               `json:"budgetCutCommittedNok,omitempty"`
	State                 BenefitState         `json:"state"`
	// FollowUntil is the last day (YYYY-MM-DD) the benefit is followed up.
	FollowUntil string `json:"followUntil,omitempty"`
	Meta
}

// BenefitIndicator is how a benefit is measured.
type BenefitIndicator struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Method string `json:"method,omitempty"`
}

// BenefitMeasure is the baseline (nullpunkt): a value and when it was measured.
type BenefitMeasure struct {
	Value      float64 `json:"value"`
	MeasuredAt string  `json:"measuredAt"`
}

// BenefitTarget is the value to reach and by when (YYYY-MM-DD).
type BenefitTarget struct {
	Value float64 `json:"value"`
	By    string  `json:"by"`
}

// BenefitRealisation is a reported realisation for a period.
type BenefitRealisation struct {
	Period     string  `json:"period"`
	Value      float64 `json:"value"`
	Source     string  `json:"source,omitempty"`
	ReportedBy string  `json:"reportedBy,omitempty"`
}

func (b *Benefit) entityKey() string { return b.Key }
func (b *Benefit) meta() *Meta       { return &b.Meta }

func (b *Benefit) validate() error {
	for _, err := range []error{ValidateKey("key", b.Key), ValidateKey("tiltakKey", b.TiltakKey), required("title", b.Title),
		required("indicator.name", b.Indicator.Name), required("indicator.unit", b.Indicator.Unit),
		ValidateDate("followUntil", b.FollowUntil), validateNok("budgetCutCommittedNok", b.BudgetCutCommittedNok)} {
		if err != nil {
			return err
		}
	}
	if !b.Type.IsValid() {
		return FieldErrorf(Invalid, "type", "type %q is not EFFICIENCY, QUALITY or OTHER_ACTORS", b.Type)
	}
	if !b.State.IsValid() {
		return FieldErrorf(Invalid, "state", "state %q is not PLANNED, REALISING, REALISED or ABANDONED", b.State)
	}
	if b.Baseline != nil {
		if err := firstErr(required("baseline.measuredAt", b.Baseline.MeasuredAt), ValidateDate("baseline.measuredAt", b.Baseline.MeasuredAt)); err != nil {
			return err
		}
	}
	if b.Target != nil {
		if err := firstErr(required("target.by", b.Target.By), ValidateDate("target.by", b.Target.By)); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, r := range b.Realisations {
		if _, err := periodYears(r.Period); err != nil {
			return err
		}
		if seen[r.Period] {
			return FieldErrorf(Invalid, "realisations", "realisations list period %s twice", r.Period)
		}
		seen[r.Period] = true
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func benefitDerived(b *Benefit) derived {
	d := derived{}
	d.rel(relTiltakBenefit, b.TiltakKey, b.Key)
	return d
}

var benefitSpec = spec[Benefit]{
	kind: KindBenefit,
	refs: func(txn *badger.Txn, b *Benefit) error {
		return firstErr(exists(txn, "tiltakKey", KindTiltak, b.TiltakKey), existAll(txn, "ownerKeys", KindBody, b.OwnerKeys))
	},
	write: writeSimple(KindBenefit, func(b *Benefit) string { return b.Key }, benefitDerived),
	inUse: func(*badger.Txn, string) []string { return nil },
	drop:  dropSimple(benefitDerived),
	event: EventMoneyChanged,
}

// CreateBenefit stores a new benefit (state PLANNED unless given).
// Returns Invalid, NotFound (tiltakKey, ownerKeys) or Conflict.
func (db *DB) CreateBenefit(ctx context.Context, a Actor, b *Benefit) (*Benefit, error) {
	if b.State == "" {
		b.State = BenefitPlanned
	}
	return create(ctx, db, a, benefitSpec, b)
}

// UpdateBenefit changes a benefit; its tiltak cannot change. Returns
// NotFound, Conflict or Invalid.
func (db *DB) UpdateBenefit(ctx context.Context, a Actor, key string, x Expect, change func(*Benefit) error) (*Benefit, error) {
	return update(ctx, db, a, benefitSpec, key, x, func(b *Benefit) error {
		tk := b.TiltakKey
		if err := change(b); err != nil {
			return err
		}
		if b.TiltakKey != tk {
			return FieldErrorf(Invalid, "tiltakKey", "a benefit stays with its tiltak (%q)", tk)
		}
		return nil
	})
}

// ReportBenefitRealisation records a benefit's realised value for a
// period, replacing an earlier report for the period, whatever the phase
// of its tiltak; a PLANNED benefit becomes REALISING. Returns NotFound for
// an unknown benefit (field key) and Invalid for a bad period or an
// ABANDONED benefit.
func (db *DB) ReportBenefitRealisation(ctx context.Context, a Actor, key string, r BenefitRealisation) (*Benefit, error) {
	if _, err := periodYears(r.Period); err != nil {
		return nil, err
	}
	if r.ReportedBy == "" {
		r.ReportedBy = actorLabel(a)
	}
	return db.UpdateBenefit(ctx, a, key, Expect{}, func(b *Benefit) error {
		if b.State == BenefitAbandoned {
			return FieldErrorf(Invalid, "key", "benefit %q is ABANDONED: it takes no realisations", key)
		}
		if b.State == BenefitPlanned {
			b.State = BenefitRealising
		}
		for i := range b.Realisations {
			if b.Realisations[i].Period == r.Period {
				b.Realisations[i] = r
				return nil
			}
		}
		b.Realisations = append(b.Realisations, r)
		sort.SliceStable(b.Realisations, func(i, j int) bool {
			x, _ := periodYears(b.Realisations[i].Period)
			y, _ := periodYears(b.Realisations[j].Period)
			return x < y
		})
		return nil
	})
}

// Benefit returns the benefit with key. Returns NotFound if none.
func (s *Snapshot) Benefit(key string) (*Benefit, error) { return getOne[Benefit](s, KindBenefit, key) }

// Benefits returns a tiltak's benefits by key, or every benefit when
// tiltakKey is empty.
func (s *Snapshot) Benefits(tiltakKey string) ([]*Benefit, error) {
	if tiltakKey == "" {
		return listRecords[Benefit](s, KindBenefit)
	}
	return getRecords[Benefit](s, KindBenefit, s.relatedKeys(relTiltakBenefit, tiltakKey))
}

// ResponsibleOrNull returns the gevinstansvarlig, or nil.
func (b *Benefit) ResponsibleOrNull() *string { return orNull(b.Responsible) }

// FollowUntilOrNull returns the last follow-up day, or nil.
func (b *Benefit) FollowUntilOrNull() *string { return orNull(b.FollowUntil) }

// MethodOrNull returns the measuring method, or nil.
func (i BenefitIndicator) MethodOrNull() *string { return orNull(i.Method) }

// SourceOrNull returns the realisation's source, or nil.
func (r BenefitRealisation) SourceOrNull() *string { return orNull(r.Source) }

// LatestRealisation returns the newest realisation, or nil.
func (b *Benefit) LatestRealisation() *BenefitRealisation {
	if len(b.Realisations) == 0 {
		return nil
	}
	r := b.Realisations[len(b.Realisations)-1]
	return &r
}
