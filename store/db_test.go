package store_test

import (
	"context"
	"testing"
	"time"

	"handlingsplan/store"
)

var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newTestDB opens an in-memory store with the fixture plan loaded.
func newTestDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(store.Options{InMemory: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.ImportPlan(context.Background(), fixturePlan()); err != nil {
		t.Fatal(err)
	}
	return db
}

func ptr[T any](v T) *T { return &v }

// fixturePlan is a small plan with every kind of link.
func fixturePlan() *store.Plan {
	active, done := store.PhaseActive, store.PhaseCompleted
	red, green := store.HealthMajorDelays, store.HealthOnTrack
	return &store.Plan{
		Format:  store.PlanFormat,
		Sources: []store.Source{{ID: "S1", Title: "Kilde én", URL: "https://example.org/s1"}},
		Bodies: []store.Body{
			{Key: "kmd", Name: "Kommunal- og moderniseringsdepartementet", ShortName: "KMD", Kind: store.BodyMinistry, OrgNumber: "972417858"},
			{Key: "digdir", Name: "Digitaliseringsdirektoratet", ShortName: "Digdir", Kind: store.BodyDirectorate, OrgNumber: "991825827", ParentKey: "kmd"},
			{Key: "oslo-kommune", Name: "Oslo kommune", Kind: store.BodyMunicipality, MunicipalityNumber: "0301", CountyNumber: "03"},
			{Key: "halden-kommune", Name: "Halden kommune", Kind: store.BodyMunicipality, MunicipalityNumber: "3101", CountyNumber: "31"},
			{Key: "ostfold-fylkeskommune", Name: "Østfold fylkeskommune", Kind: store.BodyCounty, CountyNumber: "31"},
		},
		GovernanceLevels: []store.GovernanceLevel{
			{Level: 1, Name: "Politisk og strategisk nivå"},
			{Level: 2, Name: "Departementsnivå"},
			{Level: 3, Name: "Virksomhetsnivå", SecretariatKey: "digdir"},
		},
		Forums: []store.Forum{{Key: "skate", Name: "Skate", GovernanceLevel: 3, MemberKeys: []string{"digdir", "oslo-kommune"}, SecretariatKey: "digdir"}},
		LifeEvents: []store.LifeEvent{
			{Key: "dodsfall-og-arv", NameNb: "Dødsfall og arv", NameEn: "Death and inheritance", Audience: store.AudienceCitizen, LeadBodyKey: "kmd",
				Meta: store.Meta{Provenance: &store.Provenance{Confidence: store.VerifiedInSource, SourceIDs: []string{"S1"}}}},
			{Key: "alvorlig-sykt-barn", NameNb: "Alvorlig sykt barn", Audience: store.AudienceCitizen},
		},
		FocusAreas: []store.FocusArea{
			{Key: "felles-okosystem", Number: "5", NameNb: "Felles økosystem", GovernanceLevel: 1},
			{Key: "deling-av-data", Number: "3", NameNb: "Økt deling av data", GovernanceLevel: 1},
		},
		Initiatives: []store.Initiative{
			{Key: "livshendelser", Title: "Sammenhengende tjenester", FocusAreaKey: "felles-okosystem", LifeEventKeys: []string{"dodsfall-og-arv", "alvorlig-sykt-barn"}, OwnerKey: "kmd", ExecutingBodyKey: "digdir", GovernanceLevel: 2},
			{Key: "ressurssenter", Number: "3.1", Title: "Ressurssenter for deling av data", FocusAreaKey: "deling-av-data", OwnerKey: "kmd", GovernanceLevel: 2},
		},
		Tiltak: []store.Tiltak{
			{Key: "digitalt-dodsbo", Title: "Digitalt dødsbo", ResponsibleKey: "digdir", ParticipantKeys: []string{"oslo-kommune"}, InitiativeKeys: []string{"livshendelser"}, LifeEventKeys: []string{"dodsfall-og-arv"}, Phase: &active, Health: &red, Progress: ptr(40), GovernanceLevel: 3, StartDate: "2021-01-01", EndDate: "2025-12-31"},
			{Key: "gravferdsmelding", Title: "Digital gravferdsmelding", ResponsibleKey: "oslo-kommune", InitiativeKeys: []string{"livshendelser"}, LifeEventKeys: []string{"dodsfall-og-arv"}, DependsOnKeys: []string{"digitalt-dodsbo"}, Phase: &active, Health: &green, GovernanceLevel: 3},
			{Key: "ressurssenter-lansert", Title: "Ressurssenteret lansert", ResponsibleKey: "digdir", InitiativeKeys: []string{"ressurssenter", "livshendelser"}, Phase: &done, Progress: ptr(100), GovernanceLevel: 3},
			{Key: "sykt-barn-info", Title: "Informasjon om sykt barn", ResponsibleKey: "halden-kommune", LifeEventKeys: []string{"alvorlig-sykt-barn"}, DependsOnKeys: []string{"gravferdsmelding"}, GovernanceLevel: 3},
		},
	}
}

func TestReopenFromDisk(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportPlan(context.Background(), fixturePlan()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snap := db.Snapshot()
	defer snap.Close()
	tl, err := snap.Tiltak("digitalt-dodsbo")
	if err != nil || tl.Title != "Digitalt dødsbo" {
		t.Fatalf("after reopen: %+v, %v", tl, err)
	}
	if v, _ := db.SchemaVersionStored(); v != store.SchemaVersion {
		t.Errorf("schema version %d, want %d", v, store.SchemaVersion)
	}
}

func TestOpenRefusesDirectoryInUse(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = store.Open(store.Options{Dir: dir})
	if err == nil {
		t.Fatal("second Open of the same directory succeeded")
	}
	if got := err.Error(); !contains(got, "in use by another process") {
		t.Errorf("error %q does not say the directory is in use", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
