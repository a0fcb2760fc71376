package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var out, errb bytes.Buffer
	if err := generate(context.Background(), []string{"--preset", "small", "--data", dir, "--seed", "7"}, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	for _, want := range []string{"preset small (seed 7)", "500 tiltak, 1000 status reports", "MB on disk", "total"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	err := generate(context.Background(), []string{"--preset", "small", "--data", dir}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second run into the same directory: err = %v, want a refusal", err)
	}
	if err := generate(context.Background(), []string{"--preset", "galactic", "--data", t.TempDir()}, &out, &errb); err == nil {
		t.Error("an unknown preset was accepted")
	}
}
