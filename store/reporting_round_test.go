package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/store"
)

// roundNow is after the deadline of 2025-H2 (2025-12-31 + 30 days).
var roundNow = time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)

// newDefaultDB opens an in-memory store with the default data. Its clock
// starts at now and moves a millisecond on every reading, so reports
// written one after the other have distinct times.
func newDefaultDB(t *testing.T, now time.Time) *store.DB {
	t.Helper()
	var ticks atomic.Int64
	clock := func() time.Time { return now.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	db, err := store.Open(store.Options{InMemory: true, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan, err := defaultdata.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportPlan(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	return db
}

// rep writes one status report; health "" means none.
func rep(t *testing.T, db *store.DB, tiltak, period, body string, phase store.Phase, health store.Health, progress int) {
	t.Helper()
	r := store.StatusReport{TiltakKey: tiltak, Period: period, BodyKey: body, Phase: phase, Progress: progress, Summary: "Status for " + period}
	if health != "" {
		r.Health = &health
	}
	if _, err := db.ReportStatus(context.Background(), store.System, r); err != nil {
		t.Fatalf("report %s %s %s: %v", tiltak, period, body, err)
	}
}

// roundCase builds a 2025-H2 round on the default data, whose ACTIVE
// tiltak are veileder-styring-digitalisering-sektorene (kmd),
// livshendelse-alvorlig-sykt-barn, enklere-tilgang-til-informasjon
// (helsedirektoratet), livshendelse-dodsfall-og-arv, digitalt-dodsbo
// (digdir), digital-gravferdsmelding (statsforvalteren-i-vestfold-og-telemark),
// videreutvikling-frivillighetsregisteret (brreg) and nyinorge-no (imdi).
func roundCase(t *testing.T, now time.Time) *store.DB {
	t.Helper()
	db := newDefaultDB(t, now)
	A, C := store.PhaseActive, store.PhaseCompleted
	rep(t, db, "digitalt-dodsbo", "2025-H2", "digdir", A, store.HealthOnTrack, 70)
	// Completed in an earlier period: owes nothing for 2025-H2.
	rep(t, db, "livshendelse-dodsfall-og-arv", "2025-H1", "digdir", C, "", 100)
	// A participant's report counts.
	rep(t, db, "videreutvikling-frivillighetsregisteret", "2025-H2", "kud", A, store.HealthMajorDelays, 40)
	// Active before, completed during the period: owed, and given.
	rep(t, db, "livshendelse-alvorlig-sykt-barn", "2025-H1", "helsedirektoratet", A, store.HealthOnTrack, 80)
	rep(t, db, "livshendelse-alvorlig-sykt-barn", "2025-H2", "helsedirektoratet", C, "", 100)
	// Planned until now, active in its report for the period: owed, given.
	rep(t, db, "strategi-for-digital-kompetanse", "2025-H2", "kmd", A, store.HealthMinorDelays, 10)
	// Not owed at all, though it reported: not active before or in it.
	rep(t, db, "datafabrikken", "2025-H2", "digdir", store.PhaseDiscontinued, "", 0)
	if _, err := db.ExemptFromReporting(context.Background(), store.System, "enklere-tilgang-til-informasjon", "2025-H2", "  Omorganisert  "); err != nil {
		t.Fatal(err)
	}
	return db
}

func missingKeys(ms []*store.MissingReport) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.BodyKey+":"+m.Tiltak.Key)
	}
	return out
}

func TestReportingRoundCountsOwedReportedAndLate(t *testing.T) {
	db := roundCase(t, roundNow)
	snap := db.Snapshot()
	defer snap.Close()
	r, err := snap.ReportingRound("2025-H2", roundNow)
	if err != nil {
		t.Fatal(err)
	}
	wantMissing := []string{
		"imdi:nyinorge-no",
		"kmd:veileder-styring-digitalisering-sektorene",
		"statsforvalteren-i-vestfold-og-telemark:digital-gravferdsmelding",
	}
	if r.Owed != 7 || r.Reported != 4 {
		t.Errorf("owed %d reported %d, want 7 and 4", r.Owed, r.Reported)
	}
	if c := r.Completeness(); c == nil || *c != 400.0/7 {
		t.Errorf("completeness %v, want %v", c, 400.0/7)
	}
	if got := missingKeys(r.Missing); !slices.Equal(got, wantMissing) {
		t.Errorf("missing %q, want %q", got, wantMissing)
	}
	if got := missingKeys(r.Late); !slices.Equal(got, wantMissing) {
		t.Errorf("late %q, want %q (the deadline has passed)", got, wantMissing)
	}
	if r.Period.DeadlineDate() != "2026-01-30" || r.Period.StartDate() != "2025-07-01" || r.Period.EndDate() != "2025-12-31" {
		t.Errorf("period %s–%s deadline %s", r.Period.StartDate(), r.Period.EndDate(), r.Period.DeadlineDate())
	}
	if len(r.Exemptions) != 1 || r.Exemptions[0].TiltakKey != "enklere-tilgang-til-informasjon" || r.Exemptions[0].Reason != "Omorganisert" {
		t.Errorf("exemptions %+v", r.Exemptions)
	}

	// On the deadline day nothing is late yet.
	early, err := snap.ReportingRound("2025-H2", time.Date(2026, 1, 30, 23, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(early.Late) != 0 || len(early.Missing) != 3 {
		t.Errorf("on the deadline day: late %d, missing %d; want 0 and 3", len(early.Late), len(early.Missing))
	}

	// nyinorge-no starts 2023-01-01: it owes nothing for 2022-H2.
	old, err := snap.ReportingRound("2022-H2", roundNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range old.Missing {
		if m.Tiltak.Key == "nyinorge-no" {
			t.Errorf("nyinorge-no owes a report for 2022-H2, before it started")
		}
	}
	if _, err := snap.ReportingRound("2025-H3", roundNow); store.ErrorCode(err) != store.Invalid {
		t.Errorf("bad period: %v, want Invalid", err)
	}
}

func TestExemptionCanBeRemoved(t *testing.T) {
	db := roundCase(t, roundNow)
	ctx := context.Background()
	if _, err := db.ExemptFromReporting(ctx, store.System, "enklere-tilgang-til-informasjon", "2025-H2", " "); store.ErrorCode(err) != store.Invalid {
		t.Errorf("empty reason: %v, want Invalid", err)
	}
	if _, err := db.ExemptFromReporting(ctx, store.System, "finnes-ikke", "2025-H2", "x"); store.ErrorCode(err) != store.NotFound {
		t.Errorf("unknown tiltak: %v, want NotFound", err)
	}
	if err := db.RemoveReportingExemption(ctx, store.System, "enklere-tilgang-til-informasjon", "2025-H2"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveReportingExemption(ctx, store.System, "enklere-tilgang-til-informasjon", "2025-H2"); store.ErrorCode(err) != store.NotFound {
		t.Errorf("removing twice: %v, want NotFound", err)
	}
	snap := db.Snapshot()
	defer snap.Close()
	r, err := snap.ReportingRound("2025-H2", roundNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Owed != 8 || len(r.Exemptions) != 0 || !slices.Contains(missingKeys(r.Missing), "helsedirektoratet:enklere-tilgang-til-informasjon") {
		t.Errorf("after removal: owed %d, exemptions %d, missing %q", r.Owed, len(r.Exemptions), missingKeys(r.Missing))
	}
}

func periodKeys(ps []store.ReportingPeriod) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Key)
	}
	return out
}

func TestQuarterlyCadenceGivesQuarters(t *testing.T) {
	db := newDefaultDB(t, roundNow)
	ctx := context.Background()
	snap := db.Snapshot()
	ps, err := snap.ReportingPeriods(roundNow)
	snap.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := periodKeys(ps); len(got) != 14 || got[0] != "2019-H2" || got[13] != "2026-H1" {
		t.Errorf("half-yearly periods without reports: %q", got)
	}

	ten := 10
	set, err := db.SetReportingCadence(ctx, store.System, store.CadenceQuarterly, &ten, nil)
	if err != nil {
		t.Fatal(err)
	}
	if set.Cadence != store.CadenceQuarterly || set.DeadlineDays != 10 || set.ReminderDays != 14 {
		t.Errorf("settings %+v", set)
	}
	if _, err := db.SetReportingCadence(ctx, store.System, "WEEKLY", nil, nil); store.ErrorCode(err) != store.Invalid {
		t.Errorf("bad cadence: %v, want Invalid", err)
	}
	bad := -1
	if _, err := db.SetReportingCadence(ctx, store.System, store.CadenceQuarterly, nil, &bad); store.ErrorCode(err) != store.Invalid {
		t.Errorf("negative reminder days: %v, want Invalid", err)
	}
	rep(t, db, "digitalt-dodsbo", "2025-H1", "digdir", store.PhaseActive, store.HealthOnTrack, 50)

	snap = db.Snapshot()
	defer snap.Close()
	ps, err = snap.ReportingPeriods(roundNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"}
	if got := periodKeys(ps); !slices.Equal(got, want) {
		t.Errorf("quarterly periods from the first report: %q, want %q", got, want)
	}
	if q4 := ps[3]; q4.StartDate() != "2025-10-01" || q4.EndDate() != "2025-12-31" || q4.DeadlineDate() != "2026-01-10" {
		t.Errorf("2025-Q4: %s–%s, deadline %s", q4.StartDate(), q4.EndDate(), q4.DeadlineDate())
	}
}

// reminders returns the REPORTING_REMINDER events in the outbox.
func reminders(t *testing.T, db *store.DB) []store.ReportingReminder {
	t.Helper()
	events, err := db.EventsAfter(0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.ReportingReminder
	for _, e := range events {
		if e.Type != store.EventReportingReminder {
			continue
		}
		var r store.ReportingReminder
		if err := json.Unmarshal(e.Data, &r); err != nil {
			t.Fatal(err)
		}
		if e.Kind != store.KindBody || e.Key != r.BodyKey {
			t.Errorf("reminder event for %s/%s, data for %s", e.Kind, e.Key, r.BodyKey)
		}
		out = append(out, r)
	}
	return out
}

func TestReminderGoesOnceBeforeTheDeadline(t *testing.T) {
	db := roundCase(t, roundNow)
	ctx := context.Background()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 8, 0, 0, 0, time.UTC) }

	// 2025-H2's deadline is 2026-01-30; reminders go from 2026-01-16.
	if n, err := db.SendDueReminders(ctx, day(1, 15)); err != nil || n != 0 {
		t.Fatalf("a day too early: %d sent, %v", n, err)
	}
	if got := reminders(t, db); len(got) != 0 {
		t.Fatalf("too early, yet reminders: %+v", got)
	}
	n, err := db.SendDueReminders(ctx, day(1, 16))
	if err != nil || n != 3 {
		t.Fatalf("on the first day: %d sent, %v; want 3", n, err)
	}
	for _, again := range []time.Time{day(1, 16), day(1, 20), day(1, 30)} {
		if n, err := db.SendDueReminders(ctx, again); err != nil || n != 0 {
			t.Errorf("%s: %d sent again, %v", again.Format(time.DateOnly), n, err)
		}
	}
	got := reminders(t, db)
	var bodies []string
	for _, r := range got {
		bodies = append(bodies, r.BodyKey)
		if r.Period != "2025-H2" || r.Deadline != "2026-01-30" || len(r.TiltakKeys) != 1 {
			t.Errorf("reminder %+v", r)
		}
	}
	want := []string{"imdi", "kmd", "statsforvalteren-i-vestfold-og-telemark"}
	if !slices.Equal(bodies, want) {
		t.Errorf("reminded %q, want %q once each", bodies, want)
	}
	// A body that reports in time is not reminded.
	if slices.Contains(bodies, "digdir") {
		t.Error("digdir reported, yet was reminded")
	}
}
