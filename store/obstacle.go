package store

import (
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// ObstacleCode is one of the fixed, documented causes of delay (hindring)
// that a status report can name, so that the common obstacles are counted
// instead of read out of prose.
type ObstacleCode string

// The obstacle codes. The list is fixed: a cause that fits none is OTHER,
// with its text.
const (
	ObstacleCapacity         ObstacleCode = "CAPACITY"
	ObstacleLegalBasis       ObstacleCode = "LEGAL_BASIS"
	ObstacleJointFunding     ObstacleCode = "JOINT_FUNDING"
	ObstacleDataSharingLegal ObstacleCode = "DATA_SHARING_LEGAL_BASIS"
	ObstacleSupplier         ObstacleCode = "SUPPLIER"
	ObstaclePriority         ObstacleCode = "PRIORITY"
	ObstacleCollaboration    ObstacleCode = "COLLABORATION"
	ObstacleOther            ObstacleCode = "OTHER"
)

// ObstacleCodeInfo is a code with its labels and what it covers.
type ObstacleCodeInfo struct {
	Code        ObstacleCode
	LabelNb     string
	LabelEn     string
	Description string
}

// ObstacleCodes is the documented list of obstacle codes, in order.
var ObstacleCodes = []ObstacleCodeInfo{
	{ObstacleCapacity, "Kapasitet", "Capacity", "Too few people or too little competence to do the work."},
	{ObstacleLegalBasis, "Rettslig grunnlag", "Legal basis", "The law does not allow the service or the change, or is unclear."},
	{ObstacleJointFunding, "Finansiering av felles arbeid", "Funding of joint work", "No one funds work that serves several bodies (samfinansiering)."},
	{ObstacleDataSharingLegal, "Hjemmel for deling av data", "Legal basis for data sharing", "Data cannot be shared for want of a legal basis (hjemmel)."},
	{ObstacleSupplier, "Leverandør", "Supplier", "A supplier or a procurement is late or fails."},
	{ObstaclePriority, "Prioritering", "Priority", "The work is not prioritised by the body or its ministry."},
	{ObstacleCollaboration, "Samarbeid", "Collaboration", "Collaboration between bodies or sectors does not work."},
	{ObstacleOther, "Annet", "Other", "Anything else; the text says what."},
}

var allObstacleCodes = func() []ObstacleCode {
	out := make([]ObstacleCode, len(ObstacleCodes))
	for i, c := range ObstacleCodes {
		out[i] = c.Code
	}
	return out
}()

// Severity is how much an obstacle holds a tiltak back.
type Severity string

// The severities.
const (
	SeverityLow    Severity = "LOW"
	SeverityMedium Severity = "MEDIUM"
	SeverityHigh   Severity = "HIGH"
)

var allSeverities = []Severity{SeverityLow, SeverityMedium, SeverityHigh}

// Obstacle is a coded obstacle or driver named in a status report, with
// whose decision would remove it: a body or a forum.
type Obstacle struct {
	Code             ObstacleCode `json:"code"`
	Severity         Severity     `json:"severity"`
	Text             string       `json:"text,omitempty"`
	DecisionBodyKey  string       `json:"decisionBodyKey,omitempty"`
	DecisionForumKey string       `json:"decisionForumKey,omitempty"`
}

// TextOrNull returns the text, or nil.
func (o *Obstacle) TextOrNull() *string { return orNull(o.Text) }

func validateObstacles(obs []Obstacle) error {
	for i, o := range obs {
		if !oneOf(o.Code, allObstacleCodes) {
			return FieldErrorf(Invalid, fieldAt("obstacles", i, "code"), "obstacle code %q is not one of the list (see obstacleCodes)", o.Code)
		}
		if !oneOf(o.Severity, allSeverities) {
			return FieldErrorf(Invalid, fieldAt("obstacles", i, "severity"), "severity %q must be LOW, MEDIUM or HIGH", o.Severity)
		}
		if o.Code == ObstacleOther && strings.TrimSpace(o.Text) == "" {
			return FieldErrorf(Invalid, fieldAt("obstacles", i, "text"), "an OTHER obstacle needs a text that says what it is")
		}
		if o.DecisionBodyKey != "" && o.DecisionForumKey != "" {
			return FieldErrorf(Invalid, fieldAt("obstacles", i, "decisionForumKey"), "a decision is needed from a body or a forum, not both")
		}
	}
	return nil
}

// checkObstacleRefs returns NotFound for an unknown decision body or forum.
func checkObstacleRefs(txn *badger.Txn, obs []Obstacle) error {
	for i, o := range obs {
		if o.DecisionBodyKey != "" {
			if _, err := txnGet[Body](txn, KindBody, o.DecisionBodyKey); err != nil {
				return refErr(err, fieldAt("obstacles", i, "decisionBodyKey"))
			}
		}
		if o.DecisionForumKey != "" {
			if _, err := txnGet[Forum](txn, KindForum, o.DecisionForumKey); err != nil {
				return refErr(err, fieldAt("obstacles", i, "decisionForumKey"))
			}
		}
	}
	return nil
}

// refErr names field in a NotFound error and passes others on.
func refErr(err error, field string) error {
	if ErrorCode(err) == NotFound {
		return FieldErrorf(NotFound, field, "%s: %s", field, ErrorMessage(err))
	}
	return err
}

// The obstacle index ob/<periodSort>/<tiltak>/<body> holds
// "<period>|<code>,<code>…" for every counted status report that names
// obstacles (a returned report is not counted), so obstacleCounts reads
// one short value per such report.
func obstacleValue(r *StatusReport) []byte {
	codes := make([]string, len(r.Obstacles))
	for i, o := range r.Obstacles {
		codes[i] = string(o.Code)
	}
	return []byte(r.Period + "|" + strings.Join(codes, ","))
}

// indexObstacles writes or removes r's obstacle index entry.
func indexObstacles(txn *badger.Txn, r *StatusReport) error {
	per, err := ParsePeriod(r.Period)
	if err != nil {
		return err
	}
	k := obstacleKey(per.sortKey(), r.TiltakKey, r.BodyKey)
	if len(r.Obstacles) == 0 || r.State == StateReturned {
		// Reading first keeps a report without obstacles from writing at all.
		if _, err := txn.Get(k); err == badger.ErrKeyNotFound {
			return nil
		} else if err != nil {
			return err
		}
		return txn.Delete(k)
	}
	return txn.Set(k, obstacleValue(r))
}

// emitObstacles writes the obstacle index entry of an imported report.
func emitObstacles(r *StatusReport, per Period, emit func(k string, v []byte)) {
	if len(r.Obstacles) > 0 && r.State != StateReturned {
		emit(string(obstacleKey(per.sortKey(), r.TiltakKey, r.BodyKey)), obstacleValue(r))
	}
}

// ObstacleGroup is what obstacles are counted by.
type ObstacleGroup string

// The groupings of obstacleCounts.
const (
	GroupByCode      ObstacleGroup = "CODE"
	GroupByFocusArea ObstacleGroup = "FOCUS_AREA"
	GroupByBody      ObstacleGroup = "BODY"
	GroupByLifeEvent ObstacleGroup = "LIFE_EVENT"
)

var allObstacleGroups = []ObstacleGroup{GroupByCode, GroupByFocusArea, GroupByBody, GroupByLifeEvent}

// ObstacleCount is how many obstacles fall in one group (and, grouped by
// something other than the code, with one code).
type ObstacleCount struct {
	// Key is the code, or the focus area, body or life event key.
	Key string
	// Code is the obstacle code counted (the same as Key by CODE).
	Code ObstacleCode
	// Count is the number of obstacles; Reports the number of status
	// reports naming at least one.
	Count, Reports int
}

// ObstacleCounts counts the coded obstacles of submitted and accepted
// status reports (of one period, or of all when period is ""), grouped by
// code, or by focus area, reporting body or life event and code. A
// tiltak under two focus areas or life events counts in each. Ordered by
// count, most first, then key and code. Returns Invalid for a bad period.
func (s *Snapshot) ObstacleCounts(group ObstacleGroup, period string) ([]*ObstacleCount, error) {
	if !oneOf(group, allObstacleGroups) {
		return nil, FieldErrorf(Invalid, "groupBy", "groupBy %q must be CODE, FOCUS_AREA, BODY or LIFE_EVENT", group)
	}
	prefix := []byte("ob/")
	if period != "" {
		per, err := ParsePeriod(period)
		if err != nil {
			return nil, err
		}
		prefix = obstaclePrefix(per.sortKey())
	}
	type cell struct {
		key  string
		code ObstacleCode
	}
	counts, reports := map[cell]int{}, map[cell]int{}
	var entries [][3]string // tiltak, body, codes
	s.mu.Lock()
	it := s.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		s.reads.Add(1)
		parts := strings.Split(string(it.Item().Key()), "/")
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			it.Close()
			s.mu.Unlock()
			return nil, err
		}
		_, codes, _ := strings.Cut(string(v), "|")
		entries = append(entries, [3]string{parts[2], parts[3], codes})
	}
	it.Close()
	s.mu.Unlock()
	for _, e := range entries {
		var keys []string
		switch group {
		case GroupByCode:
			keys = []string{""}
		case GroupByBody:
			keys = []string{e[1]}
		default:
			t, err := s.Tiltak(e[0])
			if ErrorCode(err) == NotFound {
				continue // a deleted tiltak
			} else if err != nil {
				return nil, err
			}
			if keys, err = s.tiltakGroups(t, group); err != nil {
				return nil, err
			}
		}
		for _, k := range keys {
			seen := map[ObstacleCode]bool{}
			for _, c := range strings.Split(e[2], ",") {
				code := ObstacleCode(c)
				key := k
				if group == GroupByCode {
					key = c
				}
				counts[cell{key, code}]++
				if !seen[code] {
					seen[code] = true
					reports[cell{key, code}]++
				}
			}
		}
	}
	out := make([]*ObstacleCount, 0, len(counts))
	for c, n := range counts {
		out = append(out, &ObstacleCount{Key: c.key, Code: c.code, Count: n, Reports: reports[c]})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Code < b.Code
	})
	return out, nil
}

