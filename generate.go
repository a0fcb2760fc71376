package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	gen "handlingsplan/generate"
)

// generate writes a synthetic data set; see the generate package.
func generate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	names := generatePresets()
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	preset := fs.String("preset", "national", "data set size: "+strings.Join(names, ", "))
	data := fs.String("data", "./data", "data directory to create; must be missing or empty")
	seed := fs.Uint64("seed", gen.DefaultSeed, "random seed; the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("generate takes no arguments, got %q", fs.Args())
	}
	p, err := gen.Lookup(*preset)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := gen.Write(ctx, *data, p, *seed)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	c := res.Counts
	fmt.Fprintf(stdout, "generated preset %s (seed %d) into %s\n", p.Name, res.Seed, res.Dir)
	fmt.Fprintf(stdout, "  %d bodies, %d governance levels, %d forums, %d life events, %d focus areas, %d initiatives\n",
		c.Bodies, c.GovernanceLevels, c.Forums, c.LifeEvents, c.FocusAreas, c.Initiatives)
	fmt.Fprintf(stdout, "  %d tiltak, %d status reports (%d periods, %s to %s)\n", c.Tiltak, c.StatusReports, p.Periods, res.FirstPeriod, res.LastPeriod)
	fmt.Fprintf(stdout, "  %.1f MB on disk; built in %.2fs, checked and written in %.2fs, total %.2fs\n",
		float64(res.Bytes)/1e6, res.Build.Seconds(), res.Import.Seconds(), time.Since(start).Seconds())
	return nil
}

func generatePresets() []string {
	var out []string
	for _, p := range gen.Presets() {
		out = append(out, p.Name)
	}
	return out
}
