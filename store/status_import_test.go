package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"handlingsplan/store"
)

// manyReports returns reports on four fixture tiltak for quarters and half
// years 2020–2029 by two bodies: more than one transaction's worth, with
// the periods out of order.
func manyReports() []store.StatusReport {
	healths := []store.Health{store.HealthOnTrack, store.HealthMinorDelays, store.HealthMajorDelays}
	var out []store.StatusReport
	i := 0
	for _, tl := range []string{"sykt-barn-info", "digitalt-dodsbo", "gravferdsmelding", "ressurssenter-lansert"} {
		for year := 2029; year >= 2020; year-- {
			for _, p := range []string{"Q1", "Q2", "H1", "Q3", "Q4", "H2"} {
				for _, body := range []string{"digdir", "oslo-kommune"} {
					i++
					h := healths[i%3]
					r := store.StatusReport{TiltakKey: tl, Period: fmt.Sprintf("%d-%s", year, p), BodyKey: body,
						Phase: store.PhaseActive, Health: &h, Progress: i % 101, Summary: fmt.Sprintf("Rapport %d: «framdrift» på Ørland", i)}
					if i%7 == 0 {
						r.Phase, r.Health = store.PhasePaused, nil
					}
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// Importing reports leaves the store exactly as reporting them one by one
// through ReportStatus does: plan, tiltak status, counters (through the
// export's tiltak), audit trail and outbox.
func TestImportStatusReportsIsReportStatus(t *testing.T) {
	ctx := context.Background()
	reports := manyReports()
	actor := store.Actor{TokenName: "import-status"}

	one := newTestDB(t)
	for _, r := range reports {
		if _, err := one.ReportStatus(ctx, actor, r); err != nil {
			t.Fatal(err)
		}
	}
	bulk := newTestDB(t)
	var calls []int
	if err := bulk.ImportStatusReports(ctx, actor, reports, func(done, total int) {
		if total != len(reports) {
			t.Errorf("progress total %d, want %d", total, len(reports))
		}
		calls = append(calls, done)
	}); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 || calls[len(calls)-1] != len(reports) {
		t.Errorf("progress calls %v: want several, ending at %d", calls, len(reports))
	}
	if a, b := exportJSON(t, one), exportJSON(t, bulk); !bytes.Equal(a, b) {
		t.Errorf("plans differ:\none by one:\n%.3000s\nimported:\n%.3000s", a, b)
	}
	if a, b := history(t, one), history(t, bulk); !bytes.Equal(a, b) {
		t.Error("audit trail or outbox differ between ReportStatus and ImportStatusReports")
	}
	assertSummary(t, one, bulk)
	if reports[0].Version != 0 {
		t.Error("the import changed the caller's reports")
	}
}

// assertSummary compares the status counters of two stores, scope by
// scope.
func assertSummary(t *testing.T, a, b *store.DB) {
	t.Helper()
	sa, sb := a.Snapshot(), b.Snapshot()
	defer sa.Close()
	defer sb.Close()
	for _, f := range []store.TiltakFilter{{}, {LifeEventKey: "dodsfall-og-arv"}, {InitiativeKey: "livshendelser"},
		{FocusAreaKey: "felles-okosystem"}, {ResponsibleKey: "digdir"}, {GovernanceLevel: ptr(3)}} {
		x, err := sa.TiltakSummary(f)
		if err != nil {
			t.Fatal(err)
		}
		y, err := sb.TiltakSummary(f)
		if err != nil {
			t.Fatal(err)
		}
		jx, _ := json.Marshal(x)
		jy, _ := json.Marshal(y)
		if !bytes.Equal(jx, jy) {
			t.Errorf("status summary of %+v:\none by one %s\nimported   %s", f, jx, jy)
		}
	}
}

func TestImportStatusReportsAgainReplaces(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	reports := manyReports()[:10]
	for range 2 {
		if err := db.ImportStatusReports(ctx, store.System, reports, nil); err != nil {
			t.Fatal(err)
		}
	}
	p, err := db.ExportPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.StatusReports) != len(reports) {
		t.Fatalf("%d status reports after importing %d twice", len(p.StatusReports), len(reports))
	}
	for _, r := range p.StatusReports {
		if r.Version != 2 {
			t.Errorf("report %s %s %s at version %d, want 2", r.TiltakKey, r.Period, r.BodyKey, r.Version)
		}
	}
}

func TestImportStatusReportsReportsEveryProblem(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	plan, hist := exportJSON(t, db), history(t, db)
	green, bad := store.HealthOnTrack, store.Health("GREEN")
	reports := []store.StatusReport{
		{TiltakKey: "digitalt-dodsbo", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 50}, // fine
		{TiltakKey: "finnes-ikke", Period: "2025-H3", BodyKey: "digdir", Phase: store.PhaseActive, Progress: 50},
		{TiltakKey: "digitalt-dodsbo", Period: "2025-H1", BodyKey: "ukjent", Phase: "DONE", Health: &bad, Progress: -1},
		{TiltakKey: "digitalt-dodsbo", Period: "2025-H1", BodyKey: "digdir", Phase: store.PhaseCompleted, Progress: 100}, // repeats row 0
		{},
	}
	err := db.ImportStatusReports(ctx, store.System, reports, func(int, int) { t.Error("progress called for a refused import") })
	var rows *store.RowErrors
	if !errors.As(err, &rows) {
		t.Fatalf("error %v, want *RowErrors", err)
	}
	if store.ErrorCode(err) != store.Invalid {
		t.Errorf("code %q, want INVALID", store.ErrorCode(err))
	}
	var got []string
	for _, r := range rows.Rows {
		got = append(got, fmt.Sprintf("%d %s", r.Index, r.Field))
		if r.Message == "" {
			t.Errorf("row %d field %s has no message", r.Index, r.Field)
		}
	}
	want := []string{
		"1 period", "1 health", "1 tiltakKey",
		"2 phase", "2 health", "2 progress", "2 bodyKey",
		"3 ",
		"4 tiltakKey", "4 period", "4 bodyKey", "4 phase",
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("row errors\n%q\nwant\n%q\n%+v", got, want, rows.Rows)
	}
	if after := exportJSON(t, db); !bytes.Equal(plan, after) {
		t.Error("a refused import changed the plan")
	}
	if after := history(t, db); !bytes.Equal(hist, after) {
		t.Error("a refused import changed the audit trail or outbox")
	}
	if err := db.CheckStatusReports(ctx, reports[:1]); err != nil {
		t.Errorf("CheckStatusReports of a good report: %v", err)
	}
}

// A batch too large for one transaction is split until it fits.
func TestImportStatusReportsSplitsLargeBatches(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	big := strings.Repeat("Lang oppsummering med æøå. ", 8000) // about 220 kB
	var reports []store.StatusReport
	for year := 2000; year < 2040; year++ {
		reports = append(reports, store.StatusReport{TiltakKey: "ressurssenter-lansert", Period: fmt.Sprintf("%d-H1", year),
			BodyKey: "digdir", Phase: store.PhaseCompleted, Progress: 100, Summary: big})
	}
	var calls []int
	if err := db.ImportStatusReports(ctx, store.System, reports, func(done, _ int) { calls = append(calls, done) }); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 || calls[len(calls)-1] != len(reports) {
		t.Errorf("progress %v: want the %d reports written in several transactions", calls, len(reports))
	}
	p, err := db.ExportPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.StatusReports) != len(reports) {
		t.Errorf("%d reports stored, want %d", len(p.StatusReports), len(reports))
	}
}
