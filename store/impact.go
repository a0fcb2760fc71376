package store

import "sort"

// Impacted is a tiltak reached from another through dependsOn links or
// typed dependencies that are not met (dependency.go), with
// the path between them (both ends included).
type Impacted struct {
	Tiltak *Tiltak
	Path   []string
}

// Impact is what a delay of one tiltak holds up.
type Impact struct {
	// Tiltak depend on it, directly or through others (nearest first).
	Tiltak []Impacted
	// InitiativeKeys and LifeEventKeys are served by the tiltak itself or
	// by any tiltak that depends on it.
	InitiativeKeys []string
	LifeEventKeys  []string
}

// Impact follows the dependents of the tiltak with key transitively
// (breadth first, so each path is a shortest one). Returns NotFound for an
// unknown key.
func (s *Snapshot) Impact(key string) (*Impact, error) {
	root, err := s.Tiltak(key)
	if err != nil {
		return nil, err
	}
	out := &Impact{}
	paths := map[string][]string{key: {key}}
	queue := []string{key}
	reached := []*Tiltak{root}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		dependents, err := s.dependentTiltak(cur) // dependsOn and typed dependencies
		if err != nil {
			return nil, err
		}
		for _, dep := range dependents {
			if _, seen := paths[dep]; seen {
				continue
			}
			paths[dep] = append(append([]string{}, paths[cur]...), dep)
			t, err := s.Tiltak(dep)
			if err != nil {
				return nil, err
			}
			out.Tiltak = append(out.Tiltak, Impacted{Tiltak: t, Path: paths[dep]})
			reached = append(reached, t)
			queue = append(queue, dep)
		}
	}
	inits, les := map[string]bool{}, map[string]bool{}
	for _, t := range reached {
		for _, in := range t.InitiativeKeys {
			inits[in] = true
		}
		for _, le := range t.LifeEventKeys {
			les[le] = true
		}
	}
	for in := range inits {
		i, err := s.Initiative(in)
		if err != nil {
			return nil, err
		}
		for _, le := range i.LifeEventKeys {
			les[le] = true
		}
	}
	out.InitiativeKeys, out.LifeEventKeys = sortedKeys(inits), sortedKeys(les)
	return out, nil
}

// DelayedBeneath returns every delayed tiltak (active, with minor or major
// delays) beneath a life event: the tiltak linked to it directly or through
// its initiatives, and everything they depend on, transitively. Each comes
// with the path from the tiltak under the life event down to it.
func (s *Snapshot) DelayedBeneath(lifeEvent string) ([]Impacted, error) {
	if _, err := s.LifeEvent(lifeEvent); err != nil {
		return nil, err
	}
	start := map[string]bool{}
	for _, k := range s.relatedKeys(relLifeEventTilt, lifeEvent) {
		start[k] = true
	}
	for _, in := range s.relatedKeys(relLifeEventInit, lifeEvent) {
		for _, k := range s.relatedKeys(relInitiativeTilt, in) {
			start[k] = true
		}
	}
	paths := map[string][]string{}
	queue := sortedKeys(start)
	for _, k := range queue {
		paths[k] = []string{k}
	}
	var out []Impacted
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		t, err := s.Tiltak(cur)
		if err != nil {
			return nil, err
		}
		if isDelayed(t) {
			out = append(out, Impacted{Tiltak: t, Path: paths[cur]})
		}
		prereqs, err := s.prerequisiteTiltak(t) // dependsOn and typed dependencies
		if err != nil {
			return nil, err
		}
		for _, dep := range prereqs {
			if _, seen := paths[dep]; seen {
				continue
			}
			paths[dep] = append(append([]string{}, paths[cur]...), dep)
			queue = append(queue, dep)
		}
	}
	return out, nil
}

func isDelayed(t *Tiltak) bool {
	return t.Phase != nil && *t.Phase == PhaseActive && t.Health != nil &&
		(*t.Health == HealthMinorDelays || *t.Health == HealthMajorDelays)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
