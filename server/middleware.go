package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/cors"
)

// requestIDHeader carries the request ID in both directions.
const requestIDHeader = "X-Request-ID"

// maxRequestIDLen bounds a client-supplied request ID.
const maxRequestIDLen = 64

// corsMaxAge is how long, in seconds, browsers may cache a preflight answer.
const corsMaxAge = 600

type requestIDKey struct{}

// RequestID returns the ID of the request whose context is ctx, or "" if
// ctx did not come from a request served by [New]. The GraphQL layer can put
// it into its error extensions so users can quote it.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID takes the client's X-Request-ID if it is sane, otherwise
// makes one, and puts it in the request context and the response header. It
// also sets the headers every response gets.
func withRequestID() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get(requestIDHeader)
			if !saneRequestID(id) {
				id = rand.Text()
			}
			h := w.Header()
			h.Set(requestIDHeader, id)
			h.Set("X-Content-Type-Options", "nosniff")
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
		})
	}
}

// saneRequestID reports whether a client-supplied ID is safe to echo and log:
// 1–64 characters from [A-Za-z0-9._-].
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// recoverPanics turns a panic further in into a logged error and, if nothing
// was written yet, a 500 with a GraphQL-style body carrying the request ID.
// http.ErrAbortHandler is re-raised: it is net/http's way to drop a
// connection, not a bug.
func recoverPanics(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &responseRecorder{ResponseWriter: w}
			defer func() {
				p := recover()
				if p == nil {
					return
				}
				if p == http.ErrAbortHandler {
					panic(p)
				}
				id := RequestID(r.Context())
				log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
					slog.String("request_id", id),
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.String("panic", fmt.Sprint(p)),
					slog.String("stack", string(debug.Stack())),
				)
				if rec.status != 0 {
					return // too late for a clean 500; the client sees a cut response
				}
				h := w.Header()
				for _, k := range []string{"Content-Length", "Content-Encoding", "ETag", "Last-Modified"} {
					h.Del(k)
				}
				writeError(w, http.StatusInternalServerError, "internal error",
					map[string]any{"code": "INTERNAL", "requestId": id})
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// logRequests writes one Info line per request: method, path (never the
// query string, which may hold variables), status, bytes, duration and
// request ID; for a GraphQL request also the operation's name, the token's
// name (never the token), the outcome and the cost, as reported with
// [ReportOperation]. No request header is logged, so neither is
// Authorization. m (nil: none) counts the request in the metrics.
func logRequests(log *slog.Logger, m *metrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &responseRecorder{ResponseWriter: w}
			op := new(atomic.Pointer[Operation])
			r = r.WithContext(context.WithValue(r.Context(), operationKey{}, op))
			completed := false
			defer func() {
				status := rec.status
				if !completed && status == 0 {
					status = http.StatusInternalServerError // panicking: recoverPanics answers 500
				} else if status == 0 {
					status = http.StatusOK
				}
				d := time.Since(start)
				attrs := []slog.Attr{
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.Int("status", status),
					slog.Int64("bytes", rec.bytes),
					slog.Duration("duration", d),
					slog.String("request_id", RequestID(r.Context())),
				}
				o := op.Load()
				if o != nil {
					attrs = append(attrs,
						slog.String("operation", o.Name),
						slog.String("token", o.Token),
						slog.String("outcome", o.Outcome),
						slog.Int("cost", o.Cost))
				}
				log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
				m.observe(status, o, d)
			}()
			next.ServeHTTP(rec, r)
			completed = true
		})
	}
}

// withCORS lets browsers on other origins call the API. With no origins
// configured any origin may read responses, but never with credentials:
// the data is public and tokens travel in the Authorization header, not in
// cookies. rs/cors answers preflights itself; other OPTIONS requests pass on.
func withCORS(origins []string) func(http.Handler) http.Handler {
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	c := cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{
			"Accept", "Authorization", "Content-Type", requestIDHeader,
			// Sent by Apollo Client / Apollo Router style clients.
			"Apollo-Require-Preflight", "X-Apollo-Operation-Name",
			"Apollographql-Client-Name", "Apollographql-Client-Version",
		},
		ExposedHeaders:   []string{requestIDHeader},
		AllowCredentials: false,
		MaxAge:           corsMaxAge,
	})
	return c.Handler
}

// limitBody caps request bodies at limit bytes and answers 413 itself. The
// GraphQL transport reads the body on its own and would turn a cut body into
// its own 4xx, so the decision has to be made here, before handing over: a
// declared Content-Length over the limit is refused at once, and a body of
// unknown length (chunked) is read into memory, at most limit+1 bytes,
// before the next handler runs.
func limitBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.ContentLength > limit:
				writeTooLarge(w, limit)
				return
			case r.Body == nil || r.Body == http.NoBody:
			case r.ContentLength >= 0:
				// net/http already stops at Content-Length; this is belt and braces.
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			default:
				body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
				if err != nil {
					if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
						writeTooLarge(w, limit)
					} else {
						writeError(w, http.StatusBadRequest, "could not read request body",
							map[string]any{"code": "BAD_REQUEST"})
					}
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
				r.TransferEncoding = nil
			}
			next.ServeHTTP(w, r)
		})
	}
}

// writeTooLarge answers 413 and states the limit.
func writeTooLarge(w http.ResponseWriter, limit int64) {
	w.Header().Set("Connection", "close") // don't read the rest of the body
	writeError(w, http.StatusRequestEntityTooLarge,
		"request body too large: the limit is "+strconv.FormatInt(limit, 10)+" bytes",
		map[string]any{"code": "PAYLOAD_TOO_LARGE", "maxBytes": limit})
}

// responseRecorder remembers the status and the number of body bytes
// written. Unwrap lets http.ResponseController reach the real writer.
type responseRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rw *responseRecorder) WriteHeader(status int) {
	if rw.status == 0 && status >= 200 { // 1xx are informational, not the answer
		rw.status = status
	}
	rw.ResponseWriter.WriteHeader(status)
}

func (rw *responseRecorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

// Flush passes flushes on, for streaming transports that assert
// http.Flusher.
func (rw *responseRecorder) Flush() {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	_ = http.NewResponseController(rw.ResponseWriter).Flush()
}

func (rw *responseRecorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// Hijack hands the connection over, for WebSocket upgrades; the log then
// shows 101.
func (rw *responseRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(rw.ResponseWriter).Hijack()
	if err == nil {
		rw.status = http.StatusSwitchingProtocols
	}
	return c, brw, err
}

// allowStreaming lifts the server's read and write deadlines for the
// long-lived requests on path: WebSocket upgrades and server-sent event
// streams (Accept: text/event-stream), which WriteTimeout would otherwise
// cut and ReadTimeout cancel. An event stream's body is read first, so
// ReadTimeout still bounds the upload. Keep-alive pings notice a vanished
// client instead.
func allowStreaming(path string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			upgrade := strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
			events := strings.Contains(r.Header.Get("Accept"), "text/event-stream")
			if r.URL.Path != path || !upgrade && !events {
				next.ServeHTTP(w, r)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				body, err := io.ReadAll(r.Body)
				if err != nil {
					if e, ok := errors.AsType[*http.MaxBytesError](err); ok {
						writeTooLarge(w, e.Limit)
					} else {
						writeError(w, http.StatusBadRequest, "could not read request body",
							map[string]any{"code": "BAD_REQUEST"})
					}
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
			next.ServeHTTP(w, r)
		})
	}
}
