package store

import "strconv"

// LifeEvent returns the life event with key. Returns NotFound if none.
func (s *Snapshot) LifeEvent(key string) (*LifeEvent, error) {
	return getOne[LifeEvent](s, KindLifeEvent, key)
}

// LifeEventsByKeys returns life events in the order of keys.
func (s *Snapshot) LifeEventsByKeys(keys []string) ([]*LifeEvent, error) {
	return getRecords[LifeEvent](s, KindLifeEvent, keys)
}

// FocusArea returns the focus area with key. Returns NotFound if none.
func (s *Snapshot) FocusArea(key string) (*FocusArea, error) {
	return getOne[FocusArea](s, KindFocusArea, key)
}

// FocusAreasByKeys returns focus areas in the order of keys.
func (s *Snapshot) FocusAreasByKeys(keys []string) ([]*FocusArea, error) {
	return getRecords[FocusArea](s, KindFocusArea, keys)
}

// Initiative returns the initiative with key. Returns NotFound if none.
func (s *Snapshot) Initiative(key string) (*Initiative, error) {
	return getOne[Initiative](s, KindInitiative, key)
}

// InitiativesByKeys returns initiatives in the order of keys.
func (s *Snapshot) InitiativesByKeys(keys []string) ([]*Initiative, error) {
	return getRecords[Initiative](s, KindInitiative, keys)
}

// Body returns the body with key. Returns NotFound if none.
func (s *Snapshot) Body(key string) (*Body, error) { return getOne[Body](s, KindBody, key) }

// BodiesByKeys returns bodies in the order of keys.
func (s *Snapshot) BodiesByKeys(keys []string) ([]*Body, error) {
	return getRecords[Body](s, KindBody, keys)
}

// BodyByOrgNumber returns the body with an organisation number. Returns
// NotFound if none.
func (s *Snapshot) BodyByOrgNumber(org string) (*Body, error) {
	key, err := s.uniqueOwner(uniqueOrgNumberKey(org))
	if err != nil {
		return nil, err
	}
	if key == "" {
		return nil, Errorf(NotFound, "no body has organisation number %q", org)
	}
	return s.Body(key)
}

// GovernanceLevel returns the level (1–3). Returns NotFound if none.
func (s *Snapshot) GovernanceLevel(level int) (*GovernanceLevel, error) {
	return getOne[GovernanceLevel](s, KindGovernanceLevel, levelKey(level))
}

// GovernanceLevels returns every governance level, in order.
func (s *Snapshot) GovernanceLevels() ([]*GovernanceLevel, error) {
	return listRecords[GovernanceLevel](s, KindGovernanceLevel)
}

// Forum returns the forum with key. Returns NotFound if none.
func (s *Snapshot) Forum(key string) (*Forum, error) { return getOne[Forum](s, KindForum, key) }

// ForumsByKeys returns forums in the order of keys.
func (s *Snapshot) ForumsByKeys(keys []string) ([]*Forum, error) {
	return getRecords[Forum](s, KindForum, keys)
}

// Forums returns every forum, by key.
func (s *Snapshot) Forums() ([]*Forum, error) { return listRecords[Forum](s, KindForum) }

func (s *Snapshot) uniqueOwner(k []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads.Add(1)
	item, err := s.txn.Get(k)
	if err != nil {
		return "", nil
	}
	v, err := item.ValueCopy(nil)
	return string(v), err
}

// Related lists the keys at the other end of a relationship, in key order.
type Related string

// The relationships that can be listed with [Snapshot.RelatedKeys].
const (
	LifeEventInitiatives Related = Related(relLifeEventInit)
	FocusAreaInitiatives Related = Related(relFocusAreaInit)
	BodyChildren         Related = Related(relBodyChild)
	BodyLeadsLifeEvents  Related = Related(relBodyLeads)
	BodyForums           Related = Related(relBodyForum)
	BodyOwnsInitiatives  Related = Related(relBodyOwner)
	BodyExecutes         Related = Related(relBodyExecuting)
	LevelForums          Related = Related(relLevelForum)
	LevelFocusAreas      Related = Related(relLevelFocusArea)
	LevelInitiatives     Related = Related(relLevelInitiative)
	CountyMunicipalities Related = Related(relBodyCounty)
)

