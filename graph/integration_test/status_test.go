package integration_test

import (
	"slices"
	"testing"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// tiltakStatus is a tiltak's status as a dashboard reads it.
type tiltakStatus struct {
	Phase    *string
	Health   *string
	Progress *int
	Version  int
}

type reportView struct {
	Period   string
	Body     struct{ Key string }
	Phase    string
	Health   *string
	Progress int
	Summary  *string
	Version  int
}

const reportSel = `period body { key } phase health progress summary version`

// report sends reportStatus and requires it to succeed.
func (e *env) report(secret string, in map[string]any) (reportView, tiltakStatus) {
	e.t.Helper()
	var p struct {
		Report reportView
		Tiltak tiltakStatus
	}
	e.mustMutate(secret, `mutation($in: ReportStatusInput!) { r: reportStatus(input: $in) { report { `+reportSel+` } tiltak { phase health progress version } userErrors { field message code } } }`,
		map[string]any{"in": in}, &p)
	return p.Report, p.Tiltak
}

// statusOf reads a tiltak's status, reports (newest first) and latest report.
func (e *env) statusOf(key string) (tiltakStatus, []reportView, int, *reportView) {
	e.t.Helper()
	var d struct {
		T struct {
			tiltakStatus
			StatusReports struct {
				Nodes      []reportView
				TotalCount int
			}
			LatestStatus *reportView
		} `json:"tiltakByKey"`
	}
	e.query("", `query($k: String!) { tiltakByKey(key: $k) { phase health progress version
		statusReports(first: 100) { totalCount nodes { `+reportSel+` } } latestStatus { `+reportSel+` } } }`, map[string]any{"k": key}, &d)
	return d.T.tiltakStatus, d.T.StatusReports.Nodes, d.T.StatusReports.TotalCount, d.T.LatestStatus
}

func periods(rs []reportView) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Period)
	}
	return out
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// requireStatus checks a tiltak's phase, health and progress.
func requireStatus(t *testing.T, got tiltakStatus, phase, health any, progress int) {
	t.Helper()
	if deref(got.Phase) != phase || deref(got.Health) != health || got.Progress == nil || *got.Progress != progress {
		t.Fatalf("tiltak status %v/%v/%v, want %v/%v/%d", deref(got.Phase), deref(got.Health), deref(got.Progress), phase, health, progress)
	}
}

