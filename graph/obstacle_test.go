package graph_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"handlingsplan/generate"
	"handlingsplan/graph"
	"handlingsplan/store"
)

// obstacleCounts over the generated small data set matches a count made
// here from the generated plan itself, for every grouping, over all
// periods and over one.
func TestObstacleCountsMatchGeneratedReports(t *testing.T) {
	preset, err := generate.Lookup("small")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := generate.Plan(preset, 7)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Import a copy: the count below reads the plan as generated.
	copyPlan, _ := generate.Plan(preset, 7)
	if err := db.ImportPlan(context.Background(), copyPlan); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(graph.NewHandler(db, graph.Options{}))
	t.Cleanup(srv.Close)

	focusArea, lifeEvents := map[string]string{}, map[string][]string{}
	for _, in := range plan.Initiatives {
		focusArea[in.Key] = in.FocusAreaKey
		lifeEvents[in.Key] = in.LifeEventKeys
	}
	tiltak := map[string]store.Tiltak{}
	for _, tk := range plan.Tiltak {
		tiltak[tk.Key] = tk
	}
	// want counts the obstacles of each report once per group it is in.
	want := func(group, period string) map[string]int {
		out := map[string]int{}
		for _, r := range plan.StatusReports {
			if period != "" && r.Period != period {
				continue
			}
			tk := tiltak[r.TiltakKey]
			groups := map[string]bool{}
			switch group {
			case "BODY":
				groups[r.BodyKey] = true
			case "FOCUS_AREA":
				for _, in := range tk.InitiativeKeys {
					groups[focusArea[in]] = true
				}
			case "LIFE_EVENT":
				for _, le := range tk.LifeEventKeys {
					groups[le] = true
				}
				for _, in := range tk.InitiativeKeys {
					for _, le := range lifeEvents[in] {
						groups[le] = true
					}
				}
			}
			for _, o := range r.Obstacles {
				if group == "CODE" {
					out[string(o.Code)]++
					continue
				}
				for g := range groups {
					out[g+"|"+string(o.Code)]++
				}
			}
		}
		return out
	}
	total := 0
	for _, r := range plan.StatusReports {
		total += len(r.Obstacles)
	}
	if total < 50 {
		t.Fatalf("the small data set has only %d coded obstacles: too few to test counting", total)
	}
	for _, group := range []string{"CODE", "BODY", "FOCUS_AREA", "LIFE_EVENT"} {
		for _, period := range []string{"", generate.LastPeriod} {
			var out struct {
				ObstacleCounts []struct {
					Key, Code      string
					Count, Reports int
				}
			}
			vars := map[string]any{"g": group}
			if period != "" {
				vars["p"] = period
			}
			r := gqlPost(t, srv, "", `query($g: ObstacleGroup!, $p: String) { obstacleCounts(groupBy: $g, period: $p) { key code count reports } }`, vars)
			if len(r.Errors) > 0 {
				t.Fatal(r.Errors)
			}
			if err := json.Unmarshal(r.Data, &out); err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for i, c := range out.ObstacleCounts {
				k := c.Key + "|" + c.Code
				if group == "CODE" {
					k = c.Code
				}
				got[k] = c.Count
				if i > 0 && out.ObstacleCounts[i-1].Count < c.Count {
					t.Fatalf("%s %q: not ordered by count: %+v", group, period, out.ObstacleCounts[:i+1])
				}
			}
			if w := want(group, period); !maps.Equal(got, w) {
				keys := slices.Sorted(maps.Keys(w))
				t.Fatalf("obstacleCounts(%s, %q) = %v\nwant %v (%d groups)", group, period, got, w, len(keys))
			}
		}
	}
}
