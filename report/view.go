package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"handlingsplan/store"
)

// The report's words, in bokmål: the plan's own terms.
var (
	phaseLabel = map[store.Phase]string{
		store.PhasePlanned: "Ikke startet", store.PhaseActive: "Pågår", store.PhasePaused: "Satt på vent",
		store.PhaseCompleted: "Ferdigstilt", store.PhaseInOperation: "I drift", store.PhaseDiscontinued: "Avsluttet",
	}
	healthLabel = map[store.Health]string{
		store.HealthOnTrack: "I rute", store.HealthMinorDelays: "Mindre forsinkelser", store.HealthMajorDelays: "Betydelige forsinkelser",
	}
	changeLabel = map[store.StatusChange]string{
		store.ChangeImproved: "Forbedret", store.ChangeWorsened: "Forverret", store.ChangeUnchanged: "Uendret",
		store.ChangeNew: "Ny", store.ChangeCompleted: "Ferdigstilt",
	}
	healthClass = map[store.Health]string{
		store.HealthOnTrack: "green", store.HealthMinorDelays: "yellow", store.HealthMajorDelays: "red",
	}
)

// view is the report as the page and the CSV show it: names instead of
// keys, labels instead of codes.
type view struct {
	Period       store.ReportingPeriod
	Level        *int
	Generated    string
	Owed         int
	Reported     int
	Completeness string
	Major, Minor int
	AtRisk       []row
	Missing      []bodyMissing
	Changes      []changeList
	Sections     []sectionGroup
	// Rows are every tiltak in the report once, in the order of the CSV.
	Rows []row
	// Money is the money and benefits section (money.go).
	Money *moneyView
	// Lifecycle is the ratings, obstacles and deliveries section (lifecycle.go).
	Lifecycle *lifecycleView
}

// row is one tiltak.
type row struct {
	Section, Key, Title, Body, Reporter     string
	Phase, Health, HealthClass, Progress    string
	Change, Previous, Summary, Risks        string
	FocusAreas, Initiatives, LifeEvents     string
	major, minor, missing, completed, isNew bool
}

type bodyMissing struct {
	Body   string
	Tiltak []string
}

type changeList struct {
	Title string
	Rows  []row
}

type sectionGroup struct {
	Title string
	Rows  []sectionRow
}

type sectionRow struct {
	Name                         string
	Total, Major, Minor, OnTrack int
	Done, Missing                int
	Worsened, Improved           int
}

// names looks names up once each.
type names struct {
	snap  *store.Snapshot
	cache map[string]string
	err   error
}

func (n *names) get(kind, key string, look func() (string, error)) string {
	id := kind + "/" + key
	if v, ok := n.cache[id]; ok {
		return v
	}
	v, err := look()
	if err != nil {
		n.err, v = err, key
	}
	n.cache[id] = v
	return v
}

func (n *names) body(key string) string {
	return n.get("bo", key, func() (string, error) {
		b, err := n.snap.Body(key)
		if err != nil {
			return "", err
		}
		return b.Name, nil
	})
}

// placement names a tiltak's focus areas, initiatives and life events.
func (n *names) placement(t *store.Tiltak) (fa, in, le string) {
	var fas, ins, les []string
	seen := map[string]bool{}
	for _, k := range t.InitiativeKeys {
		i, err := n.snap.Initiative(k)
		if err != nil {
			n.err = err
			continue
		}
		ins = append(ins, i.Title)
		if !seen[i.FocusAreaKey] {
			seen[i.FocusAreaKey] = true
			fas = append(fas, n.get("fa", i.FocusAreaKey, func() (string, error) {
				f, err := n.snap.FocusArea(i.FocusAreaKey)
				if err != nil {
					return "", err
				}
				return f.NameNb, nil
			}))
		}
	}
	for _, k := range t.LifeEventKeys {
		les = append(les, n.get("le", k, func() (string, error) {
			e, err := n.snap.LifeEvent(k)
			if err != nil {
				return "", err
			}
			return e.NameNb, nil
		}))
	}
	return strings.Join(fas, "; "), strings.Join(ins, "; "), strings.Join(les, "; ")
}

func (n *names) item(i *store.FollowUpItem) row {
	r := row{Key: i.TiltakKey, Title: i.Tiltak.Title, Body: n.body(i.Tiltak.ResponsibleKey), Reporter: n.body(i.BodyKey),
		Phase: phaseLabel[i.Phase], Progress: strconv.Itoa(i.Progress) + " %", Change: changeLabel[i.Change],
		Summary: i.Summary, Risks: i.Risks, completed: i.Change == store.ChangeCompleted, isNew: i.Change == store.ChangeNew}
	if i.Health != nil && i.Phase == store.PhaseActive {
		r.Health, r.HealthClass = healthLabel[*i.Health], healthClass[*i.Health]
		r.major, r.minor = *i.Health == store.HealthMajorDelays, *i.Health == store.HealthMinorDelays
	}
	if p := i.Previous; p != nil {
		r.Previous = p.Period + ": " + phaseLabel[p.Phase]
		if p.Health != nil && p.Phase == store.PhaseActive {
			r.Previous += ", " + strings.ToLower(healthLabel[*p.Health])
		}
	}
	r.FocusAreas, r.Initiatives, r.LifeEvents = n.placement(i.Tiltak)
	return r
}

