package store

import (
	"io"
	"sort"
	"time"
)

// StatusChange is how a tiltak's status changed since its previous report.
type StatusChange string

// The changes. Health is ordered ON_TRACK > MINOR_DELAYS > MAJOR_DELAYS.
const (
	ChangeImproved  StatusChange = "IMPROVED"  // health rose; both reports rate it
	ChangeWorsened  StatusChange = "WORSENED"  // health fell; both reports rate it
	ChangeUnchanged StatusChange = "UNCHANGED" // anything else
	ChangeNew       StatusChange = "NEW"       // the tiltak's first report
	ChangeCompleted StatusChange = "COMPLETED" // the phase became COMPLETED or IN_OPERATION
)

var statusChanges = []StatusChange{ChangeImproved, ChangeWorsened, ChangeUnchanged, ChangeNew, ChangeCompleted}

// MarshalGQL writes the enum value.
func (c StatusChange) MarshalGQL(w io.Writer) { writeQuoted(w, string(c)) }

// UnmarshalGQL reads the enum value.
func (c *StatusChange) UnmarshalGQL(v any) (err error) {
	*c, err = unmarshalEnum(v, statusChanges, "StatusChange")
	return
}

func done(p Phase) bool { return p == PhaseCompleted || p == PhaseInOperation }

// healthRank orders rated reports: 3 on track, 2 minor, 1 major delays; 0
// when the report rates no health (not ACTIVE, or unrated).
func healthRank(r *StatusReport) int {
	if r.Phase != PhaseActive || r.Health == nil {
		return 0
	}
	switch *r.Health {
	case HealthOnTrack:
		return 3
	case HealthMinorDelays:
		return 2
	}
	return 1
}

// classify compares a report with the tiltak's previous one (nil if none).
func classify(cur, prev *StatusReport) StatusChange {
	if prev == nil {
		return ChangeNew
	}
	if done(cur.Phase) && !done(prev.Phase) {
		return ChangeCompleted
	}
	c, p := healthRank(cur), healthRank(prev)
	switch {
	case c > 0 && p > 0 && c > p:
		return ChangeImproved
	case c > 0 && p > 0 && c < p:
		return ChangeWorsened
	}
	return ChangeUnchanged
}

// StatusHistoryEntry is a tiltak's effective report for one period with
// the change since the period before it that has a report.
type StatusHistoryEntry struct {
	*StatusReport
	Change StatusChange
}

// StatusHistory returns a tiltak's status by period, newest first: for
// each period it has reports for, the effective one (its responsible
// body's, else the one written last). Returns NotFound for an unknown
// tiltak.
func (s *Snapshot) StatusHistory(tiltak string) ([]*StatusHistoryEntry, error) {
	t, err := s.Tiltak(tiltak)
	if err != nil {
		return nil, err
	}
	out := []*StatusHistoryEntry{}
	err = periodsBackwards(snapReader{s}, tiltak, "", func(rs []*StatusReport) bool {
		out = append(out, &StatusHistoryEntry{StatusReport: effectiveReport(rs, t.ResponsibleKey)})
		return true
	})
	for i, e := range out {
		var prev *StatusReport
		if i+1 < len(out) {
			prev = out[i+1].StatusReport
		}
		e.Change = classify(e.StatusReport, prev)
	}
	return out, err
}

// FollowUpItem is one tiltak in the follow-up report: its effective report
// for the period, and the change since its previous report.
type FollowUpItem struct {
	*StatusReport
	Tiltak *Tiltak
	// Previous is the effective report of the latest earlier period; nil
	// for a first report.
	Previous *StatusReport
	Change   StatusChange
}

// AtRisk reports whether the item is ACTIVE with minor or major delays.
func (i *FollowUpItem) AtRisk() bool { r := healthRank(i.StatusReport); return r == 1 || r == 2 }

// FollowUpSection is the follow-up of one focus area, initiative or life
// event: the tiltak under it that reported or owe a report.
type FollowUpSection struct {
	Key  string
	Name string
	// Summary counts the reported tiltak by phase and health; NotReported
	// the missing reports.
	Summary     *StatusSummary
	AtRisk      []*FollowUpItem
	Worsened    []*FollowUpItem
	Improved    []*FollowUpItem
	New         []*FollowUpItem
	Completed   []*FollowUpItem
	NotReported []*MissingReport
	// Items are every reported tiltak, exceptions first.
	Items []*FollowUpItem
	major int
	minor int
}

