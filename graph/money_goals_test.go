package graph_test

import (
	"context"
	"math"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"handlingsplan/generate"
	"handlingsplan/graph"
	"handlingsplan/store"
)

// A benefit keeps taking realisations after its tiltak is closed: benefits
// come after delivery. A REPORTER reports for its own tiltak's benefits.
func TestBenefitTakesRealisationsAfterTiltakClosed(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	ed := e.token("digdir", store.RoleEditor)
	var phase struct {
		TiltakByKey struct {
			Phase string `json:"phase"`
		} `json:"tiltakByKey"`
	}
	e.must("", `{ tiltakByKey(key: "datafabrikken") { phase } }`, nil, &phase)
	if phase.TiltakByKey.Phase != "DISCONTINUED" {
		t.Fatalf("datafabrikken is %s; the test needs a closed tiltak", phase.TiltakByKey.Phase)
	}
	type benefitOut struct {
		Benefit *struct {
			State        string `json:"state"`
			Realisations []struct {
				Period     string  `json:"period"`
				Value      float64 `json:"value"`
				ReportedBy string  `json:"reportedBy"`
			} `json:"realisations"`
			Tiltak keyed `json:"tiltak"`
		} `json:"benefit"`
		UserErrors userErrs `json:"userErrors"`
	}
	var created struct {
		CreateBenefit benefitOut `json:"createBenefit"`
	}
	e.must(ed, `mutation($in: CreateBenefitInput!) { createBenefit(input: $in) { benefit { state realisations { period value reportedBy } tiltak { key } } userErrors { field message code } } }`,
		map[string]any{"in": map[string]any{"key": "gjenbruk-av-data", "tiltakKey": "datafabrikken", "title": "Gjenbruk av data", "type": "EFFICIENCY",
			"priced": true, "responsible": "Direktør for data", "ownerKeys": []string{"digdir"},
			"indicator": map[string]any{"name": "Sparte timeverk", "unit": "timer"}, "baseline": map[string]any{"value": 0, "measuredAt": "2020-01-01"},
			"target": map[string]any{"value": 5000, "by": "2027-12-31"}, "budgetCutCommittedNok": 4_000_000_000, "followUntil": "2028-12-31"}}, &created)
	if len(created.CreateBenefit.UserErrors) > 0 || created.CreateBenefit.Benefit.State != "PLANNED" {
		t.Fatalf("createBenefit: %+v", created.CreateBenefit)
	}
	const realise = `mutation($in: ReportBenefitRealisationInput!) { reportBenefitRealisation(input: $in) {
	  benefit { state realisations { period value reportedBy } tiltak { key } } userErrors { field message code } } }`
	if errs := e.do(e.token("nav", store.RoleReporter), realise, map[string]any{"in": map[string]any{"benefitKey": "gjenbruk-av-data", "period": "2024", "value": 1}}, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
		t.Fatalf("another body's REPORTER: %+v, want FORBIDDEN", errs)
	}
	rep := e.token("digdir", store.RoleReporter)
	var out struct {
		ReportBenefitRealisation benefitOut `json:"reportBenefitRealisation"`
	}
	for _, r := range []struct {
		period string
		value  float64
	}{{"2024", 1200}, {"2025-H1", 1900}, {"2024", 1250}} {
		out.ReportBenefitRealisation = benefitOut{}
		e.must(rep, realise, map[string]any{"in": map[string]any{"benefitKey": "gjenbruk-av-data", "period": r.period, "value": r.value, "source": "Timeregistrering"}}, &out)
		if len(out.ReportBenefitRealisation.UserErrors) > 0 {
			t.Fatalf("realisation %s after the tiltak was closed: %+v", r.period, out.ReportBenefitRealisation.UserErrors)
		}
	}
	b := out.ReportBenefitRealisation.Benefit
	if b.State != "REALISING" || len(b.Realisations) != 2 || b.Realisations[0].Period != "2024" || b.Realisations[0].Value != 1250 ||
		b.Realisations[1].Value != 1900 || b.Realisations[1].ReportedBy == "" || b.Tiltak.Key != "datafabrikken" {
		t.Fatalf("benefit = %+v: want REALISING with 2024 = 1250 (replaced) and 2025-H1 = 1900", b)
	}
	var sum struct {
		MoneySummary moneySum `json:"moneySummary"`
	}
	e.must("", `{ moneySummary(filter: {bodyKey: "digdir"}) { `+moneyFields+` } }`, nil, &sum)
	if sum.MoneySummary.BenefitCount != 1 || sum.MoneySummary.BudgetCutCommittedNok != 4_000_000_000 {
		t.Fatalf("digdir's benefits in the roll-up = %+v", sum.MoneySummary)
	}
	// Abandoned, it takes no more.
	e.must(ed, `mutation { updateBenefit(input: {key: "gjenbruk-av-data", state: ABANDONED}) { userErrors { field } } }`, nil, nil)
	out.ReportBenefitRealisation = benefitOut{}
	e.must(rep, realise, map[string]any{"in": map[string]any{"benefitKey": "gjenbruk-av-data", "period": "2026", "value": 2000}}, &out)
	if out.ReportBenefitRealisation.UserErrors.field() != "key" {
		t.Fatalf("realisation on an ABANDONED benefit: %+v", out.ReportBenefitRealisation.UserErrors)
	}
}

