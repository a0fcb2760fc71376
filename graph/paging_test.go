package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
)

// pagedConn is a connection to page through: q takes $first, $after,
// $last and $before and selects the connection at path with connFields.
type pagedConn struct {
	name string
	q    string
	path []string
	want int // totalCount in the default data; -1: not checked

	// sizes are the page sizes to try; nil means 1, 7 and 100.
	sizes []int
}

var pagedConns = []pagedConn{
	{"tiltak", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: tiltak(first: $first, after: $after, last: $last, before: $before) { ` + connFields + ` } }`, []string{"c"}, 24, nil},
	{"bodies", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: bodies(first: $first, after: $after, last: $last, before: $before) { ` + connFields + ` } }`, []string{"c"}, 408, nil},
	{"bodies of kind MUNICIPALITY", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: bodies(first: $first, after: $after, last: $last, before: $before, filter: { kind: [MUNICIPALITY] }) { ` + connFields + ` } }`, []string{"c"}, 357,
		// Not 1: a kind filter has no index, so every page and every
		// totalCount reads all 408 bodies; 714 such pages take 45 s under -race.
		[]int{7, 100}},
	{"bodies of kind MINISTRY", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: bodies(first: $first, after: $after, last: $last, before: $before, filter: { kind: [MINISTRY] }) { ` + connFields + ` } }`, []string{"c"}, -1, nil},
	{"lifeEvents", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: lifeEvents(first: $first, after: $after, last: $last, before: $before) { ` + connFields + ` } }`, []string{"c"}, 7, nil},
	{"initiatives", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: initiatives(first: $first, after: $after, last: $last, before: $before) { ` + connFields + ` } }`, []string{"c"}, 10, nil},
	{"focusAreas", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: focusAreas(first: $first, after: $after, last: $last, before: $before) { ` + connFields + ` } }`, []string{"c"}, 8, nil},
	{"digdir's responsibleFor", `query($first: Int, $after: String, $last: Int, $before: String) {
		b: body(key: "digdir") { c: responsibleFor(first: $first, after: $after, last: $last, before: $before) { ` + connFields + ` } } }`, []string{"b", "c"}, -1, nil},
	{"tiltak with phase ACTIVE", `query($first: Int, $after: String, $last: Int, $before: String) {
		c: tiltak(first: $first, after: $after, last: $last, before: $before, filter: { phase: [ACTIVE] }) { ` + connFields + ` } }`, []string{"c"}, -1, nil},
}

// walkConn pages through c with pages of size, forwards (first/after) or
// backwards (last/before), and returns the keys in list order and the
// totalCount of the last page. It checks each page as it goes.
func walkConn(t *testing.T, srv *httptest.Server, c pagedConn, size int, backward bool) (keys []string, total int) {
	t.Helper()
	vars := map[string]any{}
	if backward {
		vars["last"] = size
	} else {
		vars["first"] = size
	}
	var pages [][]string
	for n := 0; ; n++ {
		if n > 500 {
			t.Fatalf("more than 500 pages")
		}
		var data json.RawMessage
		mustQuery(t, srv, c.q, vars, &data)
		var p conn
		if err := json.Unmarshal(jsonAt(t, data, c.path), &p); err != nil {
			t.Fatal(err)
		}
		total = p.TotalCount
		if len(p.Edges) > size {
			t.Fatalf("page %d has %d edges, more than the %d asked for", n, len(p.Edges), size)
		}
		if k := len(p.Edges); k > 0 {
			if p.PageInfo.StartCursor == nil || *p.PageInfo.StartCursor != p.Edges[0].Cursor ||
				p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[k-1].Cursor {
				t.Fatalf("page %d: startCursor/endCursor %v/%v are not the first and last edge's cursors", n, p.PageInfo.StartCursor, p.PageInfo.EndCursor)
			}
		}
		pages = append(pages, p.keys())
		more := p.PageInfo.HasNextPage
		if backward {
			more = p.PageInfo.HasPreviousPage
		}
		if !more {
			break
		}
		if len(p.Edges) == 0 {
			t.Fatalf("page %d is empty but says there is more", n)
		}
		if len(p.Edges) < size {
			t.Errorf("page %d has %d edges, fewer than the %d asked for, and says there is more", n, len(p.Edges), size)
		}
		if backward {
			vars["before"] = *p.PageInfo.StartCursor
		} else {
			vars["after"] = *p.PageInfo.EndCursor
		}
	}
	if backward {
		slices.Reverse(pages)
	}
	return slices.Concat(pages...), total
}

// Paging through a connection, forwards or backwards, with any page size,
// visits each item exactly once, in key order, and totalCount says how many
// there are: a client that pages never misses or repeats a tiltak.
func TestPagingVisitsEachItemOnce(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, c := range pagedConns {
		sizes := c.sizes
		if sizes == nil {
			sizes = []int{1, 7, 100}
		}
		for _, size := range sizes {
			for _, backward := range []bool{false, true} {
				dir := map[bool]string{false: "first", true: "last"}[backward]
				t.Run(fmt.Sprintf("%s/%s %d", c.name, dir, size), func(t *testing.T) {
					t.Parallel()
					ref, total := walkConn(t, srv, c, 100, false)
					if c.want >= 0 && total != c.want {
						t.Errorf("totalCount = %d, want %d", total, c.want)
					}
					if len(ref) == 0 {
						t.Fatalf("no items: the test needs some")
					}
					if !slices.IsSorted(ref) {
						t.Errorf("not in key order: %v", ref)
					}
					keys, n := walkConn(t, srv, c, size, backward)
					if n != total {
						t.Errorf("totalCount %d, want %d on every page", n, total)
					}
					if len(keys) != total {
						t.Errorf("visited %d items, totalCount %d", len(keys), total)
					}
					if d := firstDuplicate(keys); d != "" {
						t.Errorf("%s visited twice", d)
					}
					if !slices.Equal(keys, ref) {
						t.Errorf("visited %v…, want %v…", first10(keys), first10(ref))
					}
				})
			}
		}
	}
}

func first10(s []string) []string { return s[:min(len(s), 10)] }

// A page in the middle of a list knows it has neighbours both ways, and
// after/before together select the items strictly between two cursors.
func TestPagingWindow(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const q = `query($first: Int, $after: String, $last: Int, $before: String) {
		c: lifeEvents(first: $first, after: $after, last: $last, before: $before) { ` + connFields + ` } }`
	var all struct{ C conn }
	mustQuery(t, srv, q, map[string]any{"first": 100}, &all)
	if len(all.C.Edges) != 7 {
		t.Fatalf("%d life events, want 7", len(all.C.Edges))
	}
	e := all.C.Edges
	keys := all.C.keys()

	var mid struct{ C conn }
	mustQuery(t, srv, q, map[string]any{"first": 2, "after": e[1].Cursor}, &mid)
	if got := mid.C.keys(); !slices.Equal(got, keys[2:4]) {
		t.Errorf("first 2 after #1 = %v, want %v", got, keys[2:4])
	}
	if !mid.C.PageInfo.HasNextPage || !mid.C.PageInfo.HasPreviousPage {
		t.Errorf("first 2 after #1: pageInfo %+v, want both hasNextPage and hasPreviousPage", mid.C.PageInfo)
	}

	var between struct{ C conn }
	mustQuery(t, srv, q, map[string]any{"after": e[1].Cursor, "before": e[5].Cursor}, &between)
	if got := between.C.keys(); !slices.Equal(got, keys[2:5]) {
		t.Errorf("after #1 before #5 = %v, want %v", got, keys[2:5])
	}

	var zero struct{ C conn }
	mustQuery(t, srv, q, map[string]any{"first": 0}, &zero)
	if len(zero.C.Edges) != 0 || zero.C.TotalCount != 7 || !zero.C.PageInfo.HasNextPage {
		t.Errorf("first: 0 = %d edges, totalCount %d, pageInfo %+v; want none, 7, hasNextPage", len(zero.C.Edges), zero.C.TotalCount, zero.C.PageInfo)
	}

	var def struct{ C conn }
	mustQuery(t, srv, `{ c: bodies { `+connFields+` } }`, nil, &def)
	if len(def.C.Edges) != 20 || !def.C.PageInfo.HasNextPage {
		t.Errorf("bodies with no page size: %d edges, hasNextPage %v; want the default 20 and more", len(def.C.Edges), def.C.PageInfo.HasNextPage)
	}
}
