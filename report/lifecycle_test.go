package report_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"handlingsplan/report"
	"handlingsplan/store"
)

// The printed report shows where the body's own rating and the
// secretariat's differ, the period's coded obstacles and the deliveries
// overdue at the period's end.
func TestHTMLReportShowsRatingsObstaclesAndDeliveries(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	if _, err := db.SaveDelivery(ctx, store.System, "digitalt-dodsbo", "skifte", store.Expect{}, func(d *store.TiltakDelivery) error {
		d.Title, d.Kind, d.BaselineDate = "Skifteløsning i produksjon", store.DeliveryMilestone, "2025-10-01"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	red := store.HealthMajorDelays
	if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "livshendelse-dodsfall-og-arv", Period: "2025-H2", BodyKey: "digdir",
		Phase: store.PhaseActive, Health: &red, Progress: 70, Obstacles: []store.Obstacle{
			{Code: store.ObstacleDataSharingLegal, Severity: store.SeverityHigh, Text: "Mangler hjemmel"},
			{Code: store.ObstacleCapacity, Severity: store.SeverityLow}}}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []store.Assessment{
		{TiltakKey: "digitalt-dodsbo", Period: "2025-H2", Role: store.RoleSelf, AssessorKey: "digdir", Health: store.HealthOnTrack},
		{TiltakKey: "digitalt-dodsbo", Period: "2025-H2", Role: store.RoleSecretariat, AssessorKey: "digdir", Health: store.HealthMajorDelays, Rationale: "Arveloven er ikke endret"},
	} {
		if _, err := db.Assess(ctx, store.System, a); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(report.Handler(db, report.Options{}))
	defer srv.Close()
	res, body := get(t, srv, "/reports/2025-H2", "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	page := string(body)
	section := page[strings.Index(page, "Vurderinger som spriker"):]
	for _, want := range []string{"Digitalt dødsbo", "Arveloven er ikke endret", "Hjemmel for deling av data", "Kapasitet", "Skifteløsning i produksjon", "2025-10-01"} {
		if !strings.Contains(section, want) {
			t.Errorf("the lifecycle section lacks %q", want)
		}
	}
}
