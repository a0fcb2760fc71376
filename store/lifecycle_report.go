package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

func lifecycleKey(r *Report) ([]byte, error) {
	ps := noValue
	if r.Period != "" {
		per, err := ParsePeriod(r.Period)
		if err != nil {
			return nil, err
		}
		ps = per.sortKey()
	}
	return lifecycleReportKey(r.TiltakKey, r.Stage, ps, r.BodyKey), nil
}

func statusKeyOf(tiltak, period, body string) ([]byte, error) {
	per, err := ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	return statusReportKey(tiltak, per.sortKey(), body), nil
}

// DraftReport starts a report as a draft, prefilled from the body's
// previous report on the tiltak (the newest of the same stage, else the
// newest of any; a returned report of the same id counts): its summary
// and, of the same stage, its content; PrefilledFrom names it. change then
// sets what the caller gives. Returns Invalid for a bad report (a status
// report on a tiltak in the lifecycle without an accepted start-up is
// one), NotFound for an unknown tiltak or body and Conflict when the
// report is already drafted, submitted or accepted.
func (db *DB) DraftReport(ctx context.Context, actor Actor, r Report, change func(*Report) error) (*Report, error) {
	if !oneOf(r.Stage, AllReportStages) {
		return nil, FieldErrorf(Invalid, "stage", "stage %q must be REGISTRATION, STARTUP, STATUS or CLOSURE", r.Stage)
	}
	if err := required("tiltakKey", r.TiltakKey); err != nil {
		return nil, err
	}
	if err := required("bodyKey", r.BodyKey); err != nil {
		return nil, err
	}
	if r.Stage == StageStatus {
		if err := required("period", r.Period); err != nil {
			return nil, err
		}
	}
	key, err := lifecycleKey(&r)
	if err != nil {
		return nil, err
	}
	now := db.now().UTC()
	var out *Report
	err = db.update(ctx, func(txn *badger.Txn) error {
		if _, err := txnGet[Tiltak](txn, KindTiltak, r.TiltakKey); err != nil {
			return refErr(err, "tiltakKey")
		}
		if _, err := txnGet[Body](txn, KindBody, r.BodyKey); err != nil {
			return refErr(err, "bodyKey")
		}
		if r.Stage == StageStatus {
			if err := startupGate(txn, r.TiltakKey); err != nil {
				return err
			}
		}
		cur, err := currentReport(txn, r.ID())
		if err != nil {
			return err
		}
		if cur != nil && cur.State != StateReturned {
			return FieldErrorf(Conflict, "stage", "report %s is already %s: %s", r.ID(), strings.ToLower(string(cur.State)),
				map[ReportState]string{StateDraft: "change it with updateReport", StateSubmitted: "the secretariat accepts or returns it first", StateAccepted: "it is final"}[cur.State])
		}
		d := Report{Stage: r.Stage, TiltakKey: r.TiltakKey, Period: r.Period, BodyKey: r.BodyKey, State: StateDraft}
		prev, err := previousReport(txn, &d)
		if err != nil {
			return err
		}
		if prev != nil {
			prefill(&d, prev)
		}
		if change != nil {
			if err := change(&d); err != nil {
				return err
			}
		}
		if err := d.validateDraft(); err != nil {
			return err
		}
		if err := checkReportRefs(txn, &d); err != nil {
			return err
		}
		d.Version, d.UpdatedAt = 1, now
		d.Provenance = &Provenance{Confidence: Reported}
		if err := txnPut(txn, key, &d); err != nil {
			return err
		}
		out = &d
		_, err = recordChange(txn, now, actor, KindReport, d.ID(), nil, &d)
		return err
	})
	return out, err
}

// prefill copies what a new report takes over from prev.
func prefill(d, prev *Report) {
	d.PrefilledFrom, d.Summary = prev.ID(), prev.Summary
	if prev.Stage != d.Stage {
		return
	}
	clone := func(src, dst any) {
		b, _ := json.Marshal(src)
		_ = json.Unmarshal(b, dst)
	}
	switch d.Stage {
	case StageRegistration:
		clone(prev.Registration, &d.Registration)
	case StageStartup:
		clone(prev.Startup, &d.Startup)
	case StageStatus:
		clone(prev.Status, &d.Status)
	case StageClosure:
		clone(prev.Closure, &d.Closure)
	}
}