// TestReportStatus: a body reports a tiltak's status period by period. A
// retry replaces rather than duplicates; the tiltak shows the latest
// period's status, whatever order the reports come in; the reports list
// newest period first; and a REPORTER reports for its own body only.
func TestReportStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	reporter := e.token("digdir", store.RoleReporter, "digdir-rapportering")
	editor := e.token("kmd", store.RoleEditor, "sekretariatet")
	in := func(period, phase string, health any, progress int, summary string) map[string]any {
		m := map[string]any{"tiltakKey": ownTiltak, "period": period, "phase": phase, "progress": progress, "summary": summary}
		if health != nil {
			m["health"] = health
		}
		return m
	}

	t.Run("first report is version 1 of the REPORTER's own body, and the tiltak follows it", func(t *testing.T) {
		e := e.with(t)
		rep, tl := e.report(reporter, in("2024-H1", "ACTIVE", "MINOR_DELAYS", 30, "første"))
		if rep.Body.Key != "digdir" || rep.Version != 1 || rep.Period != "2024-H1" || rep.Progress != 30 {
			t.Errorf("report %+v, want body digdir, version 1", rep)
		}
		requireStatus(t, tl, "ACTIVE", "MINOR_DELAYS", 30)
	})
	t.Run("the same period again replaces the report", func(t *testing.T) {
		e := e.with(t)
		rep, tl := e.report(reporter, in("2024-H1", "ACTIVE", "ON_TRACK", 35, "rettet"))
		if rep.Version != 2 {
			t.Errorf("report version %d, want 2", rep.Version)
		}
		requireStatus(t, tl, "ACTIVE", "ON_TRACK", 35)
		_, reports, total, _ := e.statusOf(ownTiltak)
		if total != 1 || len(reports) != 1 || deref(reports[0].Summary) != "rettet" || reports[0].Version != 2 {
			t.Errorf("totalCount %d, reports %+v, want the one replaced report", total, reports)
		}
	})
	t.Run("a later period moves the tiltak on", func(t *testing.T) {
		e := e.with(t)
		_, tl := e.report(reporter, in("2024-H2", "COMPLETED", nil, 100, "ferdig"))
		requireStatus(t, tl, "COMPLETED", nil, 100)
		_, reports, total, latest := e.statusOf(ownTiltak)
		if total != 2 || !slices.Equal(periods(reports), []string{"2024-H2", "2024-H1"}) {
			t.Errorf("totalCount %d, periods %v, want [2024-H2 2024-H1]", total, periods(reports))
		}
		if latest == nil || latest.Period != "2024-H2" {
			t.Errorf("latestStatus %+v, want 2024-H2", latest)
		}
	})
	t.Run("an older period leaves the tiltak as it is", func(t *testing.T) {
		e := e.with(t)
		before, _, _, _ := e.statusOf(ownTiltak)
		_, tl := e.report(reporter, in("2023-H2", "PAUSED", nil, 10, "gammel"))
		requireStatus(t, tl, "COMPLETED", nil, 100)
		// A quarter ending with a half year is older than that half year.
		_, tl = e.report(reporter, in("2024-Q4", "ACTIVE", "MAJOR_DELAYS", 90, "kvartal"))
		requireStatus(t, tl, "COMPLETED", nil, 100)
		if tl.Version != before.Version {
			t.Errorf("tiltak version %d, want %d (unchanged)", tl.Version, before.Version)
		}
		_, reports, total, latest := e.statusOf(ownTiltak)
		if want := []string{"2024-H2", "2024-Q4", "2024-H1", "2023-H2"}; total != 4 || !slices.Equal(periods(reports), want) {
			t.Errorf("totalCount %d, periods %v, want %v", total, periods(reports), want)
		}
		if latest == nil || latest.Period != "2024-H2" {
			t.Errorf("latestStatus %+v, want 2024-H2", latest)
		}
	})
	t.Run("a newer quarter becomes the latest", func(t *testing.T) {
		e := e.with(t)
		_, tl := e.report(reporter, map[string]any{"tiltakKey": ownTiltak, "period": "2025-Q1", "phase": "IN_OPERATION", "progress": 100, "bodyKey": "digdir"})
		requireStatus(t, tl, "IN_OPERATION", nil, 100)
		if _, _, _, latest := e.statusOf(ownTiltak); latest == nil || latest.Period != "2025-Q1" || latest.Body.Key != "digdir" {
			t.Errorf("latestStatus %+v, want 2025-Q1 by digdir", latest)
		}
	})
	t.Run("a REPORTER may not report for another body", func(t *testing.T) {
		e := e.with(t)
		before := e.touched(ownTiltak)
		r := e.post(reporter, reportStatusDoc, map[string]any{"in": map[string]any{
			"tiltakKey": ownTiltak, "period": "2025-Q2", "phase": "IN_OPERATION", "progress": 100, "bodyKey": "kartverket"}})
		if len(r.Errors) != 1 || r.Errors[0].code() != "FORBIDDEN" {
			t.Fatalf("want FORBIDDEN, got %s", r.Raw)
		}
		requireUnchanged(t, before, e.touched(ownTiltak))
	})
	t.Run("an EDITOR reports for another body", func(t *testing.T) {
		e := e.with(t)
		rep, _ := e.report(editor, map[string]any{"tiltakKey": ownTiltak, "period": "2022-H1", "phase": "PLANNED", "progress": 0, "bodyKey": "kartverket"})
		if rep.Body.Key != "kartverket" {
			t.Errorf("report body %q, want kartverket", rep.Body.Key)
		}
		_, reports, total, _ := e.statusOf(ownTiltak)
		if total != 6 || reports[len(reports)-1].Body.Key != "kartverket" {
			t.Errorf("totalCount %d, reports %+v: want kartverket's 2022-H1 last", total, reports)
		}
	})
	t.Run("the audit trail names the reporting token and body", func(t *testing.T) {
		e := e.with(t)
		var d struct {
			Changes struct {
				Nodes []struct {
					EntityKind, EntityKey, Op string
					TokenName                 *string
					Body                      *struct{ Key string }
				}
			}
		}
		e.query("", `{ changes(first: 100) { nodes { entityKind entityKey op tokenName body { key } } } }`, nil, &d)
		found := 0
		for _, c := range d.Changes.Nodes {
			if c.EntityKind == "StatusReport" && c.EntityKey == ownTiltak+"/2024-H1/digdir" {
				found++
				if deref(c.TokenName) != "digdir-rapportering" || c.Body == nil || c.Body.Key != "digdir" {
					t.Errorf("change %+v, want token digdir-rapportering of digdir", c)
				}
			}
		}
		if found != 2 {
			t.Errorf("%d audit entries for the 2024-H1 report, want 2 (CREATE, then UPDATE)", found)
		}
		// The schema's Change.entityKey of a report is tiltak/period/body,
		// and ChangeFilter.entityKey selects "changes to the entity with
		// this key".
		if got := e.changes(map[string]any{"entityKey": ownTiltak + "/2024-H1/digdir"}); len(got) != 2 {
			t.Errorf("changes(filter: {entityKey: %q}) gives %d entries, want the report's 2", ownTiltak+"/2024-H1/digdir", len(got))
		}
	})
}
