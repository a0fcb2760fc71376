package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"

	"handlingsplan/store"
)

// Default limits, used where [Limits] leaves a field 0. They leave room for
// every benchmark query (bench/queries) and the dashboard's: the heaviest,
// D1 (100 life events × their initiatives × five tiltak each), costs about
// 9,400.
const (
	DefaultMaxCost   = 25_000
	DefaultMaxDepth  = 15
	DefaultMaxTokens = 10_000
)

// Cost model. A scalar or enum field costs nothing: it is read with its
// object. Every field that returns an object or a list costs 1 (a look-up),
// plus what is selected inside it times the number of elements it returns:
// a connection's nodes and edges count its page size (first or last, else
// store.DefaultPageSize), a plain list counts assumedListSize. Mutation
// fields cost mutationCost more, since they write to disk.
const (
	assumedListSize = 10
	mutationCost    = 10
)

// fieldCosts are the fields that cost more than a look-up, by
// "Type.field": roll-ups and search read many records for one answer.
var fieldCosts = map[string]int{
	"Query.search":        10,
	"Query.statusSummary": 5,
}

// Limits bound what one GraphQL request may ask for. A zero field means its
// default; a negative one turns that limit off.
type Limits struct {
	// MaxCost bounds a query's cost (see the cost model above).
	MaxCost int
	// MaxDepth bounds the nesting of fields, fragments seen through;
	// introspection fields do not count.
	MaxDepth int
	// MaxTokens bounds the lexical tokens of the document (names,
	// punctuation, values and comments), checked while parsing, before any
	// other work.
	MaxTokens int
}

func (l Limits) withDefaults() Limits {
	def := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	return Limits{
		MaxCost:   def(l.MaxCost, DefaultMaxCost),
		MaxDepth:  def(l.MaxDepth, DefaultMaxDepth),
		MaxTokens: def(l.MaxTokens, DefaultMaxTokens),
	}
}

// registerCodes makes gqlgen treat the limits' refusals as request errors,
// like a query that does not validate: HTTP 4xx (422 for application/json,
// 400 for application/graphql-response+json) and no "data" entry.
// gqlgen keeps this in a package map, hence once.
var registerCodes sync.Once

func registerLimitCodes() {
	registerCodes.Do(func() {
		for _, code := range []string{"COST_LIMIT_EXCEEDED", "DEPTH_LIMIT_EXCEEDED", "TOKEN_LIMIT_EXCEEDED", "DOCUMENT_NOT_TRUSTED"} {
			errcode.RegisterErrorType(code, errcode.KindProtocol)
		}
	})
}

// Cost is the cost of one operation, reported to the client in
// extensions.cost.
type Cost struct {
	Requested int `json:"requested"`
	Limit     int `json:"limit,omitempty"`
}

const costExtension = "cost"

// costLimit computes each operation's cost and depth in one pass over the
// validated document, refuses it when over a limit, and asks admit (the
// rate limiter; nil admits everything) whether the caller may spend it.
type costLimit struct {
	limits Limits
	admit  func(ctx context.Context, token string, cost int) time.Duration
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = costLimit{}

func (costLimit) ExtensionName() string                   { return "CostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c costLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	w := costWalker{vars: op.Variables, frags: op.Doc.Fragments}
	cost, depth := w.selection(op.Operation.SelectionSet, 1)
	if op.Operation.Operation == ast.Mutation {
		cost += mutationCost * len(op.Operation.SelectionSet)
	}
	limit := max(c.limits.MaxCost, 0)
	op.Stats.SetExtension(costExtension, &Cost{Requested: cost, Limit: limit})
	if c.limits.MaxDepth > 0 && depth > c.limits.MaxDepth {
		return limitError("DEPTH_LIMIT_EXCEEDED", map[string]any{"depth": depth, "maxDepth": c.limits.MaxDepth},
			"the query nests fields %d deep; the limit is %d", depth, c.limits.MaxDepth)
	}
	if c.limits.MaxCost > 0 && cost > c.limits.MaxCost {
		return limitError("COST_LIMIT_EXCEEDED", map[string]any{"cost": cost, "maxCost": c.limits.MaxCost},
			"the query costs %d; the limit is %d (ask for smaller pages with first/last, or fewer nested lists)", cost, c.limits.MaxCost)
	}
	if c.admit != nil {
		name := ""
		if t := actor(ctx); t != nil {
			name = t.Name
		}
		if wait := c.admit(ctx, name, cost); wait > 0 {
			secs := retrySeconds(wait)
			if m := metaOf(ctx); m != nil {
				m.retryAfter = secs
			}
			return limitError("RATE_LIMITED", map[string]any{"cost": cost, "retryAfter": secs},
				"rate limit exceeded: this query costs %d; retry after %d s", cost, secs)
		}
	}
	return nil
}

// InterceptResponse puts the operation's cost into extensions.cost.
func (costLimit) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if graphql.HasOperationContext(ctx) {
		if c, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(costExtension).(*Cost); ok {
			graphql.RegisterExtension(ctx, costExtension, c)
		}
	}
	return next(ctx)
}

func retrySeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

func limitError(code string, ext map[string]any, format string, args ...any) *gqlerror.Error {
	e := gqlerror.Errorf(format, args...)
	e.Extensions = ext
	e.Extensions["code"] = code
	return e
}

// tokenLimitError rewrites the parser's "exceeded token limit" error into a
// TOKEN_LIMIT_EXCEEDED error that also says how many tokens the document
// has (counted only on this refusal path; the body cap bounds the work).
func tokenLimitError(query string, limit int) *gqlerror.Error {
	n := countTokens(query)
	return limitError("TOKEN_LIMIT_EXCEEDED", map[string]any{"tokens": n, "maxTokens": limit},
		"the document has %d tokens; the limit is %d", n, limit)
}

