package store

import (
	"fmt"
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

// typedDependents names the typed dependencies on a tiltak, for the
// refusal to delete it while others depend on it.
func typedDependents(txn *badger.Txn, tiltak string) []string {
	var out []string
	prefix := dependencyToPrefix(tiltak)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: false})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		out = append(out, "tiltak "+strings.Replace(lastSegment(it.Item().Key()), ":", " (typed dependency ", 1)+")")
	}
	return out
}

// dropLifecycle deletes a deleted tiltak's lifecycle records: its stage
// reports and marker, deliveries, ratings, typed dependencies (with their
// reverse keys) and the obstacle index entries of its status reports. It
// runs before the status reports themselves are deleted.
func dropLifecycle(txn *badger.Txn, tiltak string) error {
	prefix := statusReportPrefix(tiltak)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: false})
	var obs [][]byte
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		rest := strings.Split(string(it.Item().Key()[len(prefix):]), "/") // periodSort, body
		if len(rest) == 2 {
			obs = append(obs, obstacleKey(rest[0], tiltak, rest[1]))
		}
	}
	it.Close()
	for _, k := range obs {
		if _, err := txn.Get(k); err == nil {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
	}
	deps, err := exportPrefix[Dependency](txn, string(dependencyPrefix(tiltak)))
	if err != nil {
		return err
	}
	for _, d := range deps {
		if d.ToTiltakKey != "" {
			if err := txn.Delete(dependencyToKey(d.ToTiltakKey, tiltak, d.Key)); err != nil {
				return err
			}
		}
	}
	for _, p := range [][]byte{lifecycleReportPrefix(tiltak), tiltakDeliveryPrefix(tiltak), assessmentPrefix(tiltak), dependencyPrefix(tiltak)} {
		if err := deletePrefix(txn, p); err != nil {
			return err
		}
	}
	return txn.Delete(lifecycleMarkerKey(tiltak))
}
