package generate

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"handlingsplan/store"
)

// builder holds the plan under construction and the look-ups that tiltak
// generation draws from. Everything is in slices, never iterated maps, so
// that the output depends on the seed alone.
type builder struct {
	rng    *rand.Rand
	plan   *store.Plan
	preset Preset
	seed   uint64
	prov   *store.Provenance

	bodyByKey  map[string]*store.Body
	ministries []string
	agencies   weighted // directorates and agencies
	munis      weighted
	counties   []string
	lifeEvents []leInfo
	inits      weighted // initiatives, by index into initInfo
	initInfo   []initInfo
}

type leInfo struct {
	key    string
	topics []string
}

type initInfo struct {
	key        string
	lifeEvents []int // indexes into builder.lifeEvents
	tiltak     []int // indexes of the tiltak generated for it so far
}

// weighted picks keys with given weights.
type weighted struct {
	keys []string
	cum  []float64
}

func (w *weighted) add(key string, weight float64) {
	total := weight
	if n := len(w.cum); n > 0 {
		total += w.cum[n-1]
	}
	w.keys = append(w.keys, key)
	w.cum = append(w.cum, total)
}

func (w *weighted) pick(rng *rand.Rand) int {
	x := rng.Float64() * w.cum[len(w.cum)-1]
	return sort.SearchFloat64s(w.cum, x)
}

// bigMunicipalities get more tiltak, roughly by population: they run more
// digitalisation projects than a small municipality does.
var bigMunicipalities = map[string]float64{
	"oslo-kommune": 20, "bergen-kommune": 12, "trondheim-kommune": 9, "stavanger-kommune": 7, "baerum-kommune": 6,
	"kristiansand-kommune": 5, "drammen-kommune": 4, "asker-kommune": 4, "lillestrom-kommune": 4, "fredrikstad-kommune": 4,
	"sandnes-kommune": 4, "tromso-kommune": 4, "sarpsborg-kommune": 3, "skien-kommune": 3, "bodo-kommune": 3,
	"alesund-kommune": 3, "larvik-kommune": 3, "sandefjord-kommune": 3, "arendal-kommune": 3, "tonsberg-kommune": 3,
}

// bigAgencies carry a larger share of the state's tiltak.
var bigAgencies = map[string]float64{"nav": 5, "skatteetaten": 4, "digdir": 4, "brreg": 3, "helsedirektoratet": 3, "kartverket": 2, "statens-vegvesen": 2}

func newBuilder(base *store.Plan, p Preset, seed uint64) *builder {
	base.Description = fmt.Sprintf("Syntetisk datasett for ytelsestester (handlingsplan generate, preset %s, seed %d): "+
		"%d tiltak med statusrapporter for %d halvår. Virksomhetene, innsatsområdene, de sju første livshendelsene, "+
		"de ti første initiativene, styringsnivåene og foraene er de reelle fra standarddataene; resten er syntetisk.",
		p.Name, seed, p.Tiltak, p.Periods)
	base.Tiltak = nil
	base.StatusReports = nil
	return &builder{
		rng:       rand.New(rand.NewPCG(seed, 0x68616e646c696e67)),
		plan:      base,
		preset:    p,
		seed:      seed,
		prov:      &store.Provenance{Confidence: store.FromMemory, Note: "Syntetiske testdata (handlingsplan generate)."},
		bodyByKey: map[string]*store.Body{},
	}
}

