package integration_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// change is an audit entry as the API shows it.
type change struct {
	Seq        int
	At         string
	Op         string
	EntityKind string
	EntityKey  string
	TokenName  *string
	Body       *struct{ Key string }
	Fields     []struct{ Field, Before, After string }
}

const changeSel = `seq at op entityKind entityKey tokenName body { key } fields { field before after }`

// changes reads the audit trail with a ChangeFilter (nil for none),
// newest first.
func (e *env) changes(filter map[string]any) []change {
	e.t.Helper()
	var d struct{ Changes struct{ Nodes []change } }
	e.query("", `query($f: ChangeFilter) { changes(filter: $f, first: 100) { nodes { `+changeSel+` } } }`, map[string]any{"f": filter}, &d)
	return d.Changes.Nodes
}

func seqs(cs []change) []int {
	var out []int
	for _, c := range cs {
		out = append(out, c.Seq)
	}
	return out
}

// field returns the before and after of one field of a change.
func (c change) field(name string) (before, after string, ok bool) {
	for _, f := range c.Fields {
		if f.Field == name {
			return f.Before, f.After, true
		}
	}
	return "", "", false
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestAuditTrail: every write is in the audit trail with who made it (the
// token's name and body) and every changed field before and after; the
// trail can be filtered by entity, acting body and time; each entity's
// history is its own changes, newest first; and a refused write leaves no
// trace.
func TestAuditTrail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	admin := e.token("kmd", store.RoleAdmin, "drift")
	editor := e.token("digdir", store.RoleEditor, "sekretariatet")
	reporter := e.token("digdir", store.RoleReporter, "digdir-rapportering")
	reader := e.token("nav", store.RoleReader, "nav-lesing")
	base := int(e.lastSeq())
	var old struct {
		T struct{ Description string } `json:"tiltakByKey"`
	}
	e.query("", `query($k: String!) { tiltakByKey(key: $k) { description } }`, map[string]any{"k": ownTiltak}, &old)

	// Four writes by three tokens of two bodies.
	e.mustMutate(editor, updateTiltakDoc, map[string]any{"in": map[string]any{"key": ownTiltak, "description": "Ny beskrivelse"}}, nil)
	e.mustMutate(admin, createBodyDoc, map[string]any{"in": map[string]any{"key": "ny-etat", "name": "Ny etat", "kind": "AGENCY"}}, nil)
	e.mustMutate(admin, deleteBodyDoc, map[string]any{"in": map[string]any{"key": "ny-etat"}}, nil)
	e.mustMutate(reporter, updateTiltakDoc, map[string]any{"in": map[string]any{"key": ownTiltak, "title": "Digitalt dødsbo (ny tittel)"}}, nil)

	all := e.changes(nil)
	all = slices.DeleteFunc(all, func(c change) bool { return c.Seq <= base })
	if len(all) != 4 {
		t.Fatalf("%d audit entries, want 4: %+v", len(all), all)
	}
	if !slices.IsSortedFunc(all, func(a, b change) int { return b.Seq - a.Seq }) || all[0].Seq <= all[3].Seq {
		t.Errorf("changes not newest first: seqs %v", seqs(all))
	}
	upd, create, del, rep := all[3], all[2], all[1], all[0]

	t.Run("an update records the token, its body and the field before and after", func(t *testing.T) {
		if upd.Op != "UPDATE" || upd.EntityKind != "Tiltak" || upd.EntityKey != ownTiltak {
			t.Errorf("entry %+v, want UPDATE of Tiltak %s", upd, ownTiltak)
		}
		if deref(upd.TokenName) != "sekretariatet" || upd.Body == nil || upd.Body.Key != "digdir" {
			t.Errorf("entry by %v of %v, want sekretariatet of digdir", deref(upd.TokenName), upd.Body)
		}
		if len(upd.Fields) != 1 || upd.Fields[0].Field != "description" ||
			upd.Fields[0].Before != jsonString(old.T.Description) || upd.Fields[0].After != jsonString("Ny beskrivelse") {
			t.Errorf("fields %+v, want only description from %q to %q", upd.Fields, old.T.Description, "Ny beskrivelse")
		}
	})
	t.Run("a create and a delete record every field from and to null", func(t *testing.T) {
		if create.Op != "CREATE" || create.EntityKind != "Body" || create.EntityKey != "ny-etat" || deref(create.TokenName) != "drift" || create.Body == nil || create.Body.Key != "kmd" {
			t.Errorf("create entry %+v", create)
		}
		for name, want := range map[string]string{"key": `"ny-etat"`, "name": `"Ny etat"`, "kind": `"AGENCY"`} {
			if b, a, ok := create.field(name); !ok || b != "null" || a != want {
				t.Errorf("create field %s: %q → %q, want null → %s", name, b, a, want)
			}
		}
		if del.Op != "DELETE" || del.EntityKey != "ny-etat" {
			t.Errorf("delete entry %+v", del)
		}
		if b, a, ok := del.field("name"); !ok || b != `"Ny etat"` || a != "null" {
			t.Errorf("delete field name: %q → %q, want \"Ny etat\" → null", b, a)
		}
		if rep.Op != "UPDATE" || deref(rep.TokenName) != "digdir-rapportering" {
			t.Errorf("REPORTER's entry %+v", rep)
		}
	})
	t.Run("filters", func(t *testing.T) {
		e := e.with(t)
		tests := []struct {
			name   string
			filter map[string]any
			want   []change
		}{
			{"entityKey", map[string]any{"entityKey": ownTiltak}, []change{rep, upd}},
			{"entityKey of a deleted body", map[string]any{"entityKey": "ny-etat"}, []change{del, create}},
			{"bodyKey", map[string]any{"bodyKey": "kmd"}, []change{del, create}},
			{"bodyKey of another body", map[string]any{"bodyKey": "digdir"}, []change{rep, upd}},
			{"bodyKey with no changes", map[string]any{"bodyKey": "nav"}, nil},
			{"since, inclusive", map[string]any{"since": del.At}, []change{rep, del}},
			{"since after the last", map[string]any{"since": "2099-01-01T00:00:00Z"}, nil},
			{"entityKey and since", map[string]any{"entityKey": ownTiltak, "since": create.At}, []change{rep}},
			{"entityKey and bodyKey", map[string]any{"entityKey": ownTiltak, "bodyKey": "kmd"}, nil},
		}
		for _, tt := range tests {
			if got := e.changes(tt.filter); !slices.Equal(seqs(got), seqs(tt.want)) {
				t.Errorf("%s %v: seqs %v, want %v", tt.name, tt.filter, seqs(got), seqs(tt.want))
			}
		}
	})
	t.Run("a tiltak's history is its changes, newest first", func(t *testing.T) {
		e := e.with(t)
		var d struct {
			T struct{ History struct{ Nodes []change } } `json:"tiltakByKey"`
		}
		e.query("", `query($k: String!) { tiltakByKey(key: $k) { history(first: 10) { nodes { `+changeSel+` } } } }`, map[string]any{"k": ownTiltak}, &d)
		if got := d.T.History.Nodes; !slices.Equal(seqs(got), seqs([]change{rep, upd})) {
			t.Errorf("history seqs %v, want %v", seqs(got), seqs([]change{rep, upd}))
		}
	})
	t.Run("refused and empty writes leave no trace", func(t *testing.T) {
		e := e.with(t)
		refused := []struct {
			secret, doc string
			vars        map[string]any
		}{
			{reader, updateTiltakDoc, map[string]any{"in": map[string]any{"key": ownTiltak, "description": "lest"}}},
			{reporter, updateTiltakDoc, map[string]any{"in": map[string]any{"key": otherTiltak, "description": "andres"}}},
			{"", createBodyDoc, map[string]any{"in": map[string]any{"key": "anonym", "name": "Anonym", "kind": "OTHER"}}},
			{"hp_ugyldig", createBodyDoc, map[string]any{"in": map[string]any{"key": "ugyldig", "name": "Ugyldig", "kind": "OTHER"}}},
		}
		for _, r := range refused {
			if resp := e.post(r.secret, r.doc, r.vars); len(resp.Errors) == 0 {
				t.Fatalf("not refused: %s", resp.Raw)
			}
		}
		// Writing what is already stored is no change.
		e.mustMutate(editor, updateTiltakDoc, map[string]any{"in": map[string]any{"key": ownTiltak, "description": "Ny beskrivelse"}}, nil)
		if got := int(e.lastSeq()); got != all[0].Seq {
			t.Errorf("the newest audit entry is %d, want %d", got, all[0].Seq)
		}
	})
	t.Run("the operator's own writes are by system, of no body", func(t *testing.T) {
		e := e.with(t)
		if _, err := e.db.CreateTiltak(context.Background(), store.System, &store.Tiltak{Key: "fra-kommandolinjen", Title: "Fra kommandolinjen", ResponsibleKey: "digdir", GovernanceLevel: 3}); err != nil {
			t.Fatal(err)
		}
		got := e.changes(map[string]any{"entityKey": "fra-kommandolinjen"})
		if len(got) != 1 || deref(got[0].TokenName) != "system" || got[0].Body != nil {
			t.Errorf("entries %+v, want one by system with no body", got)
		}
	})
}
