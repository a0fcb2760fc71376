package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"handlingsplan/store"
)

// The default data holds the seven prioritised life events; a dashboard
// starts by counting them.
func TestLifeEventsTotalCount(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var got struct {
		LifeEvents struct{ TotalCount int } `json:"lifeEvents"`
	}
	mustQuery(t, srv, `{ lifeEvents { totalCount } }`, nil, &got)
	if got.LifeEvents.TotalCount != 7 {
		t.Errorf("lifeEvents.totalCount = %d, want 7", got.LifeEvents.TotalCount)
	}
}

// name(lang: EN) gives the English name; without lang, or with NB, the
// bokmål name. Checked against the default data for every life event and
// focus area.
func TestNameLanguage(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	plan := defaultPlan(t)
	type named struct {
		Key string `json:"key"`
		Def string `json:"def"`
		Nb  string `json:"nb"`
		En  string `json:"en"`
	}
	var got struct {
		LifeEvents struct{ Nodes []named } `json:"lifeEvents"`
		FocusAreas struct{ Nodes []named } `json:"focusAreas"`
		Dodsfall   named                   `json:"lifeEvent"`
	}
	mustQuery(t, srv, `{
		lifeEvents(first: 100) { nodes { key def: name nb: name(lang: NB) en: name(lang: EN) } }
		focusAreas(first: 100) { nodes { key def: name nb: name(lang: NB) en: name(lang: EN) } }
		lifeEvent(key: "dodsfall-og-arv") { key def: name nb: name(lang: NB) en: name(lang: EN) }
	}`, nil, &got)

	if got.Dodsfall.Def != "Dødsfall og arv" || got.Dodsfall.Nb != "Dødsfall og arv" {
		t.Errorf("dodsfall-og-arv: name = %q, name(lang: NB) = %q, want «Dødsfall og arv»", got.Dodsfall.Def, got.Dodsfall.Nb)
	}
	if en := got.Dodsfall.En; en == "" || en == got.Dodsfall.Def || !strings.Contains(strings.ToLower(en), "death") {
		t.Errorf("dodsfall-og-arv: name(lang: EN) = %q, want the English name (about death)", en)
	}

	want := map[string][2]string{} // key → {nb, en}
	for _, e := range plan.LifeEvents {
		want["le:"+e.Key] = [2]string{e.NameNb, e.NameEn}
	}
	for _, f := range plan.FocusAreas {
		want["fa:"+f.Key] = [2]string{f.NameNb, f.NameEn}
	}
	check := func(prefix string, nodes []named) {
		if len(nodes) == 0 {
			t.Errorf("%s: no nodes", prefix)
		}
		for _, n := range nodes {
			w, ok := want[prefix+n.Key]
			if !ok {
				t.Errorf("%s %s: not in the default data", prefix, n.Key)
				continue
			}
			wantEn := w[1]
			if wantEn == "" {
				wantEn = w[0] // falls back to bokmål
			}
			if n.Def != w[0] || n.Nb != w[0] || n.En != wantEn {
				t.Errorf("%s %s: name = %q, NB = %q, EN = %q; want %q, %q, %q", prefix, n.Key, n.Def, n.Nb, n.En, w[0], w[0], wantEn)
			}
		}
	}
	check("le:", got.LifeEvents.Nodes)
	check("fa:", got.FocusAreas.Nodes)
}

// searchHit selects what a test needs of any search result.
const searchHit = `__typename
	... on LifeEvent { key name } ... on FocusArea { key name } ... on Initiative { key title }
	... on Tiltak { key title } ... on Forum { key name } ... on Body { key name }`

type hit struct {
	Typename string `json:"__typename"`
	Key      string `json:"key"`
	Name     string `json:"name"`
	Title    string `json:"title"`
}

