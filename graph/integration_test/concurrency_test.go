package integration_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// updateResult is one writer's answer to updateTiltak.
type updateResult struct {
	writer int
	err    error
	r      struct {
		Tiltak *struct {
			Version     int
			Description string
		}
		UserErrors []userError
	}
}

// race sends n updateTiltak requests at once, writer i's input made by
// input(i), and returns the answers.
func race(e *env, secret string, n int, input func(i int) map[string]any) []updateResult {
	const doc = `mutation($in: UpdateTiltakInput!) { r: updateTiltak(input: $in) { tiltak { version description } userErrors { field message code } } }`
	out := make([]updateResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i].writer = i
			resp, err := e.send("Bearer "+secret, doc, map[string]any{"in": input(i)})
			if err == nil && len(resp.Errors) > 0 {
				err = fmt.Errorf("GraphQL errors: %s", resp.Raw)
			}
			if err == nil {
				var d struct{ R json.RawMessage }
				if err = json.Unmarshal(resp.Data, &d); err == nil {
					err = json.Unmarshal(d.R, &out[i].r)
				}
			}
			out[i].err = err
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// tiltakState reads a tiltak's version, description and UPDATE entries of
// its history (newest first).
type tiltakState struct {
	Version     int
	Description string
	History     struct {
		Nodes []struct {
			Op     string
			Fields []struct{ Field, Before, After string }
		}
	}
}

func (e *env) tiltakState(key string) tiltakState {
	e.t.Helper()
	var d struct {
		T tiltakState `json:"tiltakByKey"`
	}
	e.query("", `query($k: String!) { tiltakByKey(key: $k) { version description history(first: 100) { nodes { op fields { field before after } } } } }`, map[string]any{"k": key}, &d)
	return d.T
}

// TestConcurrentUpdatesSameVersion: when several integrators change the
// same tiltak from the same version at once, exactly one change is
// applied; the others are told CONFLICT (and can re-read and retry), and
// neither the stored value nor the audit trail mixes them up.
func TestConcurrentUpdatesSameVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	editor := e.token("digdir", store.RoleEditor, "sekretariatet")
	const writers = 16
	for round := range 3 {
		t.Run("round "+strconv.Itoa(round), func(t *testing.T) {
			e := e.with(t)
			before := e.tiltakState(ownTiltak)
			v := before.Version
			results := race(e, editor, writers, func(i int) map[string]any {
				return map[string]any{"key": ownTiltak, "expectedVersion": v, "description": fmt.Sprintf("round %d writer %d", round, i)}
			})
			winner := -1
			for _, res := range results {
				switch {
				case res.err != nil:
					t.Fatalf("writer %d: %v", res.writer, res.err)
				case len(res.r.UserErrors) == 0:
					if winner >= 0 {
						t.Errorf("writers %d and %d both won", winner, res.writer)
					}
					winner = res.writer
					if res.r.Tiltak == nil || res.r.Tiltak.Version != v+1 {
						t.Errorf("winner's tiltak = %+v, want version %d", res.r.Tiltak, v+1)
					}
				default:
					ue := res.r.UserErrors
					if len(ue) != 1 || ue[0].Code != "CONFLICT" || ptrString(ue[0].Field) != "expectedVersion" {
						t.Errorf("writer %d lost with %v, want one CONFLICT on expectedVersion", res.writer, ue)
					}
					if res.r.Tiltak != nil {
						t.Errorf("writer %d lost but got a tiltak back", res.writer)
					}
				}
			}
			if winner < 0 {
				t.Fatal("no writer won")
			}
			want := fmt.Sprintf("round %d writer %d", round, winner)
			after := e.tiltakState(ownTiltak)
			if after.Version != v+1 || after.Description != want {
				t.Errorf("stored version %d %q, want %d %q", after.Version, after.Description, v+1, want)
			}
			added := len(after.History.Nodes) - len(before.History.Nodes)
			if added != 1 {
				t.Fatalf("history grew by %d entries, want 1", added)
			}
			newest := after.History.Nodes[0]
			wantAfter, _ := json.Marshal(want)
			if newest.Op != "UPDATE" || len(newest.Fields) != 1 || newest.Fields[0].Field != "description" || newest.Fields[0].After != string(wantAfter) {
				t.Errorf("newest history entry %+v, want the winner's description change", newest)
			}
		})
	}
}

