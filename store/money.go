package store

import (
	"context"
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Money, benefits and goals (økonomi, gevinster og mål): what a tiltak
// costs and who pays for it, whether it keeps to its approved schedule,
// what it gives back and which of the strategy's goals it serves. Money is
// integer kroner (int64), never floating point.

// The kinds of the money records, in the audit trail and global IDs.
const (
	KindFinance       Kind = "TiltakFinance"
	KindBenefit       Kind = "Benefit"
	KindGoal          Kind = "Goal"
	KindIndicator     Kind = "Indicator"
	KindSegment       Kind = "Segment"
	KindMoneySettings Kind = "MoneySettings"
)

// EventMoneyChanged is the webhook event of every money, benefit, goal and
// segment write.
const EventMoneyChanged EventType = "MONEY_CHANGED"

// enumOf implements IsValid, MarshalGQL and UnmarshalGQL for one enum.
type enumOf[T ~string] struct {
	all  []T
	name string
}

func (e enumOf[T]) valid(v T) bool { return oneOf(v, e.all) }

func (e enumOf[T]) unmarshal(dst *T, v any) (err error) {
	*dst, err = unmarshalEnum(v, e.all, e.name)
	return
}

// FundingSource is where a funding line's money comes from.
type FundingSource string

// The funding sources.
const (
	FundingOwnBudget      FundingSource = "OWN_BUDGET"      // egen ramme
	FundingBudgetProposal FundingSource = "BUDGET_PROPOSAL" // budsjettforslag (satsingsforslag)
	FundingCoFunding      FundingSource = "CO_FUNDING"      // medfinansieringsordningen
	FundingKSFund         FundingSource = "KS_FUND"         // KS' digitaliseringsfond
	FundingEU             FundingSource = "EU"              // EU-programmer
	FundingOther          FundingSource = "OTHER"
)

var fundingSources = enumOf[FundingSource]{[]FundingSource{FundingOwnBudget, FundingBudgetProposal, FundingCoFunding, FundingKSFund, FundingEU, FundingOther}, "FundingSource"}

// FundingPurpose is what a funding line pays for.
type FundingPurpose string

// The funding purposes.
const (
	PurposeDevelopment FundingPurpose = "DEVELOPMENT" // utvikling
	PurposeOperations  FundingPurpose = "OPERATIONS"  // drift og forvaltning
)

var fundingPurposes = enumOf[FundingPurpose]{[]FundingPurpose{PurposeDevelopment, PurposeOperations}, "FundingPurpose"}

// FundingStatus is how sure a year's amount is.
type FundingStatus string

// The funding statuses.
const (
	FundingConfirmed FundingStatus = "CONFIRMED" // bekreftet (tildelt)
	FundingApplied   FundingStatus = "APPLIED"   // søkt
	FundingPlanned   FundingStatus = "PLANNED"   // planlagt
	FundingMissing   FundingStatus = "MISSING"   // mangler
)

var fundingStatuses = enumOf[FundingStatus]{[]FundingStatus{FundingConfirmed, FundingApplied, FundingPlanned, FundingMissing}, "FundingStatus"}

// BenefitType is what sort of benefit (gevinst) a [Benefit] is.
type BenefitType string

// The benefit types.
const (
	BenefitEfficiency  BenefitType = "EFFICIENCY"   // effektivisering (sparte timer, kroner)
	BenefitQuality     BenefitType = "QUALITY"      // kvalitet for brukerne
	BenefitOtherActors BenefitType = "OTHER_ACTORS" // gevinster hos andre aktører
)

var benefitTypes = enumOf[BenefitType]{[]BenefitType{BenefitEfficiency, BenefitQuality, BenefitOtherActors}, "BenefitType"}

// BenefitState is where a benefit is in its realisation.
type BenefitState string

// The benefit states.
const (
	BenefitPlanned   BenefitState = "PLANNED"   // planlagt
	BenefitRealising BenefitState = "REALISING" // under realisering
	BenefitRealised  BenefitState = "REALISED"  // realisert
	BenefitAbandoned BenefitState = "ABANDONED" // oppgitt
)

var benefitStates = enumOf[BenefitState]{[]BenefitState{BenefitPlanned, BenefitRealising, BenefitRealised, BenefitAbandoned}, "BenefitState"}

// FollowUpLevel is how closely a segment's tiltak are followed up.
type FollowUpLevel string

// The follow-up levels.
const (
	FollowUpClose    FollowUpLevel = "CLOSE"    // tett oppfølging
	FollowUpStandard FollowUpLevel = "STANDARD" // ordinær
	FollowUpLight    FollowUpLevel = "LIGHT"    // lett
)

var followUpLevels = enumOf[FollowUpLevel]{[]FollowUpLevel{FollowUpClose, FollowUpStandard, FollowUpLight}, "FollowUpLevel"}

// TiltakKind is what sort of commitment a tiltak is.
type TiltakKind string

// The tiltak kinds.
const (
	TiltakGovernmentCommitment TiltakKind = "GOVERNMENT_COMMITMENT" // «Regjeringen vil»
	TiltakSupporting           TiltakKind = "SUPPORTING"            // støttende tiltak
	TiltakSectorPortfolio      TiltakKind = "SECTOR_PORTFOLIO"      // i en sektors portefølje
)

var tiltakKinds = enumOf[TiltakKind]{[]TiltakKind{TiltakGovernmentCommitment, TiltakSupporting, TiltakSectorPortfolio}, "TiltakKind"}

// SizeClass is a tiltak's size by whole-life cost.
type SizeClass string

// The size classes (limits in [MoneySettings]).
const (
	SizeUnknown SizeClass = "UNKNOWN" // no cost given
	SizeSmall   SizeClass = "SMALL"   // under 25 MNOK
	SizeMedium  SizeClass = "MEDIUM"  // 25–200 MNOK
	SizeLarge   SizeClass = "LARGE"   // over 200 MNOK
)

var sizeClasses = enumOf[SizeClass]{[]SizeClass{SizeUnknown, SizeSmall, SizeMedium, SizeLarge}, "SizeClass"}

// ScoreBand is the band a goal score falls in.
type ScoreBand string

// The score bands (thresholds in [MoneySettings]).
const (
	BandLow    ScoreBand = "LOW"    // lav måloppnåelse
	BandMedium ScoreBand = "MEDIUM" // middels
	BandHigh   ScoreBand = "HIGH"   // høy
)

var scoreBands = enumOf[ScoreBand]{[]ScoreBand{BandLow, BandMedium, BandHigh}, "ScoreBand"}

// IsValid reports whether v is defined.
func (v FundingSource) IsValid() bool { return fundingSources.valid(v) }

// IsValid reports whether v is defined.
func (v FundingPurpose) IsValid() bool { return fundingPurposes.valid(v) }

// IsValid reports whether v is defined.
func (v FundingStatus) IsValid() bool { return fundingStatuses.valid(v) }

// IsValid reports whether v is defined.
func (v BenefitType) IsValid() bool { return benefitTypes.valid(v) }

// IsValid reports whether v is defined.
func (v BenefitState) IsValid() bool { return benefitStates.valid(v) }

// IsValid reports whether v is defined.
func (v FollowUpLevel) IsValid() bool { return followUpLevels.valid(v) }

// IsValid reports whether v is defined.
func (v TiltakKind) IsValid() bool { return tiltakKinds.valid(v) }

// MarshalGQL writes the enum value.
func (v FundingSource) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v FundingPurpose) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v FundingStatus) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v BenefitType) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v BenefitState) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v FollowUpLevel) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v TiltakKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v SizeClass) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// MarshalGQL writes the enum value.
func (v ScoreBand) MarshalGQL(w io.Writer) { writeQuoted(w, string(v)) }

