// Package generate builds a synthetic, national-scale action plan for
// benchmarks, deterministic from a seed.
//
// The real parts of the default data are kept: the bodies (all 357
// municipalities, the counties, the ministries and agencies), the eight focus
// areas, the seven life events, the ten initiatives, the governance levels
// and the forums. Synthetic state bodies, life events and initiatives bring
// the plan to about 460 bodies, 20 life events and 60 initiatives, and every
// tiltak and status report is synthetic. A tiltak's phase, health and
// progress are those of its latest status report, as if the reports had
// come in through the API.
package generate

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/store"
)

// Preset is a size of data set. The plan's structure (bodies, focus areas,
// life events, initiatives) is the same in every preset; only the tiltak
// and the periods of status reports grow.
type Preset struct {
	Name string
	// Tiltak is the number of tiltak.
	Tiltak int
	// Periods is the number of half-year periods with a status report for
	// every tiltak, ending with [LastPeriod].
	Periods int
	// Initiatives, when set, replaces the usual number of initiatives
	// ([Initiatives]); it is never fewer than the ten real ones. Tests use
	// it to give each initiative many tiltak in a small data set.
	Initiatives int
}

// LastPeriod is the newest period that generated reports cover.
const LastPeriod = "2025-H2"

// DefaultSeed is the seed used when none is given, so that two runs of a
// benchmark see the same data.
const DefaultSeed uint64 = 1

// The structure of every generated plan (see also [Preset.Initiatives]).
const (
	// LifeEvents is the number of life events (7 real, the rest synthetic).
	LifeEvents = 20
	// Initiatives is the number of initiatives (10 real, the rest synthetic).
	Initiatives = 60
)

var presets = []Preset{
	{Name: "small", Tiltak: 500, Periods: 2},
	{Name: "national", Tiltak: 20_000, Periods: 12},
	{Name: "national10x", Tiltak: 200_000, Periods: 12},
}

// Presets returns the named presets, smallest first.
func Presets() []Preset { return append([]Preset(nil), presets...) }

// Lookup returns the preset called name.
func Lookup(name string) (Preset, error) {
	for _, p := range presets {
		if p.Name == name {
			return p, nil
		}
	}
	names := ""
	for i, p := range presets {
		if i > 0 {
			names += ", "
		}
		names += p.Name
	}
	return Preset{}, fmt.Errorf("unknown preset %q: use one of %s", name, names)
}

// Counts says how many entities of each kind a plan holds.
type Counts struct {
	Bodies, GovernanceLevels, Forums, LifeEvents, FocusAreas, Initiatives, Tiltak, StatusReports int
}

// CountsOf counts the entities of p.
func CountsOf(p *store.Plan) Counts {
	return Counts{
		Bodies: len(p.Bodies), GovernanceLevels: len(p.GovernanceLevels), Forums: len(p.Forums),
		LifeEvents: len(p.LifeEvents), FocusAreas: len(p.FocusAreas), Initiatives: len(p.Initiatives),
		Tiltak: len(p.Tiltak), StatusReports: len(p.StatusReports),
	}
}

// Plan builds the plan of preset p from seed. The same preset and seed
// always give the same plan.
func Plan(p Preset, seed uint64) (*store.Plan, error) {
	if p.Tiltak < 1 || p.Periods < 1 {
		return nil, fmt.Errorf("preset %q: needs at least one tiltak and one period", p.Name)
	}
	base, err := defaultdata.Plan()
	if err != nil {
		return nil, err
	}
	b := newBuilder(base, p, seed)
	if err := b.structure(); err != nil {
		return nil, err
	}
	b.tiltak()
	b.money()
	return b.plan, nil
}

// Result describes a data set written by [Write].
type Result struct {
	Preset Preset
	Seed   uint64
	Dir    string
	Counts Counts
	// Periods are the first and last period reported on.
	FirstPeriod, LastPeriod string
	// Build is the time taken to build the plan in memory; Import the time
	// to check it, write it and close the store.
	Build, Import time.Duration
	// Bytes is the size of the data directory.
	Bytes int64
}

// Write builds the plan of preset p from seed and imports it into a new
// store in dir. dir must be missing or empty.
func Write(ctx context.Context, dir string, p Preset, seed uint64) (*Result, error) {
	if err := checkEmptyDir(dir); err != nil {
		return nil, err
	}
	start := time.Now()
	plan, err := Plan(p, seed)
	if err != nil {
		return nil, err
	}
	res := &Result{Preset: p, Seed: seed, Dir: dir, Counts: CountsOf(plan), Build: time.Since(start)}
	res.FirstPeriod, res.LastPeriod = periods(p.Periods)[0], LastPeriod

	start = time.Now()
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		return nil, err
	}
	if err := db.ImportPlan(ctx, plan); err != nil {
		db.Close()
		return nil, fmt.Errorf("import into %s: %w", dir, err)
	}
	if err := db.Close(); err != nil {
		return nil, fmt.Errorf("close store in %s: %w", dir, err)
	}
	res.Import = time.Since(start)
	res.Bytes, err = dirSize(dir)
	return res, err
}

// checkEmptyDir refuses a directory that holds anything: generate writes a
// new store, never into an existing one.
func checkEmptyDir(dir string) error {
	if dir == "" {
		return fmt.Errorf("no data directory given")
	}
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("data directory %s is not empty (%d entries, e.g. %s): generate writes a new data set and needs a missing or empty directory", dir, len(entries), entries[0].Name())
	}
	return nil
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

// Open builds the plan of preset p from seed and returns a store holding
// it: in memory when dir is "", else in dir (which must be missing or
// empty). For tests and benchmarks; the caller closes the store.
func Open(ctx context.Context, dir string, p Preset, seed uint64) (*store.DB, error) {
	if dir != "" {
		if err := checkEmptyDir(dir); err != nil {
			return nil, err
		}
	}
	plan, err := Plan(p, seed)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(store.Options{Dir: dir, InMemory: dir == ""})
	if err != nil {
		return nil, err
	}
	if err := db.ImportPlan(ctx, plan); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
