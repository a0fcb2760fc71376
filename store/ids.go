package store

import (
	"encoding/base64"
	"strings"
)

// GlobalID returns the opaque global ID of the entity of kind with key.
// Clients must treat it as opaque; it is stable as long as the key is.
func GlobalID(kind Kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(kind) + ":" + key))
}

// ParseGlobalID splits a global ID made by [GlobalID]. Returns Invalid if id
// is not one.
func ParseGlobalID(id string) (Kind, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", "", Errorf(Invalid, "malformed ID %q: not an ID this API issued", id)
	}
	kind, key, ok := strings.Cut(string(raw), ":")
	if !ok || key == "" {
		return "", "", Errorf(Invalid, "malformed ID %q: not an ID this API issued", id)
	}
	switch Kind(kind) {
	case KindLifeEvent, KindFocusArea, KindInitiative, KindTiltak, KindBody, KindGovernanceLevel, KindForum:
		return Kind(kind), key, nil
	}
	return "", "", Errorf(Invalid, "malformed ID %q: unknown kind", id)
}

// ID returns the life event's global ID.
func (e *LifeEvent) ID() string { return GlobalID(KindLifeEvent, e.Key) }

// ID returns the focus area's global ID.
func (f *FocusArea) ID() string { return GlobalID(KindFocusArea, f.Key) }

// ID returns the initiative's global ID.
func (i *Initiative) ID() string { return GlobalID(KindInitiative, i.Key) }

// ID returns the tiltak's global ID.
func (t *Tiltak) ID() string { return GlobalID(KindTiltak, t.Key) }

// ID returns the body's global ID.
func (b *Body) ID() string { return GlobalID(KindBody, b.Key) }

// ID returns the governance level's global ID.
func (g *GovernanceLevel) ID() string { return GlobalID(KindGovernanceLevel, levelKey(g.Level)) }

// ID returns the forum's global ID.
func (f *Forum) ID() string { return GlobalID(KindForum, f.Key) }

// Name returns the life event's name in lang (bokmål when lang is nil or
// there is no English name).
func (e *LifeEvent) Name(lang *Language) string { return pickName(lang, e.NameNb, e.NameEn) }

// Name returns the focus area's name in lang.
func (f *FocusArea) Name(lang *Language) string { return pickName(lang, f.NameNb, f.NameEn) }

func pickName(lang *Language, nb, en string) string {
	if lang != nil && *lang == LanguageEN && en != "" {
		return en
	}
	return nb
}
