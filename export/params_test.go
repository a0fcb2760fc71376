package export_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"handlingsplan/export"
	"handlingsplan/store"
)

// Query parameters: the filters, and 400 naming the parameter.

// TestFilters checks each file's filters against the default data.
func TestFilters(t *testing.T) {
	f := newFixture(t, export.Options{})
	f.report(t, "digitalt-dodsbo", "2026-H1", store.PhaseActive, store.HealthMajorDelays, 20, "")
	f.report(t, "datafabrikken", "2026-H1", store.PhaseDiscontinued, "", 100, "")
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/export/tiltak.csv?health=MINOR_DELAYS&health=MAJOR_DELAYS", []string{"digitalt-dodsbo", "videreutvikling-frivillighetsregisteret"}},
		{"/export/tiltak.csv?health=major_delays", []string{"digitalt-dodsbo"}},
		{"/export/tiltak.csv?phase=PLANNED,PAUSED", []string{"strategi-for-digital-kompetanse"}},
		{"/export/tiltak.csv?lifeEventKey=dodsfall-og-arv&responsibleKey=digdir", []string{"digitalt-dodsbo", "livshendelse-dodsfall-og-arv", "veileder-sammenhengende-tjenester"}},
		{"/export/tiltak.csv?focusAreaKey=deling-av-data&phase=DISCONTINUED", []string{"datafabrikken"}},
		{"/export/tiltak.csv?text=dodsbo", []string{"digitalt-dodsbo"}},
		{"/export/tiltak.csv?bodyKey=imdi&governanceLevel=3", []string{"livshendelse-ny-i-norge", "nyinorge-no"}},
		{"/export/status-reports.csv?bodyKey=digdir", []string{"datafabrikken", "digitalt-dodsbo"}},
		{"/export/status-reports.csv?tiltakKey=datafabrikken&period=2026-H1", []string{"datafabrikken"}},
		{"/export/status-reports.csv?period=2025-H2", nil},
		{"/export/life-events.csv?audience=BUSINESS", []string{"starte-og-drive-en-bedrift"}},
		{"/export/focus-areas.csv?text=sikkerhet", []string{"digital-sikkerhet"}},
		{"/export/initiatives.csv?focusAreaKey=digital-kompetanse", []string{"strategi-digital-kompetanse"}},
		{"/export/bodies.csv?kind=MINISTRY&text=kommunal", []string{"kmd"}},
	} {
		_, rows := f.readCSV(t, tc.path)
		col := "key"
		if strings.Contains(tc.path, "status-reports") {
			col = "tiltakKey"
		}
		got := keys(rows, col)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.path, got, tc.want)
		}
	}
}

func TestBadParameters(t *testing.T) {
	f := newFixture(t, export.Options{})
	for _, tc := range []struct{ path, param string }{
		{"/export/tiltak.csv?phase=DONE", "phase"},
		{"/export/tiltak.json?health=GREEN", "health"},
		{"/export/tiltak.csv?governanceLevel=7", "governanceLevel"},
		{"/export/tiltak.csv?lifeEventKey=finnes-ikke", "lifeEventKey"},
		{"/export/tiltak.csv?responsibleKey=ingen", "responsibleKey"},
		{"/export/tiltak.csv?colour=red", "colour"},
		{"/export/tiltak.csv?text=", "text"},
		{"/export/status-reports.csv?period=2020-H3", "period"},
		{"/export/status-reports.csv?tiltakKey=a&tiltakKey=b", "tiltakKey"},
		{"/export/bodies.csv?countyNumber=3", "countyNumber"},
		{"/export/life-events.csv?audience=ALL", "audience"},
		{"/export/tiltak.csv?delimiter=tab", "delimiter"},
		{"/open-data/2020-H2/status-reports.csv?period=2020-H1", "period"},
	} {
		res := f.get(t, tc.path)
		var body struct {
			Errors []struct {
				Message    string
				Extensions struct{ Code, Parameter string }
			}
		}
		json.NewDecoder(res.Body).Decode(&body)
		if res.StatusCode != http.StatusBadRequest || len(body.Errors) != 1 ||
			body.Errors[0].Extensions.Parameter != tc.param || !strings.Contains(body.Errors[0].Message, tc.param) {
			t.Errorf("%s: %d %+v, want 400 naming %s", tc.path, res.StatusCode, body.Errors, tc.param)
		}
	}
	for _, path := range []string{"/export/tiltak.xlsx", "/export/plan.csv", "/open-data/2020-H7/tiltak.csv", "/open-data/2027-H1/tiltak.csv", "/open-data/x"} {
		if res := f.get(t, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.StatusCode)
		}
	}
}

func TestSemicolonsAndFormulas(t *testing.T) {
	f := newFixture(t, export.Options{})
	f.report(t, "digitalt-dodsbo", "2026-H1", store.PhaseActive, store.HealthOnTrack, 50, "=HYPERLINK(\"http://x\")")
	_, rows := f.readCSV(t, "/export/status-reports.csv?delimiter=semicolon")
	if len(rows) != 1 || rows[0]["summary"] != `'=HYPERLINK("http://x")` || rows[0]["bodyName"] == "" {
		t.Errorf("rows %v", rows)
	}
	var js []map[string]any
	json.NewDecoder(f.get(t, "/export/status-reports.json").Body).Decode(&js)
	if js[0]["summary"] != `=HYPERLINK("http://x")` {
		t.Errorf("JSON summary %v: JSON keeps text as written", js[0]["summary"])
	}
}
