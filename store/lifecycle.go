package store

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// The lifecycle of a tiltak is reported in four stages (Digdir's reporting
// for the successor strategy): registration, start-up, status each period,
// and closure. Registration, start-up and closure reports, and status
// reports still in draft, are [Report] records of their own; a submitted
// status report is the [StatusReport] record that reportStatus has always
// written, which carries the stage report's state.

// The kinds of the lifecycle's records, for the audit trail.
const (
	KindReport     Kind = "Report"
	KindDelivery   Kind = "Delivery"
	KindAssessment Kind = "Assessment"
	KindDependency Kind = "Dependency"
)

// ReportStage is which of the four stage reports a report is.
type ReportStage string

// The stages, in lifecycle order.
const (
	StageRegistration ReportStage = "REGISTRATION" // registrering
	StageStartup      ReportStage = "STARTUP"      // oppstart
	StageStatus       ReportStage = "STATUS"       // status
	StageClosure      ReportStage = "CLOSURE"      // avslutning
)

// AllReportStages lists the stages in lifecycle order.
var AllReportStages = []ReportStage{StageRegistration, StageStartup, StageStatus, StageClosure}

// ReportState is where a report is between the body and the secretariat.
type ReportState string

// The report states.
const (
	StateDraft     ReportState = "DRAFT"     // utkast: seen only by its body and editors
	StateSubmitted ReportState = "SUBMITTED" // innsendt
	StateAccepted  ReportState = "ACCEPTED"  // godkjent by the secretariat
	StateReturned  ReportState = "RETURNED"  // returnert with a reason
)

// AllReportStates lists the states.
var AllReportStates = []ReportState{StateDraft, StateSubmitted, StateAccepted, StateReturned}

// Registration is what a registration report carries: the commitment and
// who stands behind it.
type Registration struct {
	CommitmentText   string   `json:"commitmentText,omitempty"`
	FocusAreaKey     string   `json:"focusAreaKey,omitempty"`
	MinistryKey      string   `json:"ministryKey,omitempty"`
	ExecutingBodyKey string   `json:"executingBodyKey,omitempty"`
	ParticipantKeys  []string `json:"participantKeys,omitempty"`
	Contact          string   `json:"contact,omitempty"`
}

// PlannedDelivery is a delivery or milestone planned in a start-up report;
// accepting the report makes it a [TiltakDelivery] with this baseline.
type PlannedDelivery struct {
	Key          string       `json:"key"`
	Title        string       `json:"title"`
	Kind         DeliveryKind `json:"kind"`
	BaselineDate string       `json:"baselineDate,omitempty"`
	Unit         string       `json:"unit,omitempty"`
	TargetValue  *float64     `json:"targetValue,omitempty"`
}

// Startup is what a start-up report carries: the planned start, the
// deliveries and the funding.
type Startup struct {
	PlannedStart string            `json:"plannedStart,omitempty"`
	Deliveries   []PlannedDelivery `json:"deliveries,omitempty"`
	Funding      string            `json:"funding,omitempty"`
	// FundingSecured says whether the funding is decided.
	FundingSecured *bool `json:"fundingSecured,omitempty"`
}

// StatusContent is what a status report carries (a draft's, before it
// becomes a [StatusReport]).
type StatusContent struct {
	Phase      Phase              `json:"phase,omitempty"`
	Health     *Health            `json:"health,omitempty"`
	Progress   int                `json:"progress"`
	Risks      string             `json:"risks,omitempty"`
	Obstacles  []Obstacle         `json:"obstacles,omitempty"`
	Deliveries []DeliveryProgress `json:"deliveries,omitempty"`
}

// Report is one stage report (rapport) on a tiltak by a body. Its ID is
// "<tiltak>/<STAGE>/<period or ->/<body>".
type Report struct {
	Stage         ReportStage `json:"stage"`
	TiltakKey     string      `json:"tiltakKey"`
	Period        string      `json:"period,omitempty"`
	BodyKey       string      `json:"bodyKey"`
	State         ReportState `json:"state"`
	ReturnReason  string      `json:"returnReason,omitempty"`
	SubmittedBy   string      `json:"submittedBy,omitempty"`
	SubmittedAt   *time.Time  `json:"submittedAt,omitempty"`
	PrefilledFrom string      `json:"prefilledFrom,omitempty"`
	// Summary is the report's free text (what was done, what comes next).
	Summary      string         `json:"summary,omitempty"`
	Registration *Registration  `json:"registration,omitempty"`
	Startup      *Startup       `json:"startup,omitempty"`
	Status       *StatusContent `json:"status,omitempty"`
	Closure      *Closure       `json:"closure,omitempty"`
	Meta
}

// ID returns the report's id: "<tiltak>/<STAGE>/<period or ->/<body>".
func (r *Report) ID() string { return ReportID(r.TiltakKey, r.Stage, r.Period, r.BodyKey) }

// ReportID builds a report id.
func ReportID(tiltak string, stage ReportStage, period, body string) string {
	if period == "" {
		period = noValue
	}
	return tiltak + "/" + string(stage) + "/" + period + "/" + body
}

