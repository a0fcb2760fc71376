package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/report"
	"handlingsplan/store"
)

var now = time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)

// newDB holds the default data and two periods of reports: Digitalt
// dødsbo red in 2025-H2 (worse than 2025-H1), Dødsfall og arv yellow, and
// no report on Digital gravferdsmelding.
func newDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.ImportPlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	green, yellow, red := store.HealthOnTrack, store.HealthMinorDelays, store.HealthMajorDelays
	for _, r := range []store.StatusReport{
		{TiltakKey: "digitalt-dodsbo", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 40},
		{TiltakKey: "digitalt-dodsbo", Period: "2025-H2", BodyKey: "digdir", Phase: store.PhaseActive, Health: &red, Progress: 45,
			Summary: "Løsningen for skifte er forsinket", Risks: "Avhengig av endring i arveloven; «særlig» risiko"},
		{TiltakKey: "livshendelse-dodsfall-og-arv", Period: "2025-H2", BodyKey: "digdir", Phase: store.PhaseActive, Health: &yellow, Progress: 70},
		{TiltakKey: "livshendelse-alvorlig-sykt-barn", Period: "2025-H1", BodyKey: "helsedirektoratet", Phase: store.PhaseActive, Health: &green, Progress: 90},
		{TiltakKey: "livshendelse-alvorlig-sykt-barn", Period: "2025-H2", BodyKey: "helsedirektoratet", Phase: store.PhaseCompleted, Progress: 100},
	} {
		if _, err := db.ReportStatus(ctx, store.System, r); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func get(t *testing.T, srv *httptest.Server, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func TestHTMLReportIsPrintableAndShowsTheRisks(t *testing.T) {
	srv := httptest.NewServer(report.Handler(newDB(t), report.Options{}))
	defer srv.Close()
	res, body := get(t, srv, "/reports/2025-H2", "")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	page := string(body)
	for _, want := range []string{
		"Oppfølgingsrapport 2025-H2",
		"Digitalt dødsbo", "Løsningen for skifte er forsinket", "Avhengig av endring i arveloven; «særlig» risiko",
		"Programmet Dødsfall og arv (2020–2025)",
		"Statsforvalteren i Vestfold og Telemark", "Digital gravferdsmelding (DGM)",
		`<link rel="stylesheet" href="report.css">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Exceptions first: the red before the yellow, both before the lists of changes.
	red, yellow, changes := strings.Index(page, "Digitalt dødsbo"), strings.Index(page, "Programmet Dødsfall og arv"), strings.Index(page, "Endringer siden")
	if !(red < yellow && yellow < changes) {
		t.Errorf("order: red at %d, yellow at %d, changes at %d", red, yellow, changes)
	}
	if regexp.MustCompile(`(?i)<script|\sstyle=|<style|https?://`).MatchString(page) {
		t.Error("the page has a script, inline style or external URL")
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "style-src 'self'", "script-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}

	res, css := get(t, srv, "/reports/report.css", "")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !bytes.Contains(css, []byte("@media print")) {
		t.Errorf("stylesheet: %d %q, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(css))
	}
	if res, _ := get(t, srv, "/reports/2025-H3", ""); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad period: %d, want 400", res.StatusCode)
	}
	if res, _ := get(t, srv, "/reports/2025-H2?governanceLevel=7", ""); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad level: %d, want 400", res.StatusCode)
	}
}

func TestCSVReportParsesBackWithNorwegianLetters(t *testing.T) {
	srv := httptest.NewServer(report.Handler(newDB(t), report.Options{}))
	defer srv.Close()
	res, body := get(t, srv, "/reports/2025-H2.csv", "")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 byte-order mark: % x", body[:3])
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], "|"); !strings.HasPrefix(got, "Seksjon|Tiltak|Tittel|Ansvarlig") {
		t.Errorf("header %q", got)
	}
	bySection := map[string][]string{}
	var dodsbo []string
	for _, row := range rows[1:] {
		bySection[row[0]] = append(bySection[row[0]], row[1])
		if row[1] == "digitalt-dodsbo" {
			dodsbo = row
		}
	}
	want := map[string][]string{
		"Betydelige forsinkelser": {"digitalt-dodsbo"},
		"Mindre forsinkelser":     {"livshendelse-dodsfall-og-arv"},
		// ACTIVE now, no report: every one owes a report for 2025-H2 (by body).
		"Ikke rapportert": {"videreutvikling-frivillighetsregisteret", "enklere-tilgang-til-informasjon", "nyinorge-no", "veileder-styring-digitalisering-sektorene", "digital-gravferdsmelding"},
		"Ferdigstilt":     {"livshendelse-alvorlig-sykt-barn"},
	}
	for section, keys := range want {
		if strings.Join(bySection[section], ",") != strings.Join(keys, ",") {
			t.Errorf("section %s: %q, want %q", section, bySection[section], keys)
		}
	}
	if len(rows) != 1+8 {
		t.Errorf("%d rows, want a header and 8 tiltak", len(rows))
	}
	if dodsbo == nil || dodsbo[2] != "Digitalt dødsbo" || dodsbo[6] != "Betydelige forsinkelser" || dodsbo[8] != "Forverret" ||
		dodsbo[14] != "Avhengig av endring i arveloven; «særlig» risiko" || dodsbo[12] != "Dødsfall og arv" {
		t.Errorf("digitalt-dodsbo row %q", dodsbo)
	}
}

func TestPrivateReportNeedsAToken(t *testing.T) {
	db := newDB(t)
	srv := httptest.NewServer(report.Handler(db, report.Options{Private: true}))
	defer srv.Close()
	secret, _, err := db.CreateToken(context.Background(), store.System, "digdir", store.RoleReader, "leser")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		token string
		want  int
	}{{"", http.StatusUnauthorized}, {"hp_feil", http.StatusUnauthorized}, {secret, http.StatusOK}} {
		if res, _ := get(t, srv, "/reports/2025-H2.csv", c.token); res.StatusCode != c.want {
			t.Errorf("token %q: %d, want %d", c.token, res.StatusCode, c.want)
		}
	}
}
