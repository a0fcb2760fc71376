package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"handlingsplan/defaultdata"
	"handlingsplan/graph"
	"handlingsplan/server"
	"handlingsplan/store"
)

// When the disk fails (full, read-only), a mutation gets a GraphQL error
// STORAGE_UNAVAILABLE that names the cause, reads go on, /readyz says not
// ready, and once the disk is back writes work again without a restart.
//
// The fault is injected where the store meets the disk
// ([store.WriteFaults]): CI runs as root, which file permissions do not
// stop, and a full disk cannot be arranged there.
func TestDiskFaultRefusesWritesKeepsReadsAndRecovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	faults := &store.WriteFaults{}
	db, err := store.Open(store.Options{Dir: t.TempDir(), Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportPlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	secret, _, err := db.CreateToken(ctx, store.System, "digdir", store.RoleEditor, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Ready: db.CheckWritable}, nil, graph.NewHandler(db, graph.Options{})))
	t.Cleanup(srv.Close)
	tiltakKey := plan.Tiltak[0].Key

	post := func(query string, vars map[string]any) httpResult {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		return send(t, req)
	}
	report := func(summary string) httpResult {
		return post(`mutation($in: ReportStatusInput!) { reportStatus(input: $in) { report { summary } userErrors { code message } } }`,
			map[string]any{"in": map[string]any{"tiltakKey": tiltakKey, "period": "2025-H2", "phase": "ACTIVE",
				"health": "ON_TRACK", "progress": 40, "summary": summary}})
	}
	readSummary := func() string {
		t.Helper()
		r := post(`query($k: String!) { tiltakByKey(key: $k) { title statusReports(first: 100) { nodes { period summary } } } }`,
			map[string]any{"k": tiltakKey})
		if len(r.Errors) > 0 || r.Status != http.StatusOK {
			t.Fatalf("read during the fault: status %d, errors %v", r.Status, r.Errors)
		}
		var d struct {
			TiltakByKey struct {
				StatusReports struct {
					Nodes []struct{ Period, Summary string }
				}
			}
		}
		if err := json.Unmarshal(r.Data, &d); err != nil {
			t.Fatal(err)
		}
		for _, n := range d.TiltakByKey.StatusReports.Nodes {
			if n.Period == "2025-H2" {
				return n.Summary
			}
		}
		return ""
	}
	readyz := func() (int, string) {
		t.Helper()
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	if r := report("før feilen"); len(r.Errors) > 0 {
		t.Fatalf("write before the fault: %v", r.Errors)
	}
	for _, tc := range []struct {
		fault error
		cause string
	}{
		{syscall.ENOSPC, "the disk is full"},
		{syscall.EROFS, "read-only"},
		{syscall.EIO, "I/O error"},
	} {
		faults.Fail(tc.fault)
		r := report("under feilen")
		if len(r.Errors) != 1 || r.Errors[0].code() != string(store.StorageUnavailable) || !strings.Contains(r.Errors[0].Message, tc.cause) {
			t.Errorf("%v: write answered %s, want one error STORAGE_UNAVAILABLE naming %q", tc.fault, r.Body, tc.cause)
		}
		if strings.Contains(string(r.Body), "errno") || strings.Contains(string(r.Body), "badger") {
			t.Errorf("%v: the error leaks internals: %s", tc.fault, r.Body)
		}
		if got := readSummary(); got != "før feilen" {
			t.Errorf("%v: read during the fault gives %q, want the report from before it", tc.fault, got)
		}
		if status, body := readyz(); status != http.StatusServiceUnavailable || !strings.Contains(body, tc.cause) {
			t.Errorf("%v: /readyz %d %q, want 503 naming the cause", tc.fault, status, body)
		}
	}

	faults.Clear() // the operator frees space; no restart
	if status, body := readyz(); status != http.StatusOK {
		t.Errorf("/readyz after the fault: %d %q, want 200", status, body)
	}
	if r := report("etter feilen"); len(r.Errors) > 0 {
		t.Fatalf("write after the fault: %v", r.Errors)
	}
	if got := readSummary(); got != "etter feilen" {
		t.Errorf("after recovery the report reads %q", got)
	}
}
