package store_test

import (
	"context"
	"testing"

	"handlingsplan/store"
)

func TestMeetingAndCaseValidation(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	ok := store.Meeting{Key: "skate-2022", ForumKey: "skate", Date: "2022-03-01", Title: "Skate"}
	okCase := store.Case{Key: "skate-2022-01", MeetingKey: "skate-2022", Number: "01/2022", Title: "Sak", Kind: store.CaseInformation}
	for _, tc := range []struct {
		name string
		edit func(m *store.Meeting)
		want store.Code
	}{
		{"unknown forum", func(m *store.Meeting) { m.ForumKey = "finnes-ikke" }, store.NotFound},
		{"no date", func(m *store.Meeting) { m.Date = "" }, store.Invalid},
		{"bad date", func(m *store.Meeting) { m.Date = "1. mars" }, store.Invalid},
		{"bad follow-up period", func(m *store.Meeting) { m.FollowUpPeriod = "2022" }, store.Invalid},
		{"taken key", func(m *store.Meeting) { m.Key = "skate-2020" }, store.Conflict},
	} {
		m := ok
		tc.edit(&m)
		if _, err := db.CreateMeeting(ctx, store.System, &m); store.ErrorCode(err) != tc.want {
			t.Errorf("meeting, %s: %v, want %s", tc.name, err, tc.want)
		}
	}
	if _, err := db.CreateMeeting(ctx, store.System, &ok); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(c *store.Case)
		want store.Code
	}{
		{"unknown meeting", func(c *store.Case) { c.MeetingKey = "skate-1999" }, store.NotFound},
		{"bad number", func(c *store.Case) { c.Number = "Sak 04-2017" }, store.Invalid},
		{"bad kind", func(c *store.Case) { c.Kind = "ORIENTERING" }, store.Invalid},
		{"unknown item", func(c *store.Case) { c.Concerns = []store.PlanItemRef{{Kind: store.ItemTiltak, Key: "finnes-ikke"}} }, store.NotFound},
		{"bad item kind", func(c *store.Case) { c.Concerns = []store.PlanItemRef{{Kind: "BODY", Key: "digdir"}} }, store.Invalid},
		{"an item twice", func(c *store.Case) {
			c.Concerns = []store.PlanItemRef{{Kind: store.ItemTiltak, Key: "digitalt-dodsbo"}, {Kind: store.ItemTiltak, Key: "digitalt-dodsbo"}}
		}, store.Invalid},
	} {
		c := okCase
		tc.edit(&c)
		if _, err := db.CreateCase(ctx, store.System, &c); store.ErrorCode(err) != tc.want {
			t.Errorf("case, %s: %v, want %s", tc.name, err, tc.want)
		}
	}
}

func TestMeetingsAndCasesCRUD(t *testing.T) {
	db, _ := revDB(t)
	ctx := context.Background()
	if err := db.DeleteTiltak(ctx, store.System, "sykt-barn-info", store.Expect{}); err != nil {
		t.Fatal(err)
	}
	early := &store.Meeting{Key: "skate-2019", ForumKey: "skate", Date: "2019-11-20", Title: "Skate-møte november 2019"}
	if _, err := db.CreateMeeting(ctx, store.System, early); err != nil {
		t.Fatal(err)
	}
	concerns := []store.PlanItemRef{{Kind: store.ItemTiltak, Key: "digitalt-dodsbo"}, {Kind: store.ItemTiltak, Key: "sykt-barn-info"}, {Kind: store.ItemLifeEvent, Key: "dodsfall-og-arv"}}
	for _, c := range []*store.Case{
		{Key: "skate-2019-10", MeetingKey: "skate-2019", Number: "10/2019", Title: "Tiende", Kind: store.CaseInformation},
		{Key: "skate-2019-02", MeetingKey: "skate-2019", Number: "02/2019", Title: "Andre", Kind: store.CaseDecision, ProposedDecision: "Skate slutter seg til", Concerns: concerns},
	} {
		if _, err := db.CreateCase(ctx, store.System, c); err != nil {
			t.Fatal(err)
		}
	}
	m, err := db.UpdateMeeting(ctx, store.System, "skate-2019", store.Expect{Version: ptr(1)}, func(m *store.Meeting) error {
		m.FollowUpPeriod = "2019-H2"
		return nil
	})
	if err != nil || m.Version != 2 || *m.FollowUpPeriodOrNull() != "2019-H2" {
		t.Fatalf("update meeting: %+v, %v", m, err)
	}
	if _, err := db.UpdateCase(ctx, store.System, "skate-2019-02", store.Expect{}, func(c *store.Case) error {
		c.Decision = "Skate sluttet seg til"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s := snap(t, db)
	ms, err := s.Meetings("skate")
	if err != nil || len(ms) != 3 || ms[0].Key != "skate-2019" || ms[2].Key != "skate-2021" {
		t.Fatalf("meetings %v, %v", ms, err)
	}
	cs, err := s.Cases("skate-2019")
	if err != nil || len(cs) != 2 || cs[0].Key != "skate-2019-02" || cs[0].Decision != "Skate sluttet seg til" || len(cs[0].Concerns) != 3 {
		t.Fatalf("cases %v, %v", cs, err)
	}
	if _, err := s.Meetings("finnes-ikke"); store.ErrorCode(err) != store.NotFound {
		t.Fatalf("meetings of an unknown forum: %v", err)
	}
	wantCode(t, db.DeleteMeeting(ctx, store.System, "skate-2019", store.Expect{}), store.Invalid) // it has cases
	wantCode(t, db.DeleteForum(ctx, store.System, "skate", store.Expect{}), store.Invalid)        // it has meetings
	for _, k := range []string{"skate-2019-02", "skate-2019-10"} {
		if err := db.DeleteCase(ctx, store.System, k, store.Expect{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteMeeting(ctx, store.System, "skate-2019", store.Expect{}); err != nil {
		t.Fatal(err)
	}
	if _, err := snap(t, db).Meeting("skate-2019"); store.ErrorCode(err) != store.NotFound {
		t.Fatalf("deleted meeting: %v", err)
	}
}