// structure adds the synthetic state bodies, life events and initiatives
// to the real ones, and indexes what tiltak generation needs.
func (b *builder) structure() error {
	p := b.plan
	for _, sb := range stateBodies {
		p.Bodies = append(p.Bodies, store.Body{Key: store.Slug(sb.name), Name: sb.name, ShortName: sb.short, Kind: sb.kind, ParentKey: sb.parent,
			Meta: store.Meta{Provenance: b.prov}})
	}
	for i := range p.Bodies {
		bo := &p.Bodies[i]
		if b.bodyByKey[bo.Key] != nil {
			return fmt.Errorf("body key %q occurs twice", bo.Key)
		}
		b.bodyByKey[bo.Key] = bo
		switch bo.Kind {
		case store.BodyMinistry:
			b.ministries = append(b.ministries, bo.Key)
		case store.BodyDirectorate, store.BodyAgency:
			w := bigAgencies[bo.Key]
			b.agencies.add(bo.Key, max(w, 1))
		case store.BodyMunicipality:
			w := bigMunicipalities[bo.Key]
			b.munis.add(bo.Key, max(w, 1))
		case store.BodyCounty:
			b.counties = append(b.counties, bo.Key)
		}
	}
	if len(b.ministries) == 0 || len(b.agencies.keys) == 0 || len(b.munis.keys) == 0 || len(b.counties) == 0 {
		return fmt.Errorf("the default data lacks ministries, agencies, municipalities or counties")
	}

	leIndex := map[string]int{}
	for _, e := range p.LifeEvents {
		leIndex[e.Key] = len(b.lifeEvents)
		b.lifeEvents = append(b.lifeEvents, leInfo{key: e.Key, topics: realLifeEventTopics[e.Key]})
	}
	for _, le := range syntheticLifeEvents {
		if len(p.LifeEvents) >= LifeEvents {
			break
		}
		e := store.LifeEvent{Key: store.Slug(le.nb), NameNb: le.nb, NameEn: le.en, Audience: le.audience, LeadBodyKey: le.lead,
			Description: "Livshendelsen «" + le.nb + "» (syntetisk).", Meta: store.Meta{Provenance: b.prov}}
		leIndex[e.Key] = len(b.lifeEvents)
		b.lifeEvents = append(b.lifeEvents, leInfo{key: e.Key, topics: le.topics})
		p.LifeEvents = append(p.LifeEvents, e)
	}
	for i, le := range b.lifeEvents {
		if len(le.topics) == 0 {
			b.lifeEvents[i].topics = generalTopics
		}
	}

	for _, in := range p.Initiatives {
		info := initInfo{key: in.Key}
		for _, k := range in.LifeEventKeys {
			info.lifeEvents = append(info.lifeEvents, leIndex[k])
		}
		b.initInfo = append(b.initInfo, info)
	}
	b.syntheticInitiatives()
	for i := range b.initInfo {
		// Some initiatives gather many tiltak, some few, as in a real plan.
		b.inits.add(b.initInfo[i].key, 0.5+2*b.rng.Float64())
	}
	return nil
}

func (b *builder) syntheticInitiatives() {
	p := b.plan
	total := Initiatives
	if b.preset.Initiatives > 0 {
		total = b.preset.Initiatives
	}
	n := max(total-len(p.Initiatives), 0)
	covered := make([]bool, len(b.lifeEvents))
	for _, in := range b.initInfo {
		for _, le := range in.lifeEvents {
			covered[le] = true
		}
	}
	var serviceInits []int // synthetic initiatives in «sammenhengende tjenester»
	for i := 0; i < n; i++ {
		fa := p.FocusAreas[i%len(p.FocusAreas)]
		topics := focusTopics[fa.Key]
		if len(topics) == 0 {
			topics = generalTopics
		}
		topic := topics[(i/len(p.FocusAreas))%len(topics)]
		title := initiativeVerbs[b.rng.IntN(len(initiativeVerbs))] + " " + topic
		owner := b.ministries[0]
		if b.rng.IntN(10) >= 4 {
			owner = b.ministries[b.rng.IntN(len(b.ministries))]
		}
		in := store.Initiative{
			Key: store.Slug(title), Title: title, FocusAreaKey: fa.Key, OwnerKey: owner, ExecutingBodyKey: b.executingBody(owner),
			Number:          fa.Number + "." + strconv.Itoa(10+i/len(p.FocusAreas)),
			Description:     "Regjeringen vil " + strings.ToLower(title[:1]) + title[1:] + ".",
			GovernanceLevel: 2, Meta: store.Meta{Provenance: b.prov},
		}
		nLE := 0
		if fa.Key == "sammenhengende-tjenester" {
			nLE = 2 + b.rng.IntN(2)
			serviceInits = append(serviceInits, len(b.initInfo))
		} else if b.rng.IntN(10) < 4 {
			nLE = 1
		}
		info := initInfo{key: in.Key}
		for _, le := range b.rng.Perm(len(b.lifeEvents))[:nLE] {
			info.lifeEvents = append(info.lifeEvents, le)
			covered[le] = true
		}
		p.Initiatives = append(p.Initiatives, in)
		b.initInfo = append(b.initInfo, info)
	}
	// Every life event has initiatives, so the dashboard (D1) shows them all.
	for le, ok := range covered {
		if !ok && len(serviceInits) > 0 {
			i := serviceInits[b.rng.IntN(len(serviceInits))]
			b.initInfo[i].lifeEvents = append(b.initInfo[i].lifeEvents, le)
		}
	}
	offset := len(b.initInfo) - n
	for i := offset; i < len(b.initInfo); i++ {
		sort.Ints(b.initInfo[i].lifeEvents)
		for _, le := range b.initInfo[i].lifeEvents {
			p.Initiatives[i].LifeEventKeys = append(p.Initiatives[i].LifeEventKeys, b.lifeEvents[le].key)
		}
	}
}

// executingBody picks a directorate or agency under ministry, or Digdir.
func (b *builder) executingBody(ministry string) string {
	var under []string
	for _, k := range b.agencies.keys {
		if b.bodyByKey[k].ParentKey == ministry {
			under = append(under, k)
		}
	}
	if len(under) == 0 {
		return "digdir"
	}
	return under[b.rng.IntN(len(under))]
}
