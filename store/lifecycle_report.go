package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// lifecycleMarker is kept at lc/<tiltak> once a tiltak has entered the
// lifecycle: a registration or start-up report has been submitted for it.
// From then on a status report needs an accepted start-up. Tiltak without
// a marker (the 2020 plan's, generated data) report status as before.
type lifecycleMarker struct {
	Entered         bool `json:"entered"`
	StartupAccepted bool `json:"startupAccepted"`
}

func readMarker(txn *badger.Txn, tiltak string) (lifecycleMarker, error) {
	m, err := txnGetKey[lifecycleMarker](txn, lifecycleMarkerKey(tiltak))
	if ErrorCode(err) == NotFound {
		return lifecycleMarker{}, nil
	}
	if err != nil {
		return lifecycleMarker{}, err
	}
	return *m, nil
}

// startupGate refuses a status report on a tiltak that has entered the
// lifecycle without an accepted start-up report.
func startupGate(txn *badger.Txn, tiltak string) error {
	m, err := readMarker(txn, tiltak)
	if err != nil || !m.Entered || m.StartupAccepted {
		return err
	}
	return FieldErrorf(Invalid, "tiltakKey", "tiltak %q has no accepted start-up report: once a tiltak has a registration or start-up report, status is reported only after the secretariat has accepted its start-up report (stage STARTUP)", tiltak)
}

// lifecycleStatusTxn is the lifecycle's part of writing a status report:
// the obstacles' decision makers must exist, the status per delivery goes
// onto the deliveries, and the obstacle index follows the report.
func lifecycleStatusTxn(txn *badger.Txn, now time.Time, actor Actor, r *StatusReport) error {
	if len(r.Obstacles) > 0 {
		if err := checkObstacleRefs(txn, r.Obstacles); err != nil {
			return err
		}
	}
	if len(r.Deliveries) > 0 {
		if err := applyDeliveryProgress(txn, now, actor, r.TiltakKey, r.Deliveries); err != nil {
			return err
		}
	}
	return indexObstacles(txn, r)
}

func (r *StatusReport) validateLifecycle() error {
	if r.State != "" && !oneOf(r.State, AllReportStates) {
		return FieldErrorf(Invalid, "state", "state %q is not valid", r.State)
	}
	if err := validateObstacles(r.Obstacles); err != nil {
		return err
	}
	return validateDeliveryProgress(r.Deliveries)
}

// Viewer is who reads stage reports: a draft is seen only by its own body
// and by editors.
type Viewer struct {
	BodyKey string
	Editor  bool
}

// Sees reports whether v may see r.
func (v Viewer) Sees(r *Report) bool {
	return r.State != StateDraft || v.Editor || v.BodyKey != "" && v.BodyKey == r.BodyKey
}

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

// validateDraft checks what a draft holds; a draft may be incomplete.
func (r *Report) validateDraft() error {
	if r.Registration != nil && r.Stage != StageRegistration || r.Startup != nil && r.Stage != StageStartup ||
		r.Status != nil && r.Stage != StageStatus || r.Closure != nil && r.Stage != StageClosure {
		return FieldErrorf(Invalid, "stage", "a %s report carries only its own stage's content", r.Stage)
	}
	if s := r.Startup; s != nil {
		if err := validDate("startup.plannedStart", s.PlannedStart); err != nil {
			return err
		}
		for i, d := range s.Deliveries {
			td := TiltakDelivery{Key: d.Key, Title: d.Title, Kind: d.Kind, BaselineDate: d.BaselineDate, TargetValue: d.TargetValue}
			if err := td.validate(); err != nil {
				e := err.(*Error)
				return FieldErrorf(e.Code, fieldAt("startup.deliveries", i, e.Field), "%s", e.Message)
			}
		}
	}
	if s := r.Status; s != nil {
		if s.Phase != "" && !s.Phase.IsValid() {
			return FieldErrorf(Invalid, "status.phase", "phase %q is not valid", s.Phase)
		}
		if err := validateObstacles(s.Obstacles); err != nil {
			return inStatus(err)
		}
		if err := validateDeliveryProgress(s.Deliveries); err != nil {
			return inStatus(err)
		}
	}
	if c := r.Closure; c != nil && c.Outcome != "" {
		return c.validate()
	}
	return nil
}

