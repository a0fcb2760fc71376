package graph_test

import (
	"testing"

	"handlingsplan/store"
)

func TestFollowUpReportShowsChangesAndMissingReporters(t *testing.T) {
	e := newFollowEnv(t)
	writeFollowHistory(e)
	r := followUp(e, "2025-H2", nil)

	eq(t, "improved", itemKeys(r.Improved), []string{"digitalt-dodsbo"})
	// Worsened: red before yellow.
	eq(t, "worsened", itemKeys(r.Worsened), []string{"livshendelse-dodsfall-og-arv", "enklere-tilgang-til-informasjon"})
	eq(t, "new", itemKeys(r.New), []string{"nyinorge-no", "strategi-for-digital-kompetanse"})
	eq(t, "completed", itemKeys(r.Completed), []string{"livshendelse-alvorlig-sykt-barn"})
	// Exceptions first: MAJOR before MINOR, worsened first within each.
	eq(t, "at risk", itemKeys(r.AtRisk), []string{
		"livshendelse-dodsfall-og-arv", "nyinorge-no", "enklere-tilgang-til-informasjon", "videreutvikling-frivillighetsregisteret",
	})
	eq(t, "not reported", missingOf(r.NotReported), []string{
		"kmd:veileder-styring-digitalisering-sektorene",
		"statsforvalteren-i-vestfold-og-telemark:digital-gravferdsmelding",
	})
	var bodies []string
	for _, b := range r.BodiesNotReported {
		bodies = append(bodies, b.Key)
	}
	eq(t, "bodies not reported", bodies, []string{"kmd", "statsforvalteren-i-vestfold-og-telemark"})
	// Owed: the 7 ACTIVE-as-of tiltak that reported (datafabrikken and the
	// like are not) plus the 2 missing.
	if r.Owed != 9 || r.Reported != 7 {
		t.Errorf("owed %d, reported %d; want 9 and 7", r.Owed, r.Reported)
	}

	// The improvement is digdir's (responsible) green, not skatteetaten's red.
	d := r.Improved[0]
	if d.Body.Key != "digdir" || d.Health == nil || *d.Health != "ON_TRACK" || d.Previous == nil || d.Previous.Period != "2025-H1" || *d.Previous.Health != "MINOR_DELAYS" {
		t.Errorf("digitalt-dodsbo: %+v", d)
	}
	red := r.AtRisk[0]
	if red.Risks == nil || *red.Risks != "Risiko for livshendelse-dodsfall-og-arv" || red.Summary == nil || *red.Summary != "Rapport 2025-H2" {
		t.Errorf("at-risk item lacks its summary and risks: %+v", red)
	}

	// The life event «Dødsfall og arv»: its four tiltak, of which
	// veileder-sammenhengende-tjenester is completed and owes nothing.
	var le *followSection
	for i := range r.LifeEvents {
		if r.LifeEvents[i].Key == "dodsfall-og-arv" {
			le = &r.LifeEvents[i]
		}
	}
	if le == nil {
		t.Fatal("no section for the life event dodsfall-og-arv")
	}
	eq(t, "dodsfall-og-arv at risk", itemKeys(le.AtRisk), []string{"livshendelse-dodsfall-og-arv"})
	eq(t, "dodsfall-og-arv improved", itemKeys(le.Improved), []string{"digitalt-dodsbo"})
	eq(t, "dodsfall-og-arv not reported", missingOf(le.NotReported), []string{"statsforvalteren-i-vestfold-og-telemark:digital-gravferdsmelding"})
	if le.Summary.Total != 2 || le.Summary.NotReported != 1 || le.Summary.ByHealth[0].Count != 1 || le.Summary.ByHealth[2].Count != 1 {
		t.Errorf("dodsfall-og-arv summary %+v", le.Summary)
	}
	// Sections with the most delays come first.
	if len(r.LifeEvents) == 0 || r.LifeEvents[0].Key == "starte-og-drive-en-bedrift" {
		t.Errorf("life events not ordered by delays: first %q", r.LifeEvents[0].Key)
	}

	// The governance level restricts the report: nyinorge-no is level 2.
	two, three := 2, 3
	l2, l3 := followUp(e, "2025-H2", &two), followUp(e, "2025-H2", &three)
	eq(t, "level 2 at risk", itemKeys(l2.AtRisk), []string{"nyinorge-no"})
	eq(t, "level 3 new", itemKeys(l3.New), []string{"strategi-for-digital-kompetanse"})
	if l3.Owed != 8 || l2.Owed != 1 {
		t.Errorf("owed at level 3: %d, at level 2: %d; want 8 and 1", l3.Owed, l2.Owed)
	}
	if errs := e.do("", followUpQuery, map[string]any{"p": "2025-H7"}, nil); len(errs) == 0 || errs[0].code() != "INVALID" {
		t.Errorf("bad period: %+v, want INVALID", errs)
	}
}

