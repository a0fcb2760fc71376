package store

import (
	"context"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Meetings and cases. Forums meet (møte); a meeting has cases (saker) such
// as «Sak 04-2017», each an orienteringssak (information) or a
// beslutningssak (decision) that may concern items of the plan. Changes to
// the plan name the case that decided them (Actor.DecidedIn).

// CaseKind is what sort of case (sak) a [Case] is.
type CaseKind string

// The kinds of case.
const (
	CaseInformation CaseKind = "INFORMATION" // orienteringssak
	CaseDecision    CaseKind = "DECISION"    // beslutningssak
)

// Meeting is one meeting (møte) of a forum.
type Meeting struct {
	Key      string `json:"key"`
	ForumKey string `json:"forumKey"`
	// Date is YYYY-MM-DD.
	Date  string `json:"date"`
	Title string `json:"title"`
	// FollowUpPeriod is the reporting period (2021-H1) whose follow-up
	// report the meeting's follow-up item attaches.
	FollowUpPeriod string `json:"followUpPeriod,omitempty"`
	Meta
}

// Case is a case (sak) on a meeting's agenda.
type Case struct {
	Key        string `json:"key"`
	MeetingKey string `json:"meetingKey"`
	// Number is the forum's case number, NN/YYYY («04/2017»).
	Number           string        `json:"number"`
	Title            string        `json:"title"`
	Kind             CaseKind      `json:"kind"`
	ProposedDecision string        `json:"proposedDecision,omitempty"`
	Decision         string        `json:"decision,omitempty"`
	Concerns         []PlanItemRef `json:"concerns,omitempty"`
	Meta
}

// PlanItemRef names a plan item by kind and key. The item may be retired.
type PlanItemRef struct {
	Kind PlanItemKind `json:"kind"`
	Key  string       `json:"key"`
}

var caseNumberPattern = regexp.MustCompile(`^[0-9]{1,3}/[0-9]{4}$`)

func (m *Meeting) entityKey() string { return m.Key }
func (c *Case) entityKey() string    { return c.Key }
func (m *Meeting) meta() *Meta       { return &m.Meta }
func (c *Case) meta() *Meta          { return &c.Meta }

func (m *Meeting) validate() error {
	for _, err := range []error{ValidateKey("key", m.Key), ValidateKey("forumKey", m.ForumKey),
		required("date", m.Date), ValidateDate("date", m.Date), required("title", m.Title)} {
		if err != nil {
			return err
		}
	}
	if m.FollowUpPeriod != "" {
		if _, err := ParsePeriod(m.FollowUpPeriod); err != nil {
			return FieldErrorf(Invalid, "followUpPeriod", "followUpPeriod %q must be YYYY-H1, YYYY-H2 or YYYY-Q1 … YYYY-Q4", m.FollowUpPeriod)
		}
	}
	return nil
}

func (c *Case) validate() error {
	for _, err := range []error{ValidateKey("key", c.Key), ValidateKey("meetingKey", c.MeetingKey), required("title", c.Title)} {
		if err != nil {
			return err
		}
	}
	if !caseNumberPattern.MatchString(c.Number) {
		return FieldErrorf(Invalid, "number", "number %q must be NN/YYYY, e.g. 04/2017", c.Number)
	}
	if !oneOf(c.Kind, []CaseKind{CaseInformation, CaseDecision}) {
		return FieldErrorf(Invalid, "kind", "kind %q is not INFORMATION or DECISION", c.Kind)
	}
	seen := map[PlanItemRef]bool{}
	for _, r := range c.Concerns {
		if !r.Kind.IsValid() {
			return FieldErrorf(Invalid, "concerns", "kind %q is not a plan item kind", r.Kind)
		}
		if seen[r] {
			return FieldErrorf(Invalid, "concerns", "concerns lists %s %q twice", r.Kind, r.Key)
		}
		seen[r] = true
	}
	return nil
}

func meetingDerived(m *Meeting) derived {
	d := derived{}
	d.rel(relForumMeeting, m.ForumKey, m.Key)
	return d
}

func caseDerived(c *Case) derived {
	d := derived{}
	d.rel(relMeetingCase, c.MeetingKey, c.Key)
	return d
}

var meetingSpec = spec[Meeting]{
	kind:  KindMeeting,
	refs:  func(txn *badger.Txn, m *Meeting) error { return exists(txn, "forumKey", KindForum, m.ForumKey) },
	write: writeSimple(KindMeeting, func(m *Meeting) string { return m.Key }, meetingDerived),
	inUse: func(txn *badger.Txn, key string) []string {
		return usedBy(txn, key, map[relation]string{relMeetingCase: "case", relMeetingVersion: "plan version (adopted in it)"})
	},
	drop: dropSimple(meetingDerived),
}

var caseSpec = spec[Case]{
	kind: KindCase,
	refs: func(txn *badger.Txn, c *Case) error {
		if err := exists(txn, "meetingKey", KindMeeting, c.MeetingKey); err != nil {
			return err
		}
		for _, r := range c.Concerns {
			if err := existsOrRetired(txn, "concerns", r.Kind.Kind(), r.Key); err != nil {
				return err
			}
		}
		return nil
	},
	write: writeSimple(KindCase, func(c *Case) string { return c.Key }, caseDerived),
	inUse: func(*badger.Txn, string) []string { return nil },
	drop:  dropSimple(caseDerived),
}

// CreateMeeting stores a new meeting. Returns Invalid or Conflict.
func (db *DB) CreateMeeting(ctx context.Context, a Actor, m *Meeting) (*Meeting, error) {
	return create(ctx, db, a, meetingSpec, m)
}

// UpdateMeeting changes a meeting. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateMeeting(ctx context.Context, a Actor, key string, x Expect, change func(*Meeting) error) (*Meeting, error) {
	return update(ctx, db, a, meetingSpec, key, x, change)
}

