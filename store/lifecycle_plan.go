package store

import (
	"github.com/dgraph-io/badger/v4"
)

// PlanLifecycle is the lifecycle section of a [Plan] document: stage
// reports other than submitted status reports (those are in the plan's
// statusReports, with their state), deliveries, ratings and typed
// dependencies. Each list is in key order. Lifecycle markers are not
// stored: import derives them from the reports.
type PlanLifecycle struct {
	Reports      []Report         `json:"reports,omitempty"`
	Deliveries   []TiltakDelivery `json:"deliveries,omitempty"`
	Assessments  []Assessment     `json:"assessments,omitempty"`
	Dependencies []Dependency     `json:"dependencies,omitempty"`
}

func (l *PlanLifecycle) empty() bool {
	return l == nil || len(l.Reports)+len(l.Deliveries)+len(l.Assessments)+len(l.Dependencies) == 0
}

func exportPrefix[T any](txn *badger.Txn, prefix string) ([]T, error) {
	var out []T
	err := txnReader{txn}.each([]byte(prefix), nil, false, func(_, v []byte) (bool, error) {
		var x T
		if err := decode(v, &x); err != nil {
			return false, err
		}
		out = append(out, x)
		return true, nil
	})
	return out, err
}

// exportLifecycle reads the lifecycle section; nil when there is nothing.
func exportLifecycle(txn *badger.Txn) (*PlanLifecycle, error) {
	l := &PlanLifecycle{}
	var err error
	if l.Reports, err = exportPrefix[Report](txn, "lr/"); err != nil {
		return nil, err
	}
	if l.Deliveries, err = exportPrefix[TiltakDelivery](txn, "dl/"); err != nil {
		return nil, err
	}
	if l.Assessments, err = exportPrefix[Assessment](txn, "as/"); err != nil {
		return nil, err
	}
	if l.Dependencies, err = exportPrefix[Dependency](txn, "dp/"); err != nil {
		return nil, err
	}
	if l.empty() {
		return nil, nil
	}
	return l, nil
}

// emitLifecycle checks the obstacles' decision makers and the plan's
// lifecycle section against its tiltak and bodies and writes the section, with the lifecycle markers its reports imply.
// Returns Invalid or NotFound naming the record at fault.
func emitLifecycle(p *Plan, emit func(k string, v []byte)) error {
	bodies, forums := map[string]bool{}, map[string]bool{}
	for _, b := range p.Bodies {
		bodies[b.Key] = true
	}
	for _, f := range p.Forums {
		forums[f.Key] = true
	}
	for _, r := range p.StatusReports {
		for i, o := range r.Obstacles {
			if o.DecisionBodyKey != "" && !bodies[o.DecisionBodyKey] {
				return FieldErrorf(NotFound, fieldAt("obstacles", i, "decisionBodyKey"), "status report %s %s %s: body %q not found", r.TiltakKey, r.Period, r.BodyKey, o.DecisionBodyKey)
			}
			if o.DecisionForumKey != "" && !forums[o.DecisionForumKey] {
				return FieldErrorf(NotFound, fieldAt("obstacles", i, "decisionForumKey"), "status report %s %s %s: forum %q not found", r.TiltakKey, r.Period, r.BodyKey, o.DecisionForumKey)
			}
		}
	}
	l := p.Lifecycle
	if l.empty() {
		return nil
	}
	tiltak := map[string]bool{}
	for _, t := range p.Tiltak {
		tiltak[t.Key] = true
	}
	missing := func(what, key, field, ref string) error {
		return FieldErrorf(NotFound, field, "lifecycle %s %s: %s %q not found", what, key, field, ref)
	}
	put := func(k []byte, v any) error {
		b, err := encode(v)
		if err != nil {
			return err
		}
		emit(string(k), b)
		return nil
	}
	markers := map[string]*lifecycleMarker{}
	for i := range l.Reports {
		r := &l.Reports[i]
		if !tiltak[r.TiltakKey] {
			return missing("report", r.ID(), "tiltakKey", r.TiltakKey)
		}
		if !bodies[r.BodyKey] {
			return missing("report", r.ID(), "bodyKey", r.BodyKey)
		}
		if !oneOf(r.State, AllReportStates) {
			return FieldErrorf(Invalid, "state", "lifecycle report %s: state %q is not valid", r.ID(), r.State)
		}
		k, err := lifecycleKey(r)
		if err != nil {
			return err
		}
		if err := put(k, r); err != nil {
			return err
		}
		if r.State != StateDraft && (r.Stage == StageRegistration || r.Stage == StageStartup) {
			m := markers[r.TiltakKey]
			if m == nil {
				m = &lifecycleMarker{}
				markers[r.TiltakKey] = m
			}
			m.Entered = true
			m.StartupAccepted = m.StartupAccepted || r.Stage == StageStartup && r.State == StateAccepted
		}
	}
	for k, m := range markers {
		if err := put(lifecycleMarkerKey(k), m); err != nil {
			return err
		}
	}
	for i := range l.Deliveries {
		d := &l.Deliveries[i]
		if !tiltak[d.TiltakKey] {
			return missing("delivery", d.Key, "tiltakKey", d.TiltakKey)
		}
		if err := d.validate(); err != nil {
			return err
		}
		if err := put(tiltakDeliveryKey(d.TiltakKey, d.Key), d); err != nil {
			return err
		}
	}
	for i := range l.Assessments {
		a := &l.Assessments[i]
		per, err := ParsePeriod(a.Period)
		if err != nil {
			return err
		}
		if !tiltak[a.TiltakKey] {
			return missing("assessment", a.TiltakKey, "tiltakKey", a.TiltakKey)
		}
		if !bodies[a.AssessorKey] {
			return missing("assessment", a.TiltakKey, "assessorKey", a.AssessorKey)
		}
		if err := put(assessmentKey(a.TiltakKey, per.sortKey(), a.Role, a.AssessorKey), a); err != nil {
			return err
		}
	}
	for i := range l.Dependencies {
		d := &l.Dependencies[i]
		if err := d.validate(); err != nil {
			return err
		}
		if !tiltak[d.FromTiltakKey] {
			return missing("dependency", d.Key, "fromTiltakKey", d.FromTiltakKey)
		}
		if d.ToTiltakKey != "" && !tiltak[d.ToTiltakKey] {
			return missing("dependency", d.Key, "toTiltakKey", d.ToTiltakKey)
		}
		if err := put(dependencyKey(d.FromTiltakKey, d.Key), d); err != nil {
			return err
		}
		if d.ToTiltakKey != "" {
			emit(string(dependencyToKey(d.ToTiltakKey, d.FromTiltakKey, d.Key)), nil)
		}
	}
	return nil
}
