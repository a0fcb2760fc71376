package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"handlingsplan/generate"
	"handlingsplan/store"
)

// Concurrent status reports share transactions (group apply). A bad report
// in the middle of them must fail alone, with its own error, while every
// other report lands whole: report, tiltak status and counters.
func TestConcurrentReportsOneBadOneFailsAlone(t *testing.T) {
	p, err := generate.Lookup("small")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := generate.Plan(p, generate.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := generate.Open(ctx, "", p, generate.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	const n = 64
	ts := plan.Tiltak[:n]
	bad := func(i int) bool { return i%7 == 3 }
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := ts[i].ResponsibleKey
			if bad(i) {
				body = "no-such-body"
			}
			h := store.HealthMajorDelays
			<-start
			_, errs[i] = db.ReportStatus(ctx, store.System, store.StatusReport{
				TiltakKey: ts[i].Key, Period: "2031-H1", BodyKey: body,
				Phase: store.PhaseActive, Health: &h, Progress: 17, Summary: fmt.Sprintf("report %d", i)})
		}()
	}
	close(start)
	wg.Wait()

	snap := db.Snapshot()
	defer snap.Close()
	for i := range n {
		got, err := snap.LatestStatus(ts[i].Key)
		if err != nil {
			t.Fatal(err)
		}
		tl, err := snap.Tiltak(ts[i].Key)
		if err != nil {
			t.Fatal(err)
		}
		if bad(i) {
			if store.ErrorCode(errs[i]) != store.NotFound {
				t.Errorf("report %d with an unknown body: got error %v, want NOT_FOUND", i, errs[i])
			}
			if got != nil && got.Period == "2031-H1" {
				t.Errorf("report %d was refused but stored", i)
			}
			continue
		}
		if errs[i] != nil {
			t.Errorf("report %d: %v", i, errs[i])
			continue
		}
		if got == nil || got.Period != "2031-H1" || got.Summary != fmt.Sprintf("report %d", i) {
			t.Errorf("report %d: latest status %+v", i, got)
		}
		if tl.Progress == nil || *tl.Progress != 17 || tl.Health == nil || *tl.Health != store.HealthMajorDelays {
			t.Errorf("tiltak %s did not follow its report: progress %v health %v", tl.Key, tl.Progress, tl.Health)
		}
	}

	// The counters (kept in the writing transactions) agree with a count
	// of the tiltak themselves.
	sum, err := snap.TiltakSummary(store.TiltakFilter{})
	if err != nil {
		t.Fatal(err)
	}
	red := 0
	for _, tl := range plan.Tiltak {
		cur, err := snap.Tiltak(tl.Key)
		if err != nil {
			t.Fatal(err)
		}
		if cur.Phase != nil && *cur.Phase == store.PhaseActive && cur.Health != nil && *cur.Health == store.HealthMajorDelays {
			red++
		}
	}
	for _, h := range sum.ByHealth {
		if h.Health == store.HealthMajorDelays && h.Count != red {
			t.Errorf("counter says %d tiltak with major delays, the tiltak say %d", h.Count, red)
		}
	}
}

// A write that arrives after Close is refused, not left waiting.
func TestReportAfterCloseIsRefused(t *testing.T) {
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	h := store.HealthOnTrack
	_, err = db.ReportStatus(context.Background(), store.System, store.StatusReport{
		TiltakKey: "x", Period: "2031-H1", BodyKey: "y", Phase: store.PhaseActive, Health: &h, Progress: 1})
	if err == nil {
		t.Fatal("a report after Close was accepted")
	}
}

// Decoded records are shared between snapshots, but a snapshot always sees
// its own version: one taken after a change reads the new record, one
// taken before keeps reading the old.
func TestSnapshotsSeeTheirOwnVersionOfASharedRecord(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	snap, err := firstTiltak(db)
	if err != nil {
		t.Fatal(err)
	}
	before := db.Snapshot()
	defer before.Close()
	old, err := before.Tiltak(snap)
	if err != nil {
		t.Fatal(err)
	}
	oldTitle := old.Title
	if _, err := db.UpdateTiltak(ctx, store.System, snap, store.Expect{}, func(t *store.Tiltak) error {
		t.Title = oldTitle + " (endret)"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	after := db.Snapshot()
	defer after.Close()
	for i := range 2 { // the second read comes from the caches
		got, err := after.Tiltak(snap)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != oldTitle+" (endret)" {
			t.Errorf("read %d after the change: title %q", i, got.Title)
		}
		was, err := before.Tiltak(snap)
		if err != nil {
			t.Fatal(err)
		}
		if was.Title != oldTitle {
			t.Errorf("read %d in the snapshot from before: title %q, want %q", i, was.Title, oldTitle)
		}
	}
	third := db.Snapshot()
	defer third.Close()
	if got, _ := third.Tiltak(snap); got == nil || got.Title != oldTitle+" (endret)" {
		t.Errorf("a later snapshot reads %+v", got)
	}
}

func firstTiltak(db *store.DB) (string, error) {
	s := db.Snapshot()
	defer s.Close()
	first := 1
	p, err := s.FindTiltak(store.TiltakFilter{}, nil, store.PageArgs{First: &first})
	if err != nil || len(p.Keys) == 0 {
		return "", fmt.Errorf("no tiltak: %v", err)
	}
	return p.Keys[0], nil
}

// Reports on one tiltak for several periods, sent at once, may share a
// transaction: whatever their order, the tiltak ends with the status of
// the latest period.
func TestConcurrentReportsOnOneTiltakFollowTheLatestPeriod(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	key, err := firstTiltak(db)
	if err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	tl, err := snap.Tiltak(key)
	snap.Close()
	if err != nil {
		t.Fatal(err)
	}
	periods := []string{"2031-H1", "2031-H2", "2032-H1", "2032-H2", "2033-H1", "2033-H2", "2034-H1", "2034-H2"}
	for round := range 5 {
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, p := range periods {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := store.HealthOnTrack
				<-start
				if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: key, Period: p, BodyKey: tl.ResponsibleKey,
					Phase: store.PhaseActive, Health: &h, Progress: round*10 + i}); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		s := db.Snapshot()
		got, err := s.Tiltak(key)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if want := round*10 + len(periods) - 1; got.Progress == nil || *got.Progress != want {
			t.Fatalf("round %d: tiltak progress %v, want %d (the report of %s)", round, got.Progress, want, periods[len(periods)-1])
		}
	}
}