// TestConcurrentUpdatesWithoutVersion: writers that do not pin a version
// are applied one after the other; none is lost.
func TestConcurrentUpdatesWithoutVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	editor := e.token("digdir", store.RoleEditor, "sekretariatet")
	before := e.tiltakState(ownTiltak)
	const writers = 16
	for _, res := range race(e, editor, writers, func(i int) map[string]any {
		return map[string]any{"key": ownTiltak, "description": fmt.Sprintf("writer %d", i)}
	}) {
		if res.err != nil || len(res.r.UserErrors) > 0 {
			t.Fatalf("writer %d: %v %v", res.writer, res.err, res.r.UserErrors)
		}
	}
	after := e.tiltakState(ownTiltak)
	if after.Version != before.Version+writers {
		t.Errorf("version %d, want %d", after.Version, before.Version+writers)
	}
	if got := len(after.History.Nodes) - len(before.History.Nodes); got != writers {
		t.Errorf("history grew by %d, want %d", got, writers)
	}
	if want, _ := json.Marshal(after.Description); after.History.Nodes[0].Fields[0].After != string(want) {
		t.Errorf("newest history entry %+v does not end in the stored %q", after.History.Nodes[0], after.Description)
	}
}

// TestOptimisticConcurrencyEveryKind: for every kind of entity, an update
// or delete that names a version the entity has left is refused with
// CONFLICT and changes nothing, and an update naming the current version
// applies, moving the version on by one and updatedAt forward.
func TestOptimisticConcurrencyEveryKind(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	editor := e.token("digdir", store.RoleEditor, "sekretariatet")
	kinds := []struct {
		kind, read         string
		update, updateType string
		del, delType       string
		key                any
		field              string
	}{
		{"LifeEvent", `query($k: String!) { x: lifeEvent(key: $k) { version updatedAt v: description } }`,
			"updateLifeEvent", "UpdateLifeEventInput", "deleteLifeEvent", "DeleteInput", "dodsfall-og-arv", "description"},
		{"FocusArea", `query($k: String!) { x: focusArea(key: $k) { version updatedAt v: description } }`,
			"updateFocusArea", "UpdateFocusAreaInput", "deleteFocusArea", "DeleteInput", "deling-av-data", "description"},
		{"Initiative", `query($k: String!) { x: initiative(key: $k) { version updatedAt v: description } }`,
			"updateInitiative", "UpdateInitiativeInput", "deleteInitiative", "DeleteInput", "datafabrikken", "description"},
		{"Tiltak", `query($k: String!) { x: tiltakByKey(key: $k) { version updatedAt v: description } }`,
			"updateTiltak", "UpdateTiltakInput", "deleteTiltak", "DeleteInput", ownTiltak, "description"},
		{"Body", `query($k: String!) { x: body(key: $k) { version updatedAt v: shortName } }`,
			"updateBody", "UpdateBodyInput", "deleteBody", "DeleteInput", "kartverket", "shortName"},
		{"GovernanceLevel", `query($k: Int!) { x: governanceLevel(level: $k) { version updatedAt v: description } }`,
			"updateGovernanceLevel", "UpdateGovernanceLevelInput", "deleteGovernanceLevel", "DeleteGovernanceLevelInput", 3, "description"},
		{"Forum", `query($k: String!) { x: forum(key: $k) { version updatedAt v: description } }`,
			"updateForum", "UpdateForumInput", "deleteForum", "DeleteInput", "skate", "description"},
	}
	type entity struct {
		Version   int
		UpdatedAt time.Time
		V         string
	}
	for _, k := range kinds {
		t.Run(k.kind, func(t *testing.T) {
			e := e.with(t)
			read := func() entity {
				var d struct{ X entity }
				e.query("", k.read, map[string]any{"k": k.key}, &d)
				return d.X
			}
			keyField := "key"
			if k.kind == "GovernanceLevel" {
				keyField = "level"
			}
			v0 := read()

			e.mustMutate(editor, mutation(k.update, k.updateType), map[string]any{"in": map[string]any{keyField: k.key, "expectedVersion": v0.Version, k.field: "Første endring"}}, nil)
			v1 := read()
			if v1.Version != v0.Version+1 || !v1.UpdatedAt.After(v0.UpdatedAt) || v1.V != "Første endring" {
				t.Fatalf("after an update at the current version: %+v, was %+v", v1, v0)
			}

			before := e.touched(fmt.Sprint(k.key))
			for _, stale := range []struct{ doc, value string }{
				{mutation(k.update, k.updateType), "Andre endring"},
				{mutation(k.del, k.delType), ""},
			} {
				in := map[string]any{keyField: k.key, "expectedVersion": v0.Version}
				if stale.value != "" {
					in[k.field] = stale.value
				}
				_, ue := e.mutate(editor, stale.doc, map[string]any{"in": in})
				if len(ue) != 1 || ue[0].Code != "CONFLICT" || ptrString(ue[0].Field) != "expectedVersion" {
					t.Errorf("%s at stale version %d: userErrors %v, want one CONFLICT on expectedVersion", stale.doc, v0.Version, ue)
				}
			}
			requireUnchanged(t, before, e.touched(fmt.Sprint(k.key)))
			if got := read(); got != v1 {
				t.Errorf("after refused writes: %+v, want %+v", got, v1)
			}
		})
	}
}
