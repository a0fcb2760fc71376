package store

import "time"

// Kind names a kind of entity. It is the first part of every global ID and
// of every record key.
type Kind string

// The kinds of entity the plan holds.
const (
	KindLifeEvent       Kind = "LifeEvent"
	KindFocusArea       Kind = "FocusArea"
	KindInitiative      Kind = "Initiative"
	KindTiltak          Kind = "Tiltak"
	KindBody            Kind = "Body"
	KindGovernanceLevel Kind = "GovernanceLevel"
	KindForum           Kind = "Forum"
	KindStatusReport    Kind = "StatusReport"
)

// Meta is what every stored entity carries besides its own fields: the
// optimistic-concurrency version, the time of the last change and where its
// facts come from.
type Meta struct {
	// Version starts at 1 and grows by one with every change.
	Version int `json:"version,omitempty"`
	// UpdatedAt is the time of the last change.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// Provenance says how sure we are of the entity's facts, and from where.
	Provenance *Provenance `json:"provenance,omitempty"`
}

// Confidence says how a fact is known.
type Confidence string

// The confidence levels of the reference data.
const (
	// VerifiedInSource: read in a stored copy of the cited page.
	VerifiedInSource Confidence = "VERIFIED_IN_SOURCE"
	// VerifiedInCode: read in public code or data files (organisation numbers).
	VerifiedInCode Confidence = "VERIFIED_IN_CODE"
	// Derived: a structure put together from verified statements.
	Derived Confidence = "DERIVED"
	// FromMemory: not found in any source; plausible, not verified.
	FromMemory Confidence = "FROM_MEMORY"
	// Reported: entered through the API by a body; the body vouches for it.
	Reported Confidence = "REPORTED"
)

// Provenance records where an entity's facts come from.
type Provenance struct {
	Confidence Confidence `json:"confidence"`
	// SourceIDs refer to [Source] ids (S1, S2, …).
	SourceIDs []string `json:"sourceIds,omitempty"`
	Note      string   `json:"note,omitempty"`
	// Fields lists single facts of the entity whose confidence differs from
	// the entity's, e.g. a responsible body that is from memory.
	Fields []FieldProvenance `json:"fields,omitempty"`
}

// FieldProvenance is the confidence of one field of an entity.
type FieldProvenance struct {
	Field      string     `json:"field"`
	Confidence Confidence `json:"confidence"`
	Note       string     `json:"note,omitempty"`
}

// Source is a document the reference data was taken from.
type Source struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// Audience is who a life event is for.
type Audience string

// The audiences of life events.
const (
	AudienceCitizen               Audience = "CITIZEN"
	AudienceBusiness              Audience = "BUSINESS"
	AudienceVoluntaryOrganisation Audience = "VOLUNTARY_ORGANISATION"
)

// BodyKind is what sort of public body a [Body] is.
type BodyKind string

// The kinds of body.
const (
	BodyMinistry     BodyKind = "MINISTRY"
	BodyDirectorate  BodyKind = "DIRECTORATE"
	BodyAgency       BodyKind = "AGENCY"
	BodyMunicipality BodyKind = "MUNICIPALITY"
	BodyCounty       BodyKind = "COUNTY"
	BodyAssociation  BodyKind = "ASSOCIATION"
	BodyOther        BodyKind = "OTHER"
)

// Phase is where a tiltak is in its life cycle.
type Phase string

// The phases, with the action plan's own words.
const (
	PhasePlanned      Phase = "PLANNED"      // ikke startet
	PhaseActive       Phase = "ACTIVE"       // pågår
	PhasePaused       Phase = "PAUSED"       // satt på vent
	PhaseCompleted    Phase = "COMPLETED"    // ferdigstilt
	PhaseInOperation  Phase = "IN_OPERATION" // i drift
	PhaseDiscontinued Phase = "DISCONTINUED" // avsluttet
)

// Health is how an active tiltak is doing against its plan.
type Health string

// The health ratings (green, yellow, red).
const (
	HealthOnTrack     Health = "ON_TRACK"     // i rute
	HealthMinorDelays Health = "MINOR_DELAYS" // mindre forsinkelser
	HealthMajorDelays Health = "MAJOR_DELAYS" // betydelige forsinkelser
)

// LifeEvent is a livshendelse: a situation in life that drives seamless
// services (having a child, death and inheritance, …).
type LifeEvent struct {
	Key         string   `json:"key"`
	NameNb      string   `json:"nameNb"`
	NameEn      string   `json:"nameEn,omitempty"`
	Audience    Audience `json:"audience"`
	Description string   `json:"description,omitempty"`
	LeadBodyKey string   `json:"leadBodyKey,omitempty"`
	Meta
}

// FocusArea is an innsatsområde: level 1 of the plan, one chapter of the
// strategy.
type FocusArea struct {
	Key             string `json:"key"`
	Number          string `json:"number"`
	NameNb          string `json:"nameNb"`
	NameEn          string `json:"nameEn,omitempty"`
	Description     string `json:"description,omitempty"`
	GovernanceLevel int    `json:"governanceLevel"`
	Meta
}

// Initiative is one of the government's prioritised initiatives
// («Regjeringen vil»): level 2 of the plan.
type Initiative struct {
	Key              string   `json:"key"`
	Number           string   `json:"number,omitempty"`
	Title            string   `json:"title"`
	Description      string   `json:"description,omitempty"`
	FocusAreaKey     string   `json:"focusAreaKey"`
	LifeEventKeys    []string `json:"lifeEventKeys,omitempty"`
	OwnerKey         string   `json:"ownerKey,omitempty"`
	ExecutingBodyKey string   `json:"executingBodyKey,omitempty"`
	GovernanceLevel  int      `json:"governanceLevel"`
	// PredecessorKeys are the initiatives it was split off from or merged
	// from (live or retired).
	PredecessorKeys []string `json:"predecessorKeys,omitempty"`
	Meta
}

