package export

import (
	"slices"
	"time"

	"handlingsplan/store"
)

// table is one exported file: its columns, in their stable order, the query
// parameters it takes, and how its rows are read.
type table struct {
	name    string
	columns []column
	params  []string
	rows    func(v *view, p *params) ([]row, error)
}

// tables are the exported files, in the order the index lists them.
var tables = []*table{tiltakTable, statusReportTable, bodyTable, initiativeTable, lifeEventTable, focusAreaTable,
	deliveryTable, assessmentTable, obstacleTable} // the last three: lifecycle.go

func tableNamed(name string) *table {
	for _, t := range tables {
		if t.name == name {
			return t
		}
	}
	return nil
}

// meta are the columns every entity file ends with (before the open-data
// ones).
var metaColumns = []column{{"confidence", typeKey}, {"version", typeInt}, {"updatedAt", typeDateTime}}

func meta(m store.Meta) row {
	var conf any
	if m.Provenance != nil {
		conf = string(m.Provenance.Confidence)
	}
	return row{conf, m.Version, timeValue(m.UpdatedAt)}
}

func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// names resolves keys to names with get; a key that resolves to nothing
// keeps an empty name, so the two lists stay aligned.
func names(keys []string, get func(string) (string, error)) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i], _ = get(k)
	}
	return out
}

func (v *view) bodyName(k string) (string, error) {
	if k == "" {
		return "", nil
	}
	b, err := v.snap.Body(k)
	if err != nil {
		return "", err
	}
	return b.Name, nil
}

func (v *view) lifeEventName(k string) (string, error) {
	e, err := v.snap.LifeEvent(k)
	if err != nil {
		return "", err
	}
	return e.NameNb, nil
}

func (v *view) focusAreaName(k string) (string, error) {
	f, err := v.snap.FocusArea(k)
	if err != nil {
		return "", err
	}
	return f.NameNb, nil
}

func (v *view) initiativeTitle(k string) (string, error) {
	in, err := v.snap.Initiative(k)
	if err != nil {
		return "", err
	}
	return in.Title, nil
}

var tiltakTable = &table{
	name: "tiltak",
	columns: slices.Concat([]column{
		{"key", typeKey}, {"title", typeText}, {"phase", typeKey}, {"health", typeKey}, {"progress", typeInt},
		{"latestPeriod", typeKey}, {"latestSummary", typeText}, {"latestRisks", typeText},
		{"latestBodyKey", typeKey}, {"latestBodyName", typeText}, {"latestReportedAt", typeDateTime},
		{"responsibleKey", typeKey}, {"responsibleName", typeText},
		{"participantKeys", typeKeys}, {"participantNames", typeTexts},
		{"initiativeKeys", typeKeys}, {"initiativeTitles", typeTexts},
		{"focusAreaKeys", typeKeys}, {"focusAreaNames", typeTexts},
		{"lifeEventKeys", typeKeys}, {"lifeEventNames", typeTexts},
		{"dependsOnKeys", typeKeys}, {"governanceLevel", typeInt}, {"startDate", typeDate}, {"endDate", typeDate},
	}, metaColumns),
	params: []string{"phase", "health", "responsibleKey", "participantKey", "bodyKey", "lifeEventKey",
		"initiativeKey", "focusAreaKey", "governanceLevel", "text"},
	rows: tiltakRows,
}

