package export_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"handlingsplan/export"
	"handlingsplan/store"
)

// The money files: costs, funding and the roll-up as CSV with their
// filters, equal to the API's figures; not offered per period.
func TestMoneyFiles(t *testing.T) {
	f := newFixture(t, export.Options{})
	ctx := context.Background()
	n := func(v int64) *int64 { return &v }
	for _, c := range []struct {
		tk   string
		year int
		b, f int64
	}{{"digitalt-dodsbo", 2024, 3_000_000_000, 3_000_000_000}, {"digitalt-dodsbo", 2025, 10_000_000, 10_400_000}, {"nyinorge-no", 2025, 5_000_000, 5_000_000}} {
		if _, err := f.db.SetCostYear(ctx, store.System, c.tk, store.CostYearInput{Year: c.year, BaselineNok: n(c.b), ForecastNok: n(c.f)}); err != nil {
			t.Fatal(err)
		}
	}
	_, rows := f.readCSV(t, "/export/costs.csv?year=2025&bodyKey=digdir")
	if len(rows) != 1 || rows[0]["tiltakKey"] != "digitalt-dodsbo" || rows[0]["forecastNok"] != "10400000" || rows[0]["variancePercent"] != "4" {
		t.Fatalf("costs.csv for digdir, 2025 = %v", rows)
	}
	_, rows = f.readCSV(t, "/export/costs.csv?tiltakKey=digitalt-dodsbo")
	if len(rows) != 2 || rows[0]["baselineNok"] != "3000000000" {
		t.Fatalf("costs.csv for digitalt-dodsbo = %v (amounts are whole 64-bit kroner)", rows)
	}
	_, rows = f.readCSV(t, "/export/funding.csv?tiltakKey=enklere-tilgang-til-informasjon")
	if len(rows) != 1 || rows[0]["source"] != "CO_FUNDING" || rows[0]["amountNok"] != "57383633" || rows[0]["year"] != "" || rows[0]["confidence"] != "VERIFIED_IN_SOURCE" {
		t.Fatalf("funding.csv = %v", rows)
	}
	var api struct {
		MoneyRollup []struct {
			Key     string
			Summary struct{ BaselineNok, ForecastNok, ConfirmedFundingNok int64 }
		}
	}
	f.query(t, `{ moneyRollup(by: LIFE_EVENT) { key summary { baselineNok forecastNok confirmedFundingNok } } }`, &api)
	_, rows = f.readCSV(t, "/export/money-rollup.csv?by=life_event")
	if len(rows) != len(api.MoneyRollup) {
		t.Fatalf("money-rollup.csv has %d rows, the API %d", len(rows), len(api.MoneyRollup))
	}
	for i, r := range rows {
		a := api.MoneyRollup[i]
		if r["key"] != a.Key || r["scope"] != "LIFE_EVENT" || r["baselineNok"] != itoa(a.Summary.BaselineNok) || r["confirmedFundingNok"] != itoa(a.Summary.ConfirmedFundingNok) {
			t.Fatalf("row %d = %v, API %+v", i, r, a)
		}
	}
	if res := f.get(t, "/export/costs.csv?year=1999"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("year=1999: %d, want 400", res.StatusCode)
	}
	if res := f.get(t, "/open-data/2025-H2/costs.csv"); res.StatusCode != http.StatusNotFound {
		t.Errorf("money per period: %d, want 404", res.StatusCode)
	}
	_, rows = f.readCSV(t, "/export/goals.csv")
	if len(rows) != 6 || rows[0]["key"] != "hovedmal-1" {
		t.Fatalf("goals.csv = %v", rows)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