// Search ignores case and diacritics and matches word prefixes, so a user
// typing without Norwegian letters still finds what they mean.
func TestSearch(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		text     string
		typename string
		key      string
		name     string // a prefix of the name the hit must carry
	}{
		{"dodsfall", "LifeEvent", "dodsfall-og-arv", "Dødsfall og arv"},
		{"DØDSFALL", "LifeEvent", "dodsfall-og-arv", "Dødsfall og arv"},
		{"okosystem", "FocusArea", "felles-okosystem", "Felles økosystem"},
		{"sykt barn", "LifeEvent", "alvorlig-sykt-barn", "Alvorlig sykt barn"},
		{"digdir", "Body", "digdir", "Digitaliseringsdirektoratet"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got struct {
				Search struct {
					TotalCount int   `json:"totalCount"`
					Nodes      []hit `json:"nodes"`
				} `json:"search"`
			}
			mustQuery(t, srv, `query($text: String!) { search(text: $text, first: 100) { totalCount nodes { `+searchHit+` } } }`,
				map[string]any{"text": tt.text}, &got)
			var found *hit
			for i, h := range got.Search.Nodes {
				if h.Typename == tt.typename && h.Key == tt.key {
					found = &got.Search.Nodes[i]
				}
			}
			if found == nil {
				t.Fatalf("search(%q) = %+v, want a %s %s among the hits", tt.text, got.Search.Nodes, tt.typename, tt.key)
			}
			if !strings.HasPrefix(found.Name+found.Title, tt.name) {
				t.Errorf("search(%q): %s %s is named %q, want «%s…»", tt.text, tt.typename, tt.key, found.Name+found.Title, tt.name)
			}
			if got.Search.TotalCount < 1 || got.Search.TotalCount < len(got.Search.Nodes) {
				t.Errorf("search(%q): totalCount %d with %d hits", tt.text, got.Search.TotalCount, len(got.Search.Nodes))
			}
		})
	}
	t.Run("every word must match", func(t *testing.T) {
		var got struct {
			Search struct {
				TotalCount int   `json:"totalCount"`
				Nodes      []hit `json:"nodes"`
			} `json:"search"`
		}
		mustQuery(t, srv, `{ search(text: "dodsfall zzzqqq", first: 100) { totalCount nodes { `+searchHit+` } } }`, nil, &got)
		if got.Search.TotalCount != 0 || len(got.Search.Nodes) != 0 {
			t.Errorf(`search("dodsfall zzzqqq") = %d hits %+v, want none`, got.Search.TotalCount, got.Search.Nodes)
		}
	})
}

// Paging through search results visits each hit once, in the same order
// as one big page, and totalCount counts them all.
func TestSearchPaging(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const q = `query($first: Int, $after: String) { search(text: "kommune", first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ` + searchHit + ` } } } }`
	type page struct {
		Search struct {
			TotalCount int      `json:"totalCount"`
			PageInfo   pageInfo `json:"pageInfo"`
			Edges      []struct {
				Cursor string `json:"cursor"`
				Node   hit    `json:"node"`
			} `json:"edges"`
		} `json:"search"`
	}
	walk := func(size int) (ids []string, total int) {
		vars := map[string]any{"first": size}
		for n := 0; ; n++ {
			if n > 1000 {
				t.Fatalf("page size %d: more than 1000 pages", size)
			}
			var p page
			mustQuery(t, srv, q, vars, &p)
			total = p.Search.TotalCount
			for _, e := range p.Search.Edges {
				ids = append(ids, e.Node.Typename+":"+e.Node.Key)
			}
			if !p.Search.PageInfo.HasNextPage {
				return ids, total
			}
			if len(p.Search.Edges) == 0 || p.Search.PageInfo.EndCursor == nil {
				t.Fatalf("page size %d: hasNextPage on an empty page or without endCursor", size)
			}
			vars["after"] = *p.Search.PageInfo.EndCursor
		}
	}
	big, total := walk(100)
	if total <= 100 {
		t.Fatalf(`search("kommune") has %d hits; the test needs more than one page of 100`, total)
	}
	for _, size := range []int{7, 100} {
		ids, total := walk(size)
		if len(ids) != total {
			t.Errorf("page size %d: visited %d hits, totalCount %d", size, len(ids), total)
		}
		if dup := firstDuplicate(ids); dup != "" {
			t.Errorf("page size %d: %s visited twice", size, dup)
		}
		if !slices.Equal(ids, big) {
			t.Errorf("page size %d: order differs from page size 100", size)
		}
	}
	// Plan structure comes first: no body before a life event, etc.
	rank := map[string]int{"LifeEvent": 1, "FocusArea": 2, "Initiative": 3, "Tiltak": 4, "Forum": 5, "Body": 6}
	for i := 1; i < len(big); i++ {
		a, b := strings.SplitN(big[i-1], ":", 2)[0], strings.SplitN(big[i], ":", 2)[0]
		if rank[a] > rank[b] {
			t.Errorf("search hits out of order: %s before %s", big[i-1], big[i])
			break
		}
	}
}

func firstDuplicate(keys []string) string {
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			return k
		}
		seen[k] = true
	}
	return ""
}

