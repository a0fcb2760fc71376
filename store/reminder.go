package store

import (
	"context"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// ReportingReminder is the data of a REPORTING_REMINDER event: a body's
// missing reports in a round whose deadline is near.
type ReportingReminder struct {
	Period string `json:"period"`
	// Deadline is the last day to report, YYYY-MM-DD.
	Deadline string `json:"deadline"`
	BodyKey  string `json:"bodyKey"`
	// TiltakKeys are the tiltak the body owes a report on, by key.
	TiltakKeys []string `json:"tiltakKeys"`
}

// SendDueReminders writes a REPORTING_REMINDER event to the outbox (kind
// Body, key the body) for each body with missing reports in a round whose
// reminder time has come: from ReminderDays before the deadline to the
// deadline day itself, by now. Each body gets one reminder per period,
// ever: a mark written with the event keeps it from going twice. The
// webhook dispatcher delivers the events. Returns how many it wrote.
func (db *DB) SendDueReminders(ctx context.Context, now time.Time) (int, error) {
	sent := 0
	err := db.update(ctx, func(txn *badger.Txn) error {
		sent = 0
		rd := txnReader{txn}
		set, err := readSettings(rd)
		if err != nil {
			return err
		}
		today := now.UTC().Format(time.DateOnly)
		// The rounds whose deadline is today or later: the current one and
		// those before it that are still open.
		for p := set.Cadence.PeriodOf(now); ; p = previousPeriod(p) {
			rp := set.period(p)
			if rp.DeadlineDate() < today {
				return nil
			}
			if rp.Deadline.AddDate(0, 0, -set.ReminderDays).Format(time.DateOnly) > today {
				continue
			}
			n, err := remindRound(txn, rd, rp, now)
			if err != nil {
				return err
			}
			sent += n
		}
	})
	return sent, err
}

func remindRound(txn *badger.Txn, rd reader, rp ReportingPeriod, now time.Time) (int, error) {
	round, err := roundOf(rd, rp, now)
	if err != nil {
		return 0, err
	}
	var bodies []string
	owed := map[string][]string{}
	for _, m := range round.Missing {
		if owed[m.BodyKey] == nil {
			bodies = append(bodies, m.BodyKey)
		}
		owed[m.BodyKey] = append(owed[m.BodyKey], m.Tiltak.Key)
	}
	sent := 0
	for _, b := range bodies {
		mark := reminderKey(rp.Key, b)
		if done, err := getValue(txn, mark, func([]byte) error { return nil }); err != nil || done {
			if err != nil {
				return 0, err
			}
			continue
		}
		r := ReportingReminder{Period: rp.Key, Deadline: rp.DeadlineDate(), BodyKey: b, TiltakKeys: owed[b]}
		if err := enqueueEvent(txn, now.UTC(), EventReportingReminder, KindBody, b, r); err != nil {
			return 0, err
		}
		if err := txn.Set(mark, []byte(now.UTC().Format(time.RFC3339))); err != nil {
			return 0, err
		}
		sent++
	}
	return sent, nil
}

// RunReminders calls [DB.SendDueReminders] with the store's clock now and
// then every interval until ctx ends, handing each outcome to report
// (which may be nil).
func (db *DB) RunReminders(ctx context.Context, every time.Duration, report func(sent int, err error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := db.SendDueReminders(ctx, db.now())
		if report != nil && ctx.Err() == nil {
			report(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
