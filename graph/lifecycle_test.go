package graph_test

import (
	"slices"
	"strings"
	"testing"

	"handlingsplan/store"
)

// reportFields are what the lifecycle tests read of a report.
const reportFields = `id stage state period returnReason submittedBy prefilledFrom summary
	registration { commitmentText ministry { key } contact }
	startup { plannedStart funding deliveries { key baselineDate } }
	status { phase health progress risks obstacles { code severity text decisionBody { key } } deliveries { deliveryKey forecastDate } }
	closure { outcome handoverProblems lessons { text themes } }`

type reportOut struct {
	ID, Stage, State string
	Period           *string
	ReturnReason     *string
	SubmittedBy      *string
	PrefilledFrom    *string
	Summary          *string
	Registration     *struct {
		CommitmentText *string
		Ministry       *struct{ Key string }
		Contact        *string
	}
	Startup *struct {
		PlannedStart *string
		Funding      *string
		Deliveries   []struct{ Key, BaselineDate string }
	}
	Status *struct {
		Phase, Health *string
		Progress      int
		Risks         *string
		Obstacles     []struct {
			Code, Severity string
			Text           *string
			DecisionBody   *struct{ Key string }
		}
		Deliveries []struct {
			DeliveryKey  string
			ForecastDate *string
		}
	}
	Closure *struct {
		Outcome          string
		HandoverProblems []string
		Lessons          []struct {
			Text   string
			Themes []string
		}
	}
}

type reportPayload struct {
	Report     *reportOut
	UserErrors []userError
}

// lifecycleEnv is a follow-up server with the tokens the lifecycle tests use.
type lifecycleEnv struct {
	*followEnv
	digdir, nav, editor, reader string
}

func newLifecycleEnv(t *testing.T) *lifecycleEnv {
	e := newFollowEnv(t)
	return &lifecycleEnv{followEnv: e,
		digdir: e.token("digdir", store.RoleReporter), nav: e.token("nav", store.RoleReporter),
		editor: e.token("kmd", store.RoleEditor), reader: e.token("ks", store.RoleReader)}
}

// mutate runs one report mutation and returns its payload.
func (e *lifecycleEnv) mutate(token, field, args string, vars map[string]any) reportPayload {
	e.t.Helper()
	var out map[string]reportPayload
	q := `mutation(` + decls(vars) + `) { r: ` + field + args +
		` { report { ` + reportFields + ` } userErrors { field message code } } }`
	e.must(token, q, vars, &out)
	return out["r"]
}

func (e *lifecycleEnv) draft(token string, in map[string]any) reportPayload {
	return e.mutate(token, "draftReport", "(input: $in)", map[string]any{"in": in})
}

func (e *lifecycleEnv) submit(token, id string) reportPayload {
	return e.mutate(token, "submitReport", "(id: $id)", map[string]any{"id": id})
}

func (e *lifecycleEnv) accept(token, id string) reportPayload {
	return e.mutate(token, "acceptReport", "(id: $id)", map[string]any{"id": id})
}

func okReport(t *testing.T, p reportPayload, state string) *reportOut {
	t.Helper()
	if len(p.UserErrors) > 0 || p.Report == nil {
		t.Fatalf("want a %s report, got %+v", state, p.UserErrors)
	}
	if p.Report.State != state {
		t.Fatalf("report %s is %s, want %s", p.Report.ID, p.Report.State, state)
	}
	return p.Report
}

func (e *lifecycleEnv) reports(token, tiltak string) []reportOut {
	e.t.Helper()
	var out struct {
		TiltakByKey struct{ Reports []reportOut }
	}
	e.must(token, `query($k: String!) { tiltakByKey(key: $k) { reports { `+reportFields+` } } }`, map[string]any{"k": tiltak}, &out)
	return out.TiltakByKey.Reports
}

