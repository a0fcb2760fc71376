package export_test

import (
	"context"
	"net/http"
	"testing"

	"handlingsplan/export"
	"handlingsplan/store"
)

// The deliveries, assessments and obstacles files hold what the API holds:
// the obstacles file, less returned reports, counts as obstacleCounts does.
func TestLifecycleFiles(t *testing.T) {
	f := newFixture(t, export.Options{})
	ctx := context.Background()
	db := f.db
	if _, err := db.SaveDelivery(ctx, store.System, "datafabrikken", "pilot", store.Expect{}, func(d *store.TiltakDelivery) error {
		d.Title, d.Kind, d.BaselineDate, d.ForecastDate = "Pilot", store.DeliveryMilestone, "2025-06-30", "2025-09-30"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	red, yellow := store.HealthMajorDelays, store.HealthMinorDelays
	for _, r := range []store.StatusReport{
		{TiltakKey: "datafabrikken", Period: "2025-H2", BodyKey: "digdir", Phase: store.PhaseActive, Health: &yellow, Progress: 40,
			Obstacles: []store.Obstacle{{Code: store.ObstacleCapacity, Severity: store.SeverityHigh, Text: "For få, «særlig» nå"}, {Code: store.ObstacleSupplier, Severity: store.SeverityLow}}},
		{TiltakKey: "publisere-ki-strategi", Period: "2025-H2", BodyKey: "kmd", Phase: store.PhaseActive, Health: &red, Progress: 10,
			Obstacles: []store.Obstacle{{Code: store.ObstacleCapacity, Severity: store.SeverityMedium, DecisionBodyKey: "fin"}}},
		{TiltakKey: "drifte-verktoykasse-deling-av-data", Period: "2025-H2", BodyKey: "digdir", Phase: store.PhaseActive, Health: &red, Progress: 10,
			Obstacles: []store.Obstacle{{Code: store.ObstaclePriority, Severity: store.SeverityHigh}}},
	} {
		if _, err := db.ReportStatus(ctx, store.System, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ReturnReport(ctx, store.System, "drifte-verktoykasse-deling-av-data/STATUS/2025-H2/digdir", "Uklart"); err != nil {
		t.Fatal(err)
	}
	for _, a := range []store.Assessment{
		{TiltakKey: "datafabrikken", Period: "2025-H2", Role: store.RoleSecretariat, AssessorKey: "digdir", Health: store.HealthMajorDelays, Rationale: "Svak framdrift"},
	} {
		if _, err := db.Assess(ctx, store.System, a); err != nil {
			t.Fatal(err)
		}
	}

	_, rows := f.readCSV(t, "/export/obstacles.csv")
	fromFile := map[string]int{}
	for _, r := range rows {
		if r["reportState"] != "RETURNED" {
			fromFile[r["code"]]++
		}
	}
	if len(rows) != 4 || rows[0]["tiltakKey"] != "datafabrikken" || rows[0]["labelNb"] != "Kapasitet" || rows[0]["text"] != "For få, «særlig» nå" {
		t.Fatalf("obstacles.csv: %v", rows)
	}
	var api struct {
		ObstacleCounts []struct {
			Code  string
			Count int
		}
	}
	f.query(t, `{ obstacleCounts(groupBy: CODE, period: "2025-H2") { code count } }`, &api)
	fromAPI := map[string]int{}
	for _, c := range api.ObstacleCounts {
		fromAPI[c.Code] = c.Count
	}
	if len(fromAPI) != len(fromFile) || fromAPI["CAPACITY"] != 2 || fromFile["CAPACITY"] != 2 || fromAPI["SUPPLIER"] != fromFile["SUPPLIER"] {
		t.Fatalf("obstacles.csv counts %v, obstacleCounts %v", fromFile, fromAPI)
	}
	if _, rows := f.readCSV(t, "/export/obstacles.csv?code=capacity&bodyKey=kmd"); len(rows) != 1 || rows[0]["decisionBodyKey"] != "fin" {
		t.Fatalf("filtered obstacles: %v", rows)
	}

	_, rows = f.readCSV(t, "/export/deliveries.csv")
	if len(rows) != 1 || rows[0]["deliveryKey"] != "pilot" || rows[0]["slipDays"] != "92" || rows[0]["dueDate"] != "2025-09-30" || rows[0]["responsibleKey"] != "digdir" {
		t.Fatalf("deliveries.csv: %v", rows)
	}
	_, rows = f.readCSV(t, "/export/assessments.csv?role=SECRETARIAT")
	if len(rows) != 1 || rows[0]["selfHealth"] != "MINOR_DELAYS" || rows[0]["secretariatHealth"] != "MAJOR_DELAYS" || rows[0]["ratingGap"] != "1" {
		t.Fatalf("assessments.csv: %v", rows)
	}
	if _, rows := f.readCSV(t, "/open-data/2025-H1/assessments.csv"); len(rows) != 0 {
		t.Fatalf("2025-H1 has no ratings: %v", rows)
	}
	if res := f.get(t, "/export/obstacles.csv?code=BORED"); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad code: %d", res.StatusCode)
	}
}
