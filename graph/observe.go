package graph

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Report is what the GraphQL layer tells the HTTP layer about one
// operation, for the request's log line and the metrics: never the token
// itself, only its name.
type Report struct {
	// Operation is the operation's name ("" for an anonymous one).
	Operation string
	// Token is the name of the token used ("" without one).
	Token string
	// Outcome is "ok", or the extensions.code of the first error.
	Outcome string
	// Cost is the operation's cost (see limits.go); 0 if it was refused
	// before it was costed.
	Cost int
}

// observer calls report once per response (once per event for a
// subscription).
type observer struct {
	report func(ctx context.Context, r Report)
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = observer{}

func (observer) ExtensionName() string                   { return "Observer" }
func (observer) Validate(graphql.ExecutableSchema) error { return nil }

func (o observer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	rep := Report{Outcome: "ok"}
	if t := actor(ctx); t != nil {
		rep.Token = t.Name
	}
	if graphql.HasOperationContext(ctx) {
		op := graphql.GetOperationContext(ctx)
		rep.Operation = op.OperationName
		if rep.Operation == "" && op.Operation != nil {
			rep.Operation = op.Operation.Name
		}
		if c, ok := op.Stats.GetExtension(costExtension).(*Cost); ok {
			rep.Cost = c.Requested
		}
	}
	if resp != nil && len(resp.Errors) > 0 {
		rep.Outcome = errorCode(resp.Errors[0])
	}
	o.report(ctx, rep)
	return resp
}

func errorCode(e *gqlerror.Error) string {
	if c, ok := e.Extensions["code"].(string); ok && c != "" {
		return c
	}
	return "ERROR"
}

// limitStatus turns a rate-limit refusal into HTTP 429 (a busy server's
// into 503) with Retry-After
// (in seconds): the refusal is decided inside gqlgen, which would answer
// 200, so the status is changed on its way out. Every other response
// passes unchanged. WebSocket upgrades are not wrapped.
func limitStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		m := &requestMeta{}
		next.ServeHTTP(&limitWriter{ResponseWriter: w, meta: m}, r.WithContext(context.WithValue(r.Context(), metaKey{}, m)))
	})
}

type limitWriter struct {
	http.ResponseWriter
	meta  *requestMeta
	wrote bool
}

func (w *limitWriter) WriteHeader(status int) {
	if !w.wrote && w.meta.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(w.meta.retryAfter))
		status = http.StatusTooManyRequests
		if w.meta.status != 0 {
			status = w.meta.status
		}
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *limitWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Flush passes flushes through for streaming responses.
func (w *limitWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *limitWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
