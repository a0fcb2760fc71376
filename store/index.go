package store

import (
	"strconv"
)

// The derived keys of an entity: its relationship index entries (the
// reverse direction of each reference it holds), its unique values and its
// search tokens. They are computed from the record alone, so a write can
// diff the old record's set against the new one's and touch only what
// changed, and a bulk load can write them without reading anything.

type derived map[string][]byte // key → value (nil for an empty value)

func (d derived) rel(rel relation, from, to string) {
	if from != "" && to != "" {
		d[string(relKey(rel, from, to))] = nil
	}
}

func (d derived) search(kind Kind, key string, texts ...string) {
	for _, t := range tokens(texts...) {
		d[string(searchKey(t, kind, key))] = nil
	}
}

func lifeEventDerived(e *LifeEvent) derived {
	d := derived{}
	d.rel(relBodyLeads, e.LeadBodyKey, e.Key)
	d.search(KindLifeEvent, e.Key, e.NameNb, e.NameEn, e.Key)
	return d
}

func focusAreaDerived(f *FocusArea) derived {
	d := derived{}
	d.rel(relLevelFocusArea, levelKey(f.GovernanceLevel), f.Key)
	d.search(KindFocusArea, f.Key, f.NameNb, f.NameEn, f.Key)
	return d
}

func initiativeDerived(i *Initiative) derived {
	d := derived{}
	d.rel(relFocusAreaInit, i.FocusAreaKey, i.Key)
	for _, le := range i.LifeEventKeys {
		d.rel(relLifeEventInit, le, i.Key)
	}
	d.rel(relBodyOwner, i.OwnerKey, i.Key)
	d.rel(relBodyExecuting, i.ExecutingBodyKey, i.Key)
	d.rel(relLevelInitiative, levelKey(i.GovernanceLevel), i.Key)
	for _, p := range i.PredecessorKeys {
		d.rel(relInitiativeSucc, p, i.Key)
	}
	d.search(KindInitiative, i.Key, i.Title, i.Number, i.Key)
	return d
}

// tiltakDerived needs the focus area of each of the tiltak's initiatives.
func tiltakDerived(t *Tiltak, focusAreaOf func(initiative string) string) derived {
	d := derived{}
	d.rel(relBodyResponsible, t.ResponsibleKey, t.Key)
	for _, b := range t.ParticipantKeys {
		d.rel(relBodyParticipant, b, t.Key)
	}
	for _, in := range t.InitiativeKeys {
		d.rel(relInitiativeTilt, in, t.Key)
		d.rel(relFocusAreaTiltak, focusAreaOf(in), t.Key)
	}
	for _, le := range t.LifeEventKeys {
		d.rel(relLifeEventTilt, le, t.Key)
	}
	for _, dep := range t.DependsOnKeys {
		d.rel(relTiltakDependent, dep, t.Key)
	}
	d.rel(relLevelTiltak, levelKey(t.GovernanceLevel), t.Key)
	for _, p := range t.PredecessorKeys {
		d.rel(relTiltakSucc, p, t.Key)
	}
	d.search(KindTiltak, t.Key, t.Title, t.Key)
	return d
}

func bodyDerived(b *Body) derived {
	d := derived{}
	d.rel(relBodyChild, b.ParentKey, b.Key)
	d.rel(relBodyCounty, b.CountyNumber, b.Key)
	d.rel(relBodyKind, string(b.Kind), b.Key)
	if b.OrgNumber != "" {
		d[string(uniqueOrgNumberKey(b.OrgNumber))] = []byte(b.Key)
	}
	if b.MunicipalityNumber != "" {
		d[string(uniqueMunicipalityKey(b.MunicipalityNumber))] = []byte(b.Key)
	}
	d.search(KindBody, b.Key, b.Name, b.ShortName, b.Key, b.OrgNumber, b.MunicipalityNumber)
	return d
}

func governanceLevelDerived(g *GovernanceLevel) derived {
	d := derived{}
	d.rel(relBodySecretariat, g.SecretariatKey, "gl:"+strconv.Itoa(g.Level))
	return d
}

func forumDerived(f *Forum) derived {
	d := derived{}
	for _, m := range f.MemberKeys {
		d.rel(relBodyForum, m, f.Key)
	}
	d.rel(relLevelForum, levelKey(f.GovernanceLevel), f.Key)
	d.rel(relBodySecretariat, f.SecretariatKey, "fo:"+f.Key)
	d.search(KindForum, f.Key, f.Name, f.ShortName, f.Key)
	return d
}

// cell is a tiltak's place in the status counters: its phase, and its
// health when it is active ("-" for none).
type cell struct{ phase, health string }

func tiltakCell(t *Tiltak) cell {
	c := cell{noValue, noValue}
	if t.Phase != nil {
		c.phase = string(*t.Phase)
		if *t.Phase == PhaseActive && t.Health != nil {
			c.health = string(*t.Health)
		}
	}
	return c
}

// scope is one set of tiltak a status summary is kept for.
type scope struct{ kind, key string }

// tiltakScopes lists every counter scope t belongs to: the whole plan, its
// life events, initiatives, their focus areas, its responsible body and its
// governance level.
func tiltakScopes(t *Tiltak, focusAreaOf func(string) string) []scope {
	out := []scope{{scopeAll, noValue}, {scopeBody, t.ResponsibleKey}, {scopeLevel, levelKey(t.GovernanceLevel)}}
	for _, le := range t.LifeEventKeys {
		out = append(out, scope{scopeLifeEvent, le})
	}
	seen := map[string]bool{}
	for _, in := range t.InitiativeKeys {
		out = append(out, scope{scopeInitiative, in})
		if fa := focusAreaOf(in); fa != "" && !seen[fa] {
			seen[fa] = true
			out = append(out, scope{scopeFocusArea, fa})
		}
	}
	return out
}

// counterDeltas accumulates changes to status counters before they are
// applied in one go.
type counterDeltas map[string]counterValue

func (c counterDeltas) addTiltak(t *Tiltak, focusAreaOf func(string) string, sign int64) {
	cl := tiltakCell(t)
	v := counterValue{N: sign}
	if t.Progress != nil {
		v.ProgressSum = sign * int64(*t.Progress)
		v.ProgressN = sign
	}
	for _, sc := range tiltakScopes(t, focusAreaOf) {
		k := string(counterKey(sc.kind, sc.key, cl))
		c[k] = c[k].add(v)
	}
}