// ParseReportID splits a report id. Returns Invalid (naming field) for a
// malformed one.
func ParseReportID(field, id string) (tiltak string, stage ReportStage, period, body string, err error) {
	p := strings.Split(id, "/")
	if len(p) != 4 || !oneOf(ReportStage(p[1]), AllReportStages) || p[0] == "" || p[3] == "" {
		return "", "", "", "", FieldErrorf(Invalid, field, "report id %q must be <tiltak>/<STAGE>/<period or ->/<body>", id)
	}
	if p[2] == noValue {
		p[2] = ""
	}
	return p[0], ReportStage(p[1]), p[2], p[3], nil
}

// reportOfStatus is a submitted status report seen as a stage report.
func reportOfStatus(s *StatusReport) *Report {
	r := &Report{Stage: StageStatus, TiltakKey: s.TiltakKey, Period: s.Period, BodyKey: s.BodyKey,
		State: s.ReportState(), ReturnReason: s.ReturnReason, SubmittedBy: s.SubmittedBy, SubmittedAt: s.SubmittedAt,
		PrefilledFrom: s.PrefilledFrom, Summary: s.Summary, Meta: s.Meta,
		Status: &StatusContent{Phase: s.Phase, Health: s.Health, Progress: s.Progress, Risks: s.Risks,
			Obstacles: s.Obstacles, Deliveries: s.Deliveries}}
	if r.SubmittedAt == nil && !s.ReportedAt.IsZero() {
		at := s.ReportedAt
		r.SubmittedAt = &at
	}
	return r
}

// ReportState returns the report's state: SUBMITTED for a report written
// by reportStatus or imported (they carry no state of their own).
func (s *StatusReport) ReportState() ReportState {
	if s.State == "" {
		return StateSubmitted
	}
	return s.State
}

// statusReportOf turns a status draft into the status report it submits.
func statusReportOf(r *Report) StatusReport {
	c := r.Status
	if c == nil {
		c = &StatusContent{}
	}
	return StatusReport{TiltakKey: r.TiltakKey, Period: r.Period, BodyKey: r.BodyKey, Phase: c.Phase, Health: c.Health,
		Progress: c.Progress, Summary: r.Summary, Risks: c.Risks, Obstacles: c.Obstacles, Deliveries: c.Deliveries,
		PrefilledFrom: r.PrefilledFrom}
}

// The methods below implement MarshalGQL and UnmarshalGQL for the enums.

// MarshalGQL writes the enum value.
func (s ReportStage) MarshalGQL(w io.Writer) { writeQuoted(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *ReportStage) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, AllReportStages, "ReportStage")
	return
}

// MarshalGQL writes the enum value.
func (s ReportState) MarshalGQL(w io.Writer) { writeQuoted(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *ReportState) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, AllReportStates, "ReportState")
	return
}

// ReturnReasonOrNull returns the reason the report was returned, or nil.
func (r *Report) ReturnReasonOrNull() *string { return orNull(r.ReturnReason) }

// SubmittedByOrNull returns the name of the token that submitted it, or nil.
func (r *Report) SubmittedByOrNull() *string { return orNull(r.SubmittedBy) }

// PrefilledFromOrNull returns the id of the report it was prefilled from, or nil.
func (r *Report) PrefilledFromOrNull() *string { return orNull(r.PrefilledFrom) }

// SummaryOrNull returns the summary, or nil.
func (r *Report) SummaryOrNull() *string { return orNull(r.Summary) }

// PeriodOrNull returns the period, or nil for a report of no period.
func (r *Report) PeriodOrNull() *string { return orNull(r.Period) }

// validDate checks an optional YYYY-MM-DD date.
func validDate(field, s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return FieldErrorf(Invalid, field, "%s %q must be a date, YYYY-MM-DD", field, s)
	}
	return nil
}

func fieldAt(list string, i int, field string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}

// CommitmentTextOrNull returns the commitment text, or nil.
func (r *Registration) CommitmentTextOrNull() *string { return orNull(r.CommitmentText) }

// ContactOrNull returns the contact, or nil.
func (r *Registration) ContactOrNull() *string { return orNull(r.Contact) }

// BaselineDateOrNull returns the baseline date, or nil.
func (d *PlannedDelivery) BaselineDateOrNull() *string { return orNull(d.BaselineDate) }

// UnitOrNull returns the unit, or nil.
func (d *PlannedDelivery) UnitOrNull() *string { return orNull(d.Unit) }

// PlannedStartOrNull returns the planned start, or nil.
func (s *Startup) PlannedStartOrNull() *string { return orNull(s.PlannedStart) }

// FundingOrNull returns the funding, or nil.
func (s *Startup) FundingOrNull() *string { return orNull(s.Funding) }

// PhaseOrNull returns the phase, or nil when not yet given.
func (c *StatusContent) PhaseOrNull() *Phase {
	if c.Phase == "" {
		return nil
	}
	p := c.Phase
	return &p
}

// RisksOrNull returns the risks, or nil.
func (c *StatusContent) RisksOrNull() *string { return orNull(c.Risks) }

// ReturnReasonOrNull returns why the report was returned, or nil.
func (s *StatusReport) ReturnReasonOrNull() *string { return orNull(s.ReturnReason) }
