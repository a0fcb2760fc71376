package store_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"handlingsplan/generate"
	"handlingsplan/store"
)

// Benchmarks of the store methods the dashboard queries (bench/queries)
// spend their time in, on a generated data set: the small preset by
// default; HANDLINGSPLAN_BENCH_PRESET=national (generated in memory) or
// HANDLINGSPLAN_BENCH_DATA=DIR (a directory written by "handlingsplan
// generate", not held by a server) for others. Each operation opens its own
// snapshot, as a request does, so the snapshot's cache starts empty.

var benchStore struct {
	once sync.Once
	db   *store.DB
	err  error
}

func benchReadDB(b *testing.B) *store.DB {
	b.Helper()
	benchStore.once.Do(func() {
		if dir := os.Getenv("HANDLINGSPLAN_BENCH_DATA"); dir != "" {
			benchStore.db, benchStore.err = store.Open(store.Options{Dir: dir})
			return
		}
		name := os.Getenv("HANDLINGSPLAN_BENCH_PRESET")
		if name == "" {
			name = "small"
		}
		p, err := generate.Lookup(name)
		if err != nil {
			benchStore.err = err
			return
		}
		benchStore.db, benchStore.err = generate.Open(context.Background(), "", p, generate.DefaultSeed)
	})
	if benchStore.err != nil {
		b.Fatal(benchStore.err)
	}
	return benchStore.db
}

// benchReads runs read once per operation on a fresh snapshot and reports
// the store reads per operation.
func benchReads(b *testing.B, read func(s *store.Snapshot) error) {
	db := benchReadDB(b)
	b.ReportAllocs()
	n, reads := 0, 0
	for b.Loop() {
		s := db.Snapshot()
		if err := read(s); err != nil {
			b.Fatal(err)
		}
		reads += s.Reads()
		s.Close()
		n++
	}
	b.ReportMetric(float64(reads)/float64(n), "reads/op")
}

func page(s *store.Snapshot, f store.TiltakFilter, first int, after *string) (int, error) {
	p, err := s.FindTiltak(f, nil, store.PageArgs{First: &first, After: after})
	if err != nil {
		return 0, err
	}
	ts, err := s.TiltakByKeys(p.Keys)
	return len(ts), err
}

func BenchmarkFindTiltak(b *testing.B) {
	b.Run("initiative-first5", func(b *testing.B) {
		benchReads(b, func(s *store.Snapshot) error {
			_, err := page(s, store.TiltakFilter{InitiativeKey: "prioriterte-livshendelser"}, 5, nil)
			return err
		})
	})
	b.Run("responsible-first50", func(b *testing.B) {
		benchReads(b, func(s *store.Snapshot) error {
			_, err := page(s, store.TiltakFilter{ResponsibleKey: "oslo-kommune"}, 50, nil)
			return err
		})
	})
	b.Run("all-first100-middle", func(b *testing.B) {
		var after *string
		{
			s := benchReadDB(b).Snapshot()
			n, _ := s.CountTiltak(store.TiltakFilter{})
			half := min(n/2, store.MaxPageSize)
			p, err := s.FindTiltak(store.TiltakFilter{}, nil, store.PageArgs{First: &half})
			s.Close()
			if err != nil || len(p.Keys) == 0 {
				b.Fatal("no tiltak", err)
			}
			c := p.Cursor(len(p.Keys) - 1)
			after = &c
		}
		benchReads(b, func(s *store.Snapshot) error {
			_, err := page(s, store.TiltakFilter{}, 100, after)
			return err
		})
	})
}

func BenchmarkTiltakSummary(b *testing.B) {
	for _, c := range []struct {
		name string
		f    store.TiltakFilter
	}{
		{"life-event", store.TiltakFilter{LifeEventKey: "alvorlig-sykt-barn"}},
		{"focus-area-health", store.TiltakFilter{FocusAreaKey: "sammenhengende-tjenester", Healths: []store.Health{store.HealthMinorDelays, store.HealthMajorDelays}}},
		// Two scopes: no counter answers it, so the tiltak are read.
		{"two-scopes", store.TiltakFilter{LifeEventKey: "alvorlig-sykt-barn", InitiativeKey: "prioriterte-livshendelser"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			benchReads(b, func(s *store.Snapshot) error {
				_, err := s.TiltakSummary(c.f)
				return err
			})
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, text := range []string{"sykt barn", "digital søknad"} {
		b.Run(store.Slug(text), func(b *testing.B) {
			first := 20
			benchReads(b, func(s *store.Snapshot) error {
				_, err := s.Search(text, store.PageArgs{First: &first})
				return err
			})
		})
	}
}

// writeDB generates the small preset into a fresh directory: the writes
// are durable (each report waits for its disk sync) as in production.
func writeDB(b *testing.B) (*store.DB, []store.Tiltak) {
	b.Helper()
	p, _ := generate.Lookup("small")
	plan, err := generate.Plan(p, generate.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	db, err := generate.Open(context.Background(), b.TempDir(), p, generate.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, plan.Tiltak
}

func report(t store.Tiltak, i int) store.StatusReport {
	h := store.HealthOnTrack
	return store.StatusReport{TiltakKey: t.Key, Period: "2026-H1", BodyKey: t.ResponsibleKey,
		Phase: store.PhaseActive, Health: &h, Progress: i % 101, Summary: "Benchmark."}
}

// BenchmarkReportStatus writes reports one after another: every report is
// its own transaction and its own disk sync.
func BenchmarkReportStatus(b *testing.B) {
	db, ts := writeDB(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := db.ReportStatus(ctx, store.System, report(ts[i%len(ts)], i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkReportStatusParallel writes from 32 goroutines per CPU, each on
// its own tiltak, as W1 does: writers share disk syncs (group commit).
func BenchmarkReportStatusParallel(b *testing.B) {
	db, ts := writeDB(b)
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			if _, err := db.ReportStatus(ctx, store.System, report(ts[i%len(ts)], i)); err != nil {
				b.Error(fmt.Errorf("report %d: %w", i, err))
				return
			}
		}
	})
}
