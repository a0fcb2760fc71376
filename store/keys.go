package store

import (
	"strconv"
	"strings"
)

// Key layout. Every key is built here and nowhere else.
//
//	m/schema-version                      schema version of the stored data
//	r/<kind>/<key>                        an entity record (JSON)
//	x/<relation>/<from>/<to>              a relationship, one key per direction
//	u/<what>/<value>                      a unique value → the key that holds it
//	c/<scope>/<scopeKey>/<phase>/<health> a status counter cell
//	s/<token>/<kind>/<key>                a search token
//	r/sr/<tiltak>/<periodSort>/<body>     a status report
//	ps/<period>/<tiltak>                  the period status index: every body's phase|health|progress for the period
//	ex/<period>/<tiltak>                  an exemption from reporting for a period
//	rm/<period>/<body>                    a reporting reminder sent (never twice)
//	m/reporting                           the reporting settings (cadence, deadline, reminder days)
//	r/mt/<key>, r/cs/<key>                a forum meeting, a case (sak) on a meeting's agenda
//	pv/<key>                              an adopted plan version (PlanVersion)
//	pvc/<version>/<kind>/<key>            a plan item as adopted in a version (the frozen record)
//	u/retired/<kind>/<key>                a deleted plan item's retired key → its last record
//	pr/<seq>                              a proposal for the next revision of the plan
//	r/fi/<tiltak>                         a tiltak's money: funding, cost years, schedule, rebaselines, segment, goals
//	r/bf/, r/go/, r/ix/, r/sg/<key>       a benefit (gevinst), goal (mål), indicator, segment
//	m/money                               the money settings (variance threshold, size limits, score bands)
//
// Entity keys are kebab-case ([a-z0-9-]), so "/" never occurs inside one.

var keySchemaVersion = []byte("m/schema-version")

// keySources holds the list of sources the plan's facts come from.
var keySources = []byte("m/sources")

// Record prefixes by kind.
var recordPrefix = map[Kind]string{
	KindLifeEvent:       "r/le/",
	KindFocusArea:       "r/fa/",
	KindInitiative:      "r/in/",
	KindTiltak:          "r/ti/",
	KindBody:            "r/bo/",
	KindGovernanceLevel: "r/gl/",
	KindForum:           "r/fo/",
	KindStatusReport:    "r/sr/",
	KindMeeting:         "r/mt/",
	KindCase:            "r/cs/",
	// Money, benefits and goals (money.go).
	KindFinance: "r/fi/", KindBenefit: "r/bf/", KindGoal: "r/go/", KindIndicator: "r/ix/", KindSegment: "r/sg/",
}

// kindShort is the kind's two-letter code, used in search keys.
var kindShort = map[Kind]string{
	KindLifeEvent: "le", KindFocusArea: "fa", KindInitiative: "in", KindTiltak: "ti",
	KindBody: "bo", KindGovernanceLevel: "gl", KindForum: "fo", KindStatusReport: "sr",
	KindReportingSettings: "rs", KindReportingExemption: "rx",
	KindMeeting: "mt", KindCase: "cs", KindPlanVersion: "pv",
	KindFinance: "fi", KindBenefit: "bf", KindGoal: "go", KindIndicator: "ix", KindSegment: "sg", KindMoneySettings: "ms",
	KindReport: "lr", KindDelivery: "dl", KindAssessment: "as", KindDependency: "dp",
}

var shortKind = func() map[string]Kind {
	m := map[string]Kind{}
	for k, s := range kindShort {
		m[s] = k
	}
	return m
}()

func recordKey(kind Kind, key string) []byte { return []byte(recordPrefix[kind] + key) }

func levelKey(level int) string { return strconv.Itoa(level) }

// Relations. Each is stored as x/<rel>/<from>/<to>; the name says which way.
type relation string