func tiltakRows(v *view, p *params) ([]row, error) {
	// Phase and health are matched here, on the status as of the view.
	phases, healths := enum(p, "phase", store.AllPhases), enum(p, "health", store.AllHealths)
	f := store.TiltakFilter{
		ResponsibleKey: p.bodyKey("responsibleKey"), ParticipantKey: p.bodyKey("participantKey"),
		BodyKey: p.bodyKey("bodyKey"), LifeEventKey: p.lifeEventKey("lifeEventKey"),
		InitiativeKey: p.initiativeKey("initiativeKey"), FocusAreaKey: p.focusAreaKey("focusAreaKey"),
		GovernanceLevel: p.level("governanceLevel"), Text: p.str("text"),
	}
	if p.err != nil {
		return nil, p.err
	}
	ts, err := v.tiltak(f)
	if err != nil {
		return nil, err
	}
	var out []row
	for _, t := range ts {
		s, err := v.status(t)
		if err != nil {
			return nil, err
		}
		if len(phases) > 0 && (s.phase == nil || !slices.Contains(phases, *s.phase)) ||
			len(healths) > 0 && (s.phase == nil || *s.phase != store.PhaseActive || s.health == nil || !slices.Contains(healths, *s.health)) {
			continue
		}
		r, err := v.tiltakRow(t, s)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (v *view) tiltakRow(t *store.Tiltak, s status) (row, error) {
	latest := row{nil, nil, nil, nil, nil, nil}
	if r := s.report; r != nil {
		name, _ := v.bodyName(r.BodyKey)
		latest = row{r.Period, opt(r.Summary), opt(r.Risks), r.BodyKey, opt(name), timeValue(r.ReportedAt)}
	}
	var focusAreas []string
	for _, k := range t.InitiativeKeys {
		in, err := v.snap.Initiative(k)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(focusAreas, in.FocusAreaKey) {
			focusAreas = append(focusAreas, in.FocusAreaKey)
		}
	}
	responsible, _ := v.bodyName(t.ResponsibleKey)
	return slices.Concat(
		row{t.Key, t.Title, optp(s.phase), optp(s.health), s.progress},
		latest,
		row{t.ResponsibleKey, responsible,
			t.ParticipantKeys, names(t.ParticipantKeys, v.bodyName),
			t.InitiativeKeys, names(t.InitiativeKeys, v.initiativeTitle),
			focusAreas, names(focusAreas, v.focusAreaName),
			t.LifeEventKeys, names(t.LifeEventKeys, v.lifeEventName),
			t.DependsOnKeys, t.GovernanceLevel, opt(t.StartDate), opt(t.EndDate)},
		meta(t.Meta)), nil
}

var statusReportTable = &table{
	name: "status-reports",
	columns: []column{
		{"tiltakKey", typeKey}, {"tiltakTitle", typeText}, {"period", typeKey},
		{"periodStart", typeDate}, {"periodEnd", typeDate},
		{"bodyKey", typeKey}, {"bodyName", typeText}, {"responsibleKey", typeKey}, {"responsibleName", typeText},
		{"phase", typeKey}, {"health", typeKey}, {"progress", typeInt}, {"summary", typeText}, {"risks", typeText},
		{"reportedAt", typeDateTime}, {"version", typeInt},
	},
	params: []string{"tiltakKey", "bodyKey", "period"},
	rows:   statusReportRows,
}

// statusReportRows lists reports by tiltak key, then period (oldest
// first), then body key. As of a period: that period's reports.
func statusReportRows(v *view, p *params) ([]row, error) {
	tiltakKey, bodyKey := p.tiltakKey("tiltakKey"), p.bodyKey("bodyKey")
	var period *store.Period
	if v.asOf != nil {
		if p.v.Has("period") {
			p.fail(badParam("period", "an open-data file's period is in its path"))
		}
		period = v.asOf
	} else {
		period = p.period("period")
	}
	if p.err != nil {
		return nil, p.err
	}
	ts, err := v.allTiltak()
	if err != nil {
		return nil, err
	}
	var out []row
	for _, t := range ts {
		if tiltakKey != "" && t.Key != tiltakKey {
			continue
		}
		reports, err := v.reports(t.Key)
		if err != nil {
			return nil, err
		}
		for _, r := range reports {
			if bodyKey != "" && r.BodyKey != bodyKey && t.ResponsibleKey != bodyKey ||
				period != nil && r.Period != period.Key {
				continue
			}
			per, err := store.ParsePeriod(r.Period)
			if err != nil {
				return nil, err
			}
			name, _ := v.bodyName(r.BodyKey)
			responsible, _ := v.bodyName(t.ResponsibleKey)
			out = append(out, row{t.Key, t.Title, r.Period, per.Start.Format(time.DateOnly), per.End.Format(time.DateOnly),
				r.BodyKey, name, t.ResponsibleKey, responsible, string(r.Phase), optp(r.Health), r.Progress,
				opt(r.Summary), opt(r.Risks), timeValue(r.ReportedAt), r.Version})
		}
	}
	return out, nil
}

// reports returns every report on a tiltak, oldest period first.
func (v *view) reports(tiltak string) ([]*store.StatusReport, error) {
	var out []*store.StatusReport
	first := store.MaxPageSize
	var after *string
	for {
		rs, page, err := v.snap.StatusReports(tiltak, store.PageArgs{First: &first, After: after})
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
		if !page.HasNextPage || len(page.Keys) == 0 {
			break
		}
		c := page.Cursor(len(page.Keys) - 1)
		after = &c
	}
	// The store gives newest first; keys order a period's reports by body.
	slices.Reverse(out)
	return out, nil
}