// Tiltak is a measure or activity (level 3 of the plan) that supports
// initiatives and life events. The word is both singular and plural.
type Tiltak struct {
	Key             string   `json:"key"`
	Title           string   `json:"title"`
	Description     string   `json:"description,omitempty"`
	Phase           *Phase   `json:"phase,omitempty"`
	Health          *Health  `json:"health,omitempty"`
	Progress        *int     `json:"progress,omitempty"`
	ResponsibleKey  string   `json:"responsibleKey"`
	ParticipantKeys []string `json:"participantKeys,omitempty"`
	InitiativeKeys  []string `json:"initiativeKeys,omitempty"`
	LifeEventKeys   []string `json:"lifeEventKeys,omitempty"`
	DependsOnKeys   []string `json:"dependsOnKeys,omitempty"`
	// StartDate and EndDate are calendar dates, YYYY-MM-DD.
	StartDate       string `json:"startDate,omitempty"`
	EndDate         string `json:"endDate,omitempty"`
	GovernanceLevel int    `json:"governanceLevel"`
	// PredecessorKeys are the tiltak it was split off from or merged from
	// (live or retired).
	PredecessorKeys []string `json:"predecessorKeys,omitempty"`
	Meta
}

// Body is a responsible body (ansvarlig virksomhet/aktør): a ministry, a
// directorate or agency, KS, a municipality or a county.
type Body struct {
	Key                string   `json:"key"`
	Name               string   `json:"name"`
	ShortName          string   `json:"shortName,omitempty"`
	OrgNumber          string   `json:"orgNumber,omitempty"`
	Kind               BodyKind `json:"kind"`
	MunicipalityNumber string   `json:"municipalityNumber,omitempty"`
	CountyNumber       string   `json:"countyNumber,omitempty"`
	ParentKey          string   `json:"parentKey,omitempty"`
	Meta
}

// GovernanceLevel is a styringsnivå: where in the line of governance plan
// items are followed up (1 political and strategic, 2 ministries, 3 agencies
// and the municipal sector).
type GovernanceLevel struct {
	Level          int    `json:"level"`
	Name           string `json:"name"`
	NameEn         string `json:"nameEn,omitempty"`
	Description    string `json:"description,omitempty"`
	SecretariatKey string `json:"secretariatKey,omitempty"`
	Meta
}

// Forum is a standing body where plan items are followed up: Skate, Skate AU,
// KS' KommIT-rådet, Digitaliseringsrådet, …
type Forum struct {
	Key             string   `json:"key"`
	Name            string   `json:"name"`
	ShortName       string   `json:"shortName,omitempty"`
	Description     string   `json:"description,omitempty"`
	GovernanceLevel int      `json:"governanceLevel"`
	MemberKeys      []string `json:"memberKeys,omitempty"`
	SecretariatKey  string   `json:"secretariatKey,omitempty"`
	Meta
}

// StatusReport is one body's report of a tiltak's status and progress for
// one period (statusrapport).
type StatusReport struct {
	TiltakKey string  `json:"tiltakKey"`
	Period    string  `json:"period"`
	BodyKey   string  `json:"bodyKey"`
	Phase     Phase   `json:"phase"`
	Health    *Health `json:"health,omitempty"`
	Progress  int     `json:"progress"`
	Summary   string  `json:"summary,omitempty"`
	Risks     string  `json:"risks,omitempty"`
	// ReportedAt is when the report was last written.
	ReportedAt time.Time `json:"reportedAt,omitzero"`
	// The lifecycle (see lifecycle.go): the stage report's state ("" is
	// SUBMITTED), who submitted it, coded obstacles and status per delivery.
	State         ReportState        `json:"state,omitempty"`
	ReturnReason  string             `json:"returnReason,omitempty"`
	SubmittedBy   string             `json:"submittedBy,omitempty"`
	SubmittedAt   *time.Time         `json:"submittedAt,omitempty"`
	PrefilledFrom string             `json:"prefilledFrom,omitempty"`
	Obstacles     []Obstacle         `json:"obstacles,omitempty"`
	Deliveries    []DeliveryProgress `json:"deliveries,omitempty"`
	Meta
}

// Plan is the whole action plan as one document: the format of the default
// data, of export and of import. Entities refer to each other by key.
type Plan struct {
	// Format names the document format, "handlingsplan/v1".
	Format           string            `json:"format"`
	Description      string            `json:"description,omitempty"`
	Sources          []Source          `json:"sources,omitempty"`
	Bodies           []Body            `json:"bodies"`
	GovernanceLevels []GovernanceLevel `json:"governanceLevels"`
	Forums           []Forum           `json:"forums"`
	LifeEvents       []LifeEvent       `json:"lifeEvents"`
	FocusAreas       []FocusArea       `json:"focusAreas"`
	Initiatives      []Initiative      `json:"initiatives"`
	Tiltak           []Tiltak          `json:"tiltak"`
	StatusReports    []StatusReport    `json:"statusReports,omitempty"`
	// Money is the money, benefits and goals section (money_plan.go).
	Money *MoneyPlan `json:"money,omitempty"`
	// Lifecycle holds stage reports, deliveries, ratings and typed
	// dependencies (lifecycle.go); omitted when there are none.
	Lifecycle *PlanLifecycle `json:"lifecycle,omitempty"`
}

// PlanFormat is the value of [Plan.Format] this version reads and writes.
const PlanFormat = "handlingsplan/v1"
