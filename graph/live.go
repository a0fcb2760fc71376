package graph

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// Live updates. One broker per handler follows the store's outbox: while
// anyone subscribes, one goroutine wakes on every disk sync
// ([store.DB.Subscribe]), reads the new events ([store.DB.EventsAfter]) and
// hands each STATUS_REPORTED event to the subscribers whose filter it
// matches. With no subscribers the goroutine stops.

// liveSource is what the broker needs of the store besides [Store];
// *store.DB has it.
type liveSource interface {
	Subscribe() (<-chan struct{}, func())
	EventsAfter(seq uint64, limit int) ([]store.Event, error)
}

// liveBuffer is how many reports a subscriber may fall behind by; one that
// falls further is ended rather than silently missing reports.
const liveBuffer = 64

// liveBatch is how many outbox events one read takes.
const liveBatch = 256

type broker struct {
	st   Store
	src  liveSource // nil: the store has no change feed
	log  *slog.Logger
	done <-chan struct{}

	mu   sync.Mutex
	feed *feed // nil while no one subscribes
}

// feed is one run of the broker's goroutine and its subscribers.
type feed struct {
	subs map[*subscriber]struct{}
	quit chan struct{}
}

type subscriber struct {
	f  model.StatusReportedFilter
	ch chan *store.StatusReport
}

func newBroker(st Store, log *slog.Logger, done <-chan struct{}) *broker {
	src, _ := st.(liveSource)
	return &broker{st: st, src: src, log: log, done: done}
}

// subscribe returns the reports written from now on that match f, until
// ctx ends or the server shuts down. Returns NotFound for a filter key
// that names nothing.
func (b *broker) subscribe(ctx context.Context, f *model.StatusReportedFilter) (<-chan *store.StatusReport, error) {
	if b.src == nil {
		return nil, errors.New("live updates are not available on this store")
	}
	select {
	case <-b.done:
		return nil, errors.New("the server is shutting down")
	default:
	}
	s := &subscriber{ch: make(chan *store.StatusReport, liveBuffer)}
	if f != nil {
		s.f = *f
	}
	if err := b.checkFilter(s.f); err != nil {
		return nil, err
	}
	b.mu.Lock()
	if b.feed == nil {
		// Listen first, then find where the outbox ends: a write after this
		// point both signals and lies beyond the cursor.
		sig, stop := b.src.Subscribe()
		cursor, err := lastSeq(b.src)
		if err != nil {
			stop()
			b.mu.Unlock()
			return nil, err
		}
		b.feed = &feed{subs: map[*subscriber]struct{}{}, quit: make(chan struct{})}
		go b.run(b.feed, sig, stop, cursor)
	}
	fd := b.feed
	fd.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
		case <-b.done:
		}
		b.leave(fd, s)
	}()
	return s.ch, nil
}

// leave removes s (closing its channel if still open) and stops the feed
// when it was the last subscriber.
func (b *broker) leave(fd *feed, s *subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := fd.subs[s]; ok {
		delete(fd.subs, s)
		close(s.ch)
	}
	if len(fd.subs) == 0 && b.feed == fd {
		close(fd.quit)
		b.feed = nil
	}
}

func (b *broker) checkFilter(f model.StatusReportedFilter) error {
	snap := b.st.Snapshot()
	defer snap.Close()
	check := func(key *string, get func(string) error) error {
		if key == nil {
			return nil
		}
		return get(*key)
	}
	return errors.Join(
		check(f.TiltakKey, func(k string) error { _, err := snap.Tiltak(k); return err }),
		check(f.BodyKey, func(k string) error { _, err := snap.Body(k); return err }),
		check(f.LifeEventKey, func(k string) error { _, err := snap.LifeEvent(k); return err }),
		check(f.FocusAreaKey, func(k string) error { _, err := snap.FocusArea(k); return err }),
	)
}

// run follows the outbox for fd until fd.quit closes.
func (b *broker) run(fd *feed, sig <-chan struct{}, stop func(), cursor uint64) {
	defer stop()
	for {
		select {
		case <-fd.quit:
			return
		case <-sig:
		}
		for {
			events, err := b.src.EventsAfter(cursor, liveBatch)
			if err != nil {
				b.log.Error("live updates: read outbox", "err", err)
				break
			}
			if len(events) > 0 {
				cursor = events[len(events)-1].Seq
				b.dispatch(fd, events)
			}
			if len(events) < liveBatch {
				break
			}
		}
	}
}

// dispatch hands the status reports among events to the matching
// subscribers of fd.
func (b *broker) dispatch(fd *feed, events []store.Event) {
	snap := b.st.Snapshot()
	defer snap.Close()
	for _, e := range events {
		if e.Type != store.EventStatusReported {
			continue
		}
		r := new(store.StatusReport)
		if err := json.Unmarshal(e.Data, r); err != nil {
			b.log.Error("live updates: decode status report", "seq", e.Seq, "err", err)
			continue
		}
		t, err := snap.Tiltak(r.TiltakKey)
		if err != nil {
			continue // deleted since: its report cannot be shown with its tiltak
		}
		ev := liveEvent{snap: snap, r: r, t: t}
		b.mu.Lock()
		for s := range fd.subs {
			if !ev.matches(s.f) {
				continue
			}
			select {
			case s.ch <- r:
			default: // too far behind: end the subscription, the client resubscribes
				delete(fd.subs, s)
				close(s.ch)
				b.log.Warn("live updates: a subscriber fell behind and was disconnected")
			}
		}
		b.mu.Unlock()
	}
}