func TestStatusSummaryForAPeriodIsACountOfTheReports(t *testing.T) {
	e := newFollowEnv(t)
	writeFollowHistory(e)
	// The count made here: per tiltak, the report of its responsible body
	// (skatteetaten's on digitalt-dodsbo is not), by phase, health and progress.
	responsible := map[string]string{"digitalt-dodsbo": "digdir"}
	type count struct {
		total, sum int
		phase      map[string]int
		health     map[string]int
	}
	counts := map[string]*count{}
	for _, r := range followHistory {
		if b := responsible[r.tiltak]; b != "" && b != r.token {
			continue
		}
		c := counts[r.period]
		if c == nil {
			c = &count{phase: map[string]int{}, health: map[string]int{}}
			counts[r.period] = c
		}
		c.total++
		c.sum += r.progress
		c.phase[r.phase]++
		if r.health != "" {
			c.health[r.health]++
		}
	}
	for period, c := range counts {
		var out struct{ StatusSummary statusSummaryNR }
		e.must("", `query($p: String) { statusSummary(period: $p) { `+summaryFields+` notReported } }`, map[string]any{"p": period}, &out)
		s := out.StatusSummary
		if s.Total != c.total || s.ReportedProgress != c.total || s.AverageProgress == nil || *s.AverageProgress != float64(c.sum)/float64(c.total) {
			t.Errorf("%s: total %d, progress %d / %v; want %d, mean %v", period, s.Total, s.ReportedProgress, s.AverageProgress, c.total, float64(c.sum)/float64(c.total))
		}
		for _, p := range s.ByPhase {
			if p.Count != c.phase[p.Phase] {
				t.Errorf("%s: %s %d, want %d", period, p.Phase, p.Count, c.phase[p.Phase])
			}
		}
		for _, h := range s.ByHealth {
			if h.Count != c.health[h.Health] {
				t.Errorf("%s: %s %d, want %d", period, h.Health, h.Count, c.health[h.Health])
			}
		}
	}

	// notReported: for 2025-H2 the two missing; by scope too.
	var scoped struct {
		StatusSummary statusSummaryNR
		LifeEvent     struct{ StatusSummary statusSummaryNR }
		Body          struct{ StatusSummary statusSummaryNR }
		Now           statusSummaryNR
		Active        struct{ TotalCount int }
	}
	e.must("", `{ statusSummary(period: "2025-H2") { notReported }
	  lifeEvent(key: "dodsfall-og-arv") { statusSummary(period: "2025-H2") { total notReported } }
	  body(key: "helsedirektoratet") { statusSummary(period: "2025-H2", filter: { health: [MINOR_DELAYS] }) { total notReported } }
	  now: statusSummary { notReported }
	  active: tiltak(filter: { phase: [ACTIVE] }) { totalCount } }`, nil, &scoped)
	if scoped.StatusSummary.NotReported != 2 {
		t.Errorf("not reported in 2025-H2: %d, want 2", scoped.StatusSummary.NotReported)
	}
	if s := scoped.LifeEvent.StatusSummary; s.Total != 2 || s.NotReported != 1 {
		t.Errorf("dodsfall-og-arv in 2025-H2: total %d, not reported %d; want 2 and 1", s.Total, s.NotReported)
	}
	if s := scoped.Body.StatusSummary; s.Total != 1 {
		t.Errorf("helsedirektoratet's yellow in 2025-H2: %d, want 1 (enklere-tilgang)", s.Total)
	}
	// Without a period: the current one (2026-H1) has no reports yet, so
	// every tiltak ACTIVE now owes one.
	if scoped.Now.NotReported != scoped.Active.TotalCount || scoped.Active.TotalCount != 8 {
		t.Errorf("not reported now: %d, ACTIVE tiltak %d; want 8 and 8", scoped.Now.NotReported, scoped.Active.TotalCount)
	}
}

func TestStatusHistoryNewestFirst(t *testing.T) {
	e := newFollowEnv(t)
	writeFollowHistory(e)
	var out struct {
		TiltakByKey struct {
			StatusHistory []struct {
				Period, Phase, Change string
				Health                *string
				Progress              int
				Summary               *string
				Body                  struct{ Key string }
			}
		}
	}
	e.must("", `{ tiltakByKey(key: "digitalt-dodsbo") { statusHistory { period phase health progress summary change body { key } } } }`, nil, &out)
	h := out.TiltakByKey.StatusHistory
	if len(h) != 2 || h[0].Period != "2025-H2" || h[0].Change != "IMPROVED" || h[0].Body.Key != "digdir" || h[0].Progress != 45 ||
		h[1].Period != "2025-H1" || h[1].Change != "NEW" || *h[1].Health != "MINOR_DELAYS" || *h[1].Summary != "Rapport 2025-H1" {
		t.Errorf("history %+v", h)
	}
}

type roundOut struct {
	ReportingRound struct {
		Period       struct{ Key, Start, End, Deadline string }
		Owed         int
		Reported     int
		Completeness *float64
		Missing      []missing
		Late         []missing
		Exemptions   []struct {
			Tiltak struct{ Key string }
			Body   struct{ Key string }
			Reason string
		}
	}
}