func (n *names) items(is []*store.FollowUpItem) []row {
	out := make([]row, 0, len(is))
	for _, i := range is {
		out = append(out, n.item(i))
	}
	return out
}

func newView(snap *store.Snapshot, rep *store.FollowUpReport, now time.Time) (*view, error) {
	n := &names{snap: snap, cache: map[string]string{}}
	v := &view{Period: rep.Period, Level: rep.GovernanceLevel, Generated: now.UTC().Format("2006-01-02 15:04") + " UTC",
		Owed: rep.Owed, Reported: rep.Reported, Completeness: "–"}
	if c := rep.Completeness(); c != nil {
		v.Completeness = fmt.Sprintf("%.0f %%", *c)
	}
	v.AtRisk = n.items(rep.AtRisk)
	for _, r := range v.AtRisk {
		if r.major {
			v.Major++
		} else {
			v.Minor++
		}
	}
	v.Changes = []changeList{
		{"Forverret", n.items(rep.Worsened)}, {"Forbedret", n.items(rep.Improved)},
		{"Ferdigstilt", n.items(rep.Completed)}, {"Nye", n.items(rep.New)},
	}
	var missing []row
	for _, m := range rep.NotReported {
		body := n.body(m.BodyKey)
		if len(v.Missing) == 0 || v.Missing[len(v.Missing)-1].Body != body {
			v.Missing = append(v.Missing, bodyMissing{Body: body})
		}
		last := &v.Missing[len(v.Missing)-1]
		last.Tiltak = append(last.Tiltak, m.Tiltak.Title)
		r := row{Key: m.Tiltak.Key, Title: m.Tiltak.Title, Body: body, missing: true}
		r.FocusAreas, r.Initiatives, r.LifeEvents = n.placement(m.Tiltak)
		missing = append(missing, r)
	}
	for _, g := range []struct {
		title    string
		sections []*store.FollowUpSection
	}{{"Per innsatsområde", rep.FocusAreas}, {"Per initiativ", rep.Initiatives}, {"Per livshendelse", rep.LifeEvents}} {
		sg := sectionGroup{Title: g.title}
		for _, s := range g.sections {
			sg.Rows = append(sg.Rows, sectionRowOf(s))
		}
		v.Sections = append(v.Sections, sg)
	}
	v.Rows = csvRows(n.items(rep.Items), missing)
	v.Money = moneyViewOf(rep.Money, n)
	var err error
	if v.Lifecycle, err = lifecycleOf(snap, n, rep.Period); err != nil {
		return nil, err
	}
	return v, n.err
}

func sectionRowOf(s *store.FollowUpSection) sectionRow {
	r := sectionRow{Name: s.Name, Total: s.Summary.Total, Missing: len(s.NotReported), Worsened: len(s.Worsened), Improved: len(s.Improved)}
	for _, h := range s.Summary.ByHealth {
		switch h.Health {
		case store.HealthOnTrack:
			r.OnTrack = h.Count
		case store.HealthMinorDelays:
			r.Minor = h.Count
		case store.HealthMajorDelays:
			r.Major = h.Count
		}
	}
	for _, p := range s.Summary.ByPhase {
		if p.Phase == store.PhaseCompleted || p.Phase == store.PhaseInOperation {
			r.Done += p.Count
		}
	}
	return r
}

// csvRows puts every tiltak once in the section of the report where it
// first appears: delays, missing reports, then the changes, then the
// rest.
func csvRows(items, missing []row) []row {
	var out []row
	pick := func(section string, from []row, keep func(row) bool) {
		for _, r := range from {
			if keep(r) {
				r.Section = section
				out = append(out, r)
			}
		}
	}
	pick("Betydelige forsinkelser", items, func(r row) bool { return r.major })
	pick("Mindre forsinkelser", items, func(r row) bool { return r.minor })
	pick("Ikke rapportert", missing, func(row) bool { return true })
	rest := func(r row) bool { return !r.major && !r.minor }
	pick("Ferdigstilt", items, func(r row) bool { return rest(r) && r.completed })
	pick("Nye", items, func(r row) bool { return rest(r) && r.isNew })
	improved := func(r row) bool { return r.Change == changeLabel[store.ChangeImproved] }
	pick("Forbedret", items, func(r row) bool { return rest(r) && improved(r) })
	pick("Øvrige", items, func(r row) bool { return rest(r) && !r.completed && !r.isNew && !improved(r) })
	return out
}