const (
	relBodyResponsible relation = "bo-resp"   // body → tiltak it is responsible for
	relBodyParticipant relation = "bo-part"   // body → tiltak it participates in
	relInitiativeTilt  relation = "in-ti"     // initiative → tiltak
	relLifeEventTilt   relation = "le-ti"     // life event → tiltak (linked directly)
	relTiltakDependent relation = "ti-dep"    // tiltak → tiltak that depend on it
	relLifeEventInit   relation = "le-in"     // life event → initiatives
	relFocusAreaInit   relation = "fa-in"     // focus area → initiatives
	relBodyOwner       relation = "bo-own"    // body → initiatives it owns
	relBodyExecuting   relation = "bo-exec"   // body → initiatives it executes
	relBodyChild       relation = "bo-child"  // body → bodies under it
	relBodyLeads       relation = "bo-lead"   // body → life events it leads
	relBodyForum       relation = "bo-forum"  // body → forums it is a member of
	relBodySecretariat relation = "bo-secr"   // body → forums and levels whose secretariat it holds ("fo:<key>", "gl:<n>")
	relLevelForum      relation = "gl-fo"     // governance level → forums
	relLevelFocusArea  relation = "gl-fa"     // governance level → focus areas
	relLevelInitiative relation = "gl-in"     // governance level → initiatives
	relLevelTiltak     relation = "gl-ti"     // governance level → tiltak
	relBodyCounty      relation = "bo-county" // county number → municipalities and the county
	relBodyKind        relation = "bo-kind"   // body kind → bodies of that kind
	relFocusAreaTiltak relation = "fa-ti"     // focus area → tiltak under its initiatives
	relEntityChange    relation = "ent-chg"   // "<kind>:<key>" → audit sequence numbers
	relBodyChange      relation = "bo-chg"    // acting body → audit sequence numbers
	relBodyWebhook     relation = "bo-wh"     // body → its webhooks
	relTiltakSucc      relation = "ti-succ"   // tiltak → tiltak that name it as predecessor
	relInitiativeSucc  relation = "in-succ"   // initiative → initiatives that name it as predecessor
	relForumMeeting    relation = "fo-mt"     // forum → its meetings
	relMeetingCase     relation = "mt-cs"     // meeting → its cases
	relMeetingVersion  relation = "mt-pv"     // meeting → plan versions adopted in it
	// Money, benefits and goals.
	relTiltakBenefit relation = "ti-bf"  // tiltak → its benefits
	relGoalIndicator relation = "go-ix"  // goal → its indicators
	relGoalSub       relation = "go-sub" // goal → its sub-goals
	relGoalTiltak    relation = "go-ti"  // goal → tiltak linked to it (finance record's goals)
	relSegmentTiltak relation = "sg-ti"  // segment → tiltak in it
)

func relPrefix(rel relation, from string) []byte {
	return []byte("x/" + string(rel) + "/" + from + "/")
}

func relKey(rel relation, from, to string) []byte {
	return []byte("x/" + string(rel) + "/" + from + "/" + to)
}

// lastSegment returns what follows the last "/" of k.
func lastSegment(k []byte) string {
	s := string(k)
	return s[strings.LastIndexByte(s, '/')+1:]
}

// Unique values.
func uniqueOrgNumberKey(org string) []byte       { return []byte("u/org/" + org) }
func uniqueMunicipalityKey(number string) []byte { return []byte("u/mun/" + number) }

// Counter scopes: the sets of tiltak that status summaries are kept for.
const (
	scopeAll        = "all" // every tiltak; scope key "-"
	scopeLifeEvent  = "le"
	scopeFocusArea  = "fa"
	scopeInitiative = "in"
	scopeBody       = "bo" // the responsible body
	scopeLevel      = "gl"
)

const noValue = "-"

func counterPrefix(scope, scopeKey string) []byte {
	return []byte("c/" + scope + "/" + scopeKey + "/")
}

func counterKey(scope, scopeKey string, c cell) []byte {
	return []byte("c/" + scope + "/" + scopeKey + "/" + c.phase + "/" + c.health)
}

// Search tokens.
func searchPrefix(token string) []byte { return []byte("s/" + token) }

func searchKey(token string, kind Kind, key string) []byte {
	return []byte("s/" + token + "/" + kindShort[kind] + "/" + key)
}

// Status reports: r/sr/<tiltak>/<periodSort>/<body>.
func statusReportPrefix(tiltak string) []byte { return []byte("r/sr/" + tiltak + "/") }

