package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"handlingsplan/defaultdata"
	"handlingsplan/store"
	"handlingsplan/webhook"
)

// A receiver that is down for a while gets every event once it is back,
// in order, each signed with the webhook's secret.
func TestReceiverDownForAWhileGetsEveryEvent(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan, _ := defaultdata.Plan()
	if err := db.ImportPlan(ctx, plan); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	down := true
	var got []webhook.Payload
	refused := 0
	const secret = "a-secret-of-enough-length"
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if down {
			refused++
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get(webhook.HeaderSignature) != webhook.Sign(secret, body) {
			t.Errorf("bad signature %q", r.Header.Get(webhook.HeaderSignature))
		}
		var p webhook.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			t.Error(err)
		}
		got = append(got, p)
	}))
	defer recv.Close()

	hook, err := db.CreateWebhook(ctx, store.System, "digdir", recv.URL, []store.EventType{store.EventStatusReported}, secret)
	if err != nil {
		t.Fatal(err)
	}
	green := store.HealthOnTrack
	const reports = 6
	for i := 0; i < reports; i++ {
		r := store.StatusReport{TiltakKey: "digitalt-dodsbo", Period: fmt.Sprintf("%d-H1", 2020+i), BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 10 * i}
		if _, err := db.ReportStatus(ctx, store.System, r); err != nil {
			t.Fatal(err)
		}
		// A change of another type, which this webhook did not ask for.
		if _, err := db.UpdateTiltak(ctx, store.System, "digitalt-dodsbo", store.Expect{}, func(tl *store.Tiltak) error {
			tl.Description = fmt.Sprintf("versjon %d", i)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}

	d := webhook.New(db, nil)
	d.Poll, d.MinBackoff, d.MaxBackoff = 10*time.Millisecond, 20*time.Millisecond, 50*time.Millisecond
	go d.Run(ctx)

	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return refused >= 3 })
	mu.Lock()
	down = false
	mu.Unlock()
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) >= reports })
	time.Sleep(100 * time.Millisecond) // nothing more may arrive
	mu.Lock()
	defer mu.Unlock()
	if len(got) != reports {
		t.Fatalf("received %d events, want %d", len(got), reports)
	}
	for i, p := range got {
		if p.Type != string(store.EventStatusReported) || p.Key != "digitalt-dodsbo" {
			t.Errorf("event %d: %+v", i, p)
		}
		if i > 0 && p.Seq <= got[i-1].Seq {
			t.Errorf("events out of order: %d after %d", p.Seq, got[i-1].Seq)
		}
		var r store.StatusReport
		if err := json.Unmarshal(p.Data, &r); err != nil || r.Period != fmt.Sprintf("%d-H1", 2020+i) {
			t.Errorf("event %d carries report %+v (%v)", i, r, err)
		}
	}
	deliveries, _ := db.Deliveries(hook.ID, 100)
	failed := false
	for _, dl := range deliveries {
		if dl.Attempts > 1 {
			failed = true
		}
		if dl.Status != store.DeliveryDelivered {
			t.Errorf("delivery %d still %s", dl.EventSeq, dl.Status)
		}
	}
	if !failed {
		t.Error("no delivery records the failed attempts")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
