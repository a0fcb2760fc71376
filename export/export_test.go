package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/export"
	"handlingsplan/graph"
	"handlingsplan/store"
)

var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

type fixture struct {
	db  *store.DB
	srv *httptest.Server // the exports
	gql *httptest.Server // the GraphQL API over the same store
}

func newFixture(t *testing.T, opts export.Options) *fixture {
	t.Helper()
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db,
		srv: httptest.NewServer(export.Handler(db, opts)),
		gql: httptest.NewServer(graph.NewHandler(db, graph.Options{}))}
	t.Cleanup(f.srv.Close)
	t.Cleanup(f.gql.Close)
	return f
}

func (f *fixture) report(t *testing.T, tiltak, period string, phase store.Phase, health store.Health, progress int, summary string) {
	t.Helper()
	r := store.StatusReport{TiltakKey: tiltak, Period: period, BodyKey: "digdir", Phase: phase, Progress: progress, Summary: summary}
	if health != "" {
		r.Health = &health
	}
	if _, err := f.db.ReportStatus(context.Background(), store.System, r); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) get(t *testing.T, path string) *http.Response {
	t.Helper()
	res, err := http.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// readCSV fetches a CSV export and parses it as a spreadsheet would: the
// byte-order mark must be there, and is stripped first.
func (f *fixture) readCSV(t *testing.T, path string) (header []string, rows []map[string]string) {
	t.Helper()
	res := f.get(t, path)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv; charset=utf-8") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	rest, ok := bytes.CutPrefix(body, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("GET %s: no UTF-8 byte-order mark; starts %q", path, body[:min(len(body), 10)])
	}
	r := csv.NewReader(bytes.NewReader(rest))
	if strings.Contains(path, "delimiter=semicolon") {
		r.Comma = ';'
	}
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, name := range recs[0] {
			m[name] = rec[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

func (f *fixture) query(t *testing.T, q string, out any) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"query": q})
	res, err := http.Post(f.gql.URL, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var resp struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.NewDecoder(res.Body).Decode(&resp); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("query: %v %v", err, resp.Errors)
	}
	if err := json.Unmarshal(resp.Data, out); err != nil {
		t.Fatal(err)
	}
}

func keys(rows []map[string]string, col string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r[col]
	}
	return out
}

// TestTiltakCSVMatchesAPI parses the CSV back and compares every tiltak
// with what the GraphQL API says, Norwegian letters included.
func TestTiltakCSVMatchesAPI(t *testing.T) {
	f := newFixture(t, export.Options{})
	f.report(t, "digitalt-dodsbo", "2026-H1", store.PhaseActive, store.HealthMinorDelays, 55, "Førsteutkast til skjema for dødsbo er på høring")
	header, rows := f.readCSV(t, "/export/tiltak.csv")
	if header[0] != "key" || header[1] != "title" || !slices.Contains(header, "responsibleName") {
		t.Errorf("header %v", header)
	}
	var api struct {
		Tiltak struct {
			Nodes []struct {
				Key, Title    string
				Phase, Health *string
				Progress      *int
				Responsible   struct{ Key, Name string }
				LifeEvents    []struct{ Name string }
				Initiatives   []struct{ Title string }
				LatestStatus  *struct{ Period, Summary string }
			}
		}
	}
	f.query(t, `{ tiltak(first: 100) { nodes { key title phase health progress responsible { key name }
		lifeEvents { name } initiatives { title } latestStatus { period summary } } } }`, &api)
	if len(rows) != len(api.Tiltak.Nodes) || len(rows) != 24 {
		t.Fatalf("%d rows, the API has %d tiltak", len(rows), len(api.Tiltak.Nodes))
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for i, n := range api.Tiltak.Nodes {
		r := rows[i]
		var lifeEvents, initiatives []string
		for _, e := range n.LifeEvents {
			lifeEvents = append(lifeEvents, e.Name)
		}
		for _, in := range n.Initiatives {
			initiatives = append(initiatives, in.Title)
		}
		progress := ""
		if n.Progress != nil {
			progress = strconv.Itoa(*n.Progress)
		}
		latest, summary := "", ""
		if n.LatestStatus != nil {
			latest, summary = n.LatestStatus.Period, n.LatestStatus.Summary
		}
		want := map[string]string{
			"key": n.Key, "title": n.Title, "phase": str(n.Phase), "health": str(n.Health), "progress": progress,
			"responsibleKey": n.Responsible.Key, "responsibleName": n.Responsible.Name,
			"lifeEventNames": strings.Join(lifeEvents, ";"), "initiativeTitles": strings.Join(initiatives, ";"),
			"latestPeriod": latest, "latestSummary": summary,
		}
		for col, w := range want {
			if r[col] != w {
				t.Errorf("%s: %s = %q, the API says %q", n.Key, col, r[col], w)
			}
		}
	}
	// Norwegian letters survive the round trip.
	i := slices.Index(keys(rows, "key"), "digitalt-dodsbo")
	if got := rows[i]["lifeEventNames"]; got != "Dødsfall og arv" {
		t.Errorf("lifeEventNames = %q, want «Dødsfall og arv»", got)
	}
	if got := rows[i]["latestSummary"]; got != "Førsteutkast til skjema for dødsbo er på høring" {
		t.Errorf("latestSummary = %q", got)
	}
}

// TestJSONMatchesCSV: the JSON export has the CSV's columns, in order, and
// typed values.
func TestJSONMatchesCSV(t *testing.T) {
	f := newFixture(t, export.Options{})
	for _, file := range []string{"tiltak", "status-reports", "bodies", "initiatives", "life-events", "focus-areas"} {
		header, rows := f.readCSV(t, "/export/"+file+".csv")
		res := f.get(t, "/export/"+file+".json")
		body, _ := io.ReadAll(res.Body)
		var objs []json.RawMessage
		if err := json.Unmarshal(body, &objs); err != nil {
			t.Fatalf("%s.json: %v", file, err)
		}
		if len(objs) != len(rows) {
			t.Errorf("%s: %d JSON objects, %d CSV rows", file, len(objs), len(rows))
			continue
		}
		if len(objs) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(objs[0]))
		var order []string
		dec.Token()
		for dec.More() {
			tok, _ := dec.Token()
			order = append(order, tok.(string))
			var skip json.RawMessage
			dec.Decode(&skip)
		}
		if !slices.Equal(order, header) {
			t.Errorf("%s: JSON keys %v, CSV header %v", file, order, header)
		}
	}
	var tiltak []map[string]any
	res := f.get(t, "/export/tiltak.json")
	json.NewDecoder(res.Body).Decode(&tiltak)
	if _, ok := tiltak[0]["lifeEventKeys"].([]any); !ok {
		t.Errorf("lifeEventKeys is %T, want an array", tiltak[0]["lifeEventKeys"])
	}
	if _, ok := tiltak[0]["governanceLevel"].(float64); !ok {
		t.Errorf("governanceLevel is %T, want a number", tiltak[0]["governanceLevel"])
	}
}