// countTokens counts the lexical tokens of a document as the parser's
// limit does: comments count, the end of input does not.
func countTokens(query string) int {
	lx := lexer.New(&ast.Source{Input: query})
	n := 0
	for {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return n
		}
		n++
	}
}

// costWalker walks an operation once, fragments included.
type costWalker struct {
	vars  map[string]any
	frags ast.FragmentDefinitionList
	seen  []string // fragments being expanded, against cycles (validation already forbids them)
}

// selection returns the cost of set and its depth, set being at level
// depth (1 for the root fields).
func (w *costWalker) selection(set ast.SelectionSet, depth int) (cost, maxDepth int) {
	maxDepth = depth - 1
	alternatives := 0 // the dearest fragment on a narrower type: only one of them applies per object
	for _, sel := range set {
		var c, d int
		conditional := false
		switch s := sel.(type) {
		case *ast.Field:
			c, d = w.field(s, depth)
		case *ast.InlineFragment:
			c, d = w.selection(s.SelectionSet, depth)
			conditional = narrower(s.TypeCondition, s.ObjectDefinition)
		case *ast.FragmentSpread:
			def := s.Definition
			if def == nil {
				def = w.frags.ForName(s.Name)
			}
			if def == nil || slices.Contains(w.seen, s.Name) {
				continue
			}
			w.seen = append(w.seen, s.Name)
			c, d = w.selection(def.SelectionSet, depth)
			w.seen = w.seen[:len(w.seen)-1]
			conditional = narrower(def.TypeCondition, s.ObjectDefinition)
		}
		if conditional {
			alternatives = max(alternatives, c)
		} else {
			cost += c
		}
		maxDepth = max(maxDepth, d)
	}
	return cost + alternatives, maxDepth
}

// narrower reports whether a fragment on typeCondition applies to only
// some of the objects of type parent (an interface or union).
func narrower(typeCondition string, parent *ast.Definition) bool {
	return typeCondition != "" && parent != nil && typeCondition != parent.Name
}

func (w *costWalker) field(f *ast.Field, depth int) (cost, maxDepth int) {
	if strings.HasPrefix(f.Name, "__") || f.Definition == nil {
		return 0, 0 // introspection: bounded by gqlparser's own rules
	}
	if len(f.SelectionSet) == 0 {
		return 0, depth // a scalar or enum, read with its object
	}
	inner, innerDepth := 0, depth
	if isConnection(f.Definition.Type) {
		// nodes and edges are the page: their contents count page-size
		// times, and they themselves cost nothing more.
		n := w.pageSize(f)
		for _, sel := range f.SelectionSet {
			var c, d int
			if sf, ok := sel.(*ast.Field); ok && (sf.Name == "nodes" || sf.Name == "edges") {
				c, d = w.selection(sf.SelectionSet, depth+2)
				c *= n
			} else {
				c, d = w.selection(ast.SelectionSet{sel}, depth+1)
			}
			inner += c
			innerDepth = max(innerDepth, d)
		}
	} else {
		inner, innerDepth = w.selection(f.SelectionSet, depth+1)
		if f.Definition.Type.Elem != nil {
			inner *= assumedListSize
		}
	}
	own := 1
	if f.ObjectDefinition != nil {
		if c, ok := fieldCosts[f.ObjectDefinition.Name+"."+f.Name]; ok {
			own = c
		}
	}
	return own + inner, innerDepth
}

// pageSize is the number of elements a connection field asks for: first or
// last (a variable's value included), else the default page size; never
// more than the maximum, which the field itself refuses.
func (w *costWalker) pageSize(f *ast.Field) int {
	n, found := 0, false
	for _, name := range []string{"first", "last"} {
		a := f.Arguments.ForName(name)
		if a == nil {
			continue
		}
		v, err := a.Value.Value(w.vars)
		if err != nil {
			continue
		}
		var x int64
		switch v := v.(type) {
		case int64:
			x = v
		case int:
			x = int64(v)
		case float64:
			x = int64(v)
		case json.Number:
			if x, err = v.Int64(); err != nil {
				continue
			}
		default:
			continue // null: not given
		}
		n, found = max(n, int(min(max(x, 0), store.MaxPageSize))), true
	}
	if !found {
		n = store.DefaultPageSize
	}
	return n
}

func isConnection(t *ast.Type) bool {
	return t != nil && t.Elem == nil && strings.HasSuffix(t.NamedType, "Connection")
}

// requestMeta is what the GraphQL layer learns about one HTTP request
// while serving it: the Retry-After of a rate-limit refusal. The HTTP
// wrapper (limitStatus) reads it before the status is written.
type requestMeta struct {
	retryAfter int
	status     int // the HTTP status of a refusal; 0 means 429 (rate limit)
}

type metaKey struct{}

func metaOf(ctx context.Context) *requestMeta {
	m, _ := ctx.Value(metaKey{}).(*requestMeta)
	return m
}

// presentTokenLimit gives the parser's token-limit error its own code and
// the document's token count; every other error goes to next.
func presentTokenLimit(limit int, next graphql.ErrorPresenterFunc) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if limit > 0 && errors.As(err, &gqlErr) && gqlErr.Err == nil &&
			gqlErr.Message == fmt.Sprintf("exceeded token limit of %d", limit) && graphql.HasOperationContext(ctx) {
			return tokenLimitError(graphql.GetOperationContext(ctx).RawQuery, limit)
		}
		return next(ctx, err)
	}
}
