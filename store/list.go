package store

import (
	"sort"
)

// A listPlan says how to answer a filtered list: walk one key stream (a
// record prefix or a relationship index) or a candidate list already in
// memory, keeping the keys that match the rest of the filter.
type listPlan struct {
	prefix       []byte
	candidates   []string // sorted; used when materialized
	materialized bool
	match        func(key string) (bool, error) // nil accepts every key
}

func prefixPlan(prefix []byte, match func(string) (bool, error)) listPlan {
	return listPlan{prefix: prefix, match: match}
}

func candidatePlan(keys []string, match func(string) (bool, error)) listPlan {
	sort.Strings(keys)
	return listPlan{candidates: dedupeSorted(keys), materialized: true, match: match}
}

func dedupeSorted(keys []string) []string {
	out := keys[:0]
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			out = append(out, k)
		}
	}
	return out
}

// page returns one page of keys in key order.
func (s *Snapshot) page(lp listPlan, args PageArgs) (Page, error) {
	if !lp.materialized {
		return s.pageScan(lp.prefix, lp.match, args)
	}
	if err := CheckPageArgs(args); err != nil {
		return Page{}, err
	}
	keys, err := s.filterKeys(lp.candidates, lp.match)
	if err != nil {
		return Page{}, err
	}
	return pageSlice(keys, args)
}

// all returns every matching key in key order.
func (s *Snapshot) all(lp listPlan) ([]string, error) {
	if lp.materialized {
		return s.filterKeys(lp.candidates, lp.match)
	}
	var out []string
	err := s.scanKeys(lp.prefix, "", false, func(k string) (bool, error) {
		if lp.match != nil {
			ok, err := lp.match(k)
			if err != nil || !ok {
				return true, err
			}
		}
		out = append(out, k)
		return true, nil
	})
	return out, err
}

// count returns how many keys match, reading no values when the key
// stream alone answers the filter.
func (s *Snapshot) count(lp listPlan) (int, error) {
	if lp.match == nil {
		if lp.materialized {
			return len(lp.candidates), nil
		}
		return s.countPrefix(lp.prefix), nil
	}
	keys, err := s.all(lp)
	return len(keys), err
}

func (s *Snapshot) filterKeys(keys []string, match func(string) (bool, error)) ([]string, error) {
	if match == nil {
		return keys, nil
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		ok, err := match(k)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// OrderDirection is ascending or descending.
type OrderDirection string

// The order directions.
const (
	Asc  OrderDirection = "ASC"
	Desc OrderDirection = "DESC"
)

// pageOrdered pages through keys sorted by less (then by key), for orders
// other than by key. The cursor is the entity key; its position is looked
// up in the ordered list.
func pageOrdered(keys []string, less func(a, b string) bool, args PageArgs) (Page, error) {
	w, err := args.window()
	if err != nil {
		return Page{}, err
	}
	sort.SliceStable(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	pos := map[string]int{}
	for i, k := range keys {
		pos[k] = i
	}
	lo, hi := 0, len(keys)
	if w.after != "" {
		i, ok := pos[w.after]
		if !ok {
			return Page{}, Errorf(Invalid, "cursor %q points at an item that is no longer in this list", EncodeCursor(w.after))
		}
		lo = i + 1
	}
	if w.before != "" {
		i, ok := pos[w.before]
		if !ok {
			return Page{}, Errorf(Invalid, "cursor %q points at an item that is no longer in this list", EncodeCursor(w.before))
		}
		hi = i
	}
	if hi < lo {
		hi = lo
	}
	p := Page{}
	if w.backward {
		start := max(lo, hi-w.last)
		p.Keys, p.HasPreviousPage, p.HasNextPage = keys[start:hi], start > lo, hi < len(keys)
	} else {
		end := min(hi, lo+w.first)
		p.Keys, p.HasNextPage, p.HasPreviousPage = keys[lo:end], end < hi, lo > 0
	}
	return p, nil
}
