package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"handlingsplan/store"
)

// exportJSON exports db's plan as indented JSON.
func exportJSON(t *testing.T, db *store.DB) []byte {
	t.Helper()
	p, err := db.ExportPlan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// history returns the whole audit trail and outbox of db as JSON, so two
// stores (or one store at two times) can be compared.
func history(t *testing.T, db *store.DB) []byte {
	t.Helper()
	snap := db.Snapshot()
	defer snap.Close()
	var changes []*store.Change
	args := store.PageArgs{First: ptr(store.MaxPageSize)}
	for {
		page, info, err := snap.Changes(store.ChangeFilter{}, args)
		if err != nil {
			t.Fatal(err)
		}
		changes = append(changes, page...)
		if !info.HasNextPage {
			break
		}
		args.After = ptr(info.Cursor(len(info.Keys) - 1))
	}
	events, err := db.EventsAfter(0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(struct {
		Changes []*store.Change
		Events  []store.Event
	}{changes, events})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// changedDB is the fixture after a created tiltak, an update and status
// reports in several periods and by several bodies, so versions, times and
// provenance differ between entities.
func changedDB(t *testing.T) *store.DB {
	t.Helper()
	db := newTestDB(t)
	ctx := context.Background()
	if _, err := db.CreateTiltak(ctx, store.System, &store.Tiltak{Key: "sykt-barn", Title: "Sykt barn – samlet informasjon",
		ResponsibleKey: "halden-kommune", GovernanceLevel: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateTiltak(ctx, store.System, "gravferdsmelding", store.Expect{}, func(tl *store.Tiltak) error {
		tl.Description = "Meldingen går rett til gravferdsbyrået."
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	green := store.HealthOnTrack
	for _, r := range []store.StatusReport{
		{TiltakKey: "sykt-barn-info", Period: "2024-H1", BodyKey: "halden-kommune", Phase: store.PhaseActive, Health: &green, Progress: 20},
		{TiltakKey: "sykt-barn-info", Period: "2024-Q2", BodyKey: "halden-kommune", Phase: store.PhaseActive, Health: &green, Progress: 15},
		{TiltakKey: "sykt-barn-info", Period: "2023-H2", BodyKey: "halden-kommune", Phase: store.PhasePlanned, Progress: 0},
		{TiltakKey: "sykt-barn", Period: "2024-H1", BodyKey: "oslo-kommune", Phase: store.PhasePlanned, Progress: 0, Summary: "Ikke påbegynt"},
		{TiltakKey: "sykt-barn", Period: "2024-H1", BodyKey: "halden-kommune", Phase: store.PhasePlanned, Progress: 5},
		{TiltakKey: "digitalt-dodsbo", Period: "2024-H1", BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 70, Risks: "Bankdata kommer sent"},
	} {
		if _, err := db.ReportStatus(ctx, store.System, r); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestExportPlanRoundTrip(t *testing.T) {
	db := changedDB(t)
	first := exportJSON(t, db)

	var p store.Plan
	if err := json.Unmarshal(first, &p); err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return fixedNow.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.ImportPlan(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	if second := exportJSON(t, other); !bytes.Equal(first, second) {
		t.Errorf("export → import → export differs:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
	if again := exportJSON(t, db); !bytes.Equal(first, again) {
		t.Error("two exports of the same store differ")
	}
}

func TestExportPlanOrderAndContent(t *testing.T) {
	p, err := changedDB(t).ExportPlan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var tiltak []string
	for _, tl := range p.Tiltak {
		tiltak = append(tiltak, tl.Key)
	}
	if !slices.IsSorted(tiltak) || len(tiltak) != 5 {
		t.Errorf("tiltak %v: want the 5 keys in order", tiltak)
	}
	var levels []int
	for _, g := range p.GovernanceLevels {
		levels = append(levels, g.Level)
	}
	if !slices.Equal(levels, []int{1, 2, 3}) {
		t.Errorf("governance levels %v, want 1 2 3", levels)
	}
	// By tiltak key ("sykt-barn" before "sykt-barn-info", although their
	// stored keys sort the other way), then period, then body.
	want := []string{
		"digitalt-dodsbo 2024-H1 digdir",
		"sykt-barn 2024-H1 halden-kommune",
		"sykt-barn 2024-H1 oslo-kommune",
		"sykt-barn-info 2023-H2 halden-kommune",
		"sykt-barn-info 2024-Q2 halden-kommune",
		"sykt-barn-info 2024-H1 halden-kommune",
	}
	var got []string
	for _, r := range p.StatusReports {
		got = append(got, r.TiltakKey+" "+r.Period+" "+r.BodyKey)
	}
	if !slices.Equal(got, want) {
		t.Errorf("status reports in order\n%q\nwant\n%q", got, want)
	}
	if len(p.Sources) != 1 || p.Sources[0].ID != "S1" {
		t.Errorf("sources %+v", p.Sources)
	}
	for _, tl := range p.Tiltak {
		if tl.Key == "gravferdsmelding" && (tl.Version != 2 || tl.Description == "") {
			t.Errorf("updated tiltak exported at version %d with description %q", tl.Version, tl.Description)
		}
		if tl.Key == "sykt-barn-info" && (tl.Progress == nil || *tl.Progress != 20) {
			t.Errorf("sykt-barn-info progress %v, want 20 (from its latest report, 2024-H1)", tl.Progress)
		}
		if tl.Version == 0 || tl.UpdatedAt.IsZero() {
			t.Errorf("tiltak %s exported without version or updatedAt", tl.Key)
		}
	}
}

func TestExportPlanOfEmptyStore(t *testing.T) {
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := exportJSON(t, db)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"bodies", "governanceLevels", "forums", "lifeEvents", "focusAreas", "initiatives", "tiltak"} {
		if l, ok := m[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s = %v, want []", k, m[k])
		}
	}
	if _, ok := m["statusReports"]; ok {
		t.Error("statusReports present in an empty export")
	}
}

// Every refused write leaves the store as it was: the exported plan, the
// audit trail and the outbox, byte for byte.
func TestRefusedWritesChangeNothing(t *testing.T) {
	ctx := context.Background()
	db := changedDB(t)
	for _, tc := range []struct {
		name  string
		write func() error
		want  store.Code
	}{
		{"create tiltak with a missing reference", func() error {
			_, err := db.CreateTiltak(ctx, store.System, &store.Tiltak{Key: "nytt", Title: "Nytt", ResponsibleKey: "finnes-ikke", GovernanceLevel: 3})
			return err
		}, store.NotFound},
		{"dependsOn cycle", func() error {
			_, err := db.UpdateTiltak(ctx, store.System, "digitalt-dodsbo", store.Expect{}, func(tl *store.Tiltak) error {
				tl.DependsOnKeys = []string{"sykt-barn-info"} // which depends on gravferdsmelding, which depends on digitalt-dodsbo
				return nil
			})
			return err
		}, store.Invalid},
		{"create body with a bad organisation number", func() error {
			_, err := db.CreateBody(ctx, store.System, &store.Body{Key: "ny-etat", Name: "Ny etat", Kind: store.BodyAgency, OrgNumber: "972417859"})
			return err
		}, store.Invalid},
		{"update body to a bad organisation number", func() error {
			_, err := db.UpdateBody(ctx, store.System, "digdir", store.Expect{}, func(b *store.Body) error {
				b.OrgNumber = "12345678"
				return nil
			})
			return err
		}, store.Invalid},
		{"update tiltak at a stale version", func() error {
			_, err := db.UpdateTiltak(ctx, store.System, "gravferdsmelding", store.Expect{Version: ptr(1)}, func(tl *store.Tiltak) error {
				tl.Title = "Ny tittel"
				return nil
			})
			return err
		}, store.Conflict},
		{"delete a body still referenced", func() error {
			return db.DeleteBody(ctx, store.System, "digdir", store.Expect{})
		}, store.Invalid},
		{"delete an initiative still referenced", func() error {
			return db.DeleteInitiative(ctx, store.System, "livshendelser", store.Expect{})
		}, store.Invalid},
		{"report ACTIVE without health", func() error {
			_, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "digitalt-dodsbo", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhaseActive, Progress: 80})
			return err
		}, store.Invalid},
		{"report on an unknown tiltak", func() error {
			_, err := db.ReportStatus(ctx, store.System, store.StatusReport{TiltakKey: "finnes-ikke", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhasePlanned})
			return err
		}, store.NotFound},
		{"import status reports with one bad row", func() error {
			return db.ImportStatusReports(ctx, store.System, []store.StatusReport{
				{TiltakKey: "digitalt-dodsbo", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhaseCompleted, Progress: 100},
				{TiltakKey: "digitalt-dodsbo", Period: "2025-H2", BodyKey: "digdir", Phase: store.PhaseCompleted, Progress: 101},
			}, nil)
		}, store.Invalid},
		{"import a plan into a store that has one", func() error {
			return db.ImportPlan(ctx, fixturePlan())
		}, store.Conflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, hist := exportJSON(t, db), history(t, db)
			err := tc.write()
			if got := store.ErrorCode(err); got != tc.want {
				t.Fatalf("error %v (code %q), want code %q", err, got, tc.want)
			}
			if after := exportJSON(t, db); !bytes.Equal(plan, after) {
				t.Errorf("the refused write changed the plan:\nbefore:\n%s\nafter:\n%s", plan, after)
			}
			if after := history(t, db); !bytes.Equal(hist, after) {
				t.Error("the refused write changed the audit trail or the outbox")
			}
		})
	}
}