// Goal scores, computed here the way money.graphqls documents them.
type obs struct {
	period string
	value  float64
}

type ind struct {
	key, period  string
	weight       float64
	baseY, targY int
	baseV, targV float64
	traj         map[int]float64
	obs          []obs
}

func periodAt(p string) float64 {
	y, _ := strconv.Atoi(p[:4])
	switch p[4:] {
	case "-H1", "-Q2":
		return float64(y) - 0.5
	case "-Q1":
		return float64(y) - 0.75
	case "-Q3":
		return float64(y) - 0.25
	}
	return float64(y)
}

func (i ind) score(v float64) float64 {
	p := (v - i.baseV) / (i.targV - i.baseV)
	return 1 + 2*math.Max(0, math.Min(1, p))
}

func (i ind) expected(t float64) float64 {
	years := []int{i.baseY, i.targY}
	vals := map[int]float64{i.baseY: i.baseV, i.targY: i.targV}
	for y, v := range i.traj {
		years = append(years, y)
		vals[y] = v
	}
	slices.Sort(years)
	if t <= float64(years[0]) {
		return vals[years[0]]
	}
	for k := 1; k < len(years); k++ {
		if t <= float64(years[k]) {
			a, b := years[k-1], years[k]
			return vals[a] + (vals[b]-vals[a])*(t-float64(a))/float64(b-a)
		}
	}
	return vals[years[len(years)-1]]
}

type wantInd struct {
	score, expected, projected *float64
	on, reaches                *bool
}

func (i ind) want() wantInd {
	if len(i.obs) == 0 {
		return wantInd{}
	}
	last := i.obs[len(i.obs)-1]
	for _, o := range i.obs { // the latest by period
		if periodAt(o.period) > periodAt(last.period) {
			last = o
		}
	}
	first := obs{strconv.Itoa(i.baseY), i.baseV}
	if len(i.obs) > 1 {
		first = i.obs[0]
		for _, o := range i.obs {
			if periodAt(o.period) < periodAt(first.period) {
				first = o
			}
		}
	}
	s, ex := i.score(last.value), i.expected(periodAt(last.period))
	up := i.targV > i.baseV
	on := (last.value >= ex) == up || last.value == ex
	w := wantInd{score: &s, expected: &ex, on: &on}
	if periodAt(last.period) > periodAt(first.period) {
		pace := (last.value - first.value) / (periodAt(last.period) - periodAt(first.period))
		p := last.value + pace*math.Max(0, float64(i.targY)-periodAt(last.period))
		r := (p >= i.targV) == up || p == i.targV
		w.projected, w.reaches = &p, &r
	}
	return w
}

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

