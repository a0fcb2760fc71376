package graph_test

import (
	"slices"
	"strings"
	"testing"
)

const saveDelivery = `mutation($in: SaveDeliveryInput!) { saveDelivery(input: $in) { delivery { key version } userErrors { field message code } } }`

type saveDeliveryOut struct {
	SaveDelivery struct {
		Delivery   *struct{ Key string }
		UserErrors []userError
	}
}

// Deliveries are kept under their tiltak by its own body, moved by status
// reports, verified by the secretariat and found across the plan by due
// date, health, body and whether they are overdue.
func TestDeliveriesThroughAPI(t *testing.T) {
	e := newLifecycleEnv(t)
	var out saveDeliveryOut
	for _, d := range []map[string]any{
		{"tiltakKey": "datafabrikken", "key": "pilot", "title": "Pilot", "kind": "MILESTONE", "baselineDate": "2025-06-30"},
		{"tiltakKey": "datafabrikken", "key": "lansering", "title": "Lansering", "kind": "DELIVERABLE", "baselineDate": "2025-12-01"},
		{"tiltakKey": "datafabrikken", "key": "bruk", "title": "Andel virksomheter som deler", "kind": "TARGET", "baselineDate": "2026-06-30", "unit": "prosent", "baselineValue": 10, "targetValue": 60},
	} {
		e.must(e.digdir, saveDelivery, map[string]any{"in": d}, &out)
		if out.SaveDelivery.Delivery == nil {
			t.Fatalf("save %v: %+v", d["key"], out.SaveDelivery.UserErrors)
		}
	}
	e.must(e.digdir, saveDelivery, map[string]any{"in": map[string]any{"tiltakKey": "datafabrikken", "key": "mal", "title": "Mål", "kind": "TARGET"}}, &out)
	if ue := out.SaveDelivery.UserErrors; len(ue) != 1 || *ue[0].Field != "targetValue" {
		t.Fatalf("a TARGET without targetValue: %+v", ue)
	}
	if errs := e.do(e.nav, saveDelivery, map[string]any{"in": map[string]any{"tiltakKey": "datafabrikken", "key": "x", "title": "X", "kind": "MILESTONE"}}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("another body's delivery: %+v", errs)
	}
	// A status report moves the pilot: done in August.
	var rs struct {
		ReportStatus struct{ UserErrors []userError } `json:"reportStatus"`
	}
	in := map[string]any{"tiltakKey": "datafabrikken", "period": "2025-H2", "phase": "ACTIVE", "health": "MINOR_DELAYS", "progress": 50,
		"deliveries": []any{map[string]any{"deliveryKey": "nope"}}}
	e.must(e.digdir, reportStatusMutation, map[string]any{"in": in}, &rs)
	if ue := rs.ReportStatus.UserErrors; len(ue) != 1 || *ue[0].Field != "deliveries[0].deliveryKey" || !strings.Contains(ue[0].Message, "no delivery") {
		t.Fatalf("status on an unknown delivery: %+v", ue)
	}
	in["deliveries"] = []any{map[string]any{"deliveryKey": "pilot", "actualDate": "2025-08-01", "health": "ON_TRACK"},
		map[string]any{"deliveryKey": "lansering", "health": "MAJOR_DELAYS"}}
	in["obstacles"] = []any{map[string]any{"code": "SUPPLIER", "severity": "MEDIUM", "decisionForumKey": "kommit-radet"}}
	e.must(e.digdir, reportStatusMutation, map[string]any{"in": in}, &rs)
	if len(rs.ReportStatus.UserErrors) > 0 {
		t.Fatal(rs.ReportStatus.UserErrors)
	}
	var v struct {
		VerifyDelivery struct {
			Delivery struct{ VerifiedBy string }
		}
	}
	e.must(e.editor, `mutation { verifyDelivery(tiltakKey: "datafabrikken", key: "pilot", evidenceUrl: "https://data.norge.no") { delivery { verifiedBy } } }`, nil, &v)
	if v.VerifyDelivery.Delivery.VerifiedBy != "kmd-EDITOR" {
		t.Fatalf("verifiedBy = %q", v.VerifyDelivery.Delivery.VerifiedBy)
	}
	type d struct {
		Key      string
		SlipDays *int
		Overdue  bool
	}
	var got struct {
		Overdue, NotOverdue, Due2025, Red, Digdir, Nav []d
		StatusReport                                   struct {
			StatusReports struct {
				Nodes []struct {
					Deliveries []struct{ DeliveryKey string }
				}
			}
		} `json:"tiltakByKey"`
	}
	e.must("", `{ overdue: deliveries(filter: {overdue: true}) { key slipDays overdue }
		notOverdue: deliveries(filter: {overdue: false}) { key }
		due2025: deliveries(filter: {dueBetween: {from: "2025-01-01", to: "2025-12-31"}}) { key }
		red: deliveries(filter: {health: MAJOR_DELAYS}) { key }
		digdir: deliveries(filter: {body: "digdir"}) { key }
		nav: deliveries(filter: {body: "nav"}) { key }
		tiltakByKey(key: "datafabrikken") { statusReports { nodes { deliveries { deliveryKey } } } } }`, nil, &got)
	keys := func(ds []d) []string {
		var out []string
		for _, x := range ds {
			out = append(out, x.Key)
		}
		return out
	}
	for name, c := range map[string]struct{ got, want []string }{
		"overdue":     {keys(got.Overdue), []string{"lansering"}},
		"not overdue": {keys(got.NotOverdue), []string{"bruk", "pilot"}},
		"due in 2025": {keys(got.Due2025), []string{"lansering", "pilot"}},
		"red":         {keys(got.Red), []string{"lansering"}},
		"digdir":      {keys(got.Digdir), []string{"bruk", "lansering", "pilot"}},
		"nav":         {keys(got.Nav), nil},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %v, want %v", name, c.got, c.want)
		}
	}
	if n := got.StatusReport.StatusReports.Nodes; len(n) != 1 || len(n[0].Deliveries) != 2 {
		t.Errorf("the status report's deliveries: %+v", n)
	}
	// The follow-up report of the period: its obstacles and the deliveries
	// overdue at its end.
	var fr struct {
		FollowUpReport struct {
			ObstacleCounts []struct {
				Code  string
				Count int
			}
			OverdueDeliveries []struct{ Key string }
		}
	}
	e.must("", `{ followUpReport(period: "2025-H2") { obstacleCounts { code count } overdueDeliveries { key } } }`, nil, &fr)
	if oc, od := fr.FollowUpReport.ObstacleCounts, fr.FollowUpReport.OverdueDeliveries; len(oc) != 1 || oc[0].Code != "SUPPLIER" || oc[0].Count != 1 ||
		len(od) != 1 || od[0].Key != "lansering" {
		t.Errorf("follow-up report: %+v", fr.FollowUpReport)
	}
}

