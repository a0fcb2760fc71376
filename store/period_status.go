package store

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// The period status index: ps/<period>/<tiltak> holds, for every body that
// has reported on the tiltak for the period, its phase, health, progress
// and time of writing. It is written in the same transaction as each
// report, so a roll-up for a period reads one short value per reported
// tiltak instead of the reports themselves.

// psEntry is one body's report in the period status index.
type psEntry struct {
	Body     string
	Phase    Phase
	Health   Health // "" when none
	Progress int
	At       int64 // reportedAt, Unix nanoseconds
}

func psEntryOf(r *StatusReport) psEntry {
	e := psEntry{Body: r.BodyKey, Phase: r.Phase, Progress: r.Progress, At: r.ReportedAt.UnixNano()}
	if r.Health != nil {
		e.Health = *r.Health
	}
	return e
}

// encodePS writes entries as lines of body|phase|health|progress|at,
// ordered by body.
func encodePS(es []psEntry) []byte {
	sort.Slice(es, func(i, j int) bool { return es[i].Body < es[j].Body })
	var b bytes.Buffer
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Body + "|" + string(e.Phase) + "|" + string(e.Health) + "|" + strconv.Itoa(e.Progress) + "|" + strconv.FormatInt(e.At, 10))
	}
	return b.Bytes()
}

func decodePS(b []byte) ([]psEntry, error) {
	var out []psEntry
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 5 {
			return nil, Errorf(Internal, "period status record is corrupt: %q", line)
		}
		p, err1 := strconv.Atoi(f[3])
		at, err2 := strconv.ParseInt(f[4], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, Errorf(Internal, "period status record is corrupt: %q", line)
		}
		out = append(out, psEntry{Body: f[0], Phase: Phase(f[1]), Health: Health(f[2]), Progress: p, At: at})
	}
	return out, nil
}

// withEntry replaces the entry of e's body, or adds it.
func withEntry(es []psEntry, e psEntry) []psEntry {
	for i := range es {
		if es[i].Body == e.Body {
			es[i] = e
			return es
		}
	}
	return append(es, e)
}

// indexPeriodStatus puts a just-written report into the period status
// index, inside the report's transaction.
func indexPeriodStatus(txn *badger.Txn, r *StatusReport) error {
	key := periodStatusKey(r.Period, r.TiltakKey)
	var es []psEntry
	item, err := txn.Get(key)
	switch {
	case err == nil:
		if err := item.Value(func(b []byte) (err error) { es, err = decodePS(b); return }); err != nil {
			return err
		}
	case err != badger.ErrKeyNotFound:
		return err
	}
	return txn.Set(key, encodePS(withEntry(es, psEntryOf(r))))
}

// periodIndex collects the period status index of many reports (a plan
// import) before it is written.
type periodIndex map[string][]psEntry

func (p periodIndex) add(r *StatusReport) {
	k := string(periodStatusKey(r.Period, r.TiltakKey))
	p[k] = withEntry(p[k], psEntryOf(r))
}

// emit hands every index record to put.
func (p periodIndex) emit(put func(k string, v []byte)) {
	for k, es := range p {
		put(k, encodePS(es))
	}
}

