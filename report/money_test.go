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

// The printable report has a money section: the year's cost, the
// variances over the threshold with their narratives, and the tiltak whose
// operations are unfunded.
func TestReportMoneySection(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	b, f, narrative := int64(20_000_000), int64(23_000_000), "Nye krav fra arveloven"
	if _, err := db.SetCostYear(ctx, store.System, "digitalt-dodsbo", store.CostYearInput{Year: 2025, BaselineNok: &b, ForecastNok: &f, Narrative: &narrative}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(report.Handler(db, report.Options{}))
	t.Cleanup(srv.Close)
	res, body := get(t, srv, "/reports/2025-H2", "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	page := string(body)
	for _, want := range []string{"Økonomi og gevinster 2025", "Avvik over 5 %", "20\u00a0000\u00a0000", "15,0 %", narrative,
		"Livshendelsen Alvorlig sykt barn"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
