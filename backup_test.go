package main

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// getBackup fetches GET /admin/backup[?since=N] with token into a file and
// returns its name and the next since from the trailer.
func getBackup(t *testing.T, url, token, query string) (file string, next uint64) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+backupPath+query, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s%s: status %d: %s", backupPath, query, res.StatusCode, b)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("backup Content-Type %q", ct)
	}
	f, err := os.CreateTemp(t.TempDir(), "online-*.backup")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, res.Body); err != nil {
		t.Fatal(err)
	}
	next, err = strconv.ParseUint(res.Trailer.Get(backupNextHeader), 10, 64)
	if err != nil {
		t.Fatalf("trailer %s: %v (a backup without it was cut short)", backupNextHeader, err)
	}
	return f.Name(), next
}

// An operator backs up the running server while integrations report
// status, and restores the backup into an empty directory: the restored
// store holds every report acknowledged before the backup began, serves,
// and — with the incremental backup taken after the load — exports exactly
// what the live server holds. The offline backup command gives the same.
func TestOnlineBackupUnderLoadRestores(t *testing.T) {
	t.Parallel()
	dir := defaultDataDir(t)
	admin := createToken(t, dir, "digdir", "ADMIN")
	editor := createToken(t, dir, "digdir", "EDITOR")
	p := startBinary(t, "--data", dir)

	// Only ADMIN tokens may take a backup.
	for _, tc := range []struct {
		auth string
		want int
	}{{"", http.StatusUnauthorized}, {"Bearer " + editor, http.StatusForbidden}, {"Bearer nonsense", http.StatusUnauthorized}} {
		req, _ := http.NewRequest(http.MethodGet, p.url+backupPath, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.want || strings.Contains(string(b), "handlingsplan-backup") {
			t.Errorf("backup with %q: status %d, want %d (body %.80q)", tc.auth, res.StatusCode, tc.want, b)
		}
	}

	req, _ := http.NewRequest(http.MethodGet, p.url+backupPath+"?since=yesterday", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	if res, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "since must be a version number") {
			t.Errorf("backup ?since=yesterday: status %d %s, want 400 saying since must be a version number", res.StatusCode, b)
		}
	}

	load := startReportLoad(p.url, editor, tiltakKeys(t, p.url), 8)
	load.waitAcked(t, 100)
	load.mu.Lock()
	ackedBefore := append([]sentReport(nil), load.acked...)
	load.mu.Unlock()
	full, next := getBackup(t, p.url, admin, "")
	load.mu.Lock()
	startedByEnd := int(load.sent.Load())
	ackedDuring := len(load.acked) - len(ackedBefore)
	load.mu.Unlock()
	load.waitAcked(t, len(ackedBefore)+ackedDuring+50) // the server kept taking writes
	load.finish()
	if len(load.errs) > 0 {
		t.Fatalf("writes failed during the backup: %v", load.errs)
	}
	t.Logf("%d reports acknowledged before the backup, %d while it ran", len(ackedBefore), ackedDuring)
	incr, _ := getBackup(t, p.url, admin, "?since="+strconv.FormatUint(next, 10))
	if _, res, err := postGraphQL(http.DefaultClient, p.url, "", `{ lifeEvents { totalCount } }`, nil); err != nil || len(res.Errors) > 0 {
		t.Fatalf("the server stopped serving after the backups: %v %v", err, res)
	}
	if err := p.terminate(t, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	liveExport := mustRun(t, "export", "--data", dir)
	live := exportedReports(t, dir)

	// The full backup alone: a consistent snapshot from when it began.
	restoredFull := filepath.Join(t.TempDir(), "full")
	mustRun(t, "restore", "--data", restoredFull, full)
	got := exportedReports(t, restoredFull)
	for _, r := range ackedBefore {
		if got[[2]string{r.tiltak, r.period}] != r.summary {
			t.Errorf("report %v acknowledged before the backup is not in it", r)
		}
	}
	for k, s := range got {
		if live[k] != s {
			t.Errorf("the backup holds report %v (%q) the live store does not", k, s)
		}
		if !strings.HasPrefix(s, "client ") {
			continue // the default data's own reports
		}
		var c, n int
		if _, err := fmt.Sscanf(s, "client %d, report %d", &c, &n); err == nil && n >= startedByEnd {
			t.Errorf("the backup holds report %q, sent after the backup ended", s)
		}
	}
	rp := startBinary(t, "--data", restoredFull)
	if _, res, err := postGraphQL(http.DefaultClient, rp.url, "", `{ lifeEvents { totalCount } }`, nil); err != nil || len(res.Errors) > 0 {
		t.Errorf("the restored store does not serve: %v %v", err, res)
	}
	if err := rp.terminate(t, 30*time.Second); err != nil {
		t.Error(err)
	}

	// Full plus incremental: exactly what the live server held at the end.
	restoredBoth := filepath.Join(t.TempDir(), "both")
	mustRun(t, "restore", "--data", restoredBoth, full, incr)
	if got := mustRun(t, "export", "--data", restoredBoth); got != liveExport {
		t.Errorf("full + incremental online backup exports differently from the live store: %s", firstDiff(got, liveExport))
	}

	// Offline: backup --data, then restore, gives the same again; an
	// incremental backup after no change holds nothing new.
	offline := filepath.Join(t.TempDir(), "offline.backup")
	out := strings.TrimSpace(mustRun(t, "backup", "--data", dir, "--out", offline))
	since := out[strings.LastIndex(out, "\n")+1:]
	if _, err := strconv.ParseUint(since, 10, 64); err != nil {
		t.Fatalf("backup's last line %q is not the version for the next backup", since)
	}
	offline2 := filepath.Join(t.TempDir(), "offline2.backup")
	mustRun(t, "backup", "--data", dir, "--out", offline2, "--since", since)
	restoredOffline := filepath.Join(t.TempDir(), "offline")
	mustRun(t, "restore", "--data", restoredOffline, offline, offline2)
	if got := mustRun(t, "export", "--data", restoredOffline); got != liveExport {
		t.Errorf("offline backup exports differently from the live store: %s", firstDiff(got, liveExport))
	}
	if !maps.Equal(exportedReports(t, restoredOffline), live) {
		t.Errorf("offline backup: other status reports")
	}

	// restore refuses a directory that holds anything.
	if _, _, err := runBulk(t, "restore", "--data", dir, offline); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a data directory in use: %v, want a refusal saying it is not empty", err)
	}
}