// The goal score is the weighted mean of its indicators' scores and moves
// with every new observation, as computed independently here; so do the
// trajectory check and the projection.
func TestGoalScoreFollowsIndicatorObservations(t *testing.T) {
	e := newFollowEnvWith(t, nil)
	ed := e.token("digdir", store.RoleEditor)
	e.must(ed, `mutation { createGoal(input: {key: "test-mal", number: "9", name: "Testmål"}) { userErrors { field } } }`, nil, nil)
	inds := []*ind{
		{key: "andel-digitale", weight: 2, baseY: 2020, baseV: 10, targY: 2025, targV: 60, traj: map[int]float64{2022: 30}},
		{key: "ventetid", weight: 1, baseY: 2020, baseV: 100, targY: 2025, targV: 50},
	}
	for _, i := range inds {
		var traj []map[string]any
		for y, v := range i.traj {
			traj = append(traj, map[string]any{"year": y, "value": v})
		}
		var out struct {
			CreateIndicator struct {
				UserErrors userErrs `json:"userErrors"`
			} `json:"createIndicator"`
		}
		e.must(ed, `mutation($in: CreateIndicatorInput!) { createIndicator(input: $in) { userErrors { field message } } }`, map[string]any{"in": map[string]any{
			"key": i.key, "goalKey": "test-mal", "name": i.key, "unit": "prosent", "weight": i.weight,
			"baseline": map[string]any{"year": i.baseY, "value": i.baseV}, "target": map[string]any{"year": i.targY, "value": i.targV}, "trajectory": traj}}, &out)
		if len(out.CreateIndicator.UserErrors) > 0 {
			t.Fatalf("createIndicator %s: %+v", i.key, out.CreateIndicator.UserErrors)
		}
	}
	set := store.DefaultMoneySettings
	steps := []struct {
		ind int
		o   obs
	}{{0, obs{"2022", 25}}, {1, obs{"2023-H1", 80}}, {0, obs{"2023", 45}}, {1, obs{"2024-Q3", 40}}, {0, obs{"2021", 12}}}
	var lastScore *float64
	for n, st := range steps {
		inds[st.ind].obs = append(inds[st.ind].obs, st.o)
		var rec struct {
			RecordIndicatorObservation struct {
				UserErrors userErrs `json:"userErrors"`
			} `json:"recordIndicatorObservation"`
		}
		e.must(ed, `mutation($in: RecordIndicatorObservationInput!) { recordIndicatorObservation(input: $in) { userErrors { field message } } }`,
			map[string]any{"in": map[string]any{"indicatorKey": inds[st.ind].key, "period": st.o.period, "value": st.o.value}}, &rec)
		if len(rec.RecordIndicatorObservation.UserErrors) > 0 {
			t.Fatal(rec.RecordIndicatorObservation.UserErrors)
		}
		var got struct {
			Goal struct {
				Score struct {
					Score          *float64 `json:"score"`
					Band           *string  `json:"band"`
					ProjectedScore *float64 `json:"projectedScore"`
				} `json:"score"`
				Indicators []struct {
					Key    string `json:"key"`
					Status struct {
						Score          *float64 `json:"score"`
						Expected       *float64 `json:"expected"`
						OnTrajectory   *bool    `json:"onTrajectory"`
						ProjectedValue *float64 `json:"projectedValue"`
						ReachesTarget  *bool    `json:"reachesTarget"`
					} `json:"status"`
				} `json:"indicators"`
			} `json:"goal"`
		}
		e.must("", `{ goal(key: "test-mal") { score { score band projectedScore } indicators { key status { score expected onTrajectory projectedValue reachesTarget } } } }`, nil, &got)
		var w, ws, wp, wps float64
		for _, i := range inds {
			want := i.want()
			var st *struct {
				Score          *float64 `json:"score"`
				Expected       *float64 `json:"expected"`
				OnTrajectory   *bool    `json:"onTrajectory"`
				ProjectedValue *float64 `json:"projectedValue"`
				ReachesTarget  *bool    `json:"reachesTarget"`
			}
			for k := range got.Goal.Indicators {
				if got.Goal.Indicators[k].Key == i.key {
					st = &got.Goal.Indicators[k].Status
				}
			}
			if st == nil || !near(st.Score, want.score) || !near(st.Expected, want.expected) || !near(st.ProjectedValue, want.projected) ||
				!eqBool(st.OnTrajectory, want.on) || !eqBool(st.ReachesTarget, want.reaches) {
				t.Fatalf("step %d, %s: got %+v, want %+v", n, i.key, st, want)
			}
			if want.score != nil {
				w, ws = w+i.weight, ws+i.weight**want.score
			}
			if want.projected != nil {
				wp, wps = wp+i.weight, wps+i.weight*i.score(*want.projected)
			}
		}
		score := ws / w
		if !near(got.Goal.Score.Score, &score) || *got.Goal.Score.Band != string(set.BandOf(score)) {
			t.Fatalf("step %d: goal score %v band %v, want %v %s", n, got.Goal.Score.Score, got.Goal.Score.Band, score, set.BandOf(score))
		}
		if wp > 0 {
			p := wps / wp
			if !near(got.Goal.Score.ProjectedScore, &p) {
				t.Fatalf("step %d: projected score %v, want %v", n, got.Goal.Score.ProjectedScore, p)
			}
		}
		if lastScore != nil && n < 4 && *lastScore == score {
			t.Fatalf("step %d: the score did not move (%v)", n, score)
		}
		lastScore = &score
	}
}

