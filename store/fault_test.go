package store_test

import (
	"context"
	"strings"
	"syscall"
	"testing"

	"handlingsplan/store"
)

// A write is acknowledged only once it is on disk: when the disk sync
// fails the writer gets STORAGE_UNAVAILABLE saying the change may not be
// on disk, not success; when the disk refuses the write itself nothing is
// written. Either way the store takes writes again once the disk is back.
func TestWriteIsAcknowledgedOnlyWhenSynced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	faults := &store.WriteFaults{}
	db, err := store.Open(store.Options{Dir: t.TempDir(), Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.ImportPlan(ctx, fixturePlan()); err != nil {
		t.Fatal(err)
	}
	tk := fixturePlan().Tiltak[0]
	h := store.HealthOnTrack
	report := func(period string) error {
		_, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: tk.Key, BodyKey: tk.ResponsibleKey,
			Period: period, Phase: store.PhaseActive, Health: &h, Progress: 10})
		return err
	}

	faults.FailSync(syscall.EIO)
	err = report("2030-H1")
	if store.ErrorCode(err) != store.StorageUnavailable || !strings.Contains(err.Error(), "may not be on disk") {
		t.Errorf("write whose sync failed: %v, want STORAGE_UNAVAILABLE saying it may not be on disk", err)
	}
	if err := db.CheckWritable(ctx); store.ErrorCode(err) != store.StorageUnavailable {
		t.Errorf("CheckWritable while syncs fail: %v, want STORAGE_UNAVAILABLE", err)
	}

	faults.Fail(syscall.ENOSPC)
	err = report("2030-H2")
	if store.ErrorCode(err) != store.StorageUnavailable || !strings.Contains(err.Error(), "the disk is full") ||
		!strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("write the disk refused: %v, want STORAGE_UNAVAILABLE saying the disk is full and nothing was written", err)
	}
	if _, stored := reportsIn(t, db)[reportKey{tk.Key, "2030-H2"}]; stored {
		t.Errorf("a refused write was stored")
	}

	faults.Clear()
	if err := report("2031-H1"); err != nil {
		t.Errorf("write after the disk is back: %v", err)
	}
	if _, stored := reportsIn(t, db)[reportKey{tk.Key, "2031-H1"}]; !stored {
		t.Errorf("the write after the disk came back is not stored")
	}
	if err := db.CheckWritable(ctx); err != nil {
		t.Errorf("CheckWritable after the disk is back: %v", err)
	}
}
