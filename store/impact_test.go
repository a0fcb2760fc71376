package store_test

import (
	"context"
	"slices"
	"testing"

	"handlingsplan/store"
)

// A delay two steps down a dependsOn chain shows up beneath the life event
// above it, with the path that leads there.
func TestDelayTwoStepsDownShowsUnderTheLifeEvent(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	// A life event with one tiltak of its own: topp → gravferdsmelding →
	// digitalt-dodsbo (ACTIVE, MAJOR_DELAYS).
	if _, err := db.CreateLifeEvent(ctx, store.System, &store.LifeEvent{Key: "ny-hendelse", NameNb: "Ny hendelse", Audience: store.AudienceCitizen}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTiltak(ctx, store.System, &store.Tiltak{Key: "topp", Title: "Topp", ResponsibleKey: "digdir", GovernanceLevel: 3,
		LifeEventKeys: []string{"ny-hendelse"}, DependsOnKeys: []string{"gravferdsmelding"}}); err != nil {
		t.Fatal(err)
	}
	snap := db.Snapshot()
	defer snap.Close()
	got, err := snap.DelayedBeneath("ny-hendelse")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Tiltak.Key != "digitalt-dodsbo" {
		t.Fatalf("delayed beneath ny-hendelse: %+v, want digitalt-dodsbo", got)
	}
	if want := []string{"topp", "gravferdsmelding", "digitalt-dodsbo"}; !slices.Equal(got[0].Path, want) {
		t.Errorf("path %v, want %v", got[0].Path, want)
	}
}

func TestImpactFollowsDependentsTransitively(t *testing.T) {
	db := newTestDB(t)
	snap := db.Snapshot()
	defer snap.Close()
	imp, err := snap.Impact("digitalt-dodsbo")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, it := range imp.Tiltak {
		keys = append(keys, it.Tiltak.Key)
	}
	if want := []string{"gravferdsmelding", "sykt-barn-info"}; !slices.Equal(keys, want) {
		t.Errorf("impacted %v, want %v", keys, want)
	}
	if want := []string{"digitalt-dodsbo", "gravferdsmelding", "sykt-barn-info"}; !slices.Equal(imp.Tiltak[1].Path, want) {
		t.Errorf("path %v, want %v", imp.Tiltak[1].Path, want)
	}
	if want := []string{"alvorlig-sykt-barn", "dodsfall-og-arv"}; !slices.Equal(imp.LifeEventKeys, want) {
		t.Errorf("life events %v, want %v", imp.LifeEventKeys, want)
	}
	if want := []string{"livshendelser"}; !slices.Equal(imp.InitiativeKeys, want) {
		t.Errorf("initiatives %v, want %v", imp.InitiativeKeys, want)
	}
}
