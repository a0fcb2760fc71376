package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"handlingsplan/store"
)

// A snapshot never shows half of a concurrent write: the counters (written
// in the same transaction as the tiltak) always agree with the tiltak
// themselves, read one by one through the same snapshot.
func TestSnapshotIsConsistentUnderConcurrentWrites(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	healths := []store.Health{store.HealthOnTrack, store.HealthMinorDelays, store.HealthMajorDelays}
	tiltak := []struct{ key, body string }{{"digitalt-dodsbo", "digdir"}, {"gravferdsmelding", "oslo-kommune"}, {"sykt-barn-info", "halden-kommune"}}

	var wg sync.WaitGroup
	stop := make(chan struct{})
	writes := 0
	var mu sync.Mutex
	for w, tl := range tiltak {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				h := healths[(i+w)%3]
				phase := store.PhaseActive
				if i%5 == 4 {
					phase = store.PhasePaused
				}
				var hp *store.Health
				if phase == store.PhaseActive {
					hp = &h
				}
				period := fmt.Sprintf("%d-H%d", 2021+i/2, i%2+1)
				if _, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: tl.key, Period: period, BodyKey: tl.body, Phase: phase, Health: hp, Progress: i % 101}); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				writes++
				mu.Unlock()
			}
		}()
	}
	for r := 0; r < 200; r++ {
		snap := db.Snapshot()
		sum, err := snap.TiltakSummary(store.TiltakFilter{})
		if err != nil {
			t.Fatal(err)
		}
		all, _ := snap.FindTiltak(store.TiltakFilter{}, nil, store.PageArgs{First: ptr(100)})
		ts, _ := snap.TiltakByKeys(all.Keys)
		byHealth := map[store.Health]int{}
		for _, tl := range ts {
			if tl.Phase != nil && *tl.Phase == store.PhaseActive && tl.Health != nil {
				byHealth[*tl.Health]++
			}
		}
		for _, hc := range sum.ByHealth {
			if hc.Count != byHealth[hc.Health] {
				t.Fatalf("read %d: counters say %s=%d, the tiltak say %d", r, hc.Health, hc.Count, byHealth[hc.Health])
			}
		}
		snap.Close()
	}
	close(stop)
	wg.Wait()
	if writes == 0 {
		t.Fatal("no write happened while reading")
	}
}
