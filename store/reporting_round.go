package store

import (
	"context"
	"fmt"
	"io"
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

// ReportingCadence is how often tiltak report status.
type ReportingCadence string

// The cadences.
const (
	CadenceHalfYearly ReportingCadence = "HALF_YEARLY" // halvårlig: YYYY-H1, YYYY-H2
	CadenceQuarterly  ReportingCadence = "QUARTERLY"   // kvartalsvis: YYYY-Q1 … Q4
)

var cadences = []ReportingCadence{CadenceHalfYearly, CadenceQuarterly}

// IsValid reports whether c is a defined cadence.
func (c ReportingCadence) IsValid() bool { return oneOf(c, cadences) }

// MarshalGQL writes the enum value.
func (c ReportingCadence) MarshalGQL(w io.Writer) { writeQuoted(w, string(c)) }

// UnmarshalGQL reads the enum value.
func (c *ReportingCadence) UnmarshalGQL(v any) (err error) {
	*c, err = unmarshalEnum(v, cadences, "ReportingCadence")
	return
}

// PeriodOf returns the period of the cadence that holds t.
func (c ReportingCadence) PeriodOf(t time.Time) Period {
	t = t.UTC()
	key := fmt.Sprintf("%d-H%d", t.Year(), (int(t.Month())-1)/6+1)
	if c == CadenceQuarterly {
		key = fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
	}
	p, _ := ParsePeriod(key)
	return p
}

// cadenceOf returns the cadence whose periods have p's length.
func cadenceOf(p Period) ReportingCadence {
	if p.Key[5] == 'Q' {
		return CadenceQuarterly
	}
	return CadenceHalfYearly
}

// previousPeriod returns the period of the same length before p.
func previousPeriod(p Period) Period { return cadenceOf(p).PeriodOf(p.Start.AddDate(0, 0, -1)) }

// planStart is the first reporting period when no report is older: the
// strategy was launched in 2019.
const planStart = "2019-H2"

// ReportingSettings are the plan's reporting rules.
type ReportingSettings struct {
	Cadence ReportingCadence `json:"cadence"`
	// DeadlineDays is how many days after a period's end its reports are due.
	DeadlineDays int `json:"deadlineDays"`
	// ReminderDays is how many days before the deadline reminders go out.
	ReminderDays int `json:"reminderDays"`
}

// DefaultReportingSettings are the settings until an editor changes them.
var DefaultReportingSettings = ReportingSettings{Cadence: CadenceHalfYearly, DeadlineDays: 30, ReminderDays: 14}

func readSettings(rd reader) (ReportingSettings, error) {
	set := DefaultReportingSettings
	_, err := rd.get(keyReportingSettings, func(v []byte) error { return decode(v, &set) })
	return set, err
}

// ReportingPeriod is a reporting period with its deadline.
type ReportingPeriod struct {
	Period
	// Deadline is the last day to report: the period's end plus the
	// deadline days.
	Deadline time.Time
}

// StartDate returns the first day, YYYY-MM-DD.
func (p ReportingPeriod) StartDate() string { return p.Start.Format(time.DateOnly) }

// EndDate returns the last day, YYYY-MM-DD.
func (p ReportingPeriod) EndDate() string { return p.End.Format(time.DateOnly) }

// DeadlineDate returns the deadline, YYYY-MM-DD.
func (p ReportingPeriod) DeadlineDate() string { return p.Deadline.Format(time.DateOnly) }

func (set ReportingSettings) period(p Period) ReportingPeriod {
	return ReportingPeriod{Period: p, Deadline: p.End.AddDate(0, 0, set.DeadlineDays)}
}

// ReportingSettings returns the plan's reporting settings.
func (s *Snapshot) ReportingSettings() (*ReportingSettings, error) {
	set, err := readSettings(snapReader{s})
	return &set, err
}

// SetReportingCadence changes the cadence and, when given, the deadline
// and reminder days (0–365 each). Returns Invalid for a bad value.
func (db *DB) SetReportingCadence(ctx context.Context, actor Actor, c ReportingCadence, deadlineDays, reminderDays *int) (*ReportingSettings, error) {
	if !c.IsValid() {
		return nil, FieldErrorf(Invalid, "cadence", "cadence %q is not HALF_YEARLY or QUARTERLY", c)
	}
	for field, v := range map[string]*int{"deadlineDays": deadlineDays, "reminderDays": reminderDays} {
		if v != nil && (*v < 0 || *v > 365) {
			return nil, FieldErrorf(Invalid, field, "%s must be 0–365, not %d", field, *v)
		}
	}
	var out ReportingSettings
	now := db.now().UTC()
	err := db.update(ctx, func(txn *badger.Txn) error {
		old, err := readSettings(txnReader{txn})
		if err != nil {
			return err
		}
		out = old
		out.Cadence = c
		setIf(&out.DeadlineDays, deadlineDays)
		setIf(&out.ReminderDays, reminderDays)
		if err := txnPut(txn, keyReportingSettings, &out); err != nil {
			return err
		}
		_, err = recordChange(txn, now, actor, KindReportingSettings, "plan", &old, &out)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// ReportingPeriods returns the periods of the plan's cadence, oldest
// first: from the one holding the start of the earliest period that has
// a report (2019-H2 when none has) up to the one holding now.
func (s *Snapshot) ReportingPeriods(now time.Time) ([]ReportingPeriod, error) {
	rd := snapReader{s}
	set, err := readSettings(rd)
	if err != nil {
		return nil, err
	}
	first, _ := ParsePeriod(planStart)
	reported, err := reportedPeriods(rd)
	if err != nil {
		return nil, err
	}
	if len(reported) > 0 {
		first = reported[0]
		for _, p := range reported {
			if p.Start.Before(first.Start) {
				first = p
			}
		}
	}
	last := set.Cadence.PeriodOf(now)
	out := []ReportingPeriod{}
	for p := set.Cadence.PeriodOf(first.Start); !p.Start.After(last.Start); p = set.Cadence.PeriodOf(p.End.AddDate(0, 0, 1)) {
		out = append(out, set.period(p))
	}
	return out, nil
}

// reportedPeriods lists the periods the index holds reports for, skipping
// from one period to the next.
func reportedPeriods(rd reader) ([]Period, error) {
	var out []Period
	prefix := []byte("ps/")
	for seek := prefix; ; {
		var key string
		err := rd.each(prefix, seek, false, func(k, _ []byte) (bool, error) { key = string(k); return false, nil })
		if err != nil || key == "" {
			return out, err
		}
		period, _, _ := strings.Cut(key[len(prefix):], "/")
		if p, err := ParsePeriod(period); err == nil {
			out = append(out, p)
		}
		seek = append(periodStatusPrefix(period), 0xff)
	}
}

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
	for _, t := range ts {
		if exempt[t.Key] {
			out.Exemptions = append(out.Exemptions, ex[sort.Search(len(ex), func(i int) bool { return ex[i].TiltakKey >= t.Key })])
			continue
		}
		es := entries[t.Key]
		owed, err := owes(rd, t, per.Period, es)
		if err != nil || !owed {
			if err != nil {
				return nil, err
			}
			continue
		}
		out.Owed++
		if len(es) > 0 {
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

// Now returns the store's clock (UTC): what "the current period" means.
func (db *DB) Now() time.Time { return db.now().UTC() }