// RelatedKeys returns the keys related to from by rel, in key order.
func (s *Snapshot) RelatedKeys(rel Related, from string) []string {
	return s.relatedKeys(relation(rel), from)
}

// RelatedKeysOfLevel is RelatedKeys for a governance level.
func (s *Snapshot) RelatedKeysOfLevel(rel Related, level int) []string {
	return s.relatedKeys(relation(rel), strconv.Itoa(level))
}

// LifeEventFilter selects life events.
type LifeEventFilter struct {
	Audience    *Audience
	LeadBodyKey string
	Text        string
}

// FindLifeEvents returns one page of the matching life events, by key.
func (s *Snapshot) FindLifeEvents(f LifeEventFilter, args PageArgs) (Page, error) {
	return s.page(s.lifeEventPlan(f), args)
}

// CountLifeEvents counts the matching life events.
func (s *Snapshot) CountLifeEvents(f LifeEventFilter) (int, error) {
	return s.count(s.lifeEventPlan(f))
}

func (s *Snapshot) lifeEventPlan(f LifeEventFilter) listPlan {
	var match func(string) (bool, error)
	if f.Audience != nil || f.LeadBodyKey != "" {
		match = func(k string) (bool, error) {
			e, err := s.LifeEvent(k)
			if err != nil {
				return false, err
			}
			return (f.Audience == nil || e.Audience == *f.Audience) && (f.LeadBodyKey == "" || e.LeadBodyKey == f.LeadBodyKey), nil
		}
	}
	if f.Text != "" {
		keys, _ := s.searchKeys(f.Text, KindLifeEvent)
		return candidatePlan(keys, match)
	}
	return prefixPlan([]byte(recordPrefix[KindLifeEvent]), match)
}

// FocusAreaFilter selects focus areas.
type FocusAreaFilter struct {
	GovernanceLevel *int
	Text            string
}

// FindFocusAreas returns one page of the matching focus areas, by key.
func (s *Snapshot) FindFocusAreas(f FocusAreaFilter, args PageArgs) (Page, error) {
	return s.page(s.focusAreaPlan(f), args)
}

// CountFocusAreas counts the matching focus areas.
func (s *Snapshot) CountFocusAreas(f FocusAreaFilter) (int, error) {
	return s.count(s.focusAreaPlan(f))
}

func (s *Snapshot) focusAreaPlan(f FocusAreaFilter) listPlan {
	var match func(string) (bool, error)
	if f.GovernanceLevel != nil {
		match = func(k string) (bool, error) {
			fa, err := s.FocusArea(k)
			return err == nil && fa.GovernanceLevel == *f.GovernanceLevel, err
		}
	}
	if f.Text != "" {
		keys, _ := s.searchKeys(f.Text, KindFocusArea)
		return candidatePlan(keys, match)
	}
	return prefixPlan([]byte(recordPrefix[KindFocusArea]), match)
}

// InitiativeFilter selects initiatives.
type InitiativeFilter struct {
	FocusAreaKey     string
	LifeEventKey     string
	OwnerKey         string
	ExecutingBodyKey string
	GovernanceLevel  *int
	Text             string
}

// FindInitiatives returns one page of the matching initiatives, by key.
func (s *Snapshot) FindInitiatives(f InitiativeFilter, args PageArgs) (Page, error) {
	return s.page(s.initiativePlan(f), args)
}

// CountInitiatives counts the matching initiatives.
func (s *Snapshot) CountInitiatives(f InitiativeFilter) (int, error) {
	return s.count(s.initiativePlan(f))
}

