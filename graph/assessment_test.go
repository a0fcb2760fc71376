package graph_test

import (
	"strings"
	"testing"
)

const assessMutation = `mutation($in: AssessInput!) { assess(input: $in) { assessment { role health assessor { key } } userErrors { field message } } }`

type assessOut struct {
	Assess struct {
		Assessment *struct {
			Role, Health string
			Assessor     struct{ Key string }
		}
		UserErrors []userError
	}
}

// The body rates its tiltak ON_TRACK, the secretariat MAJOR_DELAYS: the
// tiltak shows up among the diverging ratings, on the tiltak, and in the
// follow-up report of the period.
func TestDivergingRatings(t *testing.T) {
	e := newLifecycleEnv(t)
	var out assessOut
	e.must(e.digdir, assessMutation, map[string]any{"in": map[string]any{"tiltakKey": "datafabrikken", "period": "2025-H2", "role": "SELF", "health": "ON_TRACK"}}, &out)
	if a := out.Assess.Assessment; a == nil || a.Assessor.Key != "digdir" || a.Role != "SELF" {
		t.Fatalf("self rating: %+v", out.Assess)
	}
	// Only the secretariat gives the other ratings.
	if errs := e.do(e.digdir, assessMutation, map[string]any{"in": map[string]any{"tiltakKey": "datafabrikken", "period": "2025-H2", "role": "SECRETARIAT", "health": "ON_TRACK"}}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("a body rating as the secretariat: %+v", errs)
	}
	if errs := e.do(e.nav, assessMutation, map[string]any{"in": map[string]any{"tiltakKey": "datafabrikken", "period": "2025-H2", "role": "SELF", "health": "ON_TRACK"}}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("another body's self rating: %+v", errs)
	}
	// A worse rating than ON_TRACK needs its rationale.
	e.must(e.editor, assessMutation, map[string]any{"in": map[string]any{"tiltakKey": "datafabrikken", "period": "2025-H2", "role": "SECRETARIAT", "health": "MAJOR_DELAYS"}}, &out)
	if ue := out.Assess.UserErrors; len(ue) != 1 || *ue[0].Field != "rationale" {
		t.Fatalf("secretariat rating without rationale: %+v", ue)
	}
	e.must(e.editor, assessMutation, map[string]any{"in": map[string]any{"tiltakKey": "datafabrikken", "period": "2025-H2", "role": "SECRETARIAT", "health": "MAJOR_DELAYS",
		"rationale": "Piloten har ikke startet", "actions": "Tas opp i Skate"}}, &out)
	if len(out.Assess.UserErrors) > 0 {
		t.Fatal(out.Assess.UserErrors)
	}
	// A tiltak where both agree does not diverge.
	e.must(e.editor, assessMutation, map[string]any{"in": map[string]any{"tiltakKey": "publisere-ki-strategi", "period": "2025-H2", "role": "SECRETARIAT", "health": "ON_TRACK"}}, &out)
	e.must(e.token("kmd", "REPORTER"), assessMutation, map[string]any{"in": map[string]any{"tiltakKey": "publisere-ki-strategi", "period": "2025-H2", "role": "SELF", "health": "ON_TRACK"}}, &out)

	type gap struct {
		Tiltak                struct{ Key string }
		Period                string
		Self, Secretariat     *string
		Gap                   *int
		Diverges              bool
		SecretariatAssessment *struct{ Rationale string }
	}
	var got struct {
		DivergingRatings []gap
		All              []gap `json:"all"`
		TiltakByKey      struct{ RatingGap gap }
		FollowUpReport   struct{ DivergingRatings []gap }
	}
	const g = `tiltak { key } period self secretariat gap diverges secretariatAssessment { rationale }`
	e.must("", `{ divergingRatings { `+g+` } all: divergingRatings(period: "2025-H2") { `+g+` }
		tiltakByKey(key: "datafabrikken") { ratingGap { `+g+` } }
		followUpReport(period: "2025-H2") { divergingRatings { `+g+` } } }`, nil, &got)
	for name, list := range map[string][]gap{"divergingRatings": got.DivergingRatings, "for the period": got.All, "follow-up report": got.FollowUpReport.DivergingRatings} {
		if len(list) != 1 {
			t.Fatalf("%s: %+v, want datafabrikken alone", name, list)
		}
		x := list[0]
		if x.Tiltak.Key != "datafabrikken" || *x.Self != "ON_TRACK" || *x.Secretariat != "MAJOR_DELAYS" || *x.Gap != 2 || !x.Diverges ||
			!strings.Contains(x.SecretariatAssessment.Rationale, "Piloten") {
			t.Fatalf("%s: %+v", name, x)
		}
	}
	if r := got.TiltakByKey.RatingGap; !r.Diverges || r.Period != "2025-H2" {
		t.Fatalf("tiltak ratingGap: %+v", r)
	}
}
