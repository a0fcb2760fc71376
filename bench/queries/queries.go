// Package queries holds the benchmark's GraphQL documents, each a question
// a dashboard really asks (D1–D5) or a write (W1), and the variables the
// benchmarks send with them. The load runner, the in-process benchmarks
// and the ceiling test all use these same files.
package queries

import (
	_ "embed"
	"encoding/json"
)

// The documents.
var (
	//go:embed d1-dashboard.graphql
	D1 string
	//go:embed d2-body.graphql
	D2 string
	//go:embed d3-rollup.graphql
	D3 string
	//go:embed d4-search.graphql
	D4 string
	//go:embed d5-page.graphql
	D5 string
	//go:embed w1-report.graphql
	W1 string
)

// Default variables.
const (
	// D2Body is the municipality D2 looks at: a big one, with well over 50
	// tiltak in the national preset.
	D2Body = "bergen-kommune"
	// D3FocusArea is the focus area D3 rolls up.
	D3FocusArea = "sammenhengende-tjenester"
	// D4Text is what D4 searches for; generated titles contain it.
	D4Text = "sykt barn"
	// W1Period is the period W1 reports for: after the generated ones, so
	// each report moves its tiltak's status (and the counters) too.
	W1Period = "2026-H1"
)

// D3Healths are the health ratings D3 filters on.
var D3Healths = []string{"MINOR_DELAYS", "MAJOR_DELAYS"}

// Request is a GraphQL-over-HTTP request body.
type Request struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// Body encodes r as JSON.
func (r Request) Body() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // only strings, maps and slices: cannot fail
	}
	return b
}

// Named returns the read requests by name (d1 … d4) with their default
// variables. D5 needs a cursor: see [D5Request].
func Named() map[string]Request {
	return map[string]Request{
		"d1": {Query: D1},
		"d2": {Query: D2, Variables: map[string]any{"body": D2Body}},
		"d3": {Query: D3, Variables: map[string]any{"focusArea": D3FocusArea, "health": D3Healths}},
		"d4": {Query: D4, Variables: map[string]any{"text": D4Text}},
	}
}

// D5Request asks for the page after cursor (the first page when empty).
func D5Request(after string) Request {
	if after == "" {
		return Request{Query: D5}
	}
	return Request{Query: D5, Variables: map[string]any{"after": after}}
}

// W1Request reports a status for one tiltak.
func W1Request(tiltak, phase, health string, progress int) Request {
	in := map[string]any{"tiltakKey": tiltak, "period": W1Period, "phase": phase, "progress": progress,
		"summary": "Rapport fra lasttest (W1)."}
	if health != "" {
		in["health"] = health
	}
	return Request{Query: W1, Variables: map[string]any{"input": in}}
}