// UnmarshalGQL reads the enum value.
func (v *FundingSource) UnmarshalGQL(x any) error { return fundingSources.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *FundingPurpose) UnmarshalGQL(x any) error { return fundingPurposes.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *FundingStatus) UnmarshalGQL(x any) error { return fundingStatuses.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *BenefitType) UnmarshalGQL(x any) error { return benefitTypes.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *BenefitState) UnmarshalGQL(x any) error { return benefitStates.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *FollowUpLevel) UnmarshalGQL(x any) error { return followUpLevels.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *TiltakKind) UnmarshalGQL(x any) error { return tiltakKinds.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *SizeClass) UnmarshalGQL(x any) error { return sizeClasses.unmarshal(v, x) }

// UnmarshalGQL reads the enum value.
func (v *ScoreBand) UnmarshalGQL(x any) error { return scoreBands.unmarshal(v, x) }

// MoneySettings are the plan's rules for money and goals.
type MoneySettings struct {
	// VarianceThresholdPercent: a cost year whose forecast (or actual)
	// differs from its baseline by more than this needs a narrative.
	VarianceThresholdPercent int `json:"varianceThresholdPercent"`
	// SizeMediumFromNok and SizeLargeAboveNok are the size-class limits
	// of whole-life cost: under the first SMALL, above the second LARGE.
	SizeMediumFromNok int64 `json:"sizeMediumFromNok"`
	SizeLargeAboveNok int64 `json:"sizeLargeAboveNok"`
	// ScoreMediumFrom and ScoreHighFrom are the goal-score band
	// thresholds on the 1.00–3.00 scale.
	ScoreMediumFrom float64 `json:"scoreMediumFrom"`
	ScoreHighFrom   float64 `json:"scoreHighFrom"`
}

