package store

import (
	"fmt"
	"io"
	"strconv"
)

// Language selects the language of names that exist in more than one.
type Language string

// The languages names are kept in.
const (
	LanguageNB Language = "NB" // norsk bokmål
	LanguageEN Language = "EN" // English
)

// The enum types below implement the MarshalGQL and UnmarshalGQL methods
// that the GraphQL layer binds to, without the store importing it.

// AllPhases lists every phase in life-cycle order.
var AllPhases = []Phase{PhasePlanned, PhaseActive, PhasePaused, PhaseCompleted, PhaseInOperation, PhaseDiscontinued}

// AllHealths lists every health rating from best to worst.
var AllHealths = []Health{HealthOnTrack, HealthMinorDelays, HealthMajorDelays}

var (
	languages  = []Language{LanguageNB, LanguageEN}
	audiences  = []Audience{AudienceCitizen, AudienceBusiness, AudienceVoluntaryOrganisation}
	bodyKinds  = []BodyKind{BodyMinistry, BodyDirectorate, BodyAgency, BodyMunicipality, BodyCounty, BodyAssociation, BodyOther}
	confidence = []Confidence{VerifiedInSource, VerifiedInCode, Derived, FromMemory, Reported}
)

func oneOf[T ~string](v T, all []T) bool {
	for _, a := range all {
		if a == v {
			return true
		}
	}
	return false
}

func unmarshalEnum[T ~string](v any, all []T, name string) (T, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", name)
	}
	if !oneOf(T(s), all) {
		return "", fmt.Errorf("%q is not a valid %s", s, name)
	}
	return T(s), nil
}

func writeQuoted(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }

// IsValid reports whether p is one of the defined phases.
func (p Phase) IsValid() bool { return oneOf(p, AllPhases) }

// IsValid reports whether h is one of the defined health ratings.
func (h Health) IsValid() bool { return oneOf(h, AllHealths) }

// IsValid reports whether a is one of the defined audiences.
func (a Audience) IsValid() bool { return oneOf(a, audiences) }

// IsValid reports whether k is one of the defined body kinds.
func (k BodyKind) IsValid() bool { return oneOf(k, bodyKinds) }

// IsValid reports whether c is one of the defined confidence levels.
func (c Confidence) IsValid() bool { return oneOf(c, confidence) }

// Verified reports whether c means the fact was checked against a source.
func (c Confidence) Verified() bool { return c == VerifiedInSource || c == VerifiedInCode }

// MarshalGQL writes the enum value.
func (l Language) MarshalGQL(w io.Writer) { writeQuoted(w, string(l)) }

// UnmarshalGQL reads the enum value.
func (l *Language) UnmarshalGQL(v any) (err error) {
	*l, err = unmarshalEnum(v, languages, "Language")
	return
}

// MarshalGQL writes the enum value.
func (p Phase) MarshalGQL(w io.Writer) { writeQuoted(w, string(p)) }

// UnmarshalGQL reads the enum value.
func (p *Phase) UnmarshalGQL(v any) (err error) {
	*p, err = unmarshalEnum(v, AllPhases, "Phase")
	return
}

// MarshalGQL writes the enum value.
func (h Health) MarshalGQL(w io.Writer) { writeQuoted(w, string(h)) }

// UnmarshalGQL reads the enum value.
func (h *Health) UnmarshalGQL(v any) (err error) {
	*h, err = unmarshalEnum(v, AllHealths, "Health")
	return
}

// MarshalGQL writes the enum value.
func (a Audience) MarshalGQL(w io.Writer) { writeQuoted(w, string(a)) }

// UnmarshalGQL reads the enum value.
func (a *Audience) UnmarshalGQL(v any) (err error) {
	*a, err = unmarshalEnum(v, audiences, "Audience")
	return
}

// MarshalGQL writes the enum value.
func (k BodyKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *BodyKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, bodyKinds, "BodyKind")
	return
}

// MarshalGQL writes the enum value.
func (c Confidence) MarshalGQL(w io.Writer) { writeQuoted(w, string(c)) }

// UnmarshalGQL reads the enum value.
func (c *Confidence) UnmarshalGQL(v any) (err error) {
	*c, err = unmarshalEnum(v, confidence, "Confidence")
	return
}

// MarshalGQL writes the enum value.
func (r Role) MarshalGQL(w io.Writer) { writeQuoted(w, string(r)) }

// UnmarshalGQL reads the enum value.
func (r *Role) UnmarshalGQL(v any) (err error) { *r, err = unmarshalEnum(v, AllRoles, "Role"); return }

// MarshalGQL writes the enum value.
func (o Op) MarshalGQL(w io.Writer) { writeQuoted(w, string(o)) }

// UnmarshalGQL reads the enum value.
func (o *Op) UnmarshalGQL(v any) (err error) {
	*o, err = unmarshalEnum(v, []Op{OpCreate, OpUpdate, OpDelete}, "ChangeOp")
	return
}

// MarshalGQL writes the enum value.
func (t EventType) MarshalGQL(w io.Writer) { writeQuoted(w, string(t)) }

// UnmarshalGQL reads the enum value.
func (t *EventType) UnmarshalGQL(v any) (err error) {
	*t, err = unmarshalEnum(v, AllEventTypes, "EventType")
	return
}

// MarshalGQL writes the enum value.
func (s DeliveryStatus) MarshalGQL(w io.Writer) { writeQuoted(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *DeliveryStatus) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, []DeliveryStatus{DeliveryPending, DeliveryDelivered}, "DeliveryStatus")
	return
}
