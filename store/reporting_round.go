package store

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The kinds of the follow-up records in the audit trail.
const (
	KindReportingSettings  Kind = "ReportingSettings"
	KindReportingExemption Kind = "ReportingExemption"
)

// ReportingExemption frees a tiltak from reporting for one period.
type ReportingExemption struct {
	TiltakKey string    `json:"tiltakKey"`
	Period    string    `json:"period"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"createdAt"`
	// CreatedBy is the name of the token that made it.
	CreatedBy string `json:"createdBy,omitempty"`
}

// CreatedByOrNull returns CreatedBy, or nil when empty.
func (e *ReportingExemption) CreatedByOrNull() *string { return orNull(e.CreatedBy) }

// ExemptFromReporting exempts a tiltak from reporting for a period, with
// a reason; exempting again replaces the reason. Returns Invalid for a bad
// period or an empty reason and NotFound for an unknown tiltak.
func (db *DB) ExemptFromReporting(ctx context.Context, actor Actor, tiltakKey, period, reason string) (*ReportingExemption, error) {
	if _, err := ParsePeriod(period); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 2000 {
		return nil, FieldErrorf(Invalid, "reason", "give a reason of 1–2000 characters")
	}
	e := &ReportingExemption{TiltakKey: tiltakKey, Period: period, Reason: reason, CreatedAt: db.now().UTC(), CreatedBy: actor.TokenName}
	err := db.update(ctx, func(txn *badger.Txn) error {
		if _, err := txnGet[Tiltak](txn, KindTiltak, tiltakKey); err != nil {
			return FieldErrorf(NotFound, "tiltakKey", "tiltak %q not found", tiltakKey)
		}
		key := exemptionKey(period, tiltakKey)
		var before any
		if old, err := txnGetKey[ReportingExemption](txn, key); err == nil {
			before = old
		}
		if err := txnPut(txn, key, e); err != nil {
			return err
		}
		_, err := recordChange(txn, e.CreatedAt, actor, KindReportingExemption, tiltakKey+"/"+period, before, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// RemoveReportingExemption removes an exemption. Returns NotFound if there
// is none.
func (db *DB) RemoveReportingExemption(ctx context.Context, actor Actor, tiltakKey, period string) error {
	now := db.now().UTC()
	return db.update(ctx, func(txn *badger.Txn) error {
		key := exemptionKey(period, tiltakKey)
		old, err := txnGetKey[ReportingExemption](txn, key)
		if err != nil {
			return Errorf(NotFound, "tiltak %q has no exemption for %q", tiltakKey, period)
		}
		if err := txn.Delete(key); err != nil {
			return err
		}
		_, err = recordChange(txn, now, actor, KindReportingExemption, tiltakKey+"/"+period, old, nil)
		return err
	})
}

// exemptions returns a period's exemptions, by tiltak key.
func exemptions(rd reader, period string) ([]*ReportingExemption, error) {
	var out []*ReportingExemption
	err := rd.each(exemptionPrefix(period), nil, false, func(_, v []byte) (bool, error) {
		e := new(ReportingExemption)
		out = append(out, e)
		return true, decode(v, e)
	})
	return out, err
}

func exemptedKeys(rd reader, period string) (map[string]bool, error) {
	es, err := exemptions(rd, period)
	out := make(map[string]bool, len(es))
	for _, e := range es {
		out[e.TiltakKey] = true
	}
	return out, err
}

// MissingReport is a report owed and not given.
type MissingReport struct {
	Tiltak *Tiltak
	// BodyKey is the body that owes it: the tiltak's responsible body.
	BodyKey string
}

// ReportingRound is who owes a report for a period, and who has given it.
type ReportingRound struct {
	Period ReportingPeriod
	// Owed counts the tiltak that owe a report (see [Snapshot.ReportingRound]).
	Owed int
	// Reported counts those of them that have a report for the period.
	Reported int
	// Missing are the owed reports not given, by body and tiltak.
	Missing []*MissingReport
	// Late are the missing reports once the deadline has passed.
	Late []*MissingReport
	// Exemptions are the period's exemptions, by tiltak.
	Exemptions []*ReportingExemption
}

// Completeness returns Reported/Owed in percent; nil when none is owed.
func (r *ReportingRound) Completeness() *float64 {
	if r.Owed == 0 {
		return nil
	}
	c := 100 * float64(r.Reported) / float64(r.Owed)
	return &c
}

// ReportingRound returns the round of a period. A tiltak owes a report
// for it unless exempted when it is ACTIVE as of the period — by its own
// report for the period, else its latest earlier report, else (with none
// up to the period) its current phase — or when it reported for the
// period and was ACTIVE before; a start date after the period's end
// frees it. A report from any body counts. Late lists the missing reports
// once now is past the deadline day. Returns Invalid for a bad period.
func (s *Snapshot) ReportingRound(period string, now time.Time) (*ReportingRound, error) {
	per, err := ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	rd := snapReader{s}
	set, err := readSettings(rd)
	if err != nil {
		return nil, err
	}
	return roundOf(rd, set.period(per), now)
}

func roundOf(rd reader, per ReportingPeriod, now time.Time) (*ReportingRound, error) {
	out := &ReportingRound{Period: per, Missing: []*MissingReport{}, Late: []*MissingReport{}, Exemptions: []*ReportingExemption{}}
	ts, err := allTiltak(rd)
	if err != nil {
		return nil, err
	}
	entries, err := periodEntries(rd, per.Key)
	if err != nil {
		return nil, err
	}
	ex, err := exemptions(rd, per.Key)
	if err != nil {
		return nil, err
	}
	exempt := map[string]bool{}
	for _, e := range ex {
		exempt[e.TiltakKey] = true
	}
	var candidates []*Tiltak
	for _, t := range ts {
		if exempt[t.Key] {
			out.Exemptions = append(out.Exemptions, ex[sort.Search(len(ex), func(i int) bool { return ex[i].TiltakKey >= t.Key })])
		} else {
			candidates = append(candidates, t)
		}
	}
	owed, err := owing(rd, per.Period, candidates, func(k string) []psEntry { return entries[k] })
	if err != nil {
		return nil, err
	}
	for _, t := range candidates {
		if !owed[t.Key] {
			continue
		}
		out.Owed++
		if len(entries[t.Key]) > 0 {
			out.Reported++
		} else {
			out.Missing = append(out.Missing, &MissingReport{Tiltak: t, BodyKey: t.ResponsibleKey})
		}
	}
	sort.SliceStable(out.Missing, func(i, j int) bool { return out.Missing[i].BodyKey < out.Missing[j].BodyKey })
	if now.UTC().Format(time.DateOnly) > per.DeadlineDate() {
		out.Late = out.Missing
	}
	return out, nil
}

// allTiltak reads every tiltak, by key.
func allTiltak(rd reader) ([]*Tiltak, error) {
	var out []*Tiltak
	err := rd.each([]byte(recordPrefix[KindTiltak]), nil, false, func(_, v []byte) (bool, error) {
		t := new(Tiltak)
		out = append(out, t)
		return true, decode(v, t)
	})
	return out, err
}

// earlier is a tiltak's effective report of its latest period before
// another, as the period status index holds it.
type earlier struct {
	period Period
	entry  psEntry
}

// scanBelow is how many tiltak latestBefore reads one by one; for more it
// scans the index period by period.
const scanBelow = 500

// latestBefore finds, for each of ts, its effective report of its latest
// period before per (absent for a tiltak with none). For a few tiltak it
// reads each one's reports; for many it scans the index a period at a
// time, newest first, until every one is found or the periods run out.
func latestBefore(rd reader, per Period, ts []*Tiltak) (map[string]earlier, error) {
	out := make(map[string]earlier, len(ts))
	if len(ts) <= scanBelow {
		for _, t := range ts {
			rs, err := reportsBefore(rd, t.Key, per.sortKey())
			if err != nil {
				return nil, err
			}
			if r := effectiveReport(rs, t.ResponsibleKey); r != nil {
				p, err := ParsePeriod(r.Period)
				if err != nil {
					return nil, err
				}
				out[t.Key] = earlier{p, psEntryOf(r)}
			}
		}
		return out, nil
	}
	need := make(map[string]string, len(ts)) // tiltak → responsible body
	for _, t := range ts {
		need[t.Key] = t.ResponsibleKey
	}
	periods, err := reportedPeriods(rd)
	if err != nil {
		return nil, err
	}
	sort.Slice(periods, func(i, j int) bool { return periods[i].sortKey() > periods[j].sortKey() })
	for _, p := range periods {
		if len(need) == 0 {
			break
		}
		if p.sortKey() >= per.sortKey() {
			continue
		}
		prefix := periodStatusPrefix(p.Key)
		err := rd.each(prefix, nil, false, func(k, v []byte) (bool, error) {
			resp, ok := need[string(k[len(prefix):])]
			if !ok {
				return true, nil
			}
			es, err := decodePS(v)
			if err != nil {
				return false, err
			}
			key := string(k[len(prefix):])
			out[key] = earlier{p, effectiveEntry(es, resp)}
			delete(need, key)
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// needsEarlier reports whether owes needs t's earlier reports: not when
// it had not started, nor when its report for the period is ACTIVE.
func needsEarlier(t *Tiltak, per Period, reported []psEntry) bool {
	return started(t, per) && !(len(reported) > 0 && effectiveEntry(reported, t.ResponsibleKey).Phase == PhaseActive)
}

func started(t *Tiltak, per Period) bool {
	return t.StartDate == "" || t.StartDate <= per.End.Format(time.DateOnly)
}

// owes reports whether a tiltak owes a report for per: none when its
// start date is after the period's end; otherwise one when it is ACTIVE
// as of the period (by its report for the period, else its latest earlier
// report, else — with no report up to the period — its current phase), or
// when it reported for the period and was ACTIVE before (it finished
// during the period). reported is its index entries for per (nil if
// none), prev its latest earlier report (nil if none; see latestBefore).
func owes(t *Tiltak, per Period, reported []psEntry, prev *earlier) bool {
	if !started(t, per) {
		return false
	}
	if len(reported) > 0 && effectiveEntry(reported, t.ResponsibleKey).Phase == PhaseActive {
		return true
	}
	if prev != nil {
		return prev.entry.Phase == PhaseActive
	}
	return len(reported) == 0 && t.Phase != nil && *t.Phase == PhaseActive
}

// owing returns which of ts owe a report for per, given their index
// entries for it.
func owing(rd reader, per Period, ts []*Tiltak, entries func(key string) []psEntry) (map[string]bool, error) {
	var ask []*Tiltak
	for _, t := range ts {
		if needsEarlier(t, per, entries(t.Key)) {
			ask = append(ask, t)
		}
	}
	prev, err := latestBefore(rd, per, ask)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(ts))
	for _, t := range ts {
		var pr *earlier
		if e, ok := prev[t.Key]; ok {
			pr = &e
		}
		out[t.Key] = owes(t, per, entries(t.Key), pr)
	}
	return out, nil
}
