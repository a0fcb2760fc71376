package store

import (
	"sort"
	"strings"
)

// SearchHit is one entity found by [Snapshot.Search].
type SearchHit struct {
	Kind Kind
	Key  string
}

// searchOrder ranks kinds in search results: plan structure first.
var searchOrder = map[Kind]string{
	KindLifeEvent: "1", KindFocusArea: "2", KindInitiative: "3", KindTiltak: "4", KindForum: "5", KindBody: "6",
}

// hitID is a hit's sortable identity, also used in its cursor.
func hitID(h SearchHit) string { return searchOrder[h.Kind] + kindShort[h.Kind] + "." + h.Key }

func parseHitID(id string) (SearchHit, bool) {
	if len(id) < 5 || id[3] != '.' {
		return SearchHit{}, false
	}
	k, ok := shortKind[id[1:3]]
	return SearchHit{Kind: k, Key: id[4:]}, ok
}

// SearchPage is one page of search hits.
type SearchPage struct {
	Hits            []SearchHit
	Cursors         []string
	HasNextPage     bool
	HasPreviousPage bool
	Total           int
}

// Search finds entities of every kind whose names or titles contain words
// starting with each word of text, ignoring case and diacritics
// ("dodsfall" finds «Dødsfall og arv»). Hits come plan structure first
// (life events, focus areas, initiatives, tiltak, forums, bodies), then by
// key. Returns Invalid for empty text or bad page arguments.
func (s *Snapshot) Search(text string, args PageArgs) (*SearchPage, error) {
	if len(tokens(text)) == 0 {
		return nil, FieldErrorf(Invalid, "text", "search text must contain at least one letter or digit")
	}
	hits, err := s.searchHits(text)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = hitID(h)
	}
	sort.Strings(ids)
	p, err := pageSlice(ids, args)
	if err != nil {
		return nil, err
	}
	out := &SearchPage{HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage, Total: len(ids)}
	for _, id := range p.Keys {
		h, _ := parseHitID(id)
		out.Hits = append(out.Hits, h)
		out.Cursors = append(out.Cursors, EncodeCursor(id))
	}
	return out, nil
}

// searchHits returns every entity matching all words of text.
func (s *Snapshot) searchHits(text string) ([]SearchHit, error) {
	var result map[string]bool
	for _, tok := range tokens(text) {
		found := map[string]bool{}
		s.mu.Lock()
		// Keys under s/<tok> belong to tokens that start with tok; the last
		// two segments are the kind and the entity key.
		for _, k := range s.prefixFull(searchPrefix(tok)) {
			i := strings.LastIndexByte(k, '/')
			j := strings.LastIndexByte(k[:i], '/')
			id := k[j+1:]
			if result == nil || result[id] {
				found[id] = true
			}
		}
		s.mu.Unlock()
		result = found
		if len(result) == 0 {
			break
		}
	}
	hits := make([]SearchHit, 0, len(result))
	for id := range result {
		short, key, _ := strings.Cut(id, "/")
		hits = append(hits, SearchHit{Kind: shortKind[short], Key: key})
	}
	return hits, nil
}

// searchKeys returns the keys of the entities of kind that match text.
func (s *Snapshot) searchKeys(text string, kind Kind) ([]string, error) {
	hits, err := s.searchHits(text)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range hits {
		if h.Kind == kind {
			out = append(out, h.Key)
		}
	}
	return out, nil
}