func (s *Snapshot) initiativePlan(f InitiativeFilter) listPlan {
	match := func(k string) (bool, error) {
		in, err := s.Initiative(k)
		if err != nil {
			return false, err
		}
		return (f.FocusAreaKey == "" || in.FocusAreaKey == f.FocusAreaKey) &&
			(f.LifeEventKey == "" || has(in.LifeEventKeys, f.LifeEventKey)) &&
			(f.OwnerKey == "" || in.OwnerKey == f.OwnerKey) &&
			(f.ExecutingBodyKey == "" || in.ExecutingBodyKey == f.ExecutingBodyKey) &&
			(f.GovernanceLevel == nil || in.GovernanceLevel == *f.GovernanceLevel), nil
	}
	n := 0
	var drive []byte
	for _, c := range []struct {
		set    bool
		prefix []byte
	}{
		{f.LifeEventKey != "", relPrefix(relLifeEventInit, f.LifeEventKey)},
		{f.FocusAreaKey != "", relPrefix(relFocusAreaInit, f.FocusAreaKey)},
		{f.OwnerKey != "", relPrefix(relBodyOwner, f.OwnerKey)},
		{f.ExecutingBodyKey != "", relPrefix(relBodyExecuting, f.ExecutingBodyKey)},
		{f.GovernanceLevel != nil, relPrefix(relLevelInitiative, levelKey(deref(f.GovernanceLevel)))},
	} {
		if c.set {
			n++
			if drive == nil {
				drive = c.prefix
			}
		}
	}
	if f.Text != "" {
		keys, _ := s.searchKeys(f.Text, KindInitiative)
		return candidatePlan(keys, match)
	}
	if n <= 1 {
		match = nil
	}
	if drive == nil {
		drive = []byte(recordPrefix[KindInitiative])
	}
	return prefixPlan(drive, match)
}

// BodyFilter selects bodies.
type BodyFilter struct {
	Kinds        []BodyKind
	ParentKey    string
	CountyNumber string
	ForumKey     string
	Text         string
}

// FindBodies returns one page of the matching bodies, by key.
func (s *Snapshot) FindBodies(f BodyFilter, args PageArgs) (Page, error) {
	lp, err := s.bodyPlan(f)
	if err != nil {
		return Page{}, err
	}
	return s.page(lp, args)
}

// CountBodies counts the matching bodies.
func (s *Snapshot) CountBodies(f BodyFilter) (int, error) {
	lp, err := s.bodyPlan(f)
	if err != nil {
		return 0, err
	}
	return s.count(lp)
}

func (s *Snapshot) bodyPlan(f BodyFilter) (listPlan, error) {
	var members map[string]bool
	if f.ForumKey != "" {
		fo, err := s.Forum(f.ForumKey)
		if err != nil {
			return listPlan{}, err
		}
		members = map[string]bool{}
		for _, m := range fo.MemberKeys {
			members[m] = true
		}
	}
	match := func(k string) (bool, error) {
		b, err := s.Body(k)
		if err != nil {
			return false, err
		}
		return (len(f.Kinds) == 0 || oneOf(b.Kind, f.Kinds)) &&
			(f.ParentKey == "" || b.ParentKey == f.ParentKey) &&
			(f.CountyNumber == "" || b.CountyNumber == f.CountyNumber) &&
			(members == nil || members[k]), nil
	}
	switch {
	case f.Text != "":
		keys, err := s.searchKeys(f.Text, KindBody)
		return candidatePlan(keys, match), err
	case f.ParentKey != "":
		return prefixPlan(relPrefix(relBodyChild, f.ParentKey), match), nil
	case f.CountyNumber != "":
		return prefixPlan(relPrefix(relBodyCounty, f.CountyNumber), match), nil
	case f.ForumKey != "":
		keys := make([]string, 0, len(members))
		for m := range members {
			keys = append(keys, m)
		}
		return candidatePlan(keys, match), nil
	case len(f.Kinds) == 1:
		return prefixPlan(relPrefix(relBodyKind, string(f.Kinds[0])), nil), nil
	case len(f.Kinds) > 1:
		var keys []string
		for _, k := range f.Kinds {
			keys = append(keys, s.relatedKeys(relBodyKind, string(k))...)
		}
		return candidatePlan(keys, nil), nil
	}
	return prefixPlan([]byte(recordPrefix[KindBody]), nil), nil
}

// Sources returns the documents the plan's facts come from.
func (s *Snapshot) Sources() ([]Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads.Add(1)
	item, err := s.txn.Get(keySources)
	if err != nil {
		return nil, nil
	}
	var out []Source
	err = item.Value(func(b []byte) error { return decode(b, &out) })
	return out, err
}