func TestPrivate(t *testing.T) {
	f := newFixture(t, export.Options{Private: true})
	if res := f.get(t, "/export/tiltak.csv"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("private, no token: %d", res.StatusCode)
	}
	secret, _, err := f.db.CreateToken(context.Background(), store.System, "digdir", store.RoleReader, "t")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/export/tiltak.csv", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("private, READER token: %d", res.StatusCode)
	}
}

// TestRollupsMatchAPI compares the live roll-ups with the API's
// statusSummary of every life event and focus area.
func TestRollupsMatchAPI(t *testing.T) {
	f := newFixture(t, export.Options{})
	f.report(t, "digitalt-dodsbo", "2026-H1", store.PhaseActive, store.HealthMajorDelays, 20, "")
	f.report(t, "nyinorge-no", "2026-H1", store.PhaseActive, store.HealthOnTrack, 70, "")
	type summary struct {
		Total, UnknownPhase, UnratedActive int
		AverageProgress                    *float64
		ByPhase                            []struct {
			Phase string
			Count int
		}
		ByHealth []struct {
			Health string
			Count  int
		}
	}
	var api struct {
		LifeEvents, FocusAreas struct {
			Nodes []struct {
				Key           string
				StatusSummary summary
			}
		}
	}
	const sel = `nodes { key statusSummary { total unknownPhase unratedActive averageProgress byPhase { phase count } byHealth { health count } } }`
	f.query(t, `{ lifeEvents(first: 100) { `+sel+` } focusAreas(first: 100) { `+sel+` } }`, &api)
	cols := map[string]string{"PLANNED": "planned", "ACTIVE": "active", "PAUSED": "paused", "COMPLETED": "completed",
		"IN_OPERATION": "inOperation", "DISCONTINUED": "discontinued", "ON_TRACK": "onTrack", "MINOR_DELAYS": "minorDelays", "MAJOR_DELAYS": "majorDelays"}
	for file, nodes := range map[string][]struct {
		Key           string
		StatusSummary summary
	}{"life-events": api.LifeEvents.Nodes, "focus-areas": api.FocusAreas.Nodes} {
		_, rows := f.readCSV(t, "/export/"+file+".csv")
		for i, n := range nodes {
			s, r := n.StatusSummary, rows[i]
			want := map[string]string{"key": n.Key, "tiltakCount": strconv.Itoa(s.Total),
				"unknownPhase": strconv.Itoa(s.UnknownPhase), "unratedActive": strconv.Itoa(s.UnratedActive), "averageProgress": ""}
			if s.AverageProgress != nil {
				want["averageProgress"] = strconv.FormatFloat(float64(int(*s.AverageProgress*10+0.5))/10, 'f', -1, 64)
			}
			for _, p := range s.ByPhase {
				want[cols[p.Phase]] = strconv.Itoa(p.Count)
			}
			for _, h := range s.ByHealth {
				want[cols[h.Health]] = strconv.Itoa(h.Count)
			}
			for col, w := range want {
				if r[col] != w {
					t.Errorf("%s %s: %s = %q, the API says %q", file, n.Key, col, r[col], w)
				}
			}
		}
	}
}
