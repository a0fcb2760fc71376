package store

import "time"

// Roll-ups for a reporting period, from the period status index.

// StatusSummaryFor is the roll-up of the tiltak that match f: as they
// stand now when period is "" ([Snapshot.TiltakSummary]), else as
// reported for period ([Snapshot.PeriodSummary]). Without a period,
// NotReported counts, when asked for, the matching tiltak that owe a
// report for the current period (the one holding now, in the plan's
// cadence) and have none. Returns Invalid for a bad period.
func (s *Snapshot) StatusSummaryFor(f TiltakFilter, period string, now time.Time) (*StatusSummary, error) {
	if period != "" {
		return s.PeriodSummary(f, period)
	}
	sum, err := s.TiltakSummary(f)
	if err != nil {
		return nil, err
	}
	sum.notReported = func() (int, error) {
		set, err := readSettings(snapReader{s})
		if err != nil {
			return 0, err
		}
		keys, err := s.matchingTiltak(f)
		if err != nil {
			return 0, err
		}
		return tally(snapReader{s}, keys, set.Cadence.PeriodOf(now), nil, true)
	}
	return sum, nil
}

// PeriodSummary rolls up the tiltak that match f as reported for period:
// each tiltak with a report for the period counts once, by its effective
// report (its responsible body's, else the one written last), and phase
// and health in f select by the reported values. NotReported counts the
// matching tiltak that owe a report for the period and have none
// (exempted ones owe none; with a health in f, or a phase other than
// ACTIVE, it is 0). Returns Invalid for a bad period.
func (s *Snapshot) PeriodSummary(f TiltakFilter, period string) (*StatusSummary, error) {
	per, err := ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	scope := f
	scope.Phases, scope.Healths = nil, nil
	keys, err := s.matchingTiltak(scope)
	if err != nil {
		return nil, err
	}
	acc := newSummaryAcc()
	add := func(e psEntry) {
		if c := e.cell(); f.accepts(c) {
			acc.add(c, counterValue{N: 1, ProgressSum: int64(e.Progress), ProgressN: 1})
		}
	}
	countMissing := (len(f.Phases) == 0 || oneOf(PhaseActive, f.Phases)) && len(f.Healths) == 0
	missing, err := tally(snapReader{s}, keys, per, add, countMissing)
	if err != nil {
		return nil, err
	}
	sum := acc.summary()
	sum.notReported = func() (int, error) { return missing, nil }
	return sum, nil
}

// NotReported counts the tiltak that owe a report for the summary's
// period and have none (see [Snapshot.StatusSummaryFor]).
func (s *StatusSummary) NotReported() (int, error) {
	if s.notReported == nil {
		return 0, nil
	}
	return s.notReported()
}

// matchingTiltak lists the keys of the tiltak that match f.
func (s *Snapshot) matchingTiltak(f TiltakFilter) ([]string, error) {
	lp, err := s.tiltakPlan(f)
	if err != nil {
		return nil, err
	}
	if f.FocusAreaKey != "" {
		lp = s.intersect(lp, relPrefix(relFocusAreaTiltak, f.FocusAreaKey))
	}
	return s.all(lp)
}

// tally walks the tiltak with keys for per: reported gets the effective
// entry of each that has reported (when not nil), and, when countMissing
// is set, the result counts those that owe a report and have none.
func tally(rd reader, keys []string, per Period, reported func(psEntry), countMissing bool) (int, error) {
	lookup, err := entriesLookup(rd, per.Key, len(keys))
	if err != nil {
		return 0, err
	}
	exempt, err := exemptedKeys(rd, per.Key)
	if err != nil {
		return 0, err
	}
	var unreported []*Tiltak
	for _, k := range keys {
		es, err := lookup(k)
		if err != nil {
			return 0, err
		}
		if len(es) > 0 && reported != nil {
			resp := ""
			if len(es) > 1 {
				t, err := rd.tiltak(k)
				if err != nil {
					return 0, err
				}
				resp = t.ResponsibleKey
			}
			reported(effectiveEntry(es, resp))
		}
		if len(es) > 0 || !countMissing || exempt[k] {
			continue
		}
		t, err := rd.tiltak(k)
		if err != nil {
			return 0, err
		}
		unreported = append(unreported, t)
	}
	owed, err := owing(rd, per, unreported, func(string) []psEntry { return nil })
	missing := 0
	for _, o := range owed {
		if o {
			missing++
		}
	}
	return missing, err
}

// entriesLookup returns a look-up of the period status index of period:
// point reads for a few tiltak, one scan of the period for many.
func entriesLookup(rd reader, period string, n int) (func(tiltak string) ([]psEntry, error), error) {
	if n > 4*scanBelow {
		all, err := periodEntries(rd, period)
		return func(k string) ([]psEntry, error) { return all[k], nil }, err
	}
	return func(k string) (es []psEntry, err error) {
		_, err = rd.get(periodStatusKey(period, k), func(v []byte) (err error) { es, err = decodePS(v); return })
		return es, err
	}, nil
}
