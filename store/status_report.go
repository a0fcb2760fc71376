package store

import (
	"bytes"
	"context"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// ReportStatus stores one body's status report on a tiltak for a period.
// Reporting again for the same tiltak, period and body replaces the report,
// so a retry never duplicates. When the period is the tiltak's latest, the
// tiltak's phase, health and progress follow the report, and the status
// counters move in the same transaction. Returns Invalid for a bad report
// and NotFound for an unknown tiltak or body.
func (db *DB) ReportStatus(ctx context.Context, actor Actor, r StatusReport) (*StatusReport, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	now := db.now().UTC()
	// Reports arrive from many integrations at once: they share
	// transactions (the closure is safe to run again, see updateBatched).
	err := db.updateBatched(ctx, func(txn *badger.Txn, newest *newestKeys) error {
		return reportStatusTxn(txn, now, actor, &r, newest)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// reportStatusTxn writes one validated status report inside txn: the
// report (replacing an earlier one for the same tiltak, period and body),
// its audit entry and outbox event, and, when its period is the tiltak's
// latest, the tiltak's phase, health and progress with their counters and
// audit entry. It sets r's version, times and provenance. newest, if not
// nil, remembers each tiltak's newest report key across the reports of one
// transaction. Returns NotFound for an unknown tiltak or body.
func reportStatusTxn(txn *badger.Txn, now time.Time, actor Actor, r *StatusReport, newest *newestKeys) error {
	per, err := ParsePeriod(r.Period)
	if err != nil {
		return err
	}
	t, err := txnGet[Tiltak](txn, KindTiltak, r.TiltakKey)
	if ErrorCode(err) == NotFound {
		return FieldErrorf(NotFound, "tiltakKey", "tiltak %q not found", r.TiltakKey)
	}
	if err != nil {
		return err
	}
	if _, err := txnGet[Body](txn, KindBody, r.BodyKey); ErrorCode(err) == NotFound {
		return FieldErrorf(NotFound, "bodyKey", "body %q not found", r.BodyKey)
	} else if err != nil {
		return err
	}
	if err := startupGate(txn, r.TiltakKey); err != nil {
		return err
	}
	key := statusReportKey(r.TiltakKey, per.sortKey(), r.BodyKey)
	r.Version = 1
	var before any
	if old, err := txnGetKey[StatusReport](txn, key); err == nil {
		r.Version = old.Version + 1
		before = old
	} else if ErrorCode(err) != NotFound {
		return err
	}
	r.ReportedAt, r.UpdatedAt = now, now
	if r.Provenance == nil {
		r.Provenance = &Provenance{Confidence: Reported}
	}
	latest, err := newest.get(txn, r.TiltakKey)
	if err != nil {
		return err
	}
	if err := txnPut(txn, key, r); err != nil {
		return err
	}
	if err := indexPeriodStatus(txn, r); err != nil {
		return err
	}
	if err := lifecycleStatusTxn(txn, now, actor, r); err != nil {
		return err
	}
	newest.wrote(r.TiltakKey, key)
	reportRef := r.TiltakKey + "/" + r.Period + "/" + r.BodyKey
	if _, err := recordChange(txn, now, actor, KindStatusReport, reportRef, before, r); err != nil {
		return err
	}
	if err := enqueueEvent(txn, now, EventStatusReported, KindTiltak, r.TiltakKey, r); err != nil {
		return err
	}
	if bytes.Compare(key, latest) < 0 {
		return nil // an older period: the tiltak's status stays
	}
	updated := *t
	phase, progress := r.Phase, r.Progress
	updated.Phase, updated.Health, updated.Progress = &phase, r.Health, &progress
	changes, err := diffFields(t, &updated)
	if err != nil || len(changes) == 0 {
		return err
	}
	updated.Version, updated.UpdatedAt = t.Version+1, now
	if err := putTiltak(txn, t, &updated); err != nil {
		return err
	}
	_, err = recordFieldChanges(txn, now, actor, KindTiltak, t.Key, t, &updated, changes)
	return err
}

// newestKeys remembers, inside one transaction, the key of each tiltak's
// newest report. Asking Badger once per tiltak instead of once per report
// matters for a bulk import: an iterator in a transaction sorts all of its
// pending writes.
type newestKeys struct {
	known map[string][]byte
	// committed, if set, is a read-only view of the store as it stood when
	// the transaction began (no other writer runs meanwhile): a tiltak's
	// first lookup goes there, whose iterator has no pending writes to
	// sort, and known covers the reports this transaction wrote.
	committed *badger.Txn
}

func newNewestKeys(committed *badger.Txn) *newestKeys {
	return &newestKeys{known: map[string][]byte{}, committed: committed}
}

// get returns the key of the tiltak's newest report (nil if it has none).
// A nil newestKeys asks Badger every time.
func (n *newestKeys) get(txn *badger.Txn, tiltak string) ([]byte, error) {
	if n == nil {
		return latestReportKey(txn, tiltak)
	}
	if k, ok := n.known[tiltak]; ok {
		return k, nil
	}
	src := txn
	if n.committed != nil {
		src = n.committed
	}
	k, err := latestReportKey(src, tiltak)
	if err == nil {
		n.known[tiltak] = k
	}
	return k, err
}

// wrote notes that a report with key was written on the tiltak.
func (n *newestKeys) wrote(tiltak string, key []byte) {
	if n != nil && bytes.Compare(key, n.known[tiltak]) > 0 {
		n.known[tiltak] = key
	}
}

// latestReportKey returns the key of the newest report on a tiltak (the
// latest period; of several bodies' reports for it, the last by key).
func latestReportKey(txn *badger.Txn, tiltak string) ([]byte, error) {
	prefix := statusReportPrefix(tiltak)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
	defer it.Close()
	it.Seek(append(append([]byte{}, prefix...), 0xff))
	if !it.ValidForPrefix(prefix) {
		return nil, nil
	}
	return it.Item().KeyCopy(nil), nil
}

// StatusReports returns a page of a tiltak's status reports, newest period
// first. The cursor is the report's position key.
func (s *Snapshot) StatusReports(tiltak string, args PageArgs) ([]*StatusReport, Page, error) {
	if _, err := s.Tiltak(tiltak); err != nil {
		return nil, Page{}, err
	}
	s.mu.Lock()
	keys := s.prefixFull(statusReportPrefix(tiltak))
	s.mu.Unlock()
	// Newest first: reverse the key order, and page over "period.body" ids.
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[len(keys)-1-i] = k[len(statusReportPrefix(tiltak)):]
	}
	pos := map[string]int{}
	for i, id := range ids {
		pos[id] = i
	}
	page, err := pageOrdered(ids, func(a, b string) bool { return pos[a] < pos[b] }, args)
	if err != nil {
		return nil, Page{}, err
	}
	out := make([]*StatusReport, 0, len(page.Keys))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range page.Keys {
		r, err := snapGet[StatusReport](s, append(statusReportPrefix(tiltak), id...))
		if err != nil {
			return nil, Page{}, err
		}
		out = append(out, r)
	}
	return out, page, nil
}

// CountStatusReports counts a tiltak's status reports.
func (s *Snapshot) CountStatusReports(tiltak string) int {
	return s.countPrefix(statusReportPrefix(tiltak))
}

// LatestStatus returns the report of a tiltak's latest period, or nil.
func (s *Snapshot) LatestStatus(tiltak string) (*StatusReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := statusReportPrefix(tiltak)
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
	defer it.Close()
	it.Seek(append(append([]byte{}, prefix...), 0xff))
	if !it.ValidForPrefix(prefix) {
		return nil, nil
	}
	s.reads.Add(1)
	r := new(StatusReport)
	return r, it.Item().Value(func(b []byte) error { return decode(b, r) })
}