// DeleteMeeting deletes a meeting with no cases and no plan version
// adopted in it. Returns NotFound, Conflict or Invalid.
func (db *DB) DeleteMeeting(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[Meeting](ctx, db, a, meetingSpec, key, x)
}

// CreateCase stores a new case. Returns Invalid or Conflict.
func (db *DB) CreateCase(ctx context.Context, a Actor, c *Case) (*Case, error) {
	return create(ctx, db, a, caseSpec, c)
}

// UpdateCase changes a case. Returns NotFound, Conflict or Invalid.
func (db *DB) UpdateCase(ctx context.Context, a Actor, key string, x Expect, change func(*Case) error) (*Case, error) {
	return update(ctx, db, a, caseSpec, key, x, change)
}

// DeleteCase deletes a case. Changes that name it in DecidedIn keep the
// key. Returns NotFound or Conflict.
func (db *DB) DeleteCase(ctx context.Context, a Actor, key string, x Expect) error {
	return remove[Case](ctx, db, a, caseSpec, key, x)
}

// Meeting returns the meeting with key. Returns NotFound if none.
func (s *Snapshot) Meeting(key string) (*Meeting, error) { return getOne[Meeting](s, KindMeeting, key) }

// Case returns the case with key. Returns NotFound if none.
func (s *Snapshot) Case(key string) (*Case, error) { return getOne[Case](s, KindCase, key) }

// Meetings returns a forum's meetings, or every meeting when forumKey is
// empty, by date and then key. Returns NotFound for an unknown forum.
func (s *Snapshot) Meetings(forumKey string) ([]*Meeting, error) {
	var out []*Meeting
	var err error
	if forumKey == "" {
		out, err = listRecords[Meeting](s, KindMeeting)
	} else if _, err = s.Forum(forumKey); err == nil {
		out, err = getRecords[Meeting](s, KindMeeting, s.relatedKeys(relForumMeeting, forumKey))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, err
}

// Cases returns a meeting's cases by year and number.
func (s *Snapshot) Cases(meetingKey string) ([]*Case, error) {
	out, err := getRecords[Case](s, KindCase, s.relatedKeys(relMeetingCase, meetingKey))
	sort.SliceStable(out, func(i, j int) bool { return caseOrder(out[i].Number) < caseOrder(out[j].Number) })
	return out, err
}

// caseOrder sorts NN/YYYY by year, then number.
func caseOrder(number string) string {
	n, year, _ := strings.Cut(number, "/")
	v, _ := strconv.Atoi(n)
	return year + "/" + strconv.Itoa(1000+v)
}

// ProposedDecisionOrNull returns the proposed decision (forslag til
// vedtak), or nil.
func (c *Case) ProposedDecisionOrNull() *string { return orNull(c.ProposedDecision) }

// DecisionOrNull returns the decision (vedtak), or nil.
func (c *Case) DecisionOrNull() *string { return orNull(c.Decision) }

// FollowUpPeriodOrNull returns the follow-up period, or nil.
func (m *Meeting) FollowUpPeriodOrNull() *string { return orNull(m.FollowUpPeriod) }

// MarshalGQL writes the enum value.
func (k CaseKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *CaseKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, []CaseKind{CaseInformation, CaseDecision}, "CaseKind")
	return
}
