package graph_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/queries")

// The queries in testdata/queries are those a user starts with (the
// readme-* ones are the README's examples). Each runs against the default
// data with a fixed clock, and its whole response, indented, must equal
// <name>.golden.json. After a change that is meant to alter the answers:
//
//	go test ./graph -run TestGolden -update
//
// and review the golden diffs like code.
func TestGolden(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	files, err := filepath.Glob(filepath.Join("testdata", "queries", "*.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 7 {
		t.Fatalf("found %d queries in testdata/queries, want at least 7", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".graphql")
		t.Run(name, func(t *testing.T) {
			q, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r := gqlPost(t, srv, "application/json", string(q), nil)
			if r.Status != http.StatusOK {
				t.Errorf("status %d", r.Status)
			}
			if len(r.Errors) > 0 {
				t.Errorf("errors: %+v", r.Errors)
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, r.Body, "", "  "); err != nil {
				t.Fatal(err)
			}
			buf.WriteByte('\n')
			got := buf.String()

			golden := strings.TrimSuffix(file, ".graphql") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := lineDiff(string(want), got); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", name, golden, diff)
			}
		})
	}
}

// lineDiff must show what changed, or a golden failure is useless.
func TestLineDiff(t *testing.T) {
	t.Parallel()
	want := "a\nb\nc\nd\ne\nf\ng\n"
	got := "a\nb\nc\nD\ne\nf\ng\nh\n"
	diff := lineDiff(want, got)
	for _, line := range []string{"- d\n", "+ D\n", "  c\n", "  e\n", "+ h\n"} {
		if !strings.Contains(diff, line) {
			t.Errorf("diff lacks %q:\n%s", line, diff)
		}
	}
	if strings.Contains(diff, "  a\n") {
		t.Errorf("diff shows unchanged line a, far from any change:\n%s", diff)
	}
	if lineDiff(want, want) != "" {
		t.Errorf("diff of equal texts is not empty")
	}
}
