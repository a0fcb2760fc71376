package graph_test

import (
	"fmt"
	"math"
	"net/http/httptest"
	"testing"
)

type statusSummary struct {
	Total   int `json:"total"`
	ByPhase []struct {
		Phase string `json:"phase"`
		Count int    `json:"count"`
	} `json:"byPhase"`
	ByHealth []struct {
		Health string `json:"health"`
		Count  int    `json:"count"`
	} `json:"byHealth"`
	UnknownPhase     int      `json:"unknownPhase"`
	UnratedActive    int      `json:"unratedActive"`
	AverageProgress  *float64 `json:"averageProgress"`
	ReportedProgress int      `json:"reportedProgress"`
}

const summaryFields = `total byPhase { phase count } byHealth { health count } unknownPhase unratedActive averageProgress reportedProgress`

type tiltakStatus struct {
	Key      string  `json:"key"`
	Phase    *string `json:"phase"`
	Health   *string `json:"health"`
	Progress *int    `json:"progress"`
}

// tiltakList is a tiltak connection read whole in one page of 100.
type tiltakList struct {
	TotalCount int            `json:"totalCount"`
	PageInfo   pageInfo       `json:"pageInfo"`
	Nodes      []tiltakStatus `json:"nodes"`
}

const tiltakListFields = `totalCount pageInfo { hasNextPage } nodes { key phase health progress }`

var (
	phases  = []string{"PLANNED", "ACTIVE", "PAUSED", "COMPLETED", "IN_OPERATION", "DISCONTINUED"}
	healths = []string{"ON_TRACK", "MINOR_DELAYS", "MAJOR_DELAYS"}
)

// checkSummary compares a statusSummary with a count made from the tiltak
// it summarises.
func checkSummary(t *testing.T, what string, s statusSummary, l tiltakList) {
	t.Helper()
	if l.PageInfo.HasNextPage {
		t.Fatalf("%s: more than 100 tiltak; the test reads one page", what)
	}
	if s.Total != l.TotalCount || s.Total != len(l.Nodes) {
		t.Errorf("%s: statusSummary.total %d, tiltak.totalCount %d, %d tiltak listed", what, s.Total, l.TotalCount, len(l.Nodes))
	}
	byPhase, byHealth := map[string]int{}, map[string]int{}
	unknown, unrated, reported, sum := 0, 0, 0, 0
	for _, x := range l.Nodes {
		switch {
		case x.Phase == nil:
			unknown++
		default:
			byPhase[*x.Phase]++
		}
		if x.Phase != nil && *x.Phase == "ACTIVE" {
			if x.Health == nil {
				unrated++
			} else {
				byHealth[*x.Health]++
			}
		}
		if x.Progress != nil {
			reported++
			sum += *x.Progress
		}
	}
	if len(s.ByPhase) != len(phases) {
		t.Errorf("%s: byPhase has %d entries, want one per phase (%d)", what, len(s.ByPhase), len(phases))
	}
	for i, pc := range s.ByPhase {
		if i < len(phases) && pc.Phase != phases[i] {
			t.Errorf("%s: byPhase[%d] is %s, want %s (life-cycle order)", what, i, pc.Phase, phases[i])
		}
		if pc.Count != byPhase[pc.Phase] {
			t.Errorf("%s: byPhase %s = %d, counted %d", what, pc.Phase, pc.Count, byPhase[pc.Phase])
		}
	}
	if len(s.ByHealth) != len(healths) {
		t.Errorf("%s: byHealth has %d entries, want %d", what, len(s.ByHealth), len(healths))
	}
	for i, hc := range s.ByHealth {
		if i < len(healths) && hc.Health != healths[i] {
			t.Errorf("%s: byHealth[%d] is %s, want %s", what, i, hc.Health, healths[i])
		}
		if hc.Count != byHealth[hc.Health] {
			t.Errorf("%s: byHealth %s = %d, counted %d", what, hc.Health, hc.Count, byHealth[hc.Health])
		}
	}
	if s.UnknownPhase != unknown || s.UnratedActive != unrated || s.ReportedProgress != reported {
		t.Errorf("%s: unknownPhase %d, unratedActive %d, reportedProgress %d; counted %d, %d, %d",
			what, s.UnknownPhase, s.UnratedActive, s.ReportedProgress, unknown, unrated, reported)
	}
	switch {
	case reported == 0 && s.AverageProgress != nil:
		t.Errorf("%s: averageProgress %v with no progress reported, want null", what, *s.AverageProgress)
	case reported > 0 && (s.AverageProgress == nil || math.Abs(*s.AverageProgress-float64(sum)/float64(reported)) > 1e-9):
		t.Errorf("%s: averageProgress %v, want %v", what, s.AverageProgress, float64(sum)/float64(reported))
	}
}

type summarised struct {
	Key           string        `json:"key"`
	Level         int           `json:"level"`
	StatusSummary statusSummary `json:"statusSummary"`
	Tiltak        tiltakList    `json:"tiltak"`
}