func statusReportKey(tiltak, periodSort, body string) []byte {
	return []byte("r/sr/" + tiltak + "/" + periodSort + "/" + body)
}

// Follow-up: the period status index, exemptions, reminders and settings.
var keyReportingSettings = []byte("m/reporting")

func periodStatusPrefix(period string) []byte      { return []byte("ps/" + period + "/") }
func periodStatusKey(period, tiltak string) []byte { return []byte("ps/" + period + "/" + tiltak) }
func exemptionPrefix(period string) []byte         { return []byte("ex/" + period + "/") }
func exemptionKey(period, tiltak string) []byte    { return []byte("ex/" + period + "/" + tiltak) }
func reminderKey(period, body string) []byte       { return []byte("rm/" + period + "/" + body) }

// Revisions: plan versions, their frozen items, retired keys, proposals.
var (
	planVersionPrefix = []byte("pv/")
	proposalPrefix    = []byte("pr/")
	keyProposalSeq    = []byte("m/proposal-seq")
)

func planVersionKey(key string) []byte { return []byte("pv/" + key) }

func frozenPrefix(version string) []byte { return []byte("pvc/" + version + "/") }

func frozenKindPrefix(version string, kind Kind) []byte {
	return []byte("pvc/" + version + "/" + kindShort[kind] + "/")
}

func frozenKey(version string, kind Kind, key string) []byte {
	return []byte("pvc/" + version + "/" + kindShort[kind] + "/" + key)
}

func retiredKey(kind Kind, key string) []byte {
	return []byte("u/retired/" + kindShort[kind] + "/" + key)
}

func proposalKey(seq uint64) []byte { return []byte("pr/" + seqString(seq)) }

// Lifecycle (stage reports, deliveries, ratings, obstacles, dependencies):
//
//	lr/<tiltak>/<STAGE>/<periodSort or ->/<body>  a stage report (Report) other than a submitted status report
//	lc/<tiltak>                                   the tiltak's lifecycle marker: entered, start-up accepted
//	dl/<tiltak>/<key>                             a delivery or milestone (TiltakDelivery)
//	as/<tiltak>/<periodSort>/<ROLE>/<assessor>    a rating (Assessment)
//	ob/<periodSort>/<tiltak>/<body>               the obstacle index: the codes a status report names
//	dp/<fromTiltak>/<key>                         a typed dependency; x/dp-to/<toTiltak>/<fromTiltak>:<key> its reverse
func lifecycleReportPrefix(tiltak string) []byte { return []byte("lr/" + tiltak + "/") }
func lifecycleReportKey(tiltak string, stage ReportStage, periodSort, body string) []byte {
	return []byte("lr/" + tiltak + "/" + string(stage) + "/" + periodSort + "/" + body)
}
func lifecycleMarkerKey(tiltak string) []byte     { return []byte("lc/" + tiltak) }
func tiltakDeliveryPrefix(tiltak string) []byte   { return []byte("dl/" + tiltak + "/") }
func tiltakDeliveryKey(tiltak, key string) []byte { return []byte("dl/" + tiltak + "/" + key) }
func assessmentPrefix(tiltak string) []byte       { return []byte("as/" + tiltak + "/") }
func obstaclePrefix(periodSort string) []byte     { return []byte("ob/" + periodSort + "/") }
func obstacleKey(periodSort, tiltak, body string) []byte {
	return []byte("ob/" + periodSort + "/" + tiltak + "/" + body)
}
func assessmentKey(tiltak, periodSort string, role AssessmentRole, assessor string) []byte {
	return []byte("as/" + tiltak + "/" + periodSort + "/" + string(role) + "/" + assessor)
}
func dependencyPrefix(from string) []byte   { return []byte("dp/" + from + "/") }
func dependencyKey(from, key string) []byte { return []byte("dp/" + from + "/" + key) }
func dependencyToPrefix(to string) []byte   { return []byte("x/dp-to/" + to + "/") }
func dependencyToKey(to, from, key string) []byte {
	return []byte("x/dp-to/" + to + "/" + from + ":" + key)
}
