package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"handlingsplan/store"
)

// The revision between the adopted versions 2020 and 2021, through the API.
const reviseMutation = `mutation {
	u: updateTiltak(input: {key: "digitalt-dodsbo", title: "Digitalt dødsbo 2.0", reason: "Utvidet omfang", decidedIn: "skate-2021-02"}) { userErrors { message } }
	c: createTiltak(input: {key: "digital-skifteattest", title: "Digital skifteattest", responsibleKey: "digdir", reason: "Nytt behov", decidedIn: "skate-2021-02"}) { userErrors { message } }
	d: deleteTiltak(input: {key: "datafabrikken", reason: "Avviklet", decidedIn: "skate-2021-02"}) { userErrors { message } }
}`

func TestPlanVersionsAndDiff(t *testing.T) {
	e := newRevEnv(t)
	e.ok(e.editor, `mutation { adoptPlanVersion(input: {key: "2020", meetingKey: "skate-2020"}) { planVersion { key state } userErrors { message } } }`, nil, nil)
	e.ok(e.editor, reviseMutation, nil, nil)
	e.ok(e.editor, `mutation { adoptPlanVersion(input: {key: "2021", meetingKey: "skate-2021"}) { userErrors { message } } }`, nil, nil)

	var got struct {
		V struct {
			State     string
			AdoptedIn struct{ Key, Date string }
			Tiltak    []struct{ Key, Title string }
			Dodsbo    struct {
				Title       string
				Phase       string
				Responsible struct{ Key string }
			}
			Gone *struct{ Key string }
		}
		Versions []struct{ Key, State string }
		Diff     struct {
			Added, Removed, Changed []struct {
				Op, Kind, Key, Title, Reason, DecidedIn string
				Fields                                  []struct{ Field, Before, After string }
				Case                                    struct{ Number string }
			}
		}
	}
	e.ok("", `{
		v: planVersion(key: "2020") { state adoptedIn { key date } tiltak { key title }
			dodsbo: tiltakByKey(key: "digitalt-dodsbo") { title phase responsible { key } }
			gone: tiltakByKey(key: "datafabrikken") { key } }
		versions: planVersions { key state }
		diff: planDiff(from: "2020", to: "2021") {
			added { op kind key title reason decidedIn fields { field before after } case { number } }
			removed { op kind key title reason decidedIn fields { field before after } case { number } }
			changed { op kind key title reason decidedIn fields { field before after } case { number } } }
	}`, nil, &got)
	v := got.V
	if v.State != "ADOPTED" || v.AdoptedIn.Key != "skate-2020" || len(v.Tiltak) != 24 || v.Dodsbo.Title != "Digitalt dødsbo" || v.Dodsbo.Phase != "ACTIVE" || v.Dodsbo.Responsible.Key != "digdir" || v.Gone == nil {
		t.Errorf("2020 as adopted: %+v", v)
	}
	if len(got.Versions) != 3 || got.Versions[1].Key != "2021" || got.Versions[2].State != "DRAFT" {
		t.Errorf("planVersions %+v", got.Versions)
	}
	d := got.Diff
	if len(d.Added) != 1 || d.Added[0].Key != "digital-skifteattest" || d.Added[0].Reason != "Nytt behov" || d.Added[0].Case.Number != "02/2021" {
		t.Errorf("added %+v", d.Added)
	}
	if len(d.Removed) != 1 || d.Removed[0].Key != "datafabrikken" || d.Removed[0].Reason != "Avviklet" || d.Removed[0].DecidedIn != "skate-2021-02" {
		t.Errorf("removed %+v", d.Removed)
	}
	if len(d.Changed) != 1 || d.Changed[0].Key != "digitalt-dodsbo" || d.Changed[0].Kind != "TILTAK" || d.Changed[0].Reason != "Utvidet omfang" ||
		len(d.Changed[0].Fields) != 1 || d.Changed[0].Fields[0].Before != `"Digitalt dødsbo"` || d.Changed[0].Fields[0].After != `"Digitalt dødsbo 2.0"` {
		t.Errorf("changed %+v", d.Changed)
	}
	// The deleted tiltak stays readable, with its last status.
	var retired struct {
		R struct {
			RetiredAt string
			Reason    string
			Tiltak    struct{ Title, Phase string }
		}
	}
	e.ok("", `{ r: retiredTiltak(key: "datafabrikken") { retiredAt reason tiltak { title phase } } }`, nil, &retired)
	if retired.R.Reason != "Avviklet" || retired.R.Tiltak.Phase != "DISCONTINUED" {
		t.Errorf("retired %+v", retired.R)
	}
	// An EDITOR only; the same key twice is refused.
	if errs := e.do(e.token("digdir", store.RoleReporter), `mutation { adoptPlanVersion(input: {key: "2022", meetingKey: "skate-2021"}) { userErrors { message } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Errorf("REPORTER adopting: %+v", errs)
	}
	var again struct {
		AdoptPlanVersion struct{ UserErrors []userErr }
	}
	e.do(e.editor, `mutation { adoptPlanVersion(input: {key: "2021", meetingKey: "skate-2021"}) { userErrors { field message code } } }`, nil, &again)
	if ue := again.AdoptPlanVersion.UserErrors; len(ue) != 1 || ue[0].Code != "CONFLICT" {
		t.Errorf("adopting 2021 again: %+v", ue)
	}
}

func TestAsOfReadsThePlanAsItStood(t *testing.T) {
	e := newRevEnv(t)
	mark := func() string { return e.clock().Format(time.RFC3339) }
	beforeReport := mark()
	e.ok(e.editor, `mutation { reportStatus(input: {tiltakKey: "digitalt-dodsbo", period: "2021-H1", phase: COMPLETED, progress: 100}) { userErrors { message } } }`, nil, nil)
	beforeRevision := mark()
	e.ok(e.editor, reviseMutation, nil, nil)
	after := mark()

	q := `query($t: DateTime) {
		dodsbo: tiltakByKey(key: "digitalt-dodsbo", asOf: $t) { title phase initiatives { key } latestStatus { period } }
		new: tiltakByKey(key: "digital-skifteattest", asOf: $t) { key }
		gone: tiltakByKey(key: "datafabrikken", asOf: $t) { key }
		tiltak(asOf: $t, first: 100) { totalCount nodes { key } }
		initiative(key: "prioriterte-livshendelser", asOf: $t) { tiltak(first: 100) { totalCount } }
		statusSummary(asOf: $t) { total byPhase { phase count } }
		body(key: "digdir", asOf: $t) { responsibleFor(first: 100) { totalCount } }
	}`
	type view struct {
		Dodsbo struct {
			Title, Phase string
			LatestStatus *struct{ Period string }
		}
		New, Gone  *struct{ Key string }
		Tiltak     struct{ TotalCount int }
		Initiative struct{ Tiltak struct{ TotalCount int } }
		Body       struct{ ResponsibleFor struct{ TotalCount int } }
	}
	at := func(ts any) view {
		var v view
		for _, err := range e.do("", q, map[string]any{"t": ts}, &v) {
			if err.code() != "NOT_FOUND" { // a missing tiltak is null, with an error beside it
				t.Fatalf("at %v: %+v", ts, err)
			}
		}
		return v
	}
	v := at(beforeReport)
	if v.Dodsbo.Phase != "ACTIVE" || v.Dodsbo.LatestStatus != nil || v.Dodsbo.Title != "Digitalt dødsbo" || v.New != nil || v.Gone == nil || v.Tiltak.TotalCount != 24 || v.Body.ResponsibleFor.TotalCount != 6 {
		t.Errorf("before the status report: %+v", v)
	}
	v = at(beforeRevision)
	if v.Dodsbo.Phase != "COMPLETED" || v.Dodsbo.LatestStatus == nil || v.Dodsbo.Title != "Digitalt dødsbo" || v.New != nil || v.Gone == nil {
		t.Errorf("before the revision: %+v", v)
	}
	for _, ts := range []any{after, nil} {
		v = at(ts)
		if v.Dodsbo.Title != "Digitalt dødsbo 2.0" || v.New == nil || v.Gone != nil || v.Tiltak.TotalCount != 24 || v.Body.ResponsibleFor.TotalCount != 6 {
			t.Errorf("at %v: %+v", ts, v)
		}
	}
	// Two times in one query each read their own plan.
	var both struct {
		A, B *struct{ Title string }
	}
	e.ok("", `query($a: DateTime, $b: DateTime) { a: tiltakByKey(key: "digitalt-dodsbo", asOf: $a) { title } b: tiltakByKey(key: "digitalt-dodsbo", asOf: $b) { title } }`,
		map[string]any{"a": beforeRevision, "b": after}, &both)
	if both.A == nil || both.B == nil || both.A.Title != "Digitalt dødsbo" || both.B.Title != "Digitalt dødsbo 2.0" {
		t.Errorf("two times: %+v %+v", both.A, both.B)
	}
	var imported struct {
		Forums           []struct{ Key string }
		GovernanceLevels []struct{ Level int }
		LifeEvents       struct{ TotalCount int }
	}
	e.ok("", `{ forums(asOf: "2000-01-01T00:00:00Z") { key } governanceLevels(asOf: "2000-01-01T00:00:00Z") { level } lifeEvents(asOf: "2000-01-01T00:00:00Z") { totalCount } }`, nil, &imported)
	if len(imported.Forums) != 11 || len(imported.GovernanceLevels) != 3 || imported.LifeEvents.TotalCount != 7 {
		t.Errorf("as imported: %+v", imported)
	}
}

func TestProposalsThroughTheAPI(t *testing.T) {
	e := newRevEnv(t)
	reporter, reader := e.token("oslo-kommune", store.RoleReporter), e.token("kmd", store.RoleReader)
	propose := func(token, input string) string {
		var p struct {
			ProposeChange struct{ Proposal struct{ ID string } }
		}
		e.ok(token, `mutation { proposeChange(input: `+input+`) { proposal { id } userErrors { message } } }`, nil, &p)
		return p.ProposeChange.Proposal.ID
	}
	fields, _ := json.Marshal(`{"key": "digital-arveoppgjor", "title": "Digitalt arveoppgjør", "responsibleKey": "oslo-kommune", "lifeEventKeys": ["dodsfall-og-arv"]}`)
	accepted := propose(reporter, `{kind: NEW_TILTAK, fields: `+string(fields)+`, reason: "Kommunene ønsker det"}`)
	rejected := propose(reader, `{kind: CHANGE, targetKey: "digitalt-dodsbo", fields: "{\"title\": \"Dødsbo\"}", reason: "Kortere navn"}`)
	failing := propose(reporter, `{kind: CHANGE, targetKind: INITIATIVE, targetKey: "prioriterte-livshendelser", fields: "{\"focusAreaKey\": \"finnes-ikke\"}", reason: "Flytt"}`)
	if errs := e.do("", `mutation { proposeChange(input: {kind: REMOVAL, targetKey: "digitalt-dodsbo", reason: "x"}) { userErrors { message } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "UNAUTHENTICATED" {
		t.Errorf("proposing without a token: %+v", errs)
	}
	if errs := e.do(reporter, `mutation { acceptProposal(id: "1", decidedIn: "skate-2021-02") { userErrors { message } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Errorf("REPORTER accepting: %+v", errs)
	}
	e.ok(e.editor, `mutation($id: String!) { acceptProposal(id: $id, decidedIn: "skate-2021-02") { proposal { state } userErrors { message } } }`, map[string]any{"id": accepted}, nil)
	e.ok(e.editor, `mutation($id: String!) { rejectProposal(id: $id, reason: "Navnet er innarbeidet") { proposal { state } userErrors { message } } }`, map[string]any{"id": rejected}, nil)
	var fail struct {
		AcceptProposal struct {
			Proposal   *struct{ State string }
			UserErrors []userErr
		}
	}
	e.do(e.editor, `mutation($id: String!) { acceptProposal(id: $id, decidedIn: "skate-2021-02") { proposal { state } userErrors { field message code } } }`, map[string]any{"id": failing}, &fail)
	if ue := fail.AcceptProposal.UserErrors; fail.AcceptProposal.Proposal != nil || len(ue) != 1 || ue[0].Field != "focusAreaKey" || !strings.Contains(ue[0].Message, "cannot be applied") {
		t.Errorf("failing proposal: %+v", fail.AcceptProposal)
	}

	var got struct {
		New struct {
			Responsible struct{ Key string }
			History     struct {
				Nodes []struct{ Reason, DecidedIn, TokenName string }
			}
		}
		Dodsbo    struct{ Title string }
		Open      []struct{ ID, State string }
		Proposals []struct {
			ID, State       string
			Proposer        struct{ Key string }
			GovernanceLevel struct{ Level int }
		}
	}
	e.ok("", `{
		new: tiltakByKey(key: "digital-arveoppgjor") { responsible { key } history { nodes { reason decidedIn tokenName } } }
		dodsbo: tiltakByKey(key: "digitalt-dodsbo") { title }
		open: proposals(state: OPEN) { id state }
		proposals { id state proposer { key } governanceLevel { level } }
	}`, nil, &got)
	if h := got.New.History.Nodes; got.New.Responsible.Key != "oslo-kommune" || len(h) != 1 || h[0].Reason != "Kommunene ønsker det" || h[0].DecidedIn != "skate-2021-02" || h[0].TokenName != "digdir-editor" {
		t.Errorf("the accepted proposal in the draft: %+v", got.New)
	}
	if got.Dodsbo.Title != "Digitalt dødsbo" {
		t.Errorf("a rejected proposal changed the plan: %q", got.Dodsbo.Title)
	}
	if len(got.Open) != 1 || got.Open[0].ID != failing {
		t.Errorf("open proposals %+v", got.Open)
	}
	if p := got.Proposals; len(p) != 3 || p[0].State != "ACCEPTED" || p[0].Proposer.Key != "oslo-kommune" || p[0].GovernanceLevel.Level != 3 ||
		p[1].State != "REJECTED" || p[1].Proposer.Key != "kmd" || p[1].GovernanceLevel.Level != 2 {
		t.Errorf("proposals %+v", p)
	}
}

func TestRetiredKeysAndLineage(t *testing.T) {
	e := newRevEnv(t)
	e.ok(e.editor, `mutation { deleteTiltak(input: {key: "datafabrikken", reason: "Splittet"}) { userErrors { message } } }`, nil, nil)
	var again struct {
		CreateTiltak struct{ UserErrors []userErr }
	}
	e.do(e.editor, `mutation { createTiltak(input: {key: "datafabrikken", title: "Igjen", responsibleKey: "digdir"}) { userErrors { field message code } } }`, nil, &again)
	if ue := again.CreateTiltak.UserErrors; len(ue) != 1 || ue[0].Code != "CONFLICT" || !strings.Contains(ue[0].Message, "never reused") {
		t.Errorf("reusing a retired key: %+v", ue)
	}
	e.ok(e.editor, `mutation {
		a: createTiltak(input: {key: "datafabrikken-deling", title: "Datafabrikken: deling", responsibleKey: "digdir", predecessorKeys: ["datafabrikken"]}) { userErrors { message } }
		b: createTiltak(input: {key: "datafabrikken-analyse", title: "Datafabrikken: analyse", responsibleKey: "digdir", predecessorKeys: ["datafabrikken", "digitalt-dodsbo"]}) { userErrors { message } }
	}`, nil, nil)
	var got struct {
		T struct {
			PredecessorKeys []string
			Predecessors    []struct {
				Key     string
				Item    *struct{ Title string }
				Retired *struct{ Reason string }
			}
		}
		Dodsbo  struct{ Successors []struct{ Key string } }
		Retired struct{ Successors []struct{ Key string } }
	}
	e.ok("", `{
		t: tiltakByKey(key: "datafabrikken-analyse") { predecessorKeys predecessors { key item { ... on Tiltak { title } } retired { reason } } }
		dodsbo: tiltakByKey(key: "digitalt-dodsbo") { successors { key } }
		retired: retiredTiltak(key: "datafabrikken") { successors { key } }
	}`, nil, &got)
	p := got.T.Predecessors
	if len(p) != 2 || p[0].Item != nil || p[0].Retired == nil || p[0].Retired.Reason != "Splittet" || p[1].Item == nil || p[1].Retired != nil {
		t.Errorf("predecessors %+v", got.T)
	}
	if len(got.Dodsbo.Successors) != 1 || len(got.Retired.Successors) != 2 || got.Retired.Successors[0].Key != "datafabrikken-analyse" {
		t.Errorf("successors %+v %+v", got.Dodsbo, got.Retired)
	}
	// A REPORTER may not rewrite lineage.
	if errs := e.do(e.token("digdir", store.RoleReporter), `mutation { updateTiltak(input: {key: "digitalt-dodsbo", predecessorKeys: []}) { userErrors { message } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Errorf("REPORTER changing predecessorKeys: %+v", errs)
	}
}

func TestMeetingsAndCases(t *testing.T) {
	e := newRevEnv(t)
	e.ok(e.editor, `mutation {
		updateMeeting(input: {key: "skate-2020", title: "Skate-møte 10. juni 2020", followUpPeriod: "2020-H1"}) { meeting { version } userErrors { message } }
		updateCase(input: {key: "skate-2020-04", proposedDecision: "Skate slutter seg til", decision: "Vedtatt", concerns: [{kind: INITIATIVE, key: "prioriterte-livshendelser"}]}) { userErrors { message } }
		createCase(input: {key: "skate-2020-01", meetingKey: "skate-2020", number: "01/2020", title: "Orientering", kind: INFORMATION}) { case { key } userErrors { message } }
	}`, nil, nil)
	var got struct {
		Forum struct {
			Meetings []struct {
				Key, Title     string
				FollowUpPeriod *string
				Cases          []struct {
					Number, Kind string
					Decision     *string
					Concerns     []struct {
						Kind string
						Item struct{ Title string }
					}
					Meeting struct{ Forum struct{ Key string } }
				}
			}
		}
		Meetings []struct{ Key string }
		Case     struct{ Title string }
	}
	e.ok("", `{
		forum(key: "skate") { meetings { key title followUpPeriod cases { number kind decision concerns { kind item { ... on Initiative { title } } } meeting { forum { key } } } } }
		meetings(forumKey: "skate") { key }
		case(key: "skate-2021-02") { title }
	}`, nil, &got)
	ms := got.Forum.Meetings
	if len(ms) != 2 || ms[0].Key != "skate-2020" || ms[0].Title != "Skate-møte 10. juni 2020" || *ms[0].FollowUpPeriod != "2020-H1" || len(ms[0].Cases) != 2 ||
		ms[0].Cases[0].Number != "01/2020" || ms[0].Cases[1].Decision == nil || ms[0].Cases[1].Concerns[0].Item.Title == "" || ms[0].Cases[1].Meeting.Forum.Key != "skate" {
		t.Errorf("forum meetings %+v", ms)
	}
	if len(got.Meetings) != 2 || got.Case.Title != "Revisjon" {
		t.Errorf("meetings %+v, case %+v", got.Meetings, got.Case)
	}
	var bad struct {
		CreateCase struct{ UserErrors []userErr }
	}
	e.do(e.editor, `mutation { createCase(input: {key: "skate-2020-09", meetingKey: "skate-2020", number: "Sak 9", title: "x", kind: DECISION}) { userErrors { field code } } }`, nil, &bad)
	if ue := bad.CreateCase.UserErrors; len(ue) != 1 || ue[0].Field != "number" || ue[0].Code != "INVALID" {
		t.Errorf("bad case number: %+v", ue)
	}
	var del struct {
		DeleteMeeting struct{ UserErrors []userErr }
	}
	e.do(e.editor, `mutation { deleteMeeting(input: {key: "skate-2020"}) { userErrors { code } } }`, nil, &del)
	if len(del.DeleteMeeting.UserErrors) != 1 {
		t.Errorf("deleting a meeting with cases: %+v", del)
	}
	e.ok(e.editor, `mutation { a: deleteCase(input: {key: "skate-2021-02"}) { userErrors { message } } b: deleteMeeting(input: {key: "skate-2021"}) { deletedKey userErrors { message } } }`, nil, nil)
	if errs := e.do(e.token("kmd", store.RoleReader), `mutation { createMeeting(input: {key: "m", forumKey: "skate", date: "2022-01-01", title: "x"}) { userErrors { message } } }`, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Errorf("READER creating a meeting: %+v", errs)
	}
}