// A tiltak goes registration → start-up → status (returned once, then
// accepted) → closure through the API: drafts are private, each new report
// comes prefilled from the body's previous one, a status report before an
// accepted start-up is refused, and only the secretariat accepts or returns.
func TestLifecycleThroughAPI(t *testing.T) {
	e := newLifecycleEnv(t)
	const tk = "datafabrikken" // digdir is responsible

	reg := okReport(t, e.draft(e.digdir, map[string]any{"stage": "REGISTRATION", "tiltakKey": tk, "summary": "Datafabrikken registreres",
		"registration": map[string]any{"commitmentText": "Etablere Datafabrikken", "ministryKey": "kmd", "contact": "post@digdir.no"}}), "DRAFT")
	if reg.ID != "datafabrikken/REGISTRATION/-/digdir" || reg.PrefilledFrom != nil || reg.Registration.Ministry.Key != "kmd" {
		t.Fatalf("registration draft: %+v", reg)
	}
	// The draft is the body's and the secretariat's only.
	if rs := e.reports("", tk); len(rs) != 0 {
		t.Fatalf("an anonymous reader sees drafts: %+v", rs)
	}
	if rs := e.reports(e.nav, tk); len(rs) != 0 {
		t.Fatalf("another body sees the draft: %+v", rs)
	}
	if rs := e.reports(e.editor, tk); len(rs) != 1 {
		t.Fatalf("the secretariat sees %d reports, want the draft", len(rs))
	}
	// Another body's reporter may neither submit it nor draft on the tiltak.
	if errs := e.do(e.nav, `mutation { submitReport(id: "datafabrikken/REGISTRATION/-/digdir") { userErrors { message } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("nav submitting digdir's report: %+v", errs)
	}
	// Submitting an incomplete draft names the missing field.
	e.mutate(e.digdir, "updateReport", "(input: $up)", map[string]any{"up": map[string]any{"id": reg.ID, "registration": map[string]any{"commitmentText": ""}}})
	if p := e.submit(e.digdir, reg.ID); len(p.UserErrors) != 1 || *p.UserErrors[0].Field != "registration.commitmentText" {
		t.Fatalf("incomplete registration submitted: %+v", p)
	}
	e.mutate(e.digdir, "updateReport", "(input: $up)", map[string]any{"up": map[string]any{"id": reg.ID, "registration": map[string]any{"commitmentText": "Etablere Datafabrikken"}}})
	sub := okReport(t, e.submit(e.digdir, reg.ID), "SUBMITTED")
	if sub.SubmittedBy == nil || *sub.SubmittedBy != "digdir-REPORTER" {
		t.Fatalf("submittedBy = %v", sub.SubmittedBy)
	}
	if errs := e.do(e.digdir, `mutation { acceptReport(id: "datafabrikken/REGISTRATION/-/digdir") { userErrors { message } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("a body accepting its own report: %+v", errs)
	}
	okReport(t, e.accept(e.editor, reg.ID), "ACCEPTED")

	// Status before an accepted start-up: refused, through both paths.
	var rs struct {
		ReportStatus struct{ UserErrors []userError } `json:"reportStatus"`
	}
	e.must(e.digdir, reportStatusMutation, map[string]any{"in": map[string]any{"tiltakKey": tk, "period": "2025-H2", "phase": "ACTIVE", "health": "ON_TRACK", "progress": 10}}, &rs)
	if ue := rs.ReportStatus.UserErrors; len(ue) != 1 || *ue[0].Field != "tiltakKey" || !strings.Contains(ue[0].Message, "accepted start-up") {
		t.Fatalf("reportStatus before start-up: %+v", ue)
	}
	if p := e.draft(e.digdir, map[string]any{"stage": "STATUS", "tiltakKey": tk, "period": "2025-H2"}); len(p.UserErrors) != 1 || !strings.Contains(p.UserErrors[0].Message, "accepted start-up") {
		t.Fatalf("status draft before start-up: %+v", p)
	}

	// Start-up: prefilled from the registration (its summary); accepting it
	// makes the planned deliveries the tiltak's.
	st := okReport(t, e.draft(e.digdir, map[string]any{"stage": "STARTUP", "tiltakKey": tk,
		"startup": map[string]any{"plannedStart": "2025-03-01", "funding": "Rammen til Digdir", "deliveries": []any{
			map[string]any{"key": "pilot", "title": "Pilot i tre kommuner", "kind": "MILESTONE", "baselineDate": "2025-06-30"}}}}), "DRAFT")
	if st.PrefilledFrom == nil || *st.PrefilledFrom != reg.ID || st.Summary == nil || *st.Summary != "Datafabrikken registreres" {
		t.Fatalf("start-up not prefilled from the registration: %+v", st)
	}
	okReport(t, e.submit(e.digdir, st.ID), "SUBMITTED")
	okReport(t, e.accept(e.editor, st.ID), "ACCEPTED")

	// Status, with an obstacle and status on the delivery.
	s1 := okReport(t, e.draft(e.digdir, map[string]any{"stage": "STATUS", "tiltakKey": tk, "period": "2025-H2", "summary": "Piloten er forsinket",
		"status": map[string]any{"phase": "ACTIVE", "health": "MINOR_DELAYS", "progress": 40,
			"obstacles":  []any{map[string]any{"code": "CAPACITY", "severity": "HIGH", "text": "For få utviklere", "decisionBodyKey": "kmd"}},
			"deliveries": []any{map[string]any{"deliveryKey": "pilot", "forecastDate": "2025-09-30", "health": "MINOR_DELAYS"}}}}), "DRAFT")
	if s1.PrefilledFrom == nil || *s1.PrefilledFrom != st.ID {
		t.Fatalf("first status report prefilled from %v, want the start-up", s1.PrefilledFrom)
	}
	okReport(t, e.submit(e.digdir, s1.ID), "SUBMITTED")
	var after struct {
		TiltakByKey struct {
			Health     string
			Deliveries []struct {
				Key      string
				SlipDays *int
				Overdue  bool
				Health   string
			}
			StatusReports struct{ Nodes []struct{ State string } }
		}
	}
	e.must("", `{ tiltakByKey(key: "datafabrikken") { health deliveries { key slipDays overdue health } statusReports { nodes { state } } } }`, nil, &after)
	d := after.TiltakByKey.Deliveries
	if after.TiltakByKey.Health != "MINOR_DELAYS" || len(d) != 1 || d[0].SlipDays == nil || *d[0].SlipDays != 92 || !d[0].Overdue || d[0].Health != "MINOR_DELAYS" {
		t.Fatalf("after the status report: %+v", after)
	}

	// Returned once: a reason is required; its obstacles stop counting.
	if p := e.mutate(e.editor, "returnReport", "(id: $id, reason: $reason)", map[string]any{"id": s1.ID, "reason": " "}); len(p.UserErrors) != 1 || *p.UserErrors[0].Field != "reason" {
		t.Fatalf("return without a reason: %+v", p)
	}
	ret := okReport(t, e.mutate(e.editor, "returnReport", "(id: $id, reason: $reason)", map[string]any{"id": s1.ID, "reason": "Beskriv tiltak mot kapasitetsmangelen"}), "RETURNED")
	if ret.ReturnReason == nil || !strings.Contains(*ret.ReturnReason, "kapasitet") {
		t.Fatalf("returnReason = %v", ret.ReturnReason)
	}
	if n := e.obstacleTotal("2025-H2"); n != 0 {
		t.Fatalf("a returned report's obstacles count: %d", n)
	}
	// Drafted anew: prefilled from the returned report itself.
	s2 := okReport(t, e.draft(e.digdir, map[string]any{"stage": "STATUS", "tiltakKey": tk, "period": "2025-H2"}), "DRAFT")
	if s2.PrefilledFrom == nil || *s2.PrefilledFrom != s1.ID || s2.Status.Progress != 40 || len(s2.Status.Obstacles) != 1 || *s2.Summary != "Piloten er forsinket" {
		t.Fatalf("redraft not prefilled from the returned report: %+v", s2)
	}
	okReport(t, e.mutate(e.digdir, "updateReport", "(input: $up)", map[string]any{"up": map[string]any{"id": s2.ID,
		"status": map[string]any{"risks": "Ny rekruttering i gang", "progress": 45}}}), "DRAFT")
	okReport(t, e.submit(e.digdir, s2.ID), "SUBMITTED")
	acc := okReport(t, e.accept(e.editor, s2.ID), "ACCEPTED")
	if acc.Status.Progress != 45 || *acc.Status.Risks != "Ny rekruttering i gang" || acc.Status.Obstacles[0].DecisionBody.Key != "kmd" {
		t.Fatalf("accepted status report: %+v", acc.Status)
	}
	if n := e.obstacleTotal("2025-H2"); n != 1 {
		t.Fatalf("the accepted report's obstacle counts %d times, want 1", n)
	}

	// Closure: completed, nobody owns operation: flagged; lessons searchable.
	cl := okReport(t, e.draft(e.digdir, map[string]any{"stage": "CLOSURE", "tiltakKey": tk, "closure": map[string]any{
		"outcome": "COMPLETED", "operationsFunded": false, "mainDeliveries": []any{"Datafabrikken i drift"},
		"lessons": []any{map[string]any{"text": "Avklar hjemmel for datadeling tidlig", "themes": []any{"data-sharing"}}}}}), "DRAFT")
	if cl.PrefilledFrom == nil || *cl.PrefilledFrom != s1.ID {
		t.Fatalf("closure prefilled from %v, want the latest status report", cl.PrefilledFrom)
	}
	okReport(t, e.submit(e.digdir, cl.ID), "SUBMITTED")
	var flags struct {
		HandoverGaps []struct{ Tiltak struct{ Key string } }
		Lessons      []struct {
			Text   string
			Tiltak struct{ Key string }
		}
		TiltakByKey struct {
			Closure struct{ HandoverProblems []string }
		}
	}
	e.must("", `{ handoverGaps { tiltak { key } } lessons(search: "hjemmel", theme: "data-sharing") { text tiltak { key } }
		tiltakByKey(key: "datafabrikken") { closure { handoverProblems } } }`, nil, &flags)
	if len(flags.HandoverGaps) != 1 || flags.HandoverGaps[0].Tiltak.Key != tk ||
		!slices.Equal(flags.TiltakByKey.Closure.HandoverProblems, []string{"NO_OPERATIONS_OWNER", "OPERATIONS_NOT_FUNDED"}) {
		t.Fatalf("handover not flagged: %+v", flags)
	}
	if len(flags.Lessons) != 1 || flags.Lessons[0].Tiltak.Key != tk {
		t.Fatalf("lessons: %+v", flags.Lessons)
	}

	// The whole life, in order, as anyone sees it.
	var stages []string
	for _, r := range e.reports("", tk) {
		stages = append(stages, r.Stage+":"+r.State)
	}
	if want := []string{"REGISTRATION:ACCEPTED", "STARTUP:ACCEPTED", "STATUS:ACCEPTED", "CLOSURE:SUBMITTED"}; !slices.Equal(stages, want) {
		t.Fatalf("reports = %v, want %v", stages, want)
	}

	// A body drafts only for itself; a READER not at all; report(id) shows
	// a draft to its body and the secretariat only.
	const draftQ = `mutation($in: DraftReportInput!) { draftReport(input: $in) { userErrors { message } } }`
	for _, c := range []struct {
		token string
		in    map[string]any
	}{
		{e.digdir, map[string]any{"stage": "STATUS", "tiltakKey": tk, "period": "2026-H1", "bodyKey": "nav"}},
		{e.nav, map[string]any{"stage": "STATUS", "tiltakKey": tk, "period": "2026-H1"}},
		{e.reader, map[string]any{"stage": "STATUS", "tiltakKey": tk, "period": "2026-H1"}},
	} {
		if errs := e.do(c.token, draftQ, map[string]any{"in": c.in}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
			t.Errorf("draft %v: %+v", c.in, errs)
		}
	}
	next := okReport(t, e.draft(e.digdir, map[string]any{"stage": "STATUS", "tiltakKey": tk, "period": "2026-H1"}), "DRAFT")
	if next.PrefilledFrom == nil || *next.PrefilledFrom != s1.ID || next.Status.Progress != 45 {
		t.Errorf("the next period's draft is not prefilled from the accepted report: %+v", next)
	}
	for token, visible := range map[string]bool{"": false, e.nav: false, e.digdir: true, e.editor: true} {
		var got struct{ Report *struct{ State string } }
		e.must(token, `query($id: ID!) { report(id: $id) { state } }`, map[string]any{"id": next.ID}, &got)
		if (got.Report != nil) != visible {
			t.Errorf("report(id) of a draft seen: %v, want %v (token %q)", got.Report != nil, visible, token)
		}
	}
}

// obstacleTotal sums obstacleCounts by code for a period.
func (e *lifecycleEnv) obstacleTotal(period string) int {
	e.t.Helper()
	var out struct{ ObstacleCounts []struct{ Count int } }
	e.must("", `query($p: String) { obstacleCounts(groupBy: CODE, period: $p) { count } }`, map[string]any{"p": period}, &out)
	n := 0
	for _, c := range out.ObstacleCounts {
		n += c.Count
	}
	return n
}

// decls declares the variables a report mutation uses.
func decls(vars map[string]any) string {
	types := map[string]string{"in": "DraftReportInput!", "up": "UpdateReportInput!", "id": "ID!", "reason": "String!"}
	var out []string
	for _, k := range []string{"in", "up", "id", "reason"} {
		if _, ok := vars[k]; ok {
			out = append(out, "$"+k+": "+types[k])
		}
	}
	return strings.Join(out, ", ")
}
