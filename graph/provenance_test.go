package graph_test

import (
	"net/http/httptest"
	"slices"
	"testing"

	"handlingsplan/store"
)

type provenance struct {
	Confidence string `json:"confidence"`
	Verified   bool   `json:"verified"`
	Sources    []struct {
		ID    string  `json:"id"`
		Title string  `json:"title"`
		URL   *string `json:"url"`
	} `json:"sources"`
	Fields []struct {
		Field      string `json:"field"`
		Confidence string `json:"confidence"`
		Verified   bool   `json:"verified"`
	} `json:"fields"`
}

type provEntity struct {
	Typename   string      `json:"__typename"`
	Key        string      `json:"key"`
	Level      int         `json:"level"`
	Provenance *provenance `json:"provenance"`
}

const provFragment = ` fragment P on Node { __typename
	... on LifeEvent { key provenance { ...Prov } } ... on FocusArea { key provenance { ...Prov } }
	... on Initiative { key provenance { ...Prov } } ... on Tiltak { key provenance { ...Prov } }
	... on Body { key provenance { ...Prov } } ... on Forum { key provenance { ...Prov } }
	... on GovernanceLevel { level provenance { ...Prov } } }
	fragment Prov on Provenance { confidence verified sources { id title url } fields { field confidence verified } }`

// allProvenance reads the provenance of every entity of the plan.
func allProvenance(t *testing.T, srv *httptest.Server) []provEntity {
	t.Helper()
	var got struct {
		LifeEvents       struct{ Nodes []provEntity } `json:"lifeEvents"`
		FocusAreas       struct{ Nodes []provEntity } `json:"focusAreas"`
		Initiatives      struct{ Nodes []provEntity } `json:"initiatives"`
		Tiltak           struct{ Nodes []provEntity } `json:"tiltak"`
		Forums           []provEntity                 `json:"forums"`
		GovernanceLevels []provEntity                 `json:"governanceLevels"`
	}
	mustQuery(t, srv, `{
		lifeEvents(first: 100) { nodes { ...P } } focusAreas(first: 100) { nodes { ...P } }
		initiatives(first: 100) { nodes { ...P } } tiltak(first: 100) { nodes { ...P } }
		forums { ...P } governanceLevels { ...P } }`+provFragment, nil, &got)
	out := slices.Concat(got.LifeEvents.Nodes, got.FocusAreas.Nodes, got.Initiatives.Nodes, got.Tiltak.Nodes, got.Forums, got.GovernanceLevels)
	return append(out, pageAllNodes[provEntity](t, srv, `query($after: String) { bodies(first: 100, after: $after) {
		nodes { ...P } pageInfo { hasNextPage endCursor } } }`+provFragment, "bodies")...)
}

// A user reads `verified` to decide whether to trust a fact: it is true
// exactly for facts read in a source or in code, never for one from
// memory, over every entity and field of the default data; and every
// source cited is one the API can name.
func TestProvenance(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ents := allProvenance(t, srv)
	if len(ents) != 471 {
		t.Fatalf("read %d entities, want all 471 of the default data", len(ents))
	}

	var sources struct {
		Sources []struct{ ID, Title string }
	}
	mustQuery(t, srv, `{ sources { id title } }`, nil, &sources)
	known := map[string]string{}
	for _, s := range sources.Sources {
		known[s.ID] = s.Title
	}
	if len(known) == 0 {
		t.Fatal("sources is empty")
	}

	plan := defaultPlan(t)
	want := planProvenance(plan)
	verified := func(c string) bool { return c == "VERIFIED_IN_SOURCE" || c == "VERIFIED_IN_CODE" }
	var fromMemory, fieldsFromMemory int
	for _, e := range ents {
		id := e.Typename + " " + e.Key
		if e.Typename == "GovernanceLevel" {
			id = e.Typename + " " + string(rune('0'+e.Level))
		}
		p := e.Provenance
		w := want[id]
		if p == nil {
			if w != nil {
				t.Errorf("%s: provenance null, want %s", id, w.Confidence)
			}
			continue
		}
		if w == nil {
			t.Errorf("%s: has provenance %s the default data does not give", id, p.Confidence)
			continue
		}
		if p.Confidence != string(w.Confidence) {
			t.Errorf("%s: confidence %s, want %s as in the default data", id, p.Confidence, w.Confidence)
		}
		if p.Verified != verified(p.Confidence) {
			t.Errorf("%s: confidence %s with verified %v", id, p.Confidence, p.Verified)
		}
		if p.Confidence == "FROM_MEMORY" {
			fromMemory++
		}
		var gotIDs []string
		for _, s := range p.Sources {
			gotIDs = append(gotIDs, s.ID)
			title, ok := known[s.ID]
			switch {
			case !ok:
				t.Errorf("%s cites source %q, which sources does not list", id, s.ID)
			case s.Title == "" || s.Title == s.ID || s.Title != title:
				t.Errorf("%s cites source %q titled %q, want %q", id, s.ID, s.Title, title)
			}
		}
		if !slices.Equal(gotIDs, w.SourceIDs) {
			t.Errorf("%s cites %v, want %v", id, gotIDs, w.SourceIDs)
		}
		if len(p.Fields) != len(w.Fields) {
			t.Errorf("%s: %d field provenances, want %d", id, len(p.Fields), len(w.Fields))
			continue
		}
		for i, f := range p.Fields {
			if f.Field != w.Fields[i].Field || f.Confidence != string(w.Fields[i].Confidence) {
				t.Errorf("%s field %d: %s %s, want %s %s", id, i, f.Field, f.Confidence, w.Fields[i].Field, w.Fields[i].Confidence)
			}
			if f.Verified != verified(f.Confidence) {
				t.Errorf("%s field %s: confidence %s with verified %v", id, f.Field, f.Confidence, f.Verified)
			}
			if f.Confidence == "FROM_MEMORY" {
				fieldsFromMemory++
			}
		}
	}
	// The check above means something only if the data holds such facts.
	if fromMemory == 0 || fieldsFromMemory == 0 {
		t.Errorf("%d entities and %d fields from memory: the default data should have some of each", fromMemory, fieldsFromMemory)
	}
}

// planProvenance indexes the default data's provenance like provEntity's id.
func planProvenance(p *store.Plan) map[string]*store.Provenance {
	out := map[string]*store.Provenance{}
	for _, x := range p.LifeEvents {
		out["LifeEvent "+x.Key] = x.Provenance
	}
	for _, x := range p.FocusAreas {
		out["FocusArea "+x.Key] = x.Provenance
	}
	for _, x := range p.Initiatives {
		out["Initiative "+x.Key] = x.Provenance
	}
	for _, x := range p.Tiltak {
		out["Tiltak "+x.Key] = x.Provenance
	}
	for _, x := range p.Bodies {
		out["Body "+x.Key] = x.Provenance
	}
	for _, x := range p.Forums {
		out["Forum "+x.Key] = x.Provenance
	}
	for _, x := range p.GovernanceLevels {
		out["GovernanceLevel "+string(rune('0'+x.Level))] = x.Provenance
	}
	return out
}
