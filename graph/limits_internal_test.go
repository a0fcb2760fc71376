package graph

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"handlingsplan/bench/queries"
)

// BenchmarkCostD1 measures the cost and depth walk for the benchmark's
// heaviest query: the whole per-request overhead of the cost limit.
func BenchmarkCostD1(b *testing.B) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	doc, err := parser.ParseQuery(&ast.Source{Input: queries.D1})
	if err != nil {
		b.Fatal(err)
	}
	if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
		b.Fatal(errs)
	}
	op := doc.Operations[0]
	b.ReportAllocs()
	var cost, depth int
	for b.Loop() {
		w := costWalker{frags: doc.Fragments}
		cost, depth = w.selection(op.SelectionSet, 1)
	}
	if cost != 9401 || depth != 7 {
		b.Errorf("D1: cost %d, depth %d; want 9401 and 7", cost, depth)
	}
}
