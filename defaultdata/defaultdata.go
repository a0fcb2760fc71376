// Package defaultdata holds the Handlingsplan API's default data set: the
// action plan for following up the Norwegian public sector's digitalisation
// strategy «Én digital offentlig sektor» (2019–2025) as it stood from 2020 —
// the seven prioritised life events, the eight focus areas (strategy chapters
// 2–9), the government's initiatives («Regjeringen vil»), 24 tiltak, the
// responsible bodies including all 357 municipalities and the county
// authorities of the 2024 structure, three governance levels and the forums
// that follow the plan up.
//
// The facts come from stored copies of public pages (digdir.no,
// regjeringen.no, ks.no and others; sources S1–S57) and from public code and
// data files (organisation numbers, the municipality list). Every entity
// carries its provenance: how sure we are (verified in a source, verified in
// code, derived, or from memory) and which sources say so, with separate
// entries for single fields whose confidence differs. The data is embedded as
// a [store.Plan] document (format handlingsplan/v1); gen/main.go regenerates
// it from the reference files.
package defaultdata

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"handlingsplan/store"
)

// FileName is the name of the embedded plan document.
const FileName = "actionplan-2020.json"

//go:embed actionplan-2020.json
var planJSON []byte

// Plan decodes the embedded plan. Each call returns a fresh value that the
// caller may change. Decoding is strict: an unknown field, trailing data or
// another format than [store.PlanFormat] is an error.
func Plan() (*store.Plan, error) {
	dec := json.NewDecoder(bytes.NewReader(planJSON))
	dec.DisallowUnknownFields()
	var p store.Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("defaultdata: decode %s: %w", FileName, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("defaultdata: decode %s: data after the plan", FileName)
	}
	if p.Format != store.PlanFormat {
		return nil, fmt.Errorf("defaultdata: %s has format %q, want %q", FileName, p.Format, store.PlanFormat)
	}
	return &p, nil
}
