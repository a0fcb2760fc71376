package generate

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"handlingsplan/store"
)

// period is one half-year reporting period.
type period struct {
	key        string
	start, end time.Time
}

// halfYear returns the half year with absolute index a (year*2 + half-1).
func halfYear(a int) period {
	year, half := a/2, a%2
	start := time.Date(year, time.Month(1+6*half), 1, 0, 0, 0, 0, time.UTC)
	return period{key: strconv.Itoa(year) + "-H" + strconv.Itoa(half+1), start: start, end: start.AddDate(0, 6, -1)}
}

// lastHalfYear is the absolute index of [LastPeriod].
const lastHalfYear = 2025*2 + 1

// periods returns the keys of the n periods that end with [LastPeriod].
func periods(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = halfYear(lastHalfYear - n + 1 + i).key
	}
	return out
}

// tiltak generates the preset's tiltak and their status reports.
func (b *builder) tiltak() {
	n, nPer := b.preset.Tiltak, b.preset.Periods
	b.plan.Tiltak = make([]store.Tiltak, 0, n)
	b.plan.StatusReports = make([]store.StatusReport, 0, n*nPer)
	for i := 0; i < n; i++ {
		b.oneTiltak(i)
	}
}

func (b *builder) oneTiltak(i int) {
	rng := b.rng
	// Initiatives, then life events mostly among theirs.
	nIn := 1
	if rng.IntN(100) < 15 {
		nIn = 2
	}
	var ins []int
	for len(ins) < nIn {
		if k := b.inits.pick(rng); !slices.Contains(ins, k) {
			ins = append(ins, k)
		}
	}
	var cands []int
	for _, k := range ins {
		cands = append(cands, b.initInfo[k].lifeEvents...)
	}
	var les []int
	switch {
	case len(cands) > 0 && rng.IntN(100) < 75:
		les = append(les, cands[rng.IntN(len(cands))])
	case len(cands) == 0 && rng.IntN(100) < 25:
		les = append(les, rng.IntN(len(b.lifeEvents)))
	}
	if len(les) > 0 && rng.IntN(100) < 10 {
		if le := rng.IntN(len(b.lifeEvents)); le != les[0] {
			les = append(les, le)
		}
	}
	topics := generalTopics
	if len(les) > 0 && rng.IntN(100) < 80 {
		topics = b.lifeEvents[les[0]].topics
	}
	resp, level := b.responsible()
	title := tiltakActions[rng.IntN(len(tiltakActions))] + " " + topics[rng.IntN(len(topics))] + b.qualifier(resp)

	t := store.Tiltak{
		Key: tiltakKey(title, i), Title: title, ResponsibleKey: resp, GovernanceLevel: level,
		Meta: store.Meta{Provenance: b.prov},
	}
	for _, k := range ins {
		t.InitiativeKeys = append(t.InitiativeKeys, b.initInfo[k].key)
	}
	for _, le := range les {
		t.LifeEventKeys = append(t.LifeEventKeys, b.lifeEvents[le].key)
	}
	t.ParticipantKeys = b.participants(resp)
	t.DependsOnKeys = b.dependencies(i, ins[0])
	desc := title + ". Ansvarlig: " + b.bodyByKey[resp].Name + "."
	if len(t.ParticipantKeys) > 0 {
		names := make([]string, len(t.ParticipantKeys))
		for j, k := range t.ParticipantKeys {
			names[j] = b.bodyByKey[k].Name
		}
		desc += " I samarbeid med " + strings.Join(names, ", ") + "."
	}
	t.Description = desc
	b.simulate(&t)
	b.plan.Tiltak = append(b.plan.Tiltak, t)
	for _, k := range ins {
		b.initInfo[k].tiltak = append(b.initInfo[k].tiltak, i)
	}
}

// responsible picks the responsible body and the governance level the
// tiltak is followed up at.
func (b *builder) responsible() (string, int) {
	rng := b.rng
	switch r := rng.IntN(100); {
	case r < 45:
		return b.munis.keys[b.munis.pick(rng)], 3
	case r < 52:
		return b.counties[rng.IntN(len(b.counties))], 3
	case r < 90:
		level := 3
		if rng.IntN(100) < 15 {
			level = 2
		}
		return b.agencies.keys[b.agencies.pick(rng)], level
	case r < 98:
		return b.ministries[rng.IntN(len(b.ministries))], 2
	}
	return "ks", 3
}

// qualifier ends a title: where a municipal tiltak runs, or its stage.
func (b *builder) qualifier(resp string) string {
	bo := b.bodyByKey[resp]
	switch {
	case bo.Kind == store.BodyMunicipality || bo.Kind == store.BodyCounty:
		return " i " + bo.Name
	case b.rng.IntN(100) < 25:
		return []string{" – fase 2", " – trinn 2", " 2.0", " (pilot)", " – nasjonal utrulling"}[b.rng.IntN(5)]
	}
	return ""
}

func (b *builder) participants(resp string) []string {
	rng := b.rng
	n := []int{0, 0, 0, 1, 1, 2, 3}[rng.IntN(7)]
	var out []string
	for tries := 0; len(out) < n && tries < 10; tries++ {
		var k string
		switch r := rng.IntN(100); {
		case r < 50:
			k = b.agencies.keys[b.agencies.pick(rng)]
		case r < 85:
			k = b.munis.keys[b.munis.pick(rng)]
		default:
			k = "ks"
		}
		if k != resp && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// dependencies picks earlier tiltak, mostly of the same initiative, so the
// dependsOn graph is acyclic by construction.
func (b *builder) dependencies(i, initiative int) []string {
	rng := b.rng
	if i == 0 || rng.IntN(100) >= 25 {
		return nil
	}
	n := 1 + rng.IntN(2)
	var out []string
	same := b.initInfo[initiative].tiltak
	for tries := 0; len(out) < n && tries < 5; tries++ {
		j := rng.IntN(i)
		if len(same) > 0 && rng.IntN(100) < 80 {
			recent := same[max(0, len(same)-50):]
			j = recent[rng.IntN(len(recent))]
		}
		if k := b.plan.Tiltak[j].Key; !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// tiltakKey is the title as a slug, cut at about 60 characters, plus the
// tiltak's number in base 36: unique, since the number has no hyphen.
func tiltakKey(title string, i int) string {
	s := store.Slug(title)
	if len(s) > 60 {
		s = s[:60]
		if j := strings.LastIndexByte(s, '-'); j > 0 {
			s = s[:j]
		}
	}
	return s + "-" + strconv.FormatInt(int64(i)+1, 36)
}