func eqBool(a, b *bool) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// operationsUnfunded flags exactly the tiltak near completion without a
// CONFIRMED operations line: not one with confirmed operations money, not
// one still far from done, not a discontinued one.
func TestOperationsUnfundedFlagsExactly(t *testing.T) {
	ph := func(p store.Phase) *store.Phase { return &p }
	pr := func(n int) *int { return &n }
	e := newFollowEnvWith(t, func(p *store.Plan) {
		for i := range p.Tiltak {
			t := &p.Tiltak[i]
			t.Phase, t.Health, t.Progress = ph(store.PhasePlanned), nil, nil
			switch t.Key {
			case "digitalt-dodsbo", "digital-gravferdsmelding":
				t.Phase, t.Progress = ph(store.PhaseActive), pr(85)
			case "nyinorge-no":
				t.Phase, t.Progress = ph(store.PhaseActive), pr(50)
			case "tilskudd-no", "drifte-verktoykasse-deling-av-data":
				t.Phase = ph(store.PhaseCompleted)
			case "datafabrikken":
				t.Phase = ph(store.PhaseDiscontinued)
			}
		}
	})
	ed := e.token("digdir", store.RoleEditor)
	const setFunding = `mutation($in: SetFundingInput!) { setFunding(input: $in) { tiltak { key operationsUnfunded } userErrors { field message } } }`
	fund := func(tk, key, purpose, status string, year any) {
		var out struct {
			SetFunding struct {
				UserErrors userErrs `json:"userErrors"`
			} `json:"setFunding"`
		}
		e.must(ed, setFunding, map[string]any{"in": map[string]any{"tiltakKey": tk, "key": key, "source": "OWN_BUDGET", "purpose": purpose,
			"years": []map[string]any{{"year": year, "amountNok": 2_500_000_000, "status": status}}}}, &out)
		if len(out.SetFunding.UserErrors) > 0 {
			t.Fatalf("setFunding %s/%s: %+v", tk, key, out.SetFunding.UserErrors)
		}
	}
	fund("digital-gravferdsmelding", "drift", "OPERATIONS", "CONFIRMED", 2026)
	fund("tilskudd-no", "utvikling", "DEVELOPMENT", "CONFIRMED", 2022)
	fund("tilskudd-no", "drift", "OPERATIONS", "APPLIED", 2023)
	fund("drifte-verktoykasse-deling-av-data", "drift", "OPERATIONS", "CONFIRMED", nil)
	fund("digitalt-dodsbo", "drift", "OPERATIONS", "MISSING", 2026)

	var out struct {
		OperationsUnfunded []keyed  `json:"operationsUnfunded"`
		MoneySummary       moneySum `json:"moneySummary"`
		Tiltak             struct {
			Nodes []struct {
				Key                string `json:"key"`
				OperationsUnfunded bool   `json:"operationsUnfunded"`
			} `json:"nodes"`
		} `json:"tiltak"`
	}
	e.must("", `{ operationsUnfunded { key } moneySummary { `+moneyFields+` } tiltak(first: 100) { nodes { key operationsUnfunded } } }`, nil, &out)
	want := []string{"digitalt-dodsbo", "tilskudd-no"}
	if got := keysOf(out.OperationsUnfunded); !slices.Equal(got, want) {
		t.Fatalf("operationsUnfunded = %v, want %v", got, want)
	}
	var flagged []string
	for _, n := range out.Tiltak.Nodes {
		if n.OperationsUnfunded {
			flagged = append(flagged, n.Key)
		}
	}
	slices.Sort(flagged)
	if !slices.Equal(flagged, want) || out.MoneySummary.OperationsUnfunded != 2 {
		t.Fatalf("Tiltak.operationsUnfunded flags %v, summary counts %d; want %v", flagged, out.MoneySummary.OperationsUnfunded, want)
	}
}

