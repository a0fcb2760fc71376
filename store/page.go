package store

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
)

// MaxPageSize is the largest page a connection returns.
const MaxPageSize = 100

// DefaultPageSize is the page size when neither first nor last is given.
const DefaultPageSize = 20

// PageArgs are the Relay connection arguments.
type PageArgs struct {
	First  *int
	After  *string
	Last   *int
	Before *string
}

// Page is one page of entity keys, in order.
type Page struct {
	Keys            []string
	HasNextPage     bool
	HasPreviousPage bool
}

// Cursor returns the opaque cursor of the entity key at position i.
func (p Page) Cursor(i int) string { return EncodeCursor(p.Keys[i]) }

// EncodeCursor returns the opaque cursor for an entity key.
func EncodeCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("c:" + key))
}

// DecodeCursor returns the entity key in a cursor made by [EncodeCursor].
// Returns Invalid naming the cursor if it is malformed.
func DecodeCursor(c string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(raw), "c:") || len(raw) < 3 || !validKeyChars(string(raw[2:])) {
		return "", Errorf(Invalid, "malformed cursor %q: use a cursor from this connection's pageInfo or edges", c)
	}
	return string(raw[2:]), nil
}

func validKeyChars(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == ':' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}

// pageWindow is PageArgs checked and decoded.
type pageWindow struct {
	first, last   int
	after, before string
	backward      bool
}

func (a PageArgs) window() (pageWindow, error) {
	w := pageWindow{first: -1, last: -1}
	if a.First != nil {
		if *a.First < 0 || *a.First > MaxPageSize {
			return w, FieldErrorf(Invalid, "first", "first must be between 0 and %d, got %d", MaxPageSize, *a.First)
		}
		w.first = *a.First
	}
	if a.Last != nil {
		if *a.Last < 0 || *a.Last > MaxPageSize {
			return w, FieldErrorf(Invalid, "last", "last must be between 0 and %d, got %d", MaxPageSize, *a.Last)
		}
		w.last = *a.Last
	}
	if a.First != nil && a.Last != nil {
		return w, FieldErrorf(Invalid, "last", "give first or last, not both")
	}
	var err error
	if a.After != nil {
		if w.after, err = DecodeCursor(*a.After); err != nil {
			return w, err
		}
	}
	if a.Before != nil {
		if w.before, err = DecodeCursor(*a.Before); err != nil {
			return w, err
		}
	}
	if w.first < 0 && w.last < 0 {
		if w.before != "" && w.after == "" {
			w.last = DefaultPageSize
		} else {
			w.first = DefaultPageSize
		}
	}
	w.backward = w.last >= 0
	return w, nil
}

// pageScan pages through the entity keys under prefix (in key order),
// keeping those match accepts (match nil accepts all).
func (s *Snapshot) pageScan(prefix []byte, match func(key string) (bool, error), args PageArgs) (Page, error) {
	w, err := args.window()
	if err != nil {
		return Page{}, err
	}
	size := w.first
	from := w.after
	stop := w.before // forward: stop at before; backward: stop at after
	if w.backward {
		size, from, stop = w.last, w.before, w.after
	}
	var keys []string
	more := false
	err = s.scanKeys(prefix, from, w.backward, func(k string) (bool, error) {
		if stop != "" && ((!w.backward && k >= stop) || (w.backward && k <= stop)) {
			return false, nil
		}
		if match != nil {
			ok, err := match(k)
			if err != nil || !ok {
				return true, err
			}
		}
		if len(keys) == size {
			more = true
			return false, nil
		}
		keys = append(keys, k)
		return true, nil
	})
	if err != nil {
		return Page{}, err
	}
	p := Page{Keys: keys}
	if w.backward {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
		p.HasPreviousPage, p.HasNextPage = more, w.before != ""
	} else {
		p.HasNextPage, p.HasPreviousPage = more, w.after != ""
	}
	return p, nil
}

// pageSlice pages through keys already in memory, sorted.
func pageSlice(sorted []string, args PageArgs) (Page, error) {
	w, err := args.window()
	if err != nil {
		return Page{}, err
	}
	lo, hi := 0, len(sorted)
	if w.after != "" {
		lo = sort.SearchStrings(sorted, w.after)
		if lo < len(sorted) && sorted[lo] == w.after {
			lo++
		}
	}
	if w.before != "" {
		hi = sort.SearchStrings(sorted, w.before)
	}
	if hi < lo {
		hi = lo
	}
	p := Page{}
	if w.backward {
		start := max(lo, hi-w.last)
		p.Keys = sorted[start:hi]
		p.HasPreviousPage = start > lo
		p.HasNextPage = hi < len(sorted)
	} else {
		end := min(hi, lo+w.first)
		p.Keys = sorted[lo:end]
		p.HasNextPage = end < hi
		p.HasPreviousPage = lo > 0
	}
	return p, nil
}

// CheckPageArgs reports whether args are valid without running a query.
func CheckPageArgs(args PageArgs) error {
	_, err := args.window()
	return err
}

// key spells out the arguments, for memoising a page.
func (a PageArgs) key() string {
	v := func(p *int) string {
		if p == nil {
			return "-"
		}
		return strconv.Itoa(*p)
	}
	c := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return v(a.First) + "|" + c(a.After) + "|" + v(a.Last) + "|" + c(a.Before)
}
