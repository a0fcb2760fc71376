package store

import (
	"context"
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// TiltakFinance is everything about a tiltak's money, schedule, segment
// and goals, kept as one record beside the tiltak (r/fi/<tiltak>) so that
// a roll-up reads one record per tiltak. Each write replaces it whole, with
// an audit entry of the fields that changed.
type TiltakFinance struct {
	TiltakKey string `json:"tiltakKey"`
	// Funding lists the funding lines (finansiering), by key.
	Funding []Funding `json:"funding,omitempty"`
	// CostYears are the cost figures per fiscal year (budsjettår), by year.
	CostYears []CostYear `json:"costYears,omitempty"`
	Schedule  Schedule   `json:"schedule,omitzero"`
	// Rebaselines logs every change of an approved baseline, oldest first.
	Rebaselines []Rebaseline `json:"rebaselines,omitempty"`
	SegmentKey  string       `json:"segmentKey,omitempty"`
	Kind        TiltakKind   `json:"kind,omitempty"`
	// Goals are the goals the tiltak serves; exactly one is primary when
	// there are any.
	Goals []GoalLink `json:"goals,omitempty"`
	Meta
}

// Funding is one funding line (finansieringslinje) of a tiltak.
type Funding struct {
	// TiltakKey is filled in on reading (the record holds it once).
	TiltakKey string `json:"-"`
	// Key names the line within its tiltak (kebab-case).
	Key      string         `json:"key"`
	Source   FundingSource  `json:"source"`
	GrantRef string         `json:"grantRef,omitempty"`
	Purpose  FundingPurpose `json:"purpose"`
	Years    []FundingYear  `json:"years"`
	// SharePercent is the share (0–100) of the tiltak's cost the line
	// covers, when known.
	SharePercent *int        `json:"sharePercent,omitempty"`
	Provenance   *Provenance `json:"provenance,omitempty"`
}

// FundingYear is a funding line's amount for one fiscal year.
type FundingYear struct {
	// Year is nil when the source gives the amount for the grant's whole
	// life, not by year.
	Year      *int          `json:"year,omitempty"`
	AmountNok int64         `json:"amountNok"`
	Status    FundingStatus `json:"status"`
}

// CostYear is one fiscal year's cost: the approved baseline (kostnadsramme),
// the forecast (prognose) and the actual (regnskap), integer kroner.
type CostYear struct {
	Year        int    `json:"year"`
	BaselineNok *int64 `json:"baselineNok,omitempty"`
	ForecastNok *int64 `json:"forecastNok,omitempty"`
	ActualNok   *int64 `json:"actualNok,omitempty"`
	// Narrative explains a variance over the threshold (avviksforklaring).
	Narrative string `json:"narrative,omitempty"`
}

// Schedule is a tiltak's approved and forecast dates, YYYY-MM-DD.
type Schedule struct {
	ApprovedStart string `json:"approvedStart,omitempty"`
	ApprovedEnd   string `json:"approvedEnd,omitempty"`
	ForecastEnd   string `json:"forecastEnd,omitempty"`
	// DeviationNarrative explains a forecast end after the approved end.
	DeviationNarrative string `json:"deviationNarrative,omitempty"`
}

// RebaselineField is what a rebaselining changed.
type RebaselineField string

// The rebaselined fields.
const (
	RebaselineCost          RebaselineField = "COST_BASELINE"
	RebaselineApprovedStart RebaselineField = "APPROVED_START"
	RebaselineApprovedEnd   RebaselineField = "APPROVED_END"
)

var rebaselineFields = enumOf[RebaselineField]{[]RebaselineField{RebaselineCost, RebaselineApprovedStart, RebaselineApprovedEnd}, "RebaselineField"}

// MarshalGQL writes the enum value.
func (v RebaselineField) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// UnmarshalGQL reads the enum value.
func (v *RebaselineField) UnmarshalGQL(x any) error { return rebaselineFields.unmarshal(v, x) }

// Rebaseline is one logged change of an approved baseline (rebaselinering):
// the old and new value, why, who approved it and in which forum case.
type Rebaseline struct {
	At    time.Time       `json:"at"`
	Field RebaselineField `json:"field"`
	// Year is the fiscal year of a COST_BASELINE change.
	Year       *int   `json:"year,omitempty"`
	OldNok     *int64 `json:"oldNok,omitempty"`
	NewNok     *int64 `json:"newNok,omitempty"`
	OldDate    string `json:"oldDate,omitempty"`
	NewDate    string `json:"newDate,omitempty"`
	Reason     string `json:"reason"`
	ApprovedBy string `json:"approvedBy"`
	CaseKey    string `json:"caseKey"`
}

// GoalLink links a tiltak to a goal it serves.
type GoalLink struct {
	GoalKey string `json:"goalKey"`
	Primary bool   `json:"primary,omitempty"`
}

func (f *TiltakFinance) entityKey() string { return f.TiltakKey }
func (f *TiltakFinance) meta() *Meta       { return &f.Meta }

// TiltakFinance returns the money record of a tiltak: an empty one when
// nothing is recorded. Returns NotFound for an unknown tiltak.
func (s *Snapshot) TiltakFinance(tiltakKey string) (*TiltakFinance, error) {
	if _, err := s.Tiltak(tiltakKey); err != nil {
		return nil, err
	}
	f, err := getOne[TiltakFinance](s, KindFinance, tiltakKey)
	if ErrorCode(err) == NotFound {
		return &TiltakFinance{TiltakKey: tiltakKey}, nil
	}
	return f, err
}

// changeFinance applies change to a tiltak's money record in one
// transaction, with the settings in force, and writes the record, its
// audit entry and outbox event. Returns NotFound (field tiltakKey) for an
// unknown tiltak and whatever change returns.
func (db *DB) changeFinance(ctx context.Context, actor Actor, tiltakKey string, change func(txn *badger.Txn, f *TiltakFinance, set MoneySettings, now time.Time) error) (*TiltakFinance, error) {
	var out *TiltakFinance
	now := db.now().UTC()
	err := db.update(ctx, func(txn *badger.Txn) error {
		if err := exists(txn, "tiltakKey", KindTiltak, tiltakKey); err != nil {
			return err
		}
		if tiltakKey == "" {
			return FieldErrorf(Invalid, "tiltakKey", "tiltakKey is required")
		}
		set, err := readMoneySettings(txnReader{txn})
		if err != nil {
			return err
		}
		old, err := txnGet[TiltakFinance](txn, KindFinance, tiltakKey)
		if ErrorCode(err) == NotFound {
			old, err = nil, nil
		}
		if err != nil {
			return err
		}
		next := &TiltakFinance{TiltakKey: tiltakKey}
		if old != nil {
			if err := cloneInto(old, next); err != nil {
				return err
			}
		}
		if err := change(txn, next, set, now); err != nil {
			return err
		}
		out = next
		if old != nil {
			changed, err := diffFields(old, next)
			if err != nil || len(changed) == 0 {
				out = old
				return err
			}
			next.Version = old.Version + 1
		} else {
			next.Version = 1
		}
		next.UpdatedAt = now
		if err := txnPut(txn, recordKey(KindFinance, tiltakKey), next); err != nil {
			return err
		}
		var od derived
		if old != nil {
			od = financeDerived(old)
		}
		if err := applyDerived(txn, od, financeDerived(next)); err != nil {
			return err
		}
		if old == nil {
			return auditMoney(txn, now, actor, KindFinance, tiltakKey, nil, next)
		}
		return auditMoney(txn, now, actor, KindFinance, tiltakKey, old, next)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// financeDerived indexes a tiltak under its goals and its segment.
func financeDerived(f *TiltakFinance) derived {
	d := derived{}
	for _, g := range f.Goals {
		d.rel(relGoalTiltak, g.GoalKey, f.TiltakKey)
	}
	if f.SegmentKey != "" {
		d.rel(relSegmentTiltak, f.SegmentKey, f.TiltakKey)
	}
	return d
}

// FundingLines returns the funding lines with their tiltak's key.
func (f *TiltakFinance) FundingLines() []*Funding {
	out := make([]*Funding, len(f.Funding))
	for i := range f.Funding {
		l := f.Funding[i]
		l.TiltakKey = f.TiltakKey
		out[i] = &l
	}
	return out
}

// KindOrNull returns the tiltak's kind, or nil.
func (f *TiltakFinance) KindOrNull() *TiltakKind {
	if f.Kind == "" {
		return nil
	}
	k := f.Kind
	return &k
}

// PrimaryGoalKey returns the primary goal's key, or "".
func (f *TiltakFinance) PrimaryGoalKey() string {
	for _, g := range f.Goals {
		if g.Primary {
			return g.GoalKey
		}
	}
	return ""
}

// ApprovedStartOrNull returns the approved start, or nil.
func (s *Schedule) ApprovedStartOrNull() *string { return orNull(s.ApprovedStart) }

// ApprovedEndOrNull returns the approved end, or nil.
func (s *Schedule) ApprovedEndOrNull() *string { return orNull(s.ApprovedEnd) }

// ForecastEndOrNull returns the forecast end, or nil.
func (s *Schedule) ForecastEndOrNull() *string { return orNull(s.ForecastEnd) }

// DeviationNarrativeOrNull returns the deviation narrative, or nil.
func (s *Schedule) DeviationNarrativeOrNull() *string { return orNull(s.DeviationNarrative) }

// dropFinance deletes a deleted tiltak's money record and its indexes.
func dropFinance(txn *badger.Txn, tiltakKey string) error {
	f, err := txnGet[TiltakFinance](txn, KindFinance, tiltakKey)
	if ErrorCode(err) == NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if err := applyDerived(txn, financeDerived(f), nil); err != nil {
		return err
	}
	return txn.Delete(recordKey(KindFinance, tiltakKey))
}