// previousReport finds the report a new one is prefilled from.
func previousReport(txn *badger.Txn, d *Report) (*Report, error) {
	var cands []*Report
	err := txnReader{txn}.each(lifecycleReportPrefix(d.TiltakKey), nil, false, func(_, v []byte) (bool, error) {
		r := new(Report)
		if err := decode(v, r); err != nil {
			return false, err
		}
		cands = append(cands, r)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	err = txnReader{txn}.each(statusReportPrefix(d.TiltakKey), nil, false, func(_, v []byte) (bool, error) {
		s := new(StatusReport)
		if err := decode(v, s); err != nil {
			return false, err
		}
		cands = append(cands, reportOfStatus(s))
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	var best *Report
	for _, c := range cands {
		if c.BodyKey != d.BodyKey || c.State == StateDraft || c.ID() == d.ID() && c.State != StateReturned {
			continue
		}
		switch {
		case best == nil:
			best = c
		case (c.Stage == d.Stage) != (best.Stage == d.Stage):
			if c.Stage == d.Stage {
				best = c
			}
		case c.UpdatedAt.After(best.UpdatedAt) || c.UpdatedAt.Equal(best.UpdatedAt) && c.ID() > best.ID():
			best = c
		}
	}
	return best, nil
}

// currentReport returns the report with id as stored: the draft, else the
// submitted record; nil if there is none.
func currentReport(txn *badger.Txn, id string) (*Report, error) {
	tiltak, stage, period, body, err := ParseReportID("id", id)
	if err != nil {
		return nil, err
	}
	probe := &Report{Stage: stage, TiltakKey: tiltak, Period: period, BodyKey: body}
	key, err := lifecycleKey(probe)
	if err != nil {
		return nil, FieldErrorf(Invalid, "id", "report id %q: %s", id, ErrorMessage(err))
	}
	r, err := txnGetKey[Report](txn, key)
	if err == nil || ErrorCode(err) != NotFound || stage != StageStatus {
		if ErrorCode(err) == NotFound {
			return nil, nil
		}
		return r, err
	}
	sk, _ := statusKeyOf(tiltak, period, body)
	s, err := txnGetKey[StatusReport](txn, sk)
	if ErrorCode(err) == NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return reportOfStatus(s), nil
}

func notFoundReport(id string) error {
	return FieldErrorf(NotFound, "id", "report %s not found", id)
}

// UpdateReport changes a draft with change (x checks its version).
// Returns NotFound if there is no draft with id, Invalid for a bad change
// or a report that is not a draft, and Conflict for a stale version.
func (db *DB) UpdateReport(ctx context.Context, actor Actor, id string, x Expect, change func(*Report) error) (*Report, error) {
	now := db.now().UTC()
	var out *Report
	err := db.update(ctx, func(txn *badger.Txn) error {
		cur, err := currentReport(txn, id)
		if err != nil {
			return err
		}
		if cur == nil {
			return notFoundReport(id)
		}
		if cur.State != StateDraft {
			return FieldErrorf(Invalid, "id", "report %s is %s: only a draft can be changed (draft it anew after it is returned)", id, cur.State)
		}
		if x.Version != nil && *x.Version != cur.Version {
			return FieldErrorf(Conflict, "expectedVersion", "report %s is at version %d, not %d", id, cur.Version, *x.Version)
		}
		d := *cur
		if err := change(&d); err != nil {
			return err
		}
		if err := d.validateDraft(); err != nil {
			return err
		}
		if err := checkReportRefs(txn, &d); err != nil {
			return err
		}
		d.Version, d.UpdatedAt = cur.Version+1, now
		return putReport(txn, now, actor, cur, &d, &out)
	})
	return out, err
}

func putReport(txn *badger.Txn, now time.Time, actor Actor, old, r *Report, out **Report) error {
	key, err := lifecycleKey(r)
	if err != nil {
		return err
	}
	if err := txnPut(txn, key, r); err != nil {
		return err
	}
	*out = r
	_, err = recordChange(txn, now, actor, KindReport, r.ID(), old, r)
	return err
}

// SubmitReport hands a draft to the secretariat. A status draft becomes
// the period's status report (as reportStatus writes it, with the tiltak's
// status following it). A registration or start-up report puts the tiltak
// into the lifecycle. Returns NotFound if there is no draft with id and
// Invalid for an incomplete report or one that is not a draft.
func (db *DB) SubmitReport(ctx context.Context, actor Actor, id string) (*Report, error) {
	now := db.now().UTC()
	var out *Report
	err := db.update(ctx, func(txn *badger.Txn) error {
		cur, err := currentReport(txn, id)
		if err != nil {
			return err
		}
		if cur == nil || cur.State != StateDraft {
			if cur == nil {
				return notFoundReport(id)
			}
			return FieldErrorf(Invalid, "id", "report %s is %s: only a draft can be submitted", id, cur.State)
		}
		if err := cur.validateSubmit(); err != nil {
			return err
		}
		by := actor.TokenName
		if by == "" {
			by = "system"
		}
		if cur.Stage == StageStatus {
			if err := startupGate(txn, cur.TiltakKey); err != nil {
				return err
			}
			sr := statusReportOf(cur)
			sr.SubmittedBy, sr.SubmittedAt = by, &now
			if err := reportStatusTxn(txn, now, actor, &sr, nil); err != nil {
				return err
			}
			key, _ := lifecycleKey(cur)
			if err := txn.Delete(key); err != nil {
				return err
			}
			out = reportOfStatus(&sr)
			return nil
		}
		d := *cur
		d.State, d.SubmittedBy, d.SubmittedAt, d.ReturnReason = StateSubmitted, by, &now, ""
		d.Version, d.UpdatedAt = cur.Version+1, now
		if d.Stage == StageRegistration || d.Stage == StageStartup {
			m, err := readMarker(txn, d.TiltakKey)
			if err != nil {
				return err
			}
			if !m.Entered {
				m.Entered = true
				if err := txnPut(txn, lifecycleMarkerKey(d.TiltakKey), &m); err != nil {
					return err
				}
			}
		}
		return putReport(txn, now, actor, cur, &d, &out)
	})
	return out, err
}

// AcceptReport is the secretariat's acceptance of a submitted report.
// Accepting a start-up report lets status be reported and makes its
// planned deliveries the tiltak's deliveries (baselines; existing ones
// are kept). Returns NotFound for an unknown report and Invalid for one
// that is not submitted.
func (db *DB) AcceptReport(ctx context.Context, actor Actor, id string) (*Report, error) {
	return db.decideReport(ctx, actor, id, StateAccepted, "")
}

// ReturnReport is the secretariat's return of a submitted report to its
// body, with a reason. A returned status report still stands as the
// tiltak's status until the body submits it anew, but its obstacles are
// not counted. Returns Invalid without a reason or for a report that is
// not submitted, and NotFound for an unknown report.
func (db *DB) ReturnReport(ctx context.Context, actor Actor, id, reason string) (*Report, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, FieldErrorf(Invalid, "reason", "a returned report needs a reason the body can act on")
	}
	return db.decideReport(ctx, actor, id, StateReturned, reason)
}

func (db *DB) decideReport(ctx context.Context, actor Actor, id string, to ReportState, reason string) (*Report, error) {
	now := db.now().UTC()
	var out *Report
	err := db.update(ctx, func(txn *badger.Txn) error {
		tiltak, stage, period, body, err := ParseReportID("id", id)
		if err != nil {
			return err
		}
		if stage == StageStatus {
			sk, err := statusKeyOf(tiltak, period, body)
			if err != nil {
				return err
			}
			s, err := txnGetKey[StatusReport](txn, sk)
			if ErrorCode(err) == NotFound {
				return notFoundReport(id)
			} else if err != nil {
				return err
			}
			if s.ReportState() != StateSubmitted {
				return FieldErrorf(Invalid, "id", "report %s is %s: only a submitted report can be accepted or returned", id, s.ReportState())
			}
			u := *s
			u.State, u.ReturnReason, u.Version, u.UpdatedAt = to, reason, s.Version+1, now
			if err := txnPut(txn, sk, &u); err != nil {
				return err
			}
			if err := indexObstacles(txn, &u); err != nil {
				return err
			}
			out = reportOfStatus(&u)
			_, err = recordChange(txn, now, actor, KindStatusReport, tiltak+"/"+period+"/"+body, s, &u)
			return err
		}
		cur, err := currentReport(txn, id)
		if err != nil {
			return err
		}
		if cur == nil {
			return notFoundReport(id)
		}
		if cur.State != StateSubmitted {
			return FieldErrorf(Invalid, "id", "report %s is %s: only a submitted report can be accepted or returned", id, cur.State)
		}
		d := *cur
		d.State, d.ReturnReason, d.Version, d.UpdatedAt = to, reason, cur.Version+1, now
		if to == StateAccepted && d.Stage == StageStartup {
			if err := acceptStartup(txn, now, actor, &d); err != nil {
				return err
			}
		}
		return putReport(txn, now, actor, cur, &d, &out)
	})
	return out, err
}

func acceptStartup(txn *badger.Txn, now time.Time, actor Actor, r *Report) error {
	m, err := readMarker(txn, r.TiltakKey)
	if err != nil {
		return err
	}
	m.Entered, m.StartupAccepted = true, true
	if err := txnPut(txn, lifecycleMarkerKey(r.TiltakKey), &m); err != nil {
		return err
	}
	if r.Startup == nil {
		return nil
	}
	for _, p := range r.Startup.Deliveries {
		_, err := txnGetKey[TiltakDelivery](txn, tiltakDeliveryKey(r.TiltakKey, p.Key))
		if err == nil {
			continue
		} else if ErrorCode(err) != NotFound {
			return err
		}
		d := &TiltakDelivery{TiltakKey: r.TiltakKey, Key: p.Key, Title: p.Title, Kind: p.Kind, BaselineDate: p.BaselineDate,
			Unit: p.Unit, TargetValue: p.TargetValue}
		if err := putDelivery(txn, now, actor, nil, d); err != nil {
			return err
		}
	}
	return nil
}
