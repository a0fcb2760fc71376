package graph_test

import (
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"handlingsplan/store"
)

// edges is a set of links from → to.
type edges map[[2]string]bool

func (e edges) add(from string, to ...string) {
	for _, t := range to {
		e[[2]string{from, t}] = true
	}
}

// sameEdges reports the links one end shows and the other does not.
func sameEdges(t *testing.T, name string, a, b edges) {
	t.Helper()
	if len(a) == 0 && !strings.Contains(name, "dependsOn") {
		t.Errorf("%s: no links at all in the default data", name)
	}
	var onlyA, onlyB []string
	for k := range a {
		if !b[k] {
			onlyA = append(onlyA, k[0]+" → "+k[1])
		}
	}
	for k := range b {
		if !a[k] {
			onlyB = append(onlyB, k[0]+" → "+k[1])
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	if len(onlyA) > 0 || len(onlyB) > 0 {
		t.Errorf("%s: the two ends disagree\nonly in the first: %v\nonly in the second: %v", name, onlyA, onlyB)
	}
}

// pageAllNodes pages through a root connection 100 at a time, decoding
// each page's nodes with decode. q takes $after and selects the connection
// at root with `nodes { … } pageInfo { hasNextPage endCursor }`.
func pageAllNodes[N any](t *testing.T, srv *httptest.Server, q, root string) []N {
	t.Helper()
	var out []N
	vars := map[string]any{}
	for range 1000 {
		var page map[string]struct {
			Nodes    []N      `json:"nodes"`
			PageInfo pageInfo `json:"pageInfo"`
		}
		mustQuery(t, srv, q, vars, &page)
		out = append(out, page[root].Nodes...)
		if !page[root].PageInfo.HasNextPage {
			return out
		}
		vars["after"] = *page[root].PageInfo.EndCursor
	}
	t.Fatalf("%s: more than 1000 pages", root)
	return nil
}

// Every relationship of the default data reads the same from both ends,
// through GraphQL: a user who looks up a body sees the tiltak it is
// responsible for, and each of those tiltak names that body as responsible.
//
// The default data has no dependencies between tiltak, so the test runs a
// second time with a few added.
func TestRelationshipsReadTheSameFromBothEnds(t *testing.T) {
	t.Parallel()
	t.Run("default data", func(t *testing.T) { checkRelationships(t, newServer(t), false) })
	t.Run("with dependencies", func(t *testing.T) {
		srv := newServerWith(t, func(p *store.Plan) {
			for i, x := range p.Tiltak {
				switch x.Key {
				case "digitalt-dodsbo":
					p.Tiltak[i].DependsOnKeys = []string{"digital-gravferdsmelding", "livshendelse-dodsfall-og-arv"}
				case "nyinorge-no", "digital-gravferdsmelding":
					p.Tiltak[i].DependsOnKeys = []string{"livshendelse-dodsfall-og-arv"}
				}
			}
		})
		checkRelationships(t, srv, true)
	})
}

func checkRelationships(t *testing.T, srv *httptest.Server, withDeps bool) {
	// Nested connections start with small pages, so that reading the rest
	// (more, below) is exercised too.
	nested := `first: 3) { ` + connFields + ` }`

	type tiltak struct {
		Key          string  `json:"key"`
		Responsible  keyed   `json:"responsible"`
		Participants []keyed `json:"participants"`
		LifeEvents   []keyed `json:"lifeEvents"`
		Initiatives  []keyed `json:"initiatives"`
		DependsOn    []keyed `json:"dependsOn"`
		Dependents   conn    `json:"dependents"`
	}
	ts := pageAllNodes[tiltak](t, srv, `query($after: String) { tiltak(first: 100, after: $after) {
		nodes { key responsible { key } participants { key } lifeEvents { key } initiatives { key } dependsOn { key }
			dependents(`+nested+` }
		pageInfo { hasNextPage endCursor } } }`, "tiltak")

	type body struct {
		Key            string  `json:"key"`
		Parent         *keyed  `json:"parent"`
		Children       []keyed `json:"children"`
		Forums         []keyed `json:"forums"`
		ResponsibleFor conn    `json:"responsibleFor"`
		ParticipatesIn conn    `json:"participatesIn"`
	}
	bs := pageAllNodes[body](t, srv, `query($after: String) { bodies(first: 100, after: $after) {
		nodes { key parent { key } children { key } forums { key } responsibleFor(`+nested+` participatesIn(`+nested+` }
		pageInfo { hasNextPage endCursor } } }`, "bodies")

	type lifeEvent struct {
		Key         string  `json:"key"`
		Initiatives []keyed `json:"initiatives"`
		Tiltak      conn    `json:"tiltak"`
	}
	les := pageAllNodes[lifeEvent](t, srv, `query($after: String) { lifeEvents(first: 100, after: $after) {
		nodes { key initiatives { key } tiltak(`+nested+` }
		pageInfo { hasNextPage endCursor } } }`, "lifeEvents")

	type initiative struct {
		Key        string  `json:"key"`
		FocusArea  keyed   `json:"focusArea"`
		LifeEvents []keyed `json:"lifeEvents"`
		Tiltak     conn    `json:"tiltak"`
	}
	is := pageAllNodes[initiative](t, srv, `query($after: String) { initiatives(first: 100, after: $after) {
		nodes { key focusArea { key } lifeEvents { key } tiltak(`+nested+` }
		pageInfo { hasNextPage endCursor } } }`, "initiatives")

	type focusArea struct {
		Key         string  `json:"key"`
		Initiatives []keyed `json:"initiatives"`
	}
	fas := pageAllNodes[focusArea](t, srv, `query($after: String) { focusAreas(first: 100, after: $after) {
		nodes { key initiatives { key } } pageInfo { hasNextPage endCursor } } }`, "focusAreas")

	var forums struct {
		Forums []struct {
			Key     string  `json:"key"`
			Members []keyed `json:"members"`
		} `json:"forums"`
	}
	mustQuery(t, srv, `{ forums { key members { key } } }`, nil, &forums)

	if len(ts) != 24 || len(bs) != 408 || len(les) != 7 || len(is) != 10 || len(fas) != 8 || len(forums.Forums) != 11 {
		t.Fatalf("read %d tiltak, %d bodies, %d life events, %d initiatives, %d focus areas, %d forums; want 24, 408, 7, 10, 8, 11",
			len(ts), len(bs), len(les), len(is), len(fas), len(forums.Forums))
	}

	// A nested connection may have more than one page: read the rest.
	pagedOn := 0
	more := func(c conn, parent, field, key string) []string {
		if c.PageInfo.HasNextPage {
			pagedOn++
		}
		q := `query($key: String!, $after: String) { p: ` + parent + `(key: $key) { c: ` + field + `(first: 100, after: $after) { ` + connFields + ` } } }`
		keys := pageRest(t, srv, c, q, map[string]any{"key": key}, "p", "c")
		if len(keys) != c.TotalCount {
			t.Errorf("%s(key: %q).%s: paged through %d, totalCount %d", parent, key, field, len(keys), c.TotalCount)
		}
		return keys
	}

	var (
		responsible, responsibleFor = edges{}, edges{} // tiltak → body
		participants, participates  = edges{}, edges{} // tiltak → body
		tiltakLE, leTiltak          = edges{}, edges{} // tiltak → life event
		tiltakIn, inTiltak          = edges{}, edges{} // tiltak → initiative
		dependsOn, dependents       = edges{}, edges{} // tiltak → tiltak it depends on
		parent, children            = edges{}, edges{} // body → parent
		inFA, faIn                  = edges{}, edges{} // initiative → focus area
		leIn, inLE                  = edges{}, edges{} // life event → initiative
		bodyForums, members         = edges{}, edges{} // body → forum
	)
	for _, x := range ts {
		responsible.add(x.Key, x.Responsible.Key)
		participants.add(x.Key, keysOf(x.Participants)...)
		tiltakLE.add(x.Key, keysOf(x.LifeEvents)...)
		tiltakIn.add(x.Key, keysOf(x.Initiatives)...)
		dependsOn.add(x.Key, keysOf(x.DependsOn)...)
		for _, d := range more(x.Dependents, "tiltakByKey", "dependents", x.Key) {
			dependents.add(d, x.Key)
		}
	}
	for _, b := range bs {
		for _, k := range more(b.ResponsibleFor, "body", "responsibleFor", b.Key) {
			responsibleFor.add(k, b.Key)
		}
		for _, k := range more(b.ParticipatesIn, "body", "participatesIn", b.Key) {
			participates.add(k, b.Key)
		}
		if b.Parent != nil {
			parent.add(b.Key, b.Parent.Key)
		}
		for _, c := range b.Children {
			children.add(c.Key, b.Key)
		}
		bodyForums.add(b.Key, keysOf(b.Forums)...)
	}
	for _, e := range les {
		for _, k := range more(e.Tiltak, "lifeEvent", "tiltak", e.Key) {
			leTiltak.add(k, e.Key)
		}
		leIn.add(e.Key, keysOf(e.Initiatives)...)
	}
	for _, i := range is {
		inFA.add(i.Key, i.FocusArea.Key)
		for _, k := range more(i.Tiltak, "initiative", "tiltak", i.Key) {
			inTiltak.add(k, i.Key)
		}
		for _, e := range i.LifeEvents {
			inLE.add(e.Key, i.Key)
		}
	}
	for _, f := range fas {
		for _, i := range f.Initiatives {
			faIn.add(i.Key, f.Key)
		}
	}
	for _, f := range forums.Forums {
		for _, m := range f.Members {
			members.add(m.Key, f.Key)
		}
	}

	if pagedOn == 0 {
		t.Errorf("no nested connection had a second page: paging them was not tested")
	}

	sameEdges(t, "tiltak.responsible vs body.responsibleFor", responsible, responsibleFor)
	sameEdges(t, "tiltak.participants vs body.participatesIn", participants, participates)
	sameEdges(t, "tiltak.lifeEvents vs lifeEvent.tiltak", tiltakLE, leTiltak)
	sameEdges(t, "tiltak.initiatives vs initiative.tiltak", tiltakIn, inTiltak)
	sameEdges(t, "tiltak.dependsOn vs tiltak.dependents", dependsOn, dependents)
	if withDeps && len(dependsOn) != 4 {
		t.Errorf("tiltak.dependsOn shows %d links, want the 4 added: %v", len(dependsOn), dependsOn)
	}
	sameEdges(t, "body.parent vs body.children", parent, children)
	sameEdges(t, "initiative.focusArea vs focusArea.initiatives", inFA, faIn)
	sameEdges(t, "lifeEvent.initiatives vs initiative.lifeEvents", leIn, inLE)
	sameEdges(t, "body.forums vs forum.members", bodyForums, members)

	// The links are those of the default data, not merely consistent.
	plan := defaultPlan(t)
	want := edges{}
	for _, x := range plan.Tiltak {
		want.add(x.Key, x.ResponsibleKey)
	}
	sameEdges(t, "tiltak.responsible vs the default data", responsible, want)
	want = edges{}
	for _, f := range plan.Forums {
		for _, m := range f.MemberKeys {
			want.add(m, f.Key)
		}
	}
	sameEdges(t, "forum.members vs the default data", members, want)
	want = edges{}
	for _, b := range plan.Bodies {
		if b.ParentKey != "" {
			want.add(b.Key, b.ParentKey)
		}
	}
	sameEdges(t, "body.parent vs the default data", parent, want)

}
