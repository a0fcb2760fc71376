package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"handlingsplan/graph"
	"handlingsplan/store"
)

// followNow is in 2026-H1, after the 2025-H2 deadline (2026-01-30).
var followNow = time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)

// followEnv is a GraphQL server over the default data, where nyinorge-no
// is followed up at governance level 2 (every other tiltak at level 3).
type followEnv struct {
	t   *testing.T
	db  *store.DB
	srv *httptest.Server
}

func newFollowEnv(t *testing.T) *followEnv {
	t.Helper()
	return newFollowEnvWith(t, func(plan *store.Plan) {
		for i := range plan.Tiltak {
			if plan.Tiltak[i].Key == "nyinorge-no" {
				plan.Tiltak[i].GovernanceLevel = 2
			}
		}
	})
}

// newFollowEnvWith is a GraphQL server over the default data, changed by
// edit first (when given), with the follow-up tests' clock.
func newFollowEnvWith(t *testing.T, edit func(*store.Plan)) *followEnv {
	t.Helper()
	db := openDefaultDB(t, followNow, edit)
	srv := httptest.NewServer(graph.NewHandler(db, graph.Options{}))
	t.Cleanup(srv.Close)
	return &followEnv{t: t, db: db, srv: srv}
}

func (e *followEnv) token(body string, role store.Role) string {
	e.t.Helper()
	secret, _, err := e.db.CreateToken(context.Background(), store.System, body, role, body+"-"+string(role))
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// do posts a GraphQL request with a token and decodes data into out; it
// returns the errors.
func (e *followEnv) do(token, query string, vars map[string]any, out any) []gqlError {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		e.t.Fatal(err)
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			e.t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
	return r.Errors
}

// must is do that fails the test on any error.
func (e *followEnv) must(token, query string, vars map[string]any, out any) {
	e.t.Helper()
	if errs := e.do(token, query, vars, out); len(errs) > 0 {
		e.t.Fatalf("%s: %+v", strings.Fields(query)[0:2], errs)
	}
}

const reportStatusMutation = `mutation($in: ReportStatusInput!) { reportStatus(input: $in) { userErrors { field message } } }`

// report is one reportStatus call; token names the tokens map entry.
type report struct {
	token, tiltak, period string
	phase, health         string
	progress              int
	body                  string // bodyKey, for an EDITOR reporting for another body
}

// followHistory is two periods of reports. In 2025-H2, against 2025-H1:
// digitalt-dodsbo improves (skatteetaten, a participant, also reports red:
// the responsible body's report counts), livshendelse-dodsfall-og-arv and
// enklere-tilgang-til-informasjon worsen, videreutvikling-frivillighetsregisteret
// stays yellow, livshendelse-alvorlig-sykt-barn is completed, nyinorge-no and
// strategi-for-digital-kompetanse (by the editor, for kmd) report for the
// first time; veileder-styring-digitalisering-sektorene (kmd) and
// digital-gravferdsmelding (statsforvalteren-i-vestfold-og-telemark) do not
// report though they are ACTIVE.
var followHistory = []report{
	{"digdir", "digitalt-dodsbo", "2025-H1", "ACTIVE", "MINOR_DELAYS", 30, ""},
	{"digdir", "livshendelse-dodsfall-og-arv", "2025-H1", "ACTIVE", "ON_TRACK", 50, ""},
	{"helsedirektoratet", "livshendelse-alvorlig-sykt-barn", "2025-H1", "ACTIVE", "MAJOR_DELAYS", 70, ""},
	{"helsedirektoratet", "enklere-tilgang-til-informasjon", "2025-H1", "ACTIVE", "ON_TRACK", 20, ""},
	{"brreg", "videreutvikling-frivillighetsregisteret", "2025-H1", "ACTIVE", "MINOR_DELAYS", 60, ""},
	{"kmd", "veileder-styring-digitalisering-sektorene", "2025-H1", "ACTIVE", "ON_TRACK", 80, ""},

	{"digdir", "digitalt-dodsbo", "2025-H2", "ACTIVE", "ON_TRACK", 45, ""},
	{"skatteetaten", "digitalt-dodsbo", "2025-H2", "ACTIVE", "MAJOR_DELAYS", 10, ""},
	{"digdir", "livshendelse-dodsfall-og-arv", "2025-H2", "ACTIVE", "MAJOR_DELAYS", 55, ""},
	{"helsedirektoratet", "livshendelse-alvorlig-sykt-barn", "2025-H2", "COMPLETED", "", 100, ""},
	{"helsedirektoratet", "enklere-tilgang-til-informasjon", "2025-H2", "ACTIVE", "MINOR_DELAYS", 25, ""},
	{"brreg", "videreutvikling-frivillighetsregisteret", "2025-H2", "ACTIVE", "MINOR_DELAYS", 65, ""},
	{"imdi", "nyinorge-no", "2025-H2", "ACTIVE", "MAJOR_DELAYS", 15, ""},
	{"editor", "strategi-for-digital-kompetanse", "2025-H2", "ACTIVE", "ON_TRACK", 5, "kmd"},
}

// writeFollowHistory reports followHistory through the API and returns
// the tokens, by body (and "editor").
func writeFollowHistory(e *followEnv) map[string]string {
	tokens := map[string]string{"editor": e.token("digdir", store.RoleEditor)}
	for _, b := range []string{"digdir", "helsedirektoratet", "brreg", "kmd", "imdi", "skatteetaten"} {
		tokens[b] = e.token(b, store.RoleReporter)
	}
	for _, r := range followHistory {
		in := map[string]any{"tiltakKey": r.tiltak, "period": r.period, "phase": r.phase, "progress": r.progress,
			"summary": "Rapport " + r.period, "risks": "Risiko for " + r.tiltak}
		if r.health != "" {
			in["health"] = r.health
		}
		if r.body != "" {
			in["bodyKey"] = r.body
		}
		var out struct {
			ReportStatus struct{ UserErrors []userError } `json:"reportStatus"`
		}
		e.must(tokens[r.token], reportStatusMutation, map[string]any{"in": in}, &out)
		if len(out.ReportStatus.UserErrors) > 0 {
			e.t.Fatalf("report %+v: %+v", r, out.ReportStatus.UserErrors)
		}
	}
	return tokens
}

type userError struct {
	Field   *string `json:"field"`
	Message string  `json:"message"`
	Code    string  `json:"code"`
}

type followItem struct {
	Tiltak   struct{ Key string } `json:"tiltak"`
	Body     struct{ Key string } `json:"body"`
	Health   *string              `json:"health"`
	Change   string               `json:"change"`
	Summary  *string              `json:"summary"`
	Risks    *string              `json:"risks"`
	Previous *struct {
		Period string  `json:"period"`
		Health *string `json:"health"`
	} `json:"previous"`
}

type missing struct {
	Tiltak struct{ Key string } `json:"tiltak"`
	Body   struct{ Key string } `json:"body"`
}

type followSection struct {
	Key                                        string
	AtRisk, Worsened, Improved, New, Completed []followItem
	NotReported                                []missing
	Summary                                    statusSummaryNR
}

type statusSummaryNR struct {
	statusSummary
	NotReported int `json:"notReported"`
}

type followReport struct {
	Owed, Reported                             int
	Completeness                               *float64
	AtRisk, Worsened, Improved, New, Completed []followItem
	NotReported                                []missing
	BodiesNotReported                          []struct{ Key string }
	FocusAreas, Initiatives, LifeEvents        []followSection
}

const itemFields = `tiltak { key } body { key } health change summary risks previous { period health }`

const followUpQuery = `query($p: String!, $l: Int) { followUpReport(period: $p, governanceLevel: $l) {
  owed reported completeness
  atRisk { ` + itemFields + ` } worsened { ` + itemFields + ` } improved { ` + itemFields + ` }
  new { ` + itemFields + ` } completed { ` + itemFields + ` }
  notReported { tiltak { key } body { key } } bodiesNotReported { key }
  focusAreas { ...sec } initiatives { ...sec } lifeEvents { ...sec }
} }
fragment sec on FollowUpSection { key atRisk { ` + itemFields + ` } worsened { ` + itemFields + ` } improved { ` + itemFields + ` }
  new { ` + itemFields + ` } completed { ` + itemFields + ` } notReported { tiltak { key } body { key } }
  summary { ` + summaryFields + ` notReported } }`

func itemKeys(is []followItem) []string {
	out := []string{}
	for _, i := range is {
		out = append(out, i.Tiltak.Key)
	}
	return out
}

func missingOf(ms []missing) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Body.Key+":"+m.Tiltak.Key)
	}
	return out
}

func followUp(e *followEnv, period string, level *int) followReport {
	var out struct{ FollowUpReport followReport }
	vars := map[string]any{"p": period}
	if level != nil {
		vars["l"] = *level
	}
	e.must("", followUpQuery, vars, &out)
	return out.FollowUpReport
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: %q, want %q", what, got, want)
	}
}
