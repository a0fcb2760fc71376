package export_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"handlingsplan/export"
	"handlingsplan/store"
)

// TestOpenDataPeriods: each period's files show the plan as it stood at
// the period's end.
func TestOpenDataPeriods(t *testing.T) {
	f := newFixture(t, export.Options{})
	f.report(t, "digitalt-dodsbo", "2020-H2", store.PhaseActive, store.HealthMinorDelays, 30, "Forsinket av regelverksarbeid")
	f.report(t, "digitalt-dodsbo", "2021-Q2", store.PhaseActive, store.HealthOnTrack, 60, "Tilbake i rute")
	f.report(t, "datafabrikken", "2021-H1", store.PhaseDiscontinued, "", 100, "Avviklet")

	at := func(period string) map[string]map[string]string {
		_, rows := f.readCSV(t, "/open-data/"+period+"/tiltak.csv")
		m := map[string]map[string]string{}
		for _, r := range rows {
			if r["describesPeriod"] != period {
				t.Errorf("%s: describesPeriod %q", period, r["describesPeriod"])
			}
			m[r["key"]] = r
		}
		return m
	}
	h2 := at("2020-H2")
	if r := h2["digitalt-dodsbo"]; r["progress"] != "30" || r["health"] != "MINOR_DELAYS" || r["latestPeriod"] != "2020-H2" || r["asOfDate"] != "2020-12-31" {
		t.Errorf("2020-H2 digitalt-dodsbo: %v", r)
	}
	if r := h2["datafabrikken"]; r["phase"] != "" || r["latestPeriod"] != "" {
		t.Errorf("2020-H2 datafabrikken (first reported in 2021): phase %q latestPeriod %q, want none", r["phase"], r["latestPeriod"])
	}
	if r := h2["nyinorge-no"]; r["phase"] != "ACTIVE" {
		t.Errorf("never reported on: keeps the plan's phase, got %q", r["phase"])
	}
	// 2021-Q2 ends with 2021-H1 and comes before it.
	h1 := at("2021-H1")
	if r := h1["digitalt-dodsbo"]; r["progress"] != "60" || r["latestPeriod"] != "2021-Q2" {
		t.Errorf("2021-H1 digitalt-dodsbo: %v", r)
	}
	if r := at("2021-Q1")["digitalt-dodsbo"]; r["progress"] != "30" {
		t.Errorf("2021-Q1 digitalt-dodsbo: %v", r)
	}
	if r := h1["datafabrikken"]; r["phase"] != "DISCONTINUED" {
		t.Errorf("2021-H1 datafabrikken: %v", r)
	}

	res := f.get(t, "/open-data/2020-H2/status-reports.csv")
	if got := res.Header.Get(export.HeaderDescribesPeriod); got != "2020-H2" {
		t.Errorf("%s: %q", export.HeaderDescribesPeriod, got)
	}
	_, rows := f.readCSV(t, "/open-data/2020-H2/status-reports.csv")
	if len(rows) != 1 || rows[0]["tiltakKey"] != "digitalt-dodsbo" || rows[0]["period"] != "2020-H2" || rows[0]["periodEnd"] != "2020-12-31" {
		t.Errorf("2020-H2 status reports: %v", rows)
	}

	// Roll-ups count the tiltak as of the period.
	_, events := f.readCSV(t, "/open-data/2020-H2/life-events.csv?text=dodsfall")
	if len(events) != 1 || events[0]["minorDelays"] != "1" || events[0]["describesPeriod"] != "2020-H2" {
		t.Errorf("2020-H2 life event roll-up: %v", events)
	}
	_, now := f.readCSV(t, "/export/life-events.csv?text=dodsfall")
	if _, marked := now[0]["describesPeriod"]; marked || now[0]["minorDelays"] != "0" || now[0]["onTrack"] != "1" {
		t.Errorf("live life event roll-up: %v", now[0])
	}

	var js []map[string]any
	json.NewDecoder(f.get(t, "/open-data/2020-H2/focus-areas.json").Body).Decode(&js)
	if len(js) != 8 || js[0]["describesPeriod"] != "2020-H2" || js[0]["asOfDate"] != "2020-12-31" {
		t.Errorf("focus-areas.json as of 2020-H2: %d rows, first %v", len(js), js[0])
	}
}

func TestOpenDataIndexAndFormat(t *testing.T) {
	f := newFixture(t, export.Options{})
	var idx struct {
		Format  string
		Live    map[string]string
		Periods []struct {
			Period, AsOfDate string
			Ended            bool
			Files            map[string]string
		}
	}
	res := f.get(t, "/open-data/")
	if err := json.NewDecoder(res.Body).Decode(&idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Periods) == 0 || idx.Periods[0].Period != "2019-H2" {
		t.Fatalf("periods: %+v", idx.Periods)
	}
	last := idx.Periods[len(idx.Periods)-1]
	if last.Period != "2026-H2" || last.Ended || !idx.Periods[0].Ended {
		t.Errorf("the current period is last and not ended: %+v", last)
	}
	if idx.Live["tiltak.csv"] != "/export/tiltak.csv" || len(last.Files) != 18 { // nine files (six of the plan, three of the lifecycle), CSV and JSON
		t.Errorf("files: live %v, period %v", idx.Live, last.Files)
	}
	for _, url := range []string{idx.Periods[2].Files["status-reports.json"], idx.Periods[2].Files["bodies.csv"], idx.Format} {
		if res := f.get(t, url); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", url, res.StatusCode)
		}
	}
	res = f.get(t, "/open-data/FORMAT.md")
	body, _ := io.ReadAll(res.Body)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/markdown") || !strings.Contains(string(body), "describesPeriod") {
		t.Errorf("FORMAT.md: %s %.100s", res.Header.Get("Content-Type"), body)
	}
	// Conditional requests: the ETag saves the download.
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/export/tiltak.csv", nil)
	first, _ := http.DefaultClient.Do(req)
	first.Body.Close()
	req.Header.Set("If-None-Match", first.Header.Get("ETag"))
	again, _ := http.DefaultClient.Do(req)
	again.Body.Close()
	if first.Header.Get("ETag") == "" || again.StatusCode != http.StatusNotModified {
		t.Errorf("ETag %q, revalidation answered %d", first.Header.Get("ETag"), again.StatusCode)
	}
}
