package store_test

import (
	"context"
	"testing"

	"handlingsplan/store"
)

var (
	oslo   = store.Actor{TokenName: "oslo-rapportering", BodyKey: "oslo-kommune", Role: store.RoleReporter}
	kmd    = store.Actor{TokenName: "kmd", BodyKey: "kmd", Role: store.RoleReader}
	editor = store.Actor{TokenName: "sekretariatet", BodyKey: "digdir", Role: store.RoleEditor}
)

func TestAcceptedProposalIsAppliedWithItsReason(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	p, err := db.ProposeChange(ctx, oslo, store.Proposal{Kind: store.ProposeNewTiltak, Reason: "Kommunene trenger det",
		Fields: `{"key": "digital-skifteattest", "title": "Digital skifteattest", "responsibleKey": "oslo-kommune", "lifeEventKeys": ["dodsfall-og-arv"], "phase": "PLANNED"}`})
	if err != nil {
		t.Fatal(err)
	}
	if p.State != store.ProposalOpen || p.TargetKey != "digital-skifteattest" || p.ProposerKey != "oslo-kommune" || p.ProposerLevel != 3 {
		t.Fatalf("proposal %+v", p)
	}
	if _, err := db.AcceptProposal(ctx, editor, p.ID, "skate-2020-04"); err != nil {
		t.Fatal(err)
	}
	s := snap(t, db)
	tk, err := s.Tiltak("digital-skifteattest")
	if err != nil || tk.GovernanceLevel != 3 || tk.Phase == nil || *tk.Phase != store.PhasePlanned {
		t.Fatalf("applied tiltak %+v, %v", tk, err)
	}
	changes, _, err := s.Changes(store.ChangeFilter{Kind: store.KindTiltak, EntityKey: "digital-skifteattest"}, store.PageArgs{})
	if err != nil || len(changes) != 1 || changes[0].Reason != "Kommunene trenger det" || changes[0].DecidedIn != "skate-2020-04" || changes[0].Actor.TokenName != "sekretariatet" {
		t.Fatalf("history %+v, %v", changes, err)
	}
	got, err := s.Proposal(p.ID)
	if err != nil || got.State != store.ProposalAccepted || got.DecidedIn != "skate-2020-04" || got.DecidedBy != "sekretariatet" {
		t.Fatalf("accepted proposal %+v, %v", got, err)
	}
	_, err = db.AcceptProposal(ctx, editor, p.ID, "skate-2020-04")
	wantCode(t, err, store.Conflict)
}