// FollowUpReport is the follow-up report (oppfølgingsrapport) of one
// period: exceptions first.
type FollowUpReport struct {
	Period          ReportingPeriod
	GovernanceLevel *int
	FollowUpSection
	// Owed and Reported are the reporting round within the report's scope.
	Owed, Reported int
	// BodiesNotReported are the bodies with missing reports, by key.
	BodiesNotReported []string
	FocusAreas        []*FollowUpSection
	Initiatives       []*FollowUpSection
	LifeEvents        []*FollowUpSection
	// Money is the money and benefits section (money_report.go).
	Money *MoneyReport
}

// Completeness returns Reported/Owed in percent; nil when none is owed.
func (r *FollowUpReport) Completeness() *float64 {
	return (&ReportingRound{Owed: r.Owed, Reported: r.Reported}).Completeness()
}

// FollowUpReport builds the follow-up report of a period, over the tiltak
// followed up at level (every tiltak when nil): each tiltak that reported
// for the period, by its effective report and the change since its
// previous one, and each that owes a report and has none (as in
// [Snapshot.ReportingRound]); whole and per focus area, initiative and
// life event. Lists put exceptions first: at-risk tiltak MAJOR_DELAYS
// before MINOR_DELAYS and worsened first, sections with the most delays
// first. Returns Invalid for a bad period.
func (s *Snapshot) FollowUpReport(period string, level *int, now time.Time) (*FollowUpReport, error) {
	per, err := ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	rd := snapReader{s}
	set, err := readSettings(rd)
	if err != nil {
		return nil, err
	}
	keys, err := s.matchingTiltak(TiltakFilter{GovernanceLevel: level})
	if err != nil {
		return nil, err
	}
	ts, err := s.TiltakByKeys(keys)
	if err != nil {
		return nil, err
	}
	entries, err := periodEntries(rd, period)
	if err != nil {
		return nil, err
	}
	exempt, err := exemptedKeys(rd, period)
	if err != nil {
		return nil, err
	}
	before, err := latestBefore(rd, per, ts)
	if err != nil {
		return nil, err
	}
	out := &FollowUpReport{Period: set.period(per), GovernanceLevel: level}
	sections := newSectioner(s)
	for _, t := range ts {
		es := entries[t.Key]
		var prev *earlier
		if e, ok := before[t.Key]; ok {
			prev = &e
		}
		owed := !exempt[t.Key] && owes(t, per, es, prev)
		if owed {
			out.Owed++
		}
		if len(es) == 0 {
			if owed {
				m := &MissingReport{Tiltak: t, BodyKey: t.ResponsibleKey}
				out.NotReported = append(out.NotReported, m)
				sections.missing(t, m)
			}
			continue
		}
		if owed {
			out.Reported++
		}
		item, err := followUpItem(rd, t, per, es, prev)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, item)
		sections.reported(t, item)
	}
	out.FollowUpSection.finish()
	seen := map[string]bool{}
	for _, m := range out.NotReported {
		if !seen[m.BodyKey] {
			seen[m.BodyKey] = true
			out.BodiesNotReported = append(out.BodiesNotReported, m.BodyKey)
		}
	}
	sort.Strings(out.BodiesNotReported)
	out.FocusAreas, out.Initiatives, out.LifeEvents = sections.done()
	if out.Money, err = s.followUpMoney(keys, per); err != nil {
		return nil, err
	}
	return out, sections.err
}

// followUpItem reads a reported tiltak's effective report for per and
// its previous one (prev, from latestBefore).
func followUpItem(rd reader, t *Tiltak, per Period, es []psEntry, prev *earlier) (*FollowUpItem, error) {
	cur, err := readReport(rd, t.Key, per, effectiveEntry(es, t.ResponsibleKey).Body)
	if err != nil {
		return nil, err
	}
	item := &FollowUpItem{StatusReport: cur, Tiltak: t}
	if prev != nil {
		if item.Previous, err = readReport(rd, t.Key, prev.period, prev.entry.Body); err != nil {
			return nil, err
		}
	}
	item.Change = classify(cur, item.Previous)
	return item, nil
}

// readReport reads the report the period status index names.
func readReport(rd reader, tiltak string, per Period, body string) (*StatusReport, error) {
	r := new(StatusReport)
	found, err := rd.get(statusReportKey(tiltak, per.sortKey(), body), func(v []byte) error { return decode(v, r) })
	if err == nil && !found {
		err = Errorf(Internal, "the period status index names a report on %s for %s by %s that is not stored", tiltak, per.Key, body)
	}
	return r, err
}

func (sec *FollowUpSection) add(item *FollowUpItem) { sec.Items = append(sec.Items, item) }