// tiltakGroups returns the focus areas or life events a tiltak falls under
// (life events directly and through its initiatives).
func (s *Snapshot) tiltakGroups(t *Tiltak, group ObstacleGroup) ([]string, error) {
	var out []string
	if group == GroupByLifeEvent {
		out = append(out, t.LifeEventKeys...)
	}
	for _, k := range t.InitiativeKeys {
		in, err := s.Initiative(k)
		if err != nil {
			return nil, err
		}
		if group == GroupByFocusArea {
			out = append(out, in.FocusAreaKey)
		} else {
			out = append(out, in.LifeEventKeys...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// MarshalGQL writes the enum value.
func (c ObstacleCode) MarshalGQL(w io.Writer) { writeQuoted(w, string(c)) }

// UnmarshalGQL reads the enum value.
func (c *ObstacleCode) UnmarshalGQL(v any) (err error) {
	*c, err = unmarshalEnum(v, allObstacleCodes, "ObstacleCode")
	return
}

// MarshalGQL writes the enum value.
func (s Severity) MarshalGQL(w io.Writer) { writeQuoted(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *Severity) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, allSeverities, "Severity")
	return
}

// MarshalGQL writes the enum value.
func (g ObstacleGroup) MarshalGQL(w io.Writer) { writeQuoted(w, string(g)) }

// UnmarshalGQL reads the enum value.
func (g *ObstacleGroup) UnmarshalGQL(v any) (err error) {
	*g, err = unmarshalEnum(v, allObstacleGroups, "ObstacleGroup")
	return
}
