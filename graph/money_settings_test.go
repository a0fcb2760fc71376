package graph_test

import (
	"testing"

	"handlingsplan/store"
)

// The settings are configurable by an EDITOR and take effect at once: a
// higher variance threshold lets 8 % pass, size-class limits move a
// tiltak's class. The schedule needs a deviation narrative when the
// forecast end passes the approved end; segments, kinds and goal links
// (one primary) are set on the tiltak.
func TestMoneySettingsScheduleSegmentsAndGoalLinks(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	ed := e.token("digdir", store.RoleEditor)
	const tk = "digitalt-dodsbo"
	if errs := e.do(e.token("digdir", store.RoleReporter), `mutation { setMoneySettings(input: {varianceThresholdPercent: 10}) { userErrors { field } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("REPORTER changing settings: %+v", errs)
	}
	var set struct {
		SetMoneySettings struct {
			Settings   struct{ VarianceThresholdPercent int }
			UserErrors userErrs `json:"userErrors"`
		} `json:"setMoneySettings"`
	}
	e.must(ed, `mutation { setMoneySettings(input: {sizeMediumFromNok: 300000000, sizeLargeAboveNok: 100000000}) { settings { varianceThresholdPercent } userErrors { field message } } }`, nil, &set)
	if set.SetMoneySettings.UserErrors.field() != "sizeLargeAboveNok" {
		t.Fatalf("limits out of order: %+v", set.SetMoneySettings.UserErrors)
	}
	e.must(ed, `mutation { setMoneySettings(input: {varianceThresholdPercent: 10, sizeMediumFromNok: 30000000}) { settings { varianceThresholdPercent } userErrors { field message } } }`, nil, &set)
	if set.SetMoneySettings.Settings.VarianceThresholdPercent != 10 {
		t.Fatalf("settings = %+v", set.SetMoneySettings)
	}
	var cost costOutAny
	e.must(ed, setCostYear, map[string]any{"in": map[string]any{"tiltakKey": tk, "year": 2025, "baselineNok": 27_000_000, "forecastNok": 29_160_000}}, &cost)
	if len(cost.SetCostYear.UserErrors) > 0 {
		t.Fatalf("8 %% over with a 10 %% threshold: %+v", cost.SetCostYear.UserErrors)
	}
	sizeOf := func() string {
		var out struct {
			TiltakByKey struct {
				Finance struct {
					SizeClass        string `json:"sizeClass"`
					WholeLifeCostNok int64  `json:"wholeLifeCostNok"`
				} `json:"finance"`
			} `json:"tiltakByKey"`
		}
		e.must("", `{ tiltakByKey(key: "`+tk+`") { finance { sizeClass wholeLifeCostNok } } }`, nil, &out)
		if out.TiltakByKey.Finance.WholeLifeCostNok != 29_160_000 {
			t.Fatalf("whole-life cost = %d, want the forecast 29 160 000", out.TiltakByKey.Finance.WholeLifeCostNok)
		}
		return out.TiltakByKey.Finance.SizeClass
	}
	if got := sizeOf(); got != "SMALL" {
		t.Fatalf("29.16 MNOK under a 30 MNOK limit is %s, want SMALL", got)
	}
	e.must(ed, `mutation { setMoneySettings(input: {sizeMediumFromNok: 25000000}) { userErrors { field } } }`, nil, nil)
	if got := sizeOf(); got != "MEDIUM" {
		t.Fatalf("29.16 MNOK with the default limits is %s, want MEDIUM", got)
	}

	const schedule = `mutation($in: SetScheduleInput!) { setSchedule(input: $in) { finance { schedule { approvedEnd forecastEnd delayed deviationDays deviationNarrative } } userErrors { field message } } }`
	var sch struct {
		SetSchedule struct {
			Finance *struct {
				Schedule struct {
					Delayed       bool `json:"delayed"`
					DeviationDays *int `json:"deviationDays"`
				} `json:"schedule"`
			} `json:"finance"`
			UserErrors userErrs `json:"userErrors"`
		} `json:"setSchedule"`
	}
	e.must(ed, schedule, map[string]any{"in": map[string]any{"tiltakKey": tk, "approvedStart": "2021-01-01", "approvedEnd": "2025-12-31", "forecastEnd": "2026-03-31"}}, &sch)
	if sch.SetSchedule.UserErrors.field() != "deviationNarrative" {
		t.Fatalf("late forecast without narrative: %+v", sch.SetSchedule.UserErrors)
	}
	e.must(ed, schedule, map[string]any{"in": map[string]any{"tiltakKey": tk, "approvedStart": "2021-01-01", "approvedEnd": "2025-12-31", "forecastEnd": "2026-03-31", "deviationNarrative": "Venter på lovendring"}}, &sch)
	if s := sch.SetSchedule.Finance.Schedule; !s.Delayed || s.DeviationDays == nil || *s.DeviationDays != 90 {
		t.Fatalf("schedule = %+v, want delayed by 90 days", s)
	}
	e.must(ed, schedule, map[string]any{"in": map[string]any{"tiltakKey": tk, "approvedEnd": "2026-12-31"}}, &sch)
	if sch.SetSchedule.UserErrors.field() != "approvedEnd" {
		t.Fatalf("changing the approved end without rebaseline: %+v", sch.SetSchedule.UserErrors)
	}

	e.must(ed, `mutation { createSegment(input: {key: "tett", name: "Tett oppfølging", followUpLevel: CLOSE, cadence: QUARTERLY, requiredStages: ["konsept", "gjennomføring"]}) { userErrors { field } } }`, nil, nil)
	for _, g := range []string{"hovedmal-2", "hovedmal-6"} {
		e.must(ed, `mutation($g: String!) { linkTiltakGoal(tiltakKey: "`+tk+`", goalKey: $g) { userErrors { field } } }`, map[string]any{"g": g}, nil)
	}
	var seg struct {
		SetTiltakSegment struct {
			Finance struct {
				Kind        string `json:"kind"`
				Segment     keyed  `json:"segment"`
				PrimaryGoal keyed  `json:"primaryGoal"`
				Goals       []struct {
					Goal    keyed
					Primary bool
				} `json:"goals"`
			} `json:"finance"`
		} `json:"setTiltakSegment"`
	}
	e.must(ed, `mutation { setTiltakSegment(tiltakKey: "`+tk+`", segmentKey: "tett", kind: GOVERNMENT_COMMITMENT) { finance { kind segment { key } primaryGoal { key } goals { goal { key } primary } } } }`, nil, &seg)
	f := seg.SetTiltakSegment.Finance
	if f.Kind != "GOVERNMENT_COMMITMENT" || f.Segment.Key != "tett" || f.PrimaryGoal.Key != "hovedmal-2" || len(f.Goals) != 2 {
		t.Fatalf("finance = %+v: want the segment, the kind, and the first goal primary", f)
	}
	e.must(ed, `mutation { linkTiltakGoal(tiltakKey: "`+tk+`", goalKey: "hovedmal-6", primary: true) { finance { primaryGoal { key } goals { primary } } } }`, nil, &seg)
	var after struct {
		Segment     struct{ Tiltak []keyed } `json:"segment"`
		Goal        struct{ Tiltak []keyed } `json:"goal"`
		TiltakByKey struct {
			Finance struct {
				PrimaryGoal keyed                    `json:"primaryGoal"`
				Goals       []struct{ Primary bool } `json:"goals"`
			} `json:"finance"`
		} `json:"tiltakByKey"`
	}
	e.must("", `{ segment(key: "tett") { tiltak { key } } goal(key: "hovedmal-6") { tiltak { key } } tiltakByKey(key: "`+tk+`") { finance { primaryGoal { key } goals { primary } } } }`, nil, &after)
	primaries := 0
	for _, g := range after.TiltakByKey.Finance.Goals {
		if g.Primary {
			primaries++
		}
	}
	if after.TiltakByKey.Finance.PrimaryGoal.Key != "hovedmal-6" || primaries != 1 || len(after.Segment.Tiltak) != 1 || len(after.Goal.Tiltak) != 1 {
		t.Fatalf("after relinking: %+v", after)
	}
	if errs := e.do(e.token("digdir", store.RoleReporter), `mutation { createGoal(input: {key: "x", name: "X"}) { userErrors { field } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("REPORTER creating a goal: %+v", errs)
	}
}

// Goals, indicators and segments can be changed; a changed target moves
// the score, and a stale expectedVersion is refused.
func TestUpdateGoalIndicatorSegment(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	ed := e.token("digdir", store.RoleEditor)
	e.must(ed, `mutation { createGoal(input: {key: "delmal", name: "Delmål", parentKey: "hovedmal-6"}) { userErrors { field } } }`, nil, nil)
	e.must(ed, `mutation { createIndicator(input: {key: "i", goalKey: "delmal", name: "I", unit: "%", baseline: {year: 2020, value: 0}, target: {year: 2025, value: 100}}) { userErrors { field } } }`, nil, nil)
	e.must(ed, `mutation { recordIndicatorObservation(input: {indicatorKey: "i", period: "2024", value: 50}) { userErrors { field } } }`, nil, nil)
	var out struct {
		UpdateIndicator struct {
			Indicator struct {
				Version int `json:"version"`
				Status  struct {
					Score float64 `json:"score"`
				} `json:"status"`
			} `json:"indicator"`
			UserErrors userErrs `json:"userErrors"`
		} `json:"updateIndicator"`
	}
	e.must(ed, `mutation { updateIndicator(input: {key: "i", target: {year: 2025, value: 50}, expectedVersion: 2}) { indicator { version status { score } } userErrors { field code } } }`, nil, &out)
	if len(out.UpdateIndicator.UserErrors) > 0 || out.UpdateIndicator.Indicator.Status.Score != 3 || out.UpdateIndicator.Indicator.Version != 3 {
		t.Fatalf("updateIndicator = %+v: at the new target the score is 3.00", out.UpdateIndicator)
	}
	e.must(ed, `mutation { updateIndicator(input: {key: "i", weight: 2, expectedVersion: 2}) { indicator { version } userErrors { field code } } }`, nil, &out)
	if len(out.UpdateIndicator.UserErrors) != 1 || out.UpdateIndicator.UserErrors[0].Code != "CONFLICT" {
		t.Fatalf("stale version: %+v", out.UpdateIndicator.UserErrors)
	}
	var g struct {
		UpdateGoal struct {
			Goal struct {
				Parent *keyed `json:"parent"`
			} `json:"goal"`
		} `json:"updateGoal"`
		UpdateSegment struct {
			UserErrors userErrs `json:"userErrors"`
		} `json:"updateSegment"`
	}
	e.must(ed, `mutation { updateGoal(input: {key: "delmal", parentKey: "hovedmal-2"}) { goal { parent { key } } } updateSegment(input: {key: "finnes-ikke", name: "X"}) { userErrors { field code } } }`, nil, &g)
	if g.UpdateGoal.Goal.Parent == nil || g.UpdateGoal.Goal.Parent.Key != "hovedmal-2" || g.UpdateSegment.UserErrors.field() != "key" || g.UpdateSegment.UserErrors[0].Code != "NOT_FOUND" {
		t.Fatalf("updateGoal/updateSegment = %+v", g)
	}
}
