package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"handlingsplan/store"
)

func openDir(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// reportKey names a report by tiltak and period.
type reportKey struct{ tiltak, period string }

func reportsIn(t *testing.T, db *store.DB) map[reportKey]string {
	t.Helper()
	p, err := db.ExportPlan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[reportKey]string{}
	for _, r := range p.StatusReports {
		m[reportKey{r.TiltakKey, r.Period}] = r.Summary
	}
	return m
}

// A backup taken while reports are being written is a consistent snapshot
// holding every report acknowledged before it began; a full backup plus the
// incremental one after it restores the store exactly, audit trail and
// outbox included.
func TestBackupUnderWriteLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	live := openDir(t, t.TempDir())
	if err := live.ImportPlan(ctx, fixturePlan()); err != nil {
		t.Fatal(err)
	}
	tiltak := fixturePlan().Tiltak
	baseline := reportsIn(t, live)

	var (
		mu      sync.Mutex
		acked   = map[reportKey]string{}
		started = map[reportKey]string{}
		n       atomic.Int64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
		errs    = make(chan error, 8)
	)
	for w := range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := int(n.Add(1))
				tk := tiltak[i%len(tiltak)]
				h := store.HealthOnTrack
				r := store.StatusReport{TiltakKey: tk.Key, BodyKey: tk.ResponsibleKey,
					Period: fmt.Sprintf("%d-H%d", 1900+i/len(tiltak)/2, 1+i/len(tiltak)%2),
					Phase:  store.PhaseActive, Health: &h, Progress: i % 101, Summary: fmt.Sprintf("writer %d #%d", w, i)}
				k := reportKey{r.TiltakKey, r.Period}
				mu.Lock()
				started[k] = r.Summary
				mu.Unlock()
				if _, err := live.ReportStatus(ctx, store.System, r); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				acked[k] = r.Summary
				mu.Unlock()
			}
		})
	}
	for n.Load() < 100 {
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	ackedBefore := maps.Clone(acked)
	mu.Unlock()
	var full bytes.Buffer
	next, err := live.Backup(ctx, &full, 0)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	startedByEnd := maps.Clone(started)
	mu.Unlock()
	for n.Load() < 200 { // more writes after the backup
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("write under backup: %v", err)
	}
	var incr bytes.Buffer
	next2, err := live.Backup(ctx, &incr, next)
	if err != nil {
		t.Fatal(err)
	}
	if next2 <= next {
		t.Errorf("incremental backup: next since %d, want more than %d", next2, next)
	}

	// The full backup alone: the snapshot of the moment it began.
	dirA := filepath.Join(t.TempDir(), "a")
	if err := store.Restore(ctx, dirA, bytes.NewReader(full.Bytes())); err != nil {
		t.Fatal(err)
	}
	a := openDir(t, dirA)
	got := reportsIn(t, a)
	for k, s := range ackedBefore {
		if got[k] != s {
			t.Errorf("report %v acknowledged before the backup began is not in it (got %q)", k, got[k])
		}
	}
	for k, s := range got {
		if startedByEnd[k] != s && baseline[k] != s {
			t.Errorf("report %v (%q) in the backup was not even sent when the backup ended", k, s)
		}
	}
	// Consistent: the derived records (counters, indexes, audit) agree with
	// the reports, so an export imports cleanly into a fresh store.
	reimported := openDir(t, t.TempDir())
	plan, err := a.ExportPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := reimported.ImportPlan(ctx, plan); err != nil {
		t.Fatalf("the restored snapshot does not import: %v", err)
	}

	// Full plus incremental: exactly the live store.
	dirB := filepath.Join(t.TempDir(), "b")
	if err := store.Restore(ctx, dirB, bytes.NewReader(full.Bytes()), bytes.NewReader(incr.Bytes())); err != nil {
		t.Fatal(err)
	}
	b := openDir(t, dirB)
	if !bytes.Equal(exportJSON(t, b), exportJSON(t, live)) {
		t.Errorf("full + incremental backup restores another plan: %s", firstDifference(exportJSON(t, b), exportJSON(t, live)))
	}
	if !bytes.Equal(history(t, b), history(t, live)) {
		t.Errorf("full + incremental backup restores another audit trail or outbox")
	}
	// And the restored store takes writes.
	h := store.HealthOnTrack
	if _, err := b.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: tiltak[0].Key, BodyKey: tiltak[0].ResponsibleKey,
		Period: "2030-H1", Phase: store.PhaseActive, Health: &h, Progress: 1}); err != nil {
		t.Errorf("write to the restored store: %v", err)
	}
}

func firstDifference(a, b []byte) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			lo := max(0, i-80)
			return fmt.Sprintf("at byte %d: %q vs %q", i, a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

// Restore writes nothing into a directory that holds anything, and refuses
// a file that is not a backup or is corrupt, naming the problem.
func TestRestoreRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newTestDB(t)
	var good bytes.Buffer
	if _, err := db.Backup(ctx, &good, 0); err != nil {
		t.Fatal(err)
	}

	nonEmpty := t.TempDir()
	if err := os.WriteFile(filepath.Join(nonEmpty, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := store.Restore(ctx, nonEmpty, bytes.NewReader(good.Bytes()))
	if store.ErrorCode(err) != store.Invalid || !contains(err.Error(), "not empty") {
		t.Errorf("restore into a non-empty directory: %v, want INVALID saying it is not empty", err)
	}
	if entries, _ := os.ReadDir(nonEmpty); len(entries) != 1 {
		t.Errorf("restore wrote into a non-empty directory: %d entries", len(entries))
	}

	err = store.Restore(ctx, filepath.Join(t.TempDir(), "x"), bytes.NewReader([]byte(`{"format":"handlingsplan/v1"}`)))
	if store.ErrorCode(err) != store.Invalid || !contains(err.Error(), "not a handlingsplan backup") {
		t.Errorf("restore of a plan document: %v, want INVALID saying it is not a backup", err)
	}

	// A corrupt frame length must fail, not allocate an exabyte.
	corrupt := append([]byte("handlingsplan-backup 1\n"), binary.LittleEndian.AppendUint64(nil, 1<<62)...)
	err = store.Restore(ctx, filepath.Join(t.TempDir(), "y"), bytes.NewReader(corrupt))
	if err == nil || !contains(err.Error(), "corrupt backup") {
		t.Errorf("restore of a corrupt backup: %v, want an error saying it is corrupt", err)
	}
	// A cut-off backup fails too.
	err = store.Restore(ctx, filepath.Join(t.TempDir(), "z"), bytes.NewReader(good.Bytes()[:good.Len()-10]))
	if err == nil {
		t.Errorf("restore of a truncated backup succeeded")
	}
}