// finish sorts the section's items into its lists and counts them.
func (sec *FollowUpSection) finish() {
	severity := func(i *FollowUpItem) int { return healthRank(i.StatusReport) }
	sort.SliceStable(sec.Items, func(a, b int) bool {
		x, y := sec.Items[a], sec.Items[b]
		if x.AtRisk() != y.AtRisk() {
			return x.AtRisk()
		}
		if x.AtRisk() && severity(x) != severity(y) {
			return severity(x) < severity(y)
		}
		if (x.Change == ChangeWorsened) != (y.Change == ChangeWorsened) {
			return x.Change == ChangeWorsened
		}
		return x.TiltakKey < y.TiltakKey
	})
	acc := newSummaryAcc()
	sec.AtRisk, sec.Worsened, sec.Improved, sec.New, sec.Completed = []*FollowUpItem{}, []*FollowUpItem{}, []*FollowUpItem{}, []*FollowUpItem{}, []*FollowUpItem{}
	for _, i := range sec.Items {
		acc.add(psEntryOf(i.StatusReport).cell(), counterValue{N: 1, ProgressSum: int64(i.Progress), ProgressN: 1})
		if i.AtRisk() {
			sec.AtRisk = append(sec.AtRisk, i)
			if severity(i) == 1 {
				sec.major++
			} else {
				sec.minor++
			}
		}
		switch i.Change {
		case ChangeWorsened:
			sec.Worsened = append(sec.Worsened, i)
		case ChangeImproved:
			sec.Improved = append(sec.Improved, i)
		case ChangeNew:
			sec.New = append(sec.New, i)
		case ChangeCompleted:
			sec.Completed = append(sec.Completed, i)
		}
	}
	if sec.Items == nil {
		sec.Items = []*FollowUpItem{}
	}
	if sec.NotReported == nil {
		sec.NotReported = []*MissingReport{}
	}
	sort.SliceStable(sec.NotReported, func(a, b int) bool { return sec.NotReported[a].BodyKey < sec.NotReported[b].BodyKey })
	sec.Summary = acc.summary()
	missing := len(sec.NotReported)
	sec.Summary.notReported = func() (int, error) { return missing, nil }
}

// moreExceptional orders sections: most major delays, then minor delays,
// worsened and missing reports first; then by key.
func moreExceptional(a, b *FollowUpSection) bool {
	for _, d := range [][2]int{{a.major, b.major}, {a.minor, b.minor}, {len(a.Worsened), len(b.Worsened)}, {len(a.NotReported), len(b.NotReported)}} {
		if d[0] != d[1] {
			return d[0] > d[1]
		}
	}
	return a.Key < b.Key
}

// sectioner sorts the report's tiltak into focus area, initiative and
// life event sections.
type sectioner struct {
	s          *Snapshot
	fa, in, le map[string]*FollowUpSection
	err        error
}

func newSectioner(s *Snapshot) *sectioner {
	return &sectioner{s: s, fa: map[string]*FollowUpSection{}, in: map[string]*FollowUpSection{}, le: map[string]*FollowUpSection{}}
}

func (x *sectioner) section(m map[string]*FollowUpSection, key, name string) *FollowUpSection {
	if m[key] == nil {
		m[key] = &FollowUpSection{Key: key, Name: name}
	}
	return m[key]
}

// of returns the sections t belongs in: its initiatives, their focus
// areas (once each) and its life events.
func (x *sectioner) of(t *Tiltak) []*FollowUpSection {
	var out []*FollowUpSection
	seen := map[string]bool{}
	for _, k := range t.InitiativeKeys {
		in, err := x.s.Initiative(k)
		if err != nil {
			x.err = err
			continue
		}
		out = append(out, x.section(x.in, k, in.Title))
		if fa, err := x.s.FocusArea(in.FocusAreaKey); err != nil {
			x.err = err
		} else if !seen[fa.Key] {
			seen[fa.Key] = true
			out = append(out, x.section(x.fa, fa.Key, fa.NameNb))
		}
	}
	for _, k := range t.LifeEventKeys {
		le, err := x.s.LifeEvent(k)
		if err != nil {
			x.err = err
			continue
		}
		out = append(out, x.section(x.le, k, le.NameNb))
	}
	return out
}

func (x *sectioner) reported(t *Tiltak, item *FollowUpItem) {
	for _, sec := range x.of(t) {
		sec.add(item)
	}
}

func (x *sectioner) missing(t *Tiltak, m *MissingReport) {
	for _, sec := range x.of(t) {
		sec.NotReported = append(sec.NotReported, m)
	}
}

// done finishes the sections and orders each list, exceptions first.
func (x *sectioner) done() (fa, in, le []*FollowUpSection) {
	list := func(m map[string]*FollowUpSection) []*FollowUpSection {
		out := make([]*FollowUpSection, 0, len(m))
		for _, sec := range m {
			sec.finish()
			out = append(out, sec)
		}
		sort.Slice(out, func(i, j int) bool { return moreExceptional(out[i], out[j]) })
		return out
	}
	return list(x.fa), list(x.in), list(x.le)
}
