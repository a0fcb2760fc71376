package store

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
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

// Now returns the store's clock (UTC): what "the current period" means.
func (db *DB) Now() time.Time { return db.now().UTC() }