// Over generated data, every roll-up row — by focus area, and by
// responsible body — equals the sum of its tiltak's own figures, for every
// year and for one.
func TestMoneyRollupEqualsSumOfTiltakOverGeneratedData(t *testing.T) {
	preset, err := generate.Lookup("small")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := generate.Plan(preset, generate.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return followNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(graph.NewHandler(db, graph.Options{}))
	t.Cleanup(srv.Close)
	e := &followEnv{t: t, db: db, srv: srv}

	for _, year := range []any{nil, 2023} {
		byFA, byBody := map[string]*moneySum{}, map[string]*moneySum{}
		var total moneySum
		q := `query($after: String, $year: Int) { tiltak(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
		  nodes { key responsible { key } initiatives { focusArea { key } } moneySummary(year: $year) { ` + moneyFields + ` } } } }`
		var after any
		n := 0
		for {
			var page struct {
				Tiltak struct {
					PageInfo pageInfo `json:"pageInfo"`
					Nodes    []struct {
						Key         string `json:"key"`
						Responsible keyed  `json:"responsible"`
						Initiatives []struct {
							FocusArea keyed `json:"focusArea"`
						} `json:"initiatives"`
						Money moneySum `json:"moneySummary"`
					} `json:"nodes"`
				} `json:"tiltak"`
			}
			e.must("", q, map[string]any{"after": after, "year": year}, &page)
			for _, t := range page.Tiltak.Nodes {
				n++
				total.add(t.Money)
				seen := map[string]bool{}
				for _, in := range t.Initiatives {
					if fa := in.FocusArea.Key; !seen[fa] {
						seen[fa] = true
						if byFA[fa] == nil {
							byFA[fa] = &moneySum{}
						}
						byFA[fa].add(t.Money)
					}
				}
				if byBody[t.Responsible.Key] == nil {
					byBody[t.Responsible.Key] = &moneySum{}
				}
				byBody[t.Responsible.Key].add(t.Money)
			}
			if !page.Tiltak.PageInfo.HasNextPage {
				break
			}
			after = *page.Tiltak.PageInfo.EndCursor
		}
		if n != preset.Tiltak || total.BaselineNok == 0 || total.ConfirmedFundingNok == 0 || total.BenefitCount == 0 {
			t.Fatalf("year %v: %d tiltak with %+v: the generated data should have money", year, n, total)
		}
		for _, scope := range []struct {
			by   string
			want map[string]*moneySum
		}{{"FOCUS_AREA", byFA}, {"BODY", byBody}} {
			var out struct {
				MoneyRollup []struct {
					Key     string   `json:"key"`
					Summary moneySum `json:"summary"`
				} `json:"moneyRollup"`
			}
			e.must("", `query($year: Int) { moneyRollup(by: `+scope.by+`, year: $year) { key summary { `+moneyFields+` } } }`, map[string]any{"year": year}, &out)
			if len(out.MoneyRollup) != len(scope.want) {
				t.Fatalf("year %v, %s: %d rows, want %d", year, scope.by, len(out.MoneyRollup), len(scope.want))
			}
			for _, r := range out.MoneyRollup {
				w := scope.want[r.Key]
				if w == nil || r.Summary.sums() != w.sums() {
					t.Fatalf("year %v, %s %s: roll-up %+v, sum of its tiltak %+v", year, scope.by, r.Key, r.Summary.sums(), w)
				}
			}
		}
		var all struct {
			MoneySummary moneySum `json:"moneySummary"`
		}
		e.must("", `query($year: Int) { moneySummary(year: $year) { `+moneyFields+` } }`, map[string]any{"year": year}, &all)
		if all.MoneySummary.sums() != total.sums() {
			t.Fatalf("year %v: whole plan %+v, sum of tiltak %+v", year, all.MoneySummary.sums(), total.sums())
		}
	}
}