// The roll-up a dashboard draws agrees with the tiltak behind it, for every
// life event, focus area, initiative, responsible body and governance
// level: a manager who clicks from a number into the list finds that many.
func TestStatusSummaryMatchesTiltak(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	sel := `statusSummary { ` + summaryFields + ` } tiltak(first: 100) { ` + tiltakListFields + ` }`
	var got struct {
		LifeEvents       struct{ Nodes []summarised } `json:"lifeEvents"`
		FocusAreas       struct{ Nodes []summarised } `json:"focusAreas"`
		Initiatives      struct{ Nodes []summarised } `json:"initiatives"`
		GovernanceLevels []summarised                 `json:"governanceLevels"`
		StatusSummary    statusSummary                `json:"statusSummary"`
		Tiltak           tiltakList                   `json:"tiltak"`
	}
	mustQuery(t, srv, `{
		lifeEvents(first: 100) { nodes { key `+sel+` } }
		focusAreas(first: 100) { nodes { key `+sel+` } }
		initiatives(first: 100) { nodes { key `+sel+` } }
		governanceLevels { level `+sel+` }
		statusSummary { `+summaryFields+` }
		tiltak(first: 100) { `+tiltakListFields+` }
	}`, nil, &got)
	if n := len(got.LifeEvents.Nodes) + len(got.FocusAreas.Nodes) + len(got.Initiatives.Nodes) + len(got.GovernanceLevels); n != 7+8+10+3 {
		t.Fatalf("read %d parents, want 28", n)
	}
	checkSummary(t, "the whole plan", got.StatusSummary, got.Tiltak)
	if got.StatusSummary.Total != 24 {
		t.Errorf("statusSummary.total = %d, want the 24 tiltak of the default data", got.StatusSummary.Total)
	}
	for _, x := range got.LifeEvents.Nodes {
		checkSummary(t, "life event "+x.Key, x.StatusSummary, x.Tiltak)
	}
	for _, x := range got.FocusAreas.Nodes {
		checkSummary(t, "focus area "+x.Key, x.StatusSummary, x.Tiltak)
	}
	for _, x := range got.Initiatives.Nodes {
		checkSummary(t, "initiative "+x.Key, x.StatusSummary, x.Tiltak)
	}
	levels := 0
	for _, x := range got.GovernanceLevels {
		checkSummary(t, fmt.Sprint("governance level ", x.Level), x.StatusSummary, x.Tiltak)
		levels += x.StatusSummary.Total
	}
	if levels != 24 {
		t.Errorf("the governance levels' totals add up to %d, want 24: each tiltak is followed up at one level", levels)
	}

	// Every body responsible for a tiltak.
	responsible := map[string]bool{}
	for _, x := range defaultPlan(t).Tiltak {
		responsible[x.ResponsibleKey] = true
	}
	if len(responsible) < 3 {
		t.Fatalf("only %d responsible bodies", len(responsible))
	}
	for key := range responsible {
		var b struct {
			Body *struct {
				StatusSummary statusSummary `json:"statusSummary"`
				Tiltak        tiltakList    `json:"responsibleFor"`
			} `json:"body"`
		}
		mustQuery(t, srv, `query($key: String) { body(key: $key) {
			statusSummary { `+summaryFields+` } responsibleFor(first: 100) { `+tiltakListFields+` } } }`, map[string]any{"key": key}, &b)
		if b.Body == nil {
			t.Errorf("body %s: null", key)
			continue
		}
		checkSummary(t, "body "+key, b.Body.StatusSummary, b.Body.Tiltak)
		if b.Body.StatusSummary.Total == 0 {
			t.Errorf("body %s: statusSummary.total 0, but it is responsible for a tiltak", key)
		}
	}
}

// The root statusSummary with a filter counts what the same filter lists:
// e.g. the tiltak of one focus area that run with minor delays.
func TestStatusSummaryWithFilter(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var fas struct {
		FocusAreas struct{ Nodes []keyed } `json:"focusAreas"`
	}
	mustQuery(t, srv, `{ focusAreas(first: 100) { nodes { key } } }`, nil, &fas)
	delayed := 0
	for _, fa := range fas.FocusAreas.Nodes {
		delayed += summaryFiltered(t, srv, fa.Key)
	}
	if delayed == 0 {
		t.Errorf("no focus area has a tiltak with minor delays; the default data has one")
	}
}

func summaryFiltered(t *testing.T, srv *httptest.Server, focusArea string) int {
	t.Helper()
	var got struct {
		Filtered statusSummary `json:"filtered"`
		Listed   tiltakList    `json:"listed"`
		All      tiltakList    `json:"all"`
	}
	mustQuery(t, srv, `query($fa: String) {
		filtered: statusSummary(filter: { focusAreaKey: $fa, health: [MINOR_DELAYS] }) { `+summaryFields+` }
		listed: tiltak(first: 100, filter: { focusAreaKey: $fa, health: [MINOR_DELAYS] }) { `+tiltakListFields+` }
		all: tiltak(first: 100, filter: { focusAreaKey: $fa }) { `+tiltakListFields+` }
	}`, map[string]any{"fa": focusArea}, &got)
	checkSummary(t, "focus area "+focusArea+" with minor delays", got.Filtered, got.Listed)
	// Count by hand from the unfiltered list too.
	mine := 0
	for _, x := range got.All.Nodes {
		if x.Health != nil && *x.Health == "MINOR_DELAYS" {
			mine++
		}
	}
	if got.Filtered.Total != mine {
		t.Errorf("focus area %s: statusSummary(health: MINOR_DELAYS).total = %d, counted %d among its %d tiltak", focusArea, got.Filtered.Total, mine, len(got.All.Nodes))
	}
	return mine
}
