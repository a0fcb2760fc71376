package store

import "fmt"

// checkPlan validates a whole plan: each entity's own fields, unique keys
// per kind, unique organisation and municipality numbers, that every
// reference resolves and that dependsOn has no cycle. The error names the
// entity and field at fault.
func checkPlan(p *Plan) error {
	at := func(kind Kind, key string, err error) error {
		if err == nil {
			return nil
		}
		if e, ok := err.(*Error); ok {
			return &Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("%s %q: %s", kindLabel(kind), key, e.Message)}
		}
		return err
	}
	keys := map[Kind]map[string]bool{}
	add := func(kind Kind, key string) error {
		if keys[kind] == nil {
			keys[kind] = map[string]bool{}
		}
		if keys[kind][key] {
			return Errorf(Invalid, "%s key %q occurs twice", kindLabel(kind), key)
		}
		keys[kind][key] = true
		return nil
	}
	unique := map[string]string{}
	claim := func(what, value, owner string) error {
		if value == "" {
			return nil
		}
		if prev, ok := unique[what+value]; ok {
			return Errorf(Invalid, "%s %s is used by both %q and %q", what, value, prev, owner)
		}
		unique[what+value] = owner
		return nil
	}
	for i := range p.Bodies {
		b := &p.Bodies[i]
		for _, err := range []error{b.validate(), b.Provenance.validate(), add(KindBody, b.Key),
			claim("organisation number", b.OrgNumber, b.Key), claim("municipality number", b.MunicipalityNumber, b.Key)} {
			if err := at(KindBody, b.Key, err); err != nil {
				return err
			}
		}
	}
	for i := range p.GovernanceLevels {
		g := &p.GovernanceLevels[i]
		for _, err := range []error{g.validate(), g.Provenance.validate(), add(KindGovernanceLevel, levelKey(g.Level))} {
			if err := at(KindGovernanceLevel, levelKey(g.Level), err); err != nil {
				return err
			}
		}
	}
	for i := range p.Forums {
		f := &p.Forums[i]
		for _, err := range []error{f.validate(), f.Provenance.validate(), add(KindForum, f.Key)} {
			if err := at(KindForum, f.Key, err); err != nil {
				return err
			}
		}
	}
	for i := range p.LifeEvents {
		e := &p.LifeEvents[i]
		for _, err := range []error{e.validate(), e.Provenance.validate(), add(KindLifeEvent, e.Key)} {
			if err := at(KindLifeEvent, e.Key, err); err != nil {
				return err
			}
		}
	}
	for i := range p.FocusAreas {
		f := &p.FocusAreas[i]
		for _, err := range []error{f.validate(), f.Provenance.validate(), add(KindFocusArea, f.Key)} {
			if err := at(KindFocusArea, f.Key, err); err != nil {
				return err
			}
		}
	}
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		for _, err := range []error{in.validate(), in.Provenance.validate(), add(KindInitiative, in.Key)} {
			if err := at(KindInitiative, in.Key, err); err != nil {
				return err
			}
		}
	}
	for i := range p.Tiltak {
		t := &p.Tiltak[i]
		for _, err := range []error{t.validate(), t.Provenance.validate(), add(KindTiltak, t.Key)} {
			if err := at(KindTiltak, t.Key, err); err != nil {
				return err
			}
		}
	}

	ref := func(kind Kind, key, field string, target Kind, to string) error {
		if to == "" || keys[target][to] {
			return nil
		}
		return FieldErrorf(Invalid, field, "%s %q: %s refers to %s %q, which does not exist", kindLabel(kind), key, field, kindLabel(target), to)
	}
	level := func(kind Kind, key string, l int) error {
		return ref(kind, key, "governanceLevel", KindGovernanceLevel, levelKey(l))
	}
	var errs []error
	for _, b := range p.Bodies {
		errs = append(errs, ref(KindBody, b.Key, "parentKey", KindBody, b.ParentKey))
	}
	for _, g := range p.GovernanceLevels {
		errs = append(errs, ref(KindGovernanceLevel, levelKey(g.Level), "secretariatKey", KindBody, g.SecretariatKey))
	}
	for _, f := range p.Forums {
		errs = append(errs, ref(KindForum, f.Key, "secretariatKey", KindBody, f.SecretariatKey), level(KindForum, f.Key, f.GovernanceLevel))
		for _, m := range f.MemberKeys {
			errs = append(errs, ref(KindForum, f.Key, "memberKeys", KindBody, m))
		}
	}
	for _, e := range p.LifeEvents {
		errs = append(errs, ref(KindLifeEvent, e.Key, "leadBodyKey", KindBody, e.LeadBodyKey))
	}
	for _, f := range p.FocusAreas {
		errs = append(errs, level(KindFocusArea, f.Key, f.GovernanceLevel))
	}
	for _, in := range p.Initiatives {
		errs = append(errs,
			ref(KindInitiative, in.Key, "focusAreaKey", KindFocusArea, in.FocusAreaKey),
			ref(KindInitiative, in.Key, "ownerKey", KindBody, in.OwnerKey),
			ref(KindInitiative, in.Key, "executingBodyKey", KindBody, in.ExecutingBodyKey),
			level(KindInitiative, in.Key, in.GovernanceLevel))
		for _, le := range in.LifeEventKeys {
			errs = append(errs, ref(KindInitiative, in.Key, "lifeEventKeys", KindLifeEvent, le))
		}
	}
	for _, t := range p.Tiltak {
		errs = append(errs, ref(KindTiltak, t.Key, "responsibleKey", KindBody, t.ResponsibleKey), level(KindTiltak, t.Key, t.GovernanceLevel))
		for _, b := range t.ParticipantKeys {
			errs = append(errs, ref(KindTiltak, t.Key, "participantKeys", KindBody, b))
		}
		for _, in := range t.InitiativeKeys {
			errs = append(errs, ref(KindTiltak, t.Key, "initiativeKeys", KindInitiative, in))
		}
		for _, le := range t.LifeEventKeys {
			errs = append(errs, ref(KindTiltak, t.Key, "lifeEventKeys", KindLifeEvent, le))
		}
		for _, d := range t.DependsOnKeys {
			errs = append(errs, ref(KindTiltak, t.Key, "dependsOnKeys", KindTiltak, d))
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	deps := map[string][]string{}
	for _, t := range p.Tiltak {
		deps[t.Key] = t.DependsOnKeys
	}
	if cycle := findCycle(deps); cycle != nil {
		return FieldErrorf(Invalid, "dependsOnKeys", "dependsOn forms a cycle: %v", cycle)
	}
	seenReport := map[string]bool{}
	for i := range p.StatusReports {
		r := &p.StatusReports[i]
		if err := r.validate(); err != nil {
			return at(KindStatusReport, r.TiltakKey+" "+r.Period, err)
		}
		for _, err := range []error{
			ref(KindStatusReport, r.TiltakKey, "tiltakKey", KindTiltak, r.TiltakKey),
			ref(KindStatusReport, r.TiltakKey, "bodyKey", KindBody, r.BodyKey),
		} {
			if err != nil {
				return err
			}
		}
		id := r.TiltakKey + "/" + r.Period + "/" + r.BodyKey
		if seenReport[id] {
			return Errorf(Invalid, "status report for tiltak %q, period %s, body %q occurs twice", r.TiltakKey, r.Period, r.BodyKey)
		}
		seenReport[id] = true
	}
	return nil
}

// findCycle returns the keys along a dependsOn cycle, or nil if there is
// none.
func findCycle(deps map[string][]string) []string {
	const (
		unvisited = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(k string) []string
	visit = func(k string) []string {
		switch state[k] {
		case onPath:
			for i, p := range path {
				if p == k {
					return append(append([]string{}, path[i:]...), k)
				}
			}
		case done:
			return nil
		}
		state[k] = onPath
		path = append(path, k)
		for _, d := range deps[k] {
			if c := visit(d); c != nil {
				return c
			}
		}
		path = path[:len(path)-1]
		state[k] = done
		return nil
	}
	for k := range deps {
		if c := visit(k); c != nil {
			return c
		}
	}
	return nil
}

func (r *StatusReport) validate() error {
	if _, err := ParsePeriod(r.Period); err != nil {
		return err
	}
	if err := required("tiltakKey", r.TiltakKey); err != nil {
		return err
	}
	if err := required("bodyKey", r.BodyKey); err != nil {
		return err
	}
	if !r.Phase.IsValid() {
		return FieldErrorf(Invalid, "phase", "phase %q is not valid", r.Phase)
	}
	if r.Health != nil && !r.Health.IsValid() {
		return FieldErrorf(Invalid, "health", "health %q is not valid", *r.Health)
	}
	if r.Phase == PhaseActive && r.Health == nil {
		return FieldErrorf(Invalid, "health", "health is required when phase is ACTIVE")
	}
	if err := r.validateLifecycle(); err != nil {
		return err
	}
	return validateProgress("progress", &r.Progress)
}