func TestProposalChangesAndRemovals(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	change, err := db.ProposeChange(ctx, kmd, store.Proposal{Kind: store.ProposeChange, TargetKind: store.ItemInitiative, TargetKey: "ressurssenter",
		Fields: `{"title": "Nasjonalt ressurssenter", "lifeEventKeys": ["dodsfall-og-arv"]}`, Reason: "Tydeligere"})
	if err != nil || change.ProposerLevel != 2 {
		t.Fatalf("proposal %+v, %v", change, err)
	}
	removal, err := db.ProposeChange(ctx, oslo, store.Proposal{Kind: store.ProposeRemoval, TargetKey: "ressurssenter-lansert", Reason: "Ferdig"})
	if err != nil {
		t.Fatal(err)
	}
	rejected, err := db.ProposeChange(ctx, oslo, store.Proposal{Kind: store.ProposeChange, TargetKey: "digitalt-dodsbo", Fields: `{"title": "Dødsbo"}`, Reason: "Kortere"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AcceptProposal(ctx, editor, change.ID, "skate-2021-02"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AcceptProposal(ctx, editor, removal.ID, "skate-2021-02"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RejectProposal(ctx, editor, rejected.ID, "Navnet er innarbeidet", ""); err != nil {
		t.Fatal(err)
	}
	s := snap(t, db)
	in, err := s.Initiative("ressurssenter")
	if err != nil || in.Title != "Nasjonalt ressurssenter" || len(in.LifeEventKeys) != 1 || in.Number != "3.1" {
		t.Fatalf("changed initiative %+v, %v", in, err)
	}
	if _, err := s.Retired(store.ItemTiltak, "ressurssenter-lansert"); err != nil {
		t.Fatalf("removed tiltak not retired: %v", err)
	}
	if tk, _ := s.Tiltak("digitalt-dodsbo"); tk.Title != "Digitalt dødsbo" {
		t.Fatalf("a rejected proposal changed the plan: %q", tk.Title)
	}
	open := store.ProposalOpen
	if ps, err := s.Proposals(&open); err != nil || len(ps) != 0 {
		t.Fatalf("open proposals %v, %v", ps, err)
	}
	if ps, err := s.Proposals(nil); err != nil || len(ps) != 3 || ps[2].State != store.ProposalRejected || ps[2].DecisionReason != "Navnet er innarbeidet" {
		t.Fatalf("proposals %v, %v", ps, err)
	}
}

func TestProposalThatCannotBeAppliedStaysOpen(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		p     store.Proposal
		field string
	}{
		{"unknown body", store.Proposal{Kind: store.ProposeChange, TargetKey: "digitalt-dodsbo", Fields: `{"responsibleKey": "finnes-ikke"}`, Reason: "x"}, "responsibleKey"},
		{"still depended on", store.Proposal{Kind: store.ProposeRemoval, TargetKey: "digitalt-dodsbo", Reason: "x"}, ""},
	} {
		p, err := db.ProposeChange(ctx, oslo, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.AcceptProposal(ctx, editor, p.ID, "skate-2020-04")
		if c := store.ErrorCode(err); c != store.Invalid && c != store.NotFound {
			t.Errorf("%s: code %s, want INVALID or NOT_FOUND (%v)", tc.name, c, err)
		}
		if se := err.(*store.Error); se.Field != tc.field {
			t.Errorf("%s: field %q, want %q (%v)", tc.name, se.Field, tc.field, err)
		}
		if got, _ := snap(t, db).Proposal(p.ID); got.State != store.ProposalOpen {
			t.Errorf("%s: proposal %s, want OPEN", tc.name, got.State)
		}
	}
	if tk, _ := snap(t, db).Tiltak("digitalt-dodsbo"); tk.ResponsibleKey != "digdir" {
		t.Fatalf("the failed proposal changed the plan")
	}
}

func TestProposalsAreChecked(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		a    store.Actor
		p    store.Proposal
		want store.Code
	}{
		{"no body", store.System, store.Proposal{Kind: store.ProposeRemoval, TargetKey: "digitalt-dodsbo", Reason: "x"}, store.Invalid},
		{"no reason", oslo, store.Proposal{Kind: store.ProposeRemoval, TargetKey: "digitalt-dodsbo", Reason: " "}, store.Invalid},
		{"bad kind", oslo, store.Proposal{Kind: "SPLIT", TargetKey: "digitalt-dodsbo", Reason: "x"}, store.Invalid},
		{"unknown target", oslo, store.Proposal{Kind: store.ProposeRemoval, TargetKey: "finnes-ikke", Reason: "x"}, store.NotFound},
		{"not a JSON object", oslo, store.Proposal{Kind: store.ProposeChange, TargetKey: "digitalt-dodsbo", Fields: `["title"]`, Reason: "x"}, store.Invalid},
		{"nothing to change", oslo, store.Proposal{Kind: store.ProposeChange, TargetKey: "digitalt-dodsbo", Fields: `{}`, Reason: "x"}, store.Invalid},
		{"status is reported, not proposed", oslo, store.Proposal{Kind: store.ProposeChange, TargetKey: "digitalt-dodsbo", Fields: `{"progress": 90}`, Reason: "x"}, store.Invalid},
		{"a body is no target", oslo, store.Proposal{Kind: store.ProposeRemoval, TargetKind: store.ItemLifeEvent, TargetKey: "dodsfall-og-arv", Reason: "x"}, store.Invalid},
		{"new tiltak without title", oslo, store.Proposal{Kind: store.ProposeNewTiltak, Fields: `{"key": "ny", "responsibleKey": "digdir"}`, Reason: "x"}, store.Invalid},
		{"new tiltak with a taken key", oslo, store.Proposal{Kind: store.ProposeNewTiltak, Fields: `{"key": "digitalt-dodsbo", "title": "T", "responsibleKey": "digdir"}`, Reason: "x"}, store.Conflict},
	} {
		if _, err := db.ProposeChange(ctx, tc.a, tc.p); store.ErrorCode(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	_, err := db.AcceptProposal(ctx, editor, "99", "skate-2020-04")
	wantCode(t, err, store.NotFound)
	p, err := db.ProposeChange(ctx, oslo, store.Proposal{Kind: store.ProposeRemoval, TargetKey: "sykt-barn-info", Reason: "x"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.AcceptProposal(ctx, editor, p.ID, "")
	wantCode(t, err, store.Invalid)
	_, err = db.AcceptProposal(ctx, editor, p.ID, "skate-1999-01")
	wantCode(t, err, store.Invalid)
	_, err = db.RejectProposal(ctx, editor, p.ID, "", "")
	wantCode(t, err, store.Invalid)
}