// liveEvent is a report being matched, with its tiltak's focus areas
// looked up once when a filter asks.
type liveEvent struct {
	snap       *store.Snapshot
	r          *store.StatusReport
	t          *store.Tiltak
	focusAreas []string
	looked     bool
}

func (e *liveEvent) matches(f model.StatusReportedFilter) bool {
	switch {
	case f.TiltakKey != nil && *f.TiltakKey != e.r.TiltakKey,
		f.BodyKey != nil && *f.BodyKey != e.r.BodyKey && *f.BodyKey != e.t.ResponsibleKey,
		f.LifeEventKey != nil && !slices.Contains(e.t.LifeEventKeys, *f.LifeEventKey):
		return false
	case f.FocusAreaKey != nil:
		if !e.looked {
			e.looked = true
			for _, k := range e.t.InitiativeKeys {
				if in, err := e.snap.Initiative(k); err == nil {
					e.focusAreas = append(e.focusAreas, in.FocusAreaKey)
				}
			}
		}
		return slices.Contains(e.focusAreas, *f.FocusAreaKey)
	}
	return true
}

// lastSeq returns the sequence number of the newest outbox event, 0 when
// there is none, in a logarithmic number of reads: EventsAfter(s, 1) is
// empty exactly when s is at or past the newest event.
func lastSeq(src liveSource) (uint64, error) {
	next := func(s uint64) (uint64, bool, error) {
		ev, err := src.EventsAfter(s, 1)
		if err != nil || len(ev) == 0 {
			return 0, false, err
		}
		return ev[0].Seq, true, nil
	}
	// Invariant: an event lo exists, and the newest is at most hi.
	lo, ok, err := next(0)
	if err != nil || !ok {
		return 0, err
	}
	hi := lo
	for {
		seq, ok, err := next(hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo, hi = seq, 2*seq
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		seq, ok, err := next(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = seq // > mid ≥ lo: progress
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// liveOperations gives each subscription a fresh store snapshot for every
// event it sends, so the report's tiltak is read after the write that
// caused it, and reaches the broker; other operations go to other.
func liveOperations(st Store, b *broker, other graphql.OperationMiddleware) graphql.OperationMiddleware {
	hist := &history{st: st}
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx)
		if op == nil || op.Operation == nil || op.Operation.Operation != ast.Subscription {
			return other(ctx, next)
		}
		if !canStream(ctx) {
			return subscriptionNeedsStream(ctx)
		}
		v := &views{st: st, past: pastViews{hist: hist}}
		ctx = context.WithValue(ctx, snapshotKey{}, v)
		rh := next(context.WithValue(ctx, brokerKey{}, b))
		return func(ctx context.Context) *graphql.Response {
			defer v.close() // the next event reads a new snapshot
			return rh(ctx)
		}
	}
}

type brokerKey struct{}

// liveBroker returns the broker the operation runs under.
func liveBroker(ctx context.Context) *broker {
	return ctx.Value(brokerKey{}).(*broker)
}

// websocketInit authenticates a WebSocket connection: a token in the
// connection_init payload ({"authorization": "Bearer …"}) wins over one in
// the upgrade request's Authorization header; a private server needs one.
func websocketInit(st Store, private bool) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		if h := p.Authorization(); h != "" {
			scheme, secret, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
				return ctx, nil, errors.New("authorization must be «Bearer <token>»")
			}
			tok, err := st.Authenticate(strings.TrimSpace(secret))
			if err != nil {
				return ctx, nil, errors.New("unknown or revoked token")
			}
			ctx = context.WithValue(ctx, actorKey{}, tok)
		}
		if private && actor(ctx) == nil {
			return ctx, nil, errors.New(`this server is private: send {"authorization": "Bearer <token>"} in connection_init`)
		}
		return ctx, nil, nil
	}
}

// websocketGate sends WebSocket upgrades, once their Origin passes, to ws:
// their token may come later, in connection_init. Every other request goes
// to next.
func websocketGate(origins []string, ws, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		if !originAllowed(origins, r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message":    "this origin may not open a WebSocket here (see --cors-origins)",
				"extensions": map[string]any{"code": "FORBIDDEN"},
			}}})
			return
		}
		ws.ServeHTTP(w, r)
	})
}

// originAllowed reports whether a WebSocket from r's Origin may open: any
// when origins is empty or holds "*"; else the server's own host, or one of
// origins (as --cors-origins spells them, one "*" wildcard each). A request
// without Origin comes from no browser, so CORS does not concern it.
func originAllowed(origins []string, r *http.Request) bool {
	o := r.Header.Get("Origin")
	if len(origins) == 0 || o == "" || slices.Contains(origins, "*") {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, pat := range origins {
		if ok, _ := path.Match(strings.ToLower(pat), strings.ToLower(u.Scheme+"://"+u.Host)); ok {
			return true
		}
	}
	return false
}

// liveKeepAlive is how often an idle WebSocket or event stream gets a ping,
// so proxies keep it open and a vanished client is noticed.
const liveKeepAlive = 15 * time.Second

// websocketTransport is graphql-transport-ws (and the older graphql-ws)
// over coder/websocket. Origins are checked by [websocketGate] before it.
func websocketTransport(st Store, private bool) transport.Websocket {
	return transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true},
		},
		InitFunc:              websocketInit(st, private),
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: liveKeepAlive,
	}
}