// DefaultMoneySettings hold until an editor changes them.
var DefaultMoneySettings = MoneySettings{VarianceThresholdPercent: 5, SizeMediumFromNok: 25_000_000,
	SizeLargeAboveNok: 200_000_000, ScoreMediumFrom: 1.67, ScoreHighFrom: 2.34}

var keyMoneySettings = []byte("m/money")

func readMoneySettings(rd reader) (MoneySettings, error) {
	set := DefaultMoneySettings
	_, err := rd.get(keyMoneySettings, func(v []byte) error { return decode(v, &set) })
	return set, err
}

// MoneySettings returns the plan's money settings.
func (s *Snapshot) MoneySettings() (*MoneySettings, error) {
	set, err := readMoneySettings(snapReader{s})
	return &set, err
}

// MoneySettingsPatch changes the settings that are not nil.
type MoneySettingsPatch struct {
	VarianceThresholdPercent             *int
	SizeMediumFromNok, SizeLargeAboveNok *int64
	ScoreMediumFrom, ScoreHighFrom       *float64
}

// SetMoneySettings changes the money settings. Returns Invalid for a
// threshold out of range or limits out of order.
func (db *DB) SetMoneySettings(ctx context.Context, actor Actor, p MoneySettingsPatch) (*MoneySettings, error) {
	var out MoneySettings
	now := db.now().UTC()
	err := db.update(ctx, func(txn *badger.Txn) error {
		old, err := readMoneySettings(txnReader{txn})
		if err != nil {
			return err
		}
		out = old
		setIf(&out.VarianceThresholdPercent, p.VarianceThresholdPercent)
		setIf(&out.SizeMediumFromNok, p.SizeMediumFromNok)
		setIf(&out.SizeLargeAboveNok, p.SizeLargeAboveNok)
		setIf(&out.ScoreMediumFrom, p.ScoreMediumFrom)
		setIf(&out.ScoreHighFrom, p.ScoreHighFrom)
		if err := out.validate(); err != nil {
			return err
		}
		if err := txnPut(txn, keyMoneySettings, &out); err != nil {
			return err
		}
		return auditMoney(txn, now, actor, KindMoneySettings, "plan", &old, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (m MoneySettings) validate() error {
	switch {
	case m.VarianceThresholdPercent < 0 || m.VarianceThresholdPercent > 1000:
		return FieldErrorf(Invalid, "varianceThresholdPercent", "varianceThresholdPercent must be 0–1000, not %d", m.VarianceThresholdPercent)
	case m.SizeMediumFromNok <= 0 || m.SizeLargeAboveNok < m.SizeMediumFromNok:
		return FieldErrorf(Invalid, "sizeLargeAboveNok", "the size limits must be positive with sizeMediumFromNok ≤ sizeLargeAboveNok (%d, %d)", m.SizeMediumFromNok, m.SizeLargeAboveNok)
	case m.ScoreMediumFrom < 1 || m.ScoreHighFrom > 3 || m.ScoreHighFrom < m.ScoreMediumFrom:
		return FieldErrorf(Invalid, "scoreHighFrom", "the score bands must lie in 1.00–3.00 with scoreMediumFrom ≤ scoreHighFrom (%v, %v)", m.ScoreMediumFrom, m.ScoreHighFrom)
	}
	return nil
}

// SizeClassOf classifies a whole-life cost (nil: none given).
func (m MoneySettings) SizeClassOf(wholeLife *int64) SizeClass {
	switch {
	case wholeLife == nil:
		return SizeUnknown
	case *wholeLife < m.SizeMediumFromNok:
		return SizeSmall
	case *wholeLife > m.SizeLargeAboveNok:
		return SizeLarge
	}
	return SizeMedium
}

// BandOf is the band of a goal score.
func (m MoneySettings) BandOf(score float64) ScoreBand {
	switch {
	case score >= m.ScoreHighFrom:
		return BandHigh
	case score >= m.ScoreMediumFrom:
		return BandMedium
	}
	return BandLow
}

// auditMoney writes the audit entry and the MONEY_CHANGED outbox event of
// a money write, in its transaction.
func auditMoney(txn *badger.Txn, now time.Time, actor Actor, kind Kind, key string, old, new any) error {
	c, err := recordChange(txn, now, actor, kind, key, old, new)
	if err != nil || c == nil {
		return err
	}
	return enqueueEvent(txn, now, EventMoneyChanged, kind, key, c)
}