// Every entity's id leads back to it through node(id) and nodes(ids), and
// nodes keeps order and answers null for an ID that names nothing.
func TestNodeRoundTrip(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	type ent struct {
		ID       string `json:"id"`
		Typename string `json:"__typename"`
		Key      string `json:"key"`
		Level    int    `json:"level"`
	}
	const sel = `...N`
	const frag = ` fragment N on Node { id __typename ... on LifeEvent { key } ... on FocusArea { key } ... on Initiative { key }
		... on Tiltak { key } ... on Body { key } ... on Forum { key } ... on GovernanceLevel { level } }`
	var list struct {
		LifeEvents       struct{ Nodes []ent } `json:"lifeEvents"`
		FocusAreas       struct{ Nodes []ent } `json:"focusAreas"`
		Initiatives      struct{ Nodes []ent } `json:"initiatives"`
		Tiltak           struct{ Nodes []ent } `json:"tiltak"`
		Forums           []ent                 `json:"forums"`
		GovernanceLevels []ent                 `json:"governanceLevels"`
	}
	mustQuery(t, srv, `{
		lifeEvents(first: 100) { nodes { `+sel+` } }
		focusAreas(first: 100) { nodes { `+sel+` } }
		initiatives(first: 100) { nodes { `+sel+` } }
		tiltak(first: 100) { nodes { `+sel+` } }
		forums { `+sel+` }
		governanceLevels { `+sel+` }
	}`+frag, nil, &list)
	ents := slices.Concat(list.LifeEvents.Nodes, list.FocusAreas.Nodes, list.Initiatives.Nodes, list.Tiltak.Nodes, list.Forums, list.GovernanceLevels)
	for vars := (map[string]any{}); ; {
		var b struct {
			Bodies struct {
				Nodes    []ent
				PageInfo pageInfo
			}
		}
		mustQuery(t, srv, `query($after: String) { bodies(first: 100, after: $after) { nodes { `+sel+` } pageInfo { hasNextPage endCursor } } }`+frag, vars, &b)
		ents = append(ents, b.Bodies.Nodes...)
		if !b.Bodies.PageInfo.HasNextPage {
			break
		}
		vars["after"] = *b.Bodies.PageInfo.EndCursor
	}
	if len(ents) != 7+8+10+24+11+3+408 {
		t.Fatalf("got %d entities, want every entity of the default data (471)", len(ents))
	}

	// node(id) for each, in one document with an alias per entity.
	var doc strings.Builder
	doc.WriteString("query(")
	vars := map[string]any{}
	for i, e := range ents {
		fmt.Fprintf(&doc, "$id%d: ID!,", i)
		vars[fmt.Sprint("id", i)] = e.ID
	}
	doc.WriteString(") {")
	for i := range ents {
		fmt.Fprintf(&doc, " n%d: node(id: $id%d) { %s }", i, i, sel)
	}
	doc.WriteString(" }" + frag)
	var byNode map[string]ent
	mustQuery(t, srv, doc.String(), vars, &byNode)
	for i, e := range ents {
		if got := byNode[fmt.Sprint("n", i)]; got != e {
			t.Errorf("node(id: %q) = %+v, want %+v", e.ID, got, e)
		}
	}

	// nodes(ids) keeps order; an unknown but well-formed ID gives null.
	unknown := store.GlobalID(store.KindTiltak, "finnes-ikke")
	ids := []string{}
	for _, e := range ents {
		ids = append(ids, e.ID)
	}
	mid := len(ids) / 2
	ids = slices.Insert(ids, mid, unknown)
	slices.Reverse(ids) // not the order they were listed in
	var got struct{ Nodes []*ent }
	mustQuery(t, srv, `query($ids: [ID!]!) { nodes(ids: $ids) { `+sel+` } }`+frag, map[string]any{"ids": ids}, &got)
	if len(got.Nodes) != len(ids) {
		t.Fatalf("nodes(%d ids) returned %d", len(ids), len(got.Nodes))
	}
	for i, id := range ids {
		switch n := got.Nodes[i]; {
		case id == unknown && n != nil:
			t.Errorf("nodes[%d] for unknown ID %q = %+v, want null", i, id, *n)
		case id != unknown && (n == nil || n.ID != id):
			t.Errorf("nodes[%d] = %+v, want the entity with id %q", i, n, id)
		}
	}

	var one struct{ Node *ent }
	r := gqlPost(t, srv, "", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": unknown})
	if err := json.Unmarshal(r.Data, &one); err != nil || one.Node != nil {
		t.Errorf("node(id: unknown) = %s, want null", r.Data)
	}
}
