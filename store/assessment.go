package store

import (
	"context"
	"io"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// AssessmentRole is whose rating an assessment is.
type AssessmentRole string

// The assessment roles.
const (
	RoleSelf        AssessmentRole = "SELF"        // egenvurdering: the body's own
	RoleSecretariat AssessmentRole = "SECRETARIAT" // sekretariatets vurdering
	RoleForum       AssessmentRole = "FORUM"       // the forum's (Skate, Digitaliseringsrådet …)
	RoleExternal    AssessmentRole = "EXTERNAL"    // an outside reviewer's
)

var allAssessmentRoles = []AssessmentRole{RoleSelf, RoleSecretariat, RoleForum, RoleExternal}

// Assessment is one rating of a tiltak's health for a period (vurdering),
// by its own body or by someone else, so that two can be shown side by
// side. One per tiltak, period, role and assessor: rating again replaces.
type Assessment struct {
	TiltakKey string         `json:"tiltakKey"`
	Period    string         `json:"period"`
	Role      AssessmentRole `json:"role"`
	// AssessorKey is the body that rates (its token's body).
	AssessorKey string `json:"assessorKey"`
	Health      Health `json:"health"`
	Rationale   string `json:"rationale,omitempty"`
	Actions     string `json:"actions,omitempty"`
	// ForumCase is the key of the forum case (sak) that discussed it.
	ForumCase string `json:"forumCase,omitempty"`
	Meta
}

// RationaleOrNull returns the rationale, or nil.
func (a *Assessment) RationaleOrNull() *string { return orNull(a.Rationale) }

// ActionsOrNull returns the actions, or nil.
func (a *Assessment) ActionsOrNull() *string { return orNull(a.Actions) }

// ForumCaseOrNull returns the forum case key, or nil.
func (a *Assessment) ForumCaseOrNull() *string { return orNull(a.ForumCase) }

// Assess stores a rating, replacing the assessor's earlier one for the same
// tiltak, period and role. Returns Invalid for a bad rating and NotFound for
// an unknown tiltak, assessor or forum case.
func (db *DB) Assess(ctx context.Context, actor Actor, a Assessment) (*Assessment, error) {
	per, err := ParsePeriod(a.Period)
	if err != nil {
		return nil, err
	}
	if !oneOf(a.Role, allAssessmentRoles) {
		return nil, FieldErrorf(Invalid, "role", "role %q must be SELF, SECRETARIAT, FORUM or EXTERNAL", a.Role)
	}
	if !a.Health.IsValid() {
		return nil, FieldErrorf(Invalid, "health", "health %q is not valid", a.Health)
	}
	if err := required("assessorKey", a.AssessorKey); err != nil {
		return nil, err
	}
	if a.Health != HealthOnTrack && a.Role != RoleSelf && strings.TrimSpace(a.Rationale) == "" {
		return nil, FieldErrorf(Invalid, "rationale", "a rating of %s by the %s needs a rationale", a.Health, strings.ToLower(string(a.Role)))
	}
	now := db.now().UTC()
	err = db.update(ctx, func(txn *badger.Txn) error {
		if _, err := txnGet[Tiltak](txn, KindTiltak, a.TiltakKey); err != nil {
			return refErr(err, "tiltakKey")
		}
		if _, err := txnGet[Body](txn, KindBody, a.AssessorKey); err != nil {
			return refErr(err, "assessorKey")
		}
		if a.ForumCase != "" {
			if _, err := txnGet[Case](txn, KindCase, a.ForumCase); err != nil {
				return refErr(err, "forumCase")
			}
		}
		key := assessmentKey(a.TiltakKey, per.sortKey(), a.Role, a.AssessorKey)
		old, err := txnGetKey[Assessment](txn, key)
		if err != nil && ErrorCode(err) != NotFound {
			return err
		}
		a.Version, a.UpdatedAt = 1, now
		var before any
		if old != nil {
			a.Version, before = old.Version+1, old
		}
		if a.Provenance == nil {
			a.Provenance = &Provenance{Confidence: Reported}
		}
		if err := txnPut(txn, key, &a); err != nil {
			return err
		}
		_, err = recordChange(txn, now, actor, KindAssessment, a.TiltakKey+"/"+a.Period+"/"+string(a.Role)+"/"+a.AssessorKey, before, &a)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// Assessments returns a tiltak's ratings, oldest period first.
func (s *Snapshot) Assessments(tiltak string) ([]*Assessment, error) {
	return scanRecords[Assessment](s, assessmentPrefix(tiltak))
}

// RatingGap sets a body's own rating of a tiltak for a period beside the
// secretariat's.
type RatingGap struct {
	TiltakKey string
	Period    string
	// Self is the responsible body's SELF rating, else any SELF rating,
	// else the health of the period's status report (the body's word).
	Self *Health
	// Secretariat is the SECRETARIAT rating.
	Secretariat *Health
	// SelfAssessment and SecretariatAssessment are the ratings compared
	// (SelfAssessment nil when the status report stood in).
	SelfAssessment, SecretariatAssessment *Assessment
}

func healthOrder(h Health) int {
	switch h {
	case HealthMinorDelays:
		return 1
	case HealthMajorDelays:
		return 2
	}
	return 0
}

// Gap is how many steps worse (positive) or better (negative) the
// secretariat rates the tiltak than the body; nil unless both rate it.
func (g *RatingGap) Gap() *int {
	if g.Self == nil || g.Secretariat == nil {
		return nil
	}
	n := healthOrder(*g.Secretariat) - healthOrder(*g.Self)
	return &n
}

// Diverges reports whether both rate the tiltak and differ.
func (g *RatingGap) Diverges() bool { n := g.Gap(); return n != nil && *n != 0 }

// RatingGap compares the ratings of a tiltak for a period (its latest
// rated period when period is ""); nil when it has none. Returns Invalid
// for a bad period and NotFound for an unknown tiltak.
func (s *Snapshot) RatingGap(tiltak, period string) (*RatingGap, error) {
	t, err := s.Tiltak(tiltak)
	if err != nil {
		return nil, err
	}
	as, err := s.Assessments(tiltak)
	if err != nil {
		return nil, err
	}
	if period == "" {
		if len(as) == 0 {
			return nil, nil
		}
		period = as[len(as)-1].Period
	} else if _, err := ParsePeriod(period); err != nil {
		return nil, err
	}
	return s.gapOf(t, period, as)
}

func (s *Snapshot) gapOf(t *Tiltak, period string, as []*Assessment) (*RatingGap, error) {
	g := &RatingGap{TiltakKey: t.Key, Period: period}
	for _, a := range as {
		if a.Period != period {
			continue
		}
		switch a.Role {
		case RoleSecretariat:
			g.SecretariatAssessment = a
		case RoleSelf:
			if g.SelfAssessment == nil || a.AssessorKey == t.ResponsibleKey {
				g.SelfAssessment = a
			}
		}
	}
	if g.SecretariatAssessment != nil {
		h := g.SecretariatAssessment.Health
		g.Secretariat = &h
	}
	if g.SelfAssessment != nil {
		h := g.SelfAssessment.Health
		g.Self = &h
	} else {
		per, _ := ParsePeriod(period)
		rs, err := scanRecords[StatusReport](s, append(statusReportPrefix(t.Key), per.sortKey()+"/"...))
		if err != nil {
			return nil, err
		}
		if r := effectiveReport(rs, t.ResponsibleKey); r != nil && r.Health != nil && r.ReportState() != StateReturned {
			h := *r.Health
			g.Self = &h
		}
	}
	return g, nil
}

// DivergingRatings returns the tiltak whose own rating and the
// secretariat's differ for period (for each tiltak its latest period with a
// secretariat rating when period is ""), the widest gap first, then by
// tiltak key. Returns Invalid for a bad period.
func (s *Snapshot) DivergingRatings(period string) ([]*RatingGap, error) {
	if period != "" {
		if _, err := ParsePeriod(period); err != nil {
			return nil, err
		}
	}
	all, err := scanRecords[Assessment](s, []byte("as/"))
	if err != nil {
		return nil, err
	}
	byTiltak := map[string][]*Assessment{}
	var order []string
	for _, a := range all {
		if _, ok := byTiltak[a.TiltakKey]; !ok {
			order = append(order, a.TiltakKey)
		}
		byTiltak[a.TiltakKey] = append(byTiltak[a.TiltakKey], a)
	}
	out := []*RatingGap{}
	for _, k := range order {
		as := byTiltak[k]
		p := period
		if p == "" {
			for _, a := range as {
				if a.Role == RoleSecretariat {
					p = a.Period // ascending: the last is the latest
				}
			}
		}
		if p == "" {
			continue
		}
		t, err := s.Tiltak(k)
		if ErrorCode(err) == NotFound {
			continue
		} else if err != nil {
			return nil, err
		}
		g, err := s.gapOf(t, p, as)
		if err != nil {
			return nil, err
		}
		if g.Diverges() {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := *out[i].Gap(), *out[j].Gap()
		if a < 0 {
			a = -a
		}
		if b < 0 {
			b = -b
		}
		if a != b {
			return a > b
		}
		return out[i].TiltakKey < out[j].TiltakKey
	})
	return out, nil
}

// MarshalGQL writes the enum value.
func (r AssessmentRole) MarshalGQL(w io.Writer) { writeQuoted(w, string(r)) }

// UnmarshalGQL reads the enum value.
func (r *AssessmentRole) UnmarshalGQL(v any) (err error) {
	*r, err = unmarshalEnum(v, allAssessmentRoles, "AssessmentRole")
	return
}