// validateSubmit checks that a report is complete enough to submit.
func (r *Report) validateSubmit() error {
	if err := r.validateDraft(); err != nil {
		return err
	}
	switch r.Stage {
	case StageRegistration:
		if r.Registration == nil || strings.TrimSpace(r.Registration.CommitmentText) == "" {
			return FieldErrorf(Invalid, "registration.commitmentText", "a registration report needs the commitment text (registration.commitmentText)")
		}
	case StageStartup:
		if r.Startup == nil || r.Startup.PlannedStart == "" {
			return FieldErrorf(Invalid, "startup.plannedStart", "a start-up report needs the planned start (startup.plannedStart)")
		}
	case StageClosure:
		if r.Closure == nil || r.Closure.Outcome == "" {
			return FieldErrorf(Invalid, "closure.outcome", "a closure report needs an outcome (closure.outcome)")
		}
	case StageStatus:
		sr := statusReportOf(r)
		if err := sr.validate(); err != nil {
			return inStatus(err)
		}
	}
	return nil
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

// Reports returns the stage reports on a tiltak that v may see: its
// registration, start-up and closure reports, its status reports (drafts
// and submitted ones) in lifecycle order, then by period and body. A
// status draft that v sees hides the returned report of the same id.
// Returns NotFound for an unknown tiltak.
func (s *Snapshot) Reports(tiltak string, v Viewer) ([]*Report, error) {
	if _, err := s.Tiltak(tiltak); err != nil {
		return nil, err
	}
	lr, err := scanRecords[Report](s, lifecycleReportPrefix(tiltak))
	if err != nil {
		return nil, err
	}
	sr, err := scanRecords[StatusReport](s, statusReportPrefix(tiltak))
	if err != nil {
		return nil, err
	}
	out := []*Report{}
	drafts := map[string]bool{}
	for _, r := range lr {
		if v.Sees(r) {
			out = append(out, r)
			drafts[r.ID()] = true
		}
	}
	for _, x := range sr {
		r := reportOfStatus(x)
		if !drafts[r.ID()] {
			out = append(out, r)
		}
	}
	order := map[ReportStage]int{StageRegistration: 0, StageStartup: 1, StageStatus: 2, StageClosure: 3}
	sortKey := func(r *Report) string {
		if p, err := ParsePeriod(r.Period); err == nil {
			return p.sortKey()
		}
		return ""
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if order[a.Stage] != order[b.Stage] {
			return order[a.Stage] < order[b.Stage]
		}
		if sortKey(a) != sortKey(b) {
			return sortKey(a) < sortKey(b)
		}
		return a.BodyKey < b.BodyKey
	})
	return out, nil
}

// Report returns the report with id as v may see it (a draft of the id
// first, else the submitted one); nil when there is none or v may not
// see it. Returns Invalid for a malformed id.
func (s *Snapshot) Report(id string, v Viewer) (*Report, error) {
	tiltak, _, _, _, err := ParseReportID("id", id)
	if err != nil {
		return nil, err
	}
	rs, err := s.Reports(tiltak, v)
	if ErrorCode(err) == NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.ID() == id {
			return r, nil
		}
	}
	return nil, nil
}

// checkReportRefs returns NotFound naming the field of a body, focus area
// or forum a report's content names and that does not exist.
func checkReportRefs(txn *badger.Txn, r *Report) error {
	body := func(field, key string) error {
		if key == "" {
			return nil
		}
		_, err := txnGet[Body](txn, KindBody, key)
		return refErr(err, field)
	}
	if g := r.Registration; g != nil {
		if g.FocusAreaKey != "" {
			if _, err := txnGet[FocusArea](txn, KindFocusArea, g.FocusAreaKey); err != nil {
				return refErr(err, "registration.focusAreaKey")
			}
		}
		if err := body("registration.ministryKey", g.MinistryKey); err != nil {
			return err
		}
		if err := body("registration.executingBodyKey", g.ExecutingBodyKey); err != nil {
			return err
		}
		for i, p := range g.ParticipantKeys {
			if err := body(fmt.Sprintf("registration.participantKeys[%d]", i), p); err != nil {
				return err
			}
		}
	}
	if c := r.Closure; c != nil {
		if err := body("closure.operationsOwnerKey", c.OperationsOwnerKey); err != nil {
			return err
		}
		if err := body("closure.benefitsHandedToKey", c.BenefitsHandedToKey); err != nil {
			return err
		}
	}
	if s := r.Status; s != nil {
		return inStatus(checkObstacleRefs(txn, s.Obstacles))
	}
	return nil
}

// inStatus names a status report's field as the status content of a
// draft: obstacles[0].code becomes status.obstacles[0].code.
func inStatus(err error) error {
	if e, ok := err.(*Error); ok && e.Field != "" && e.Field != "period" && !strings.HasPrefix(e.Field, "status.") {
		return &Error{Code: e.Code, Field: "status." + e.Field, Message: e.Message}
	}
	return err
}
