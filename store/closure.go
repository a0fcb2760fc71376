package store

import (
	"io"
	"slices"
	"strings"
)

// ClosureOutcome is how a tiltak ended.
type ClosureOutcome string

// The closure outcomes.
const (
	OutcomeCompleted         ClosureOutcome = "COMPLETED"          // gjennomført
	OutcomeCompletedModified ClosureOutcome = "COMPLETED_MODIFIED" // gjennomført med endringer
	OutcomeDiscontinued      ClosureOutcome = "DISCONTINUED"       // avbrutt
	OutcomeNotPursued        ClosureOutcome = "NOT_PURSUED"        // ikke videreført
)

var allClosureOutcomes = []ClosureOutcome{OutcomeCompleted, OutcomeCompletedModified, OutcomeDiscontinued, OutcomeNotPursued}

// Lesson is one lesson learnt (erfaring), with the themes it touches.
type Lesson struct {
	Text   string   `json:"text"`
	Themes []string `json:"themes,omitempty"`
}

// Closure is what a closure report (sluttrapport) carries: the outcome,
// the main deliveries, lessons and the handover to operation (who owns and
// funds the solution afterwards, and who follows up the benefits).
type Closure struct {
	Outcome        ClosureOutcome `json:"outcome"`
	Reason         string         `json:"reason,omitempty"`
	MainDeliveries []string       `json:"mainDeliveries,omitempty"`
	Lessons        []Lesson       `json:"lessons,omitempty"`
	// OperationsOwnerKey is the body that owns the solution in operation (forvaltning).
	OperationsOwnerKey string `json:"operationsOwnerKey,omitempty"`
	OperationsFunded   *bool  `json:"operationsFunded,omitempty"`
	// BenefitsHandedToKey is the body that follows up the benefits (gevinstrealisering).
	BenefitsHandedToKey string `json:"benefitsHandedToKey,omitempty"`
	FollowUpUntil       string `json:"followUpUntil,omitempty"`
}

// Completed reports whether the closure says the tiltak was carried out.
func (c *Closure) Completed() bool {
	return c.Outcome == OutcomeCompleted || c.Outcome == OutcomeCompletedModified
}

// HandoverGap reports whether a completed tiltak lacks an operations owner
// or funded operations (Riksrevisjonen: finished solutions never used).
func (c *Closure) HandoverGap() bool {
	return c.Completed() && (c.OperationsOwnerKey == "" || c.OperationsFunded == nil || !*c.OperationsFunded)
}

// HandoverProblems names what is missing: "NO_OPERATIONS_OWNER", "OPERATIONS_NOT_FUNDED".
func (c *Closure) HandoverProblems() []string {
	out := []string{}
	if !c.Completed() {
		return out
	}
	if c.OperationsOwnerKey == "" {
		out = append(out, "NO_OPERATIONS_OWNER")
	}
	if c.OperationsFunded == nil || !*c.OperationsFunded {
		out = append(out, "OPERATIONS_NOT_FUNDED")
	}
	return out
}

func (c *Closure) validate() error {
	if !oneOf(c.Outcome, allClosureOutcomes) {
		return FieldErrorf(Invalid, "closure.outcome", "outcome %q must be COMPLETED, COMPLETED_MODIFIED, DISCONTINUED or NOT_PURSUED", c.Outcome)
	}
	if !c.Completed() && strings.TrimSpace(c.Reason) == "" {
		return FieldErrorf(Invalid, "closure.reason", "a tiltak that ends %s needs a reason", c.Outcome)
	}
	for i, l := range c.Lessons {
		if strings.TrimSpace(l.Text) == "" {
			return FieldErrorf(Invalid, fieldAt("closure.lessons", i, "text"), "a lesson needs a text")
		}
	}
	return validDate("closure.followUpUntil", c.FollowUpUntil)
}

// ReasonOrNull returns the reason, or nil.
func (c *Closure) ReasonOrNull() *string { return orNull(c.Reason) }

// FollowUpUntilOrNull returns the end of benefits follow-up, or nil.
func (c *Closure) FollowUpUntilOrNull() *string { return orNull(c.FollowUpUntil) }

// ClosureOf returns the closure of a tiltak: that of its accepted closure
// report, else its latest submitted one; nil when it has none.
func (s *Snapshot) ClosureOf(tiltak string) (*Report, error) {
	rs, err := scanRecords[Report](s, []byte("lr/"+tiltak+"/"+string(StageClosure)+"/"))
	if err != nil {
		return nil, err
	}
	var best *Report
	for _, r := range rs {
		if r.Closure == nil || r.State == StateDraft || r.State == StateReturned {
			continue
		}
		if best == nil || r.State == StateAccepted && best.State != StateAccepted ||
			r.State == best.State && r.UpdatedAt.After(best.UpdatedAt) {
			best = r
		}
	}
	return best, nil
}

// closures returns every tiltak's closure (as [Snapshot.ClosureOf]), by tiltak key.
func (s *Snapshot) closures() ([]*Report, error) {
	rs, err := scanRecords[Report](s, []byte("lr/"))
	if err != nil {
		return nil, err
	}
	var out []*Report
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Stage != StageClosure || seen[r.TiltakKey] {
			continue
		}
		seen[r.TiltakKey] = true
		c, err := s.ClosureOf(r.TiltakKey)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// HandoverGaps returns the closure reports of completed tiltak with no
// operations owner or unfunded operations, by tiltak key.
func (s *Snapshot) HandoverGaps() ([]*Report, error) {
	cs, err := s.closures()
	if err != nil {
		return nil, err
	}
	out := []*Report{}
	for _, c := range cs {
		if c.Closure.HandoverGap() {
			out = append(out, c)
		}
	}
	return out, nil
}

// FoundLesson is a lesson with the closure report it is from.
type FoundLesson struct {
	Lesson
	Report *Report
}

// Lessons searches the lessons of every tiltak's closure: those whose text
// or themes contain every word of search (case-insensitive), and that have
// theme among their themes when theme is given. By tiltak key.
func (s *Snapshot) Lessons(search, theme string) ([]*FoundLesson, error) {
	cs, err := s.closures()
	if err != nil {
		return nil, err
	}
	words := strings.Fields(strings.ToLower(search))
	theme = strings.ToLower(strings.TrimSpace(theme))
	out := []*FoundLesson{}
	for _, c := range cs {
		for _, l := range c.Closure.Lessons {
			if theme != "" && !slices.ContainsFunc(l.Themes, func(t string) bool { return strings.ToLower(t) == theme }) {
				continue
			}
			hay := strings.ToLower(l.Text + " " + strings.Join(l.Themes, " "))
			ok := true
			for _, w := range words {
				if !strings.Contains(hay, w) {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, &FoundLesson{Lesson: l, Report: c})
			}
		}
	}
	return out, nil
}

// MarshalGQL writes the enum value.
func (o ClosureOutcome) MarshalGQL(w io.Writer) { writeQuoted(w, string(o)) }

// UnmarshalGQL reads the enum value.
func (o *ClosureOutcome) UnmarshalGQL(v any) (err error) {
	*o, err = unmarshalEnum(v, allClosureOutcomes, "ClosureOutcome")
	return
}