const roundQuery = `query($p: String!) { reportingRound(period: $p) { period { key start end deadline } owed reported completeness
  missing { tiltak { key } body { key } } late { tiltak { key } body { key } } exemptions { tiltak { key } body { key } reason } } }`

func TestReportingRoundThroughTheAPI(t *testing.T) {
	e := newFollowEnv(t)
	tokens := writeFollowHistory(e)
	var ex struct {
		ExemptFromReporting struct{ UserErrors []userError }
	}
	exempt := `mutation($in: ExemptFromReportingInput!) { exemptFromReporting(input: $in) { userErrors { field message code } } }`
	in := map[string]any{"in": map[string]any{"tiltakKey": "digital-gravferdsmelding", "period": "2025-H2", "reason": "Venter på ny forskrift"}}
	if errs := e.do(tokens["kmd"], exempt, in, &ex); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Errorf("a REPORTER exempting: %+v, want FORBIDDEN", errs)
	}
	e.must(tokens["editor"], exempt, in, &ex)
	if len(ex.ExemptFromReporting.UserErrors) > 0 {
		t.Fatal(ex.ExemptFromReporting.UserErrors)
	}

	var r roundOut
	e.must("", roundQuery, map[string]any{"p": "2025-H2"}, &r)
	rr := r.ReportingRound
	if rr.Period.Deadline != "2026-01-30" || rr.Period.Start != "2025-07-01" || rr.Owed != 8 || rr.Reported != 7 || rr.Completeness == nil || *rr.Completeness != 87.5 {
		t.Errorf("round %+v", rr)
	}
	eq(t, "missing", missingOf(rr.Missing), []string{"kmd:veileder-styring-digitalisering-sektorene"})
	eq(t, "late", missingOf(rr.Late), []string{"kmd:veileder-styring-digitalisering-sektorene"})
	if len(rr.Exemptions) != 1 || rr.Exemptions[0].Body.Key != "statsforvalteren-i-vestfold-og-telemark" || rr.Exemptions[0].Reason != "Venter på ny forskrift" {
		t.Errorf("exemptions %+v", rr.Exemptions)
	}

	// Removing the exemption makes the report owed again.
	var del struct{ RemoveReportingExemption struct{ DeletedKey *string } }
	e.must(tokens["editor"], `mutation { removeReportingExemption(tiltakKey: "digital-gravferdsmelding", period: "2025-H2") { deletedKey } }`, nil, &del)
	e.must("", roundQuery, map[string]any{"p": "2025-H2"}, &r)
	if r.ReportingRound.Owed != 9 || len(r.ReportingRound.Exemptions) != 0 {
		t.Errorf("after removal: owed %d, exemptions %d", r.ReportingRound.Owed, len(r.ReportingRound.Exemptions))
	}

	// Quarterly cadence: quarter periods, from the first reported period.
	set := `mutation($c: ReportingCadence!, $d: Int) { setReportingCadence(cadence: $c, deadlineDays: $d) { settings { cadence deadlineDays reminderDays } userErrors { field code } } }`
	if errs := e.do(tokens["digdir"], set, map[string]any{"c": "QUARTERLY"}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Errorf("a REPORTER setting the cadence: %+v, want FORBIDDEN", errs)
	}
	var bad struct {
		SetReportingCadence struct{ UserErrors []userError }
	}
	e.must(tokens["editor"], set, map[string]any{"c": "QUARTERLY", "d": 400}, &bad)
	if ue := bad.SetReportingCadence.UserErrors; len(ue) != 1 || ue[0].Code != "INVALID" || *ue[0].Field != "deadlineDays" {
		t.Errorf("400 deadline days: %+v", ue)
	}
	e.must(tokens["editor"], set, map[string]any{"c": "QUARTERLY", "d": 15}, nil)
	var ps struct {
		ReportingSettings struct{ Cadence string }
		ReportingPeriods  []struct{ Key, Deadline string }
	}
	e.must("", `{ reportingSettings { cadence } reportingPeriods { key deadline } }`, nil, &ps)
	var keys []string
	for _, p := range ps.ReportingPeriods {
		keys = append(keys, p.Key)
	}
	eq(t, "quarterly periods", keys, []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"})
	if ps.ReportingSettings.Cadence != "QUARTERLY" || ps.ReportingPeriods[3].Deadline != "2026-01-15" {
		t.Errorf("settings %+v, 2025-Q4 deadline %q", ps.ReportingSettings, ps.ReportingPeriods[3].Deadline)
	}
}

func TestReminderEventIsDeliverableType(t *testing.T) {
	e := newFollowEnv(t)
	tok := e.token("kmd", store.RoleReporter)
	var out struct {
		RegisterWebhook struct{ UserErrors []userError }
	}
	e.must(tok, `mutation { registerWebhook(input: { url: "https://example.org/hook", events: [REPORTING_REMINDER] }) { userErrors { field message code } } }`, nil, &out)
	if len(out.RegisterWebhook.UserErrors) > 0 {
		t.Errorf("subscribing to REPORTING_REMINDER: %+v", out.RegisterWebhook.UserErrors)
	}
}