// Typed dependencies: an outside prerequisite at risk puts its tiltak in the
// at-risk filter, and a dependency on another tiltak carries that tiltak's
// delay in the impact query until it is met.
func TestTypedDependenciesThroughAPI(t *testing.T) {
	e := newLifecycleEnv(t)
	const save = `mutation($in: SaveDependencyInput!) { saveDependency(input: $in) { dependency { key to state reference toTiltak { key } owner { key } } userErrors { field message code } } }`
	var out struct {
		SaveDependency struct {
			Dependency *struct{ Key, To, State string }
			UserErrors []userError
		}
	}
	e.must(e.digdir, save, map[string]any{"in": map[string]any{"fromTiltakKey": "datafabrikken", "key": "hjemmel", "to": "LAW_CHANGE",
		"reference": "Hjemmel for viderebruk i forvaltningsloven", "state": "AT_RISK", "neededBy": "2026-01-01", "ownerKey": "kmd"}}, &out)
	if out.SaveDependency.Dependency == nil || out.SaveDependency.Dependency.State != "AT_RISK" {
		t.Fatalf("save: %+v", out.SaveDependency)
	}
	e.must(e.digdir, save, map[string]any{"in": map[string]any{"fromTiltakKey": "datafabrikken", "key": "x", "to": "FUNDING_DECISION"}}, &out)
	if ue := out.SaveDependency.UserErrors; len(ue) != 1 || *ue[0].Field != "reference" {
		t.Fatalf("an outside prerequisite without reference: %+v", ue)
	}
	if errs := e.do(e.nav, save, map[string]any{"in": map[string]any{"fromTiltakKey": "datafabrikken", "key": "y", "to": "TILTAK", "toTiltakKey": "publisere-ki-strategi"}}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("another body's dependency: %+v", errs)
	}
	// publisere-ki-strategi waits for datafabrikken.
	e.must(e.editor, save, map[string]any{"in": map[string]any{"fromTiltakKey": "publisere-ki-strategi", "key": "data", "to": "TILTAK", "toTiltakKey": "datafabrikken"}}, &out)
	if len(out.SaveDependency.UserErrors) > 0 {
		t.Fatal(out.SaveDependency.UserErrors)
	}
	type view struct {
		TiltakWithDependenciesAtRisk []struct{ Key string }
		TiltakByKey                  struct {
			Dependencies []struct{ Key string }
			DependedOnBy []struct{ FromTiltak struct{ Key string } }
			Impact       struct {
				Tiltak []struct{ Tiltak struct{ Key string } }
			}
		}
	}
	read := func() view {
		var v view
		e.must("", `{ tiltakWithDependenciesAtRisk { key } tiltakByKey(key: "datafabrikken") {
			dependencies { key } dependedOnBy { fromTiltak { key } } impact { tiltak { tiltak { key } } } } }`, nil, &v)
		return v
	}
	v := read()
	if len(v.TiltakWithDependenciesAtRisk) != 1 || v.TiltakWithDependenciesAtRisk[0].Key != "datafabrikken" ||
		len(v.TiltakByKey.Dependencies) != 1 || len(v.TiltakByKey.DependedOnBy) != 1 {
		t.Fatalf("dependencies: %+v", v)
	}
	impacted := func(v view) bool {
		return slices.ContainsFunc(v.TiltakByKey.Impact.Tiltak, func(i struct{ Tiltak struct{ Key string } }) bool {
			return i.Tiltak.Key == "publisere-ki-strategi"
		})
	}
	if !impacted(v) {
		t.Fatalf("impact does not follow the typed dependency: %+v", v.TiltakByKey.Impact)
	}
	e.must(e.editor, save, map[string]any{"in": map[string]any{"fromTiltakKey": "publisere-ki-strategi", "key": "data", "to": "TILTAK", "toTiltakKey": "datafabrikken", "state": "MET"}}, &out)
	if impacted(read()) {
		t.Fatal("a met dependency still carries the delay")
	}
}