// ReindexPeriodStatus rebuilds the period status index from the stored
// reports: for data written before the index existed (run it once, e.g.
// as a migration step), or to drop the entries of deleted tiltak. Writers
// wait meanwhile; it writes in batches, so any store size fits.
func (db *DB) ReindexPeriodStatus(ctx context.Context) error {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	idx := periodIndex{}
	var stale [][]byte
	err := db.bdb.View(func(txn *badger.Txn) error {
		rd := txnReader{txn}
		err := rd.each([]byte("ps/"), nil, false, func(k, _ []byte) (bool, error) {
			stale = append(stale, bytes.Clone(k))
			return ctx.Err() == nil, ctx.Err()
		})
		if err != nil {
			return err
		}
		return rd.each([]byte(recordPrefix[KindStatusReport]), nil, false, func(_, v []byte) (bool, error) {
			r := new(StatusReport)
			if err := decode(v, r); err != nil {
				return false, err
			}
			idx.add(r)
			return ctx.Err() == nil, ctx.Err()
		})
	})
	if err != nil {
		return err
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range stale {
		if _, keep := idx[string(k)]; !keep {
			if err := wb.Delete(k); err != nil {
				return err
			}
		}
	}
	idx.emit(func(k string, v []byte) {
		if err == nil {
			err = wb.Set([]byte(k), v)
		}
	})
	if err == nil {
		err = wb.Flush()
	}
	if err != nil {
		return fmt.Errorf("reindex period status: %w", err)
	}
	return db.bdb.Sync()
}

// reindexPeriodStatus is [DB.ReindexPeriodStatus] as a migration step
// (schema 2→3, for stores whose reports predate the index): it reads the
// reports through read and writes the index through w. Idempotent: the
// reports are its only source.
func reindexPeriodStatus(read *badger.Txn, w *badger.WriteBatch) error {
	rd := txnReader{read}
	err := rd.each([]byte("ps/"), nil, false, func(k, _ []byte) (bool, error) {
		return true, w.Delete(bytes.Clone(k))
	})
	if err != nil {
		return err
	}
	idx := periodIndex{}
	err = rd.each([]byte(recordPrefix[KindStatusReport]), nil, false, func(_, v []byte) (bool, error) {
		r := new(StatusReport)
		if err := decode(v, r); err != nil {
			return false, err
		}
		idx.add(r)
		return true, nil
	})
	idx.emit(func(k string, v []byte) {
		if err == nil {
			err = w.Set([]byte(k), v)
		}
	})
	return err
}

// effectiveEntry picks a tiltak's report for a period among several
// bodies' reports: the responsible body's if there is one, otherwise the
// one written last.
func effectiveEntry(es []psEntry, responsible string) psEntry {
	best := es[0]
	for _, e := range es {
		if e.Body == responsible {
			return e
		}
		if e.At > best.At || (e.At == best.At && e.Body > best.Body) {
			best = e
		}
	}
	return best
}

// effectiveReport is [effectiveEntry] for whole reports.
func effectiveReport(rs []*StatusReport, responsible string) *StatusReport {
	if len(rs) == 0 {
		return nil
	}
	best := rs[0]
	for _, r := range rs {
		if r.BodyKey == responsible {
			return r
		}
		if r.ReportedAt.After(best.ReportedAt) || (r.ReportedAt.Equal(best.ReportedAt) && r.BodyKey > best.BodyKey) {
			best = r
		}
	}
	return best
}

func (e psEntry) cell() cell {
	c := cell{string(e.Phase), noValue}
	if e.Phase == PhaseActive && e.Health != "" {
		c.health = string(e.Health)
	}
	return c
}

// reader is what the follow-up computations read through: a [Snapshot]
// for queries, or a write transaction, so that reminders are decided on
// the data they are written with.
type reader interface {
	tiltak(key string) (*Tiltak, error)
	// get calls fn with the value at key; false if there is none.
	get(key []byte, fn func(v []byte) error) (bool, error)
	// each calls fn with every key and value under prefix, from seek
	// (forwards, or backwards when reverse), until fn returns false. fn
	// must not use the reader, nor keep k or v.
	each(prefix, seek []byte, reverse bool, fn func(k, v []byte) (bool, error)) error
}

type snapReader struct{ s *Snapshot }

func (r snapReader) tiltak(key string) (*Tiltak, error) { return r.s.Tiltak(key) }

func (r snapReader) each(prefix, seek []byte, reverse bool, fn func(k, v []byte) (bool, error)) error {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return iterate(r.s.txn, prefix, seek, reverse, func(k, v []byte) (bool, error) { r.s.reads.Add(1); return fn(k, v) })
}

func (r snapReader) get(key []byte, fn func(v []byte) error) (bool, error) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.s.reads.Add(1)
	return getValue(r.s.txn, key, fn)
}

type txnReader struct{ txn *badger.Txn }

func (r txnReader) get(key []byte, fn func(v []byte) error) (bool, error) {
	return getValue(r.txn, key, fn)
}

func getValue(txn *badger.Txn, key []byte, fn func(v []byte) error) (bool, error) {
	item, err := txn.Get(key)
	if err == badger.ErrKeyNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(fn)
}

func (r txnReader) tiltak(key string) (*Tiltak, error) { return txnGet[Tiltak](r.txn, KindTiltak, key) }

func (r txnReader) each(prefix, seek []byte, reverse bool, fn func(k, v []byte) (bool, error)) error {
	return iterate(r.txn, prefix, seek, reverse, fn)
}

func iterate(txn *badger.Txn, prefix, seek []byte, reverse bool, fn func(k, v []byte) (bool, error)) error {
	// Prefetch for scans; a seek reads one or two items.
	scan := seek == nil && !reverse
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: reverse, PrefetchValues: scan, PrefetchSize: 64})
	defer it.Close()
	if seek == nil {
		seek = prefix
		if reverse {
			seek = append(bytes.Clone(prefix), 0xff)
		}
	}
	for it.Seek(seek); it.ValidForPrefix(prefix); it.Next() {
		var more bool
		err := it.Item().Value(func(v []byte) (err error) { more, err = fn(it.Item().Key(), v); return })
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// periodEntries returns the period status index of a period, by tiltak.
func periodEntries(rd reader, period string) (map[string][]psEntry, error) {
	out := map[string][]psEntry{}
	prefix := periodStatusPrefix(period)
	err := rd.each(prefix, nil, false, func(k, v []byte) (bool, error) {
		es, err := decodePS(v)
		out[string(k[len(prefix):])] = es
		return true, err
	})
	return out, err
}

// reportsBefore returns the tiltak's reports of its latest period before
// the one with sort key sortKey (nil if it has none).
func reportsBefore(rd reader, tiltak, sortKey string) ([]*StatusReport, error) {
	var out []*StatusReport
	err := periodsBackwards(rd, tiltak, sortKey, func(rs []*StatusReport) bool { out = rs; return false })
	return out, err
}

// periodsBackwards calls fn with the tiltak's reports of each period
// before sortKey (all periods when it is ""), newest period first, until
// fn returns false.
func periodsBackwards(rd reader, tiltak, sortKey string, fn func([]*StatusReport) bool) error {
	prefix := statusReportPrefix(tiltak)
	var seek []byte
	if sortKey != "" {
		seek = append(bytes.Clone(prefix), sortKey...)
	}
	var group []*StatusReport
	cur, stop := "", false
	err := rd.each(prefix, seek, true, func(k, v []byte) (bool, error) {
		ps, _, _ := strings.Cut(string(k[len(prefix):]), "/")
		if ps != cur && len(group) > 0 {
			if !fn(group) {
				stop = true
				return false, nil
			}
			group = nil
		}
		cur = ps
		r := new(StatusReport)
		group = append(group, r)
		return true, decode(v, r)
	})
	if err == nil && !stop && len(group) > 0 {
		fn(group)
	}
	return err
}
