package store_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"handlingsplan/store"
)

// Fuzz targets for what clients type: keys, organisation numbers, periods,
// global IDs and cursors. Each must refuse bad input with an INVALID error
// that names the field, never panic, and accept only what round-trips.
// Seed corpora: testdata/fuzz/<FuzzName>/ (real values from the default
// data and the README). CI runs each for a few seconds (.ci/run).

// invalid checks that err is an INVALID store error naming field ("" for
// none) whose message is valid UTF-8 text a client can be shown.
func invalid(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := err.(*store.Error)
	if !ok || e.Code != store.Invalid {
		t.Fatalf("error %v (%T), want an INVALID store.Error", err, err)
	}
	if e.Field != field {
		t.Fatalf("error names field %q, want %q", e.Field, field)
	}
	if e.Message == "" || !utf8.ValidString(e.Message) {
		t.Fatalf("error message %q", e.Message)
	}
}

func FuzzValidateKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, key string) {
		err := store.ValidateKey("tiltakKey", key)
		if err != nil {
			invalid(t, err, "tiltakKey")
			return
		}
		if len(key) == 0 || len(key) > store.MaxKeyLength || strings.Contains(key, "--") ||
			strings.HasPrefix(key, "-") || strings.HasSuffix(key, "-") ||
			strings.Trim(key, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			t.Fatalf("key %q accepted", key)
		}
	})
}

func FuzzValidateOrgNumber(f *testing.F) {
	f.Fuzz(func(t *testing.T, org string) {
		err := store.ValidateOrgNumber("orgNumber", org)
		if err != nil {
			invalid(t, err, "orgNumber")
			return
		}
		if len(org) != 9 || strings.Trim(org, "0123456789") != "" {
			t.Fatalf("organisation number %q accepted", org)
		}
		// MOD11 has one check digit: every other last digit is refused.
		for d := byte('0'); d <= '9'; d++ {
			if d != org[8] && store.ValidateOrgNumber("orgNumber", org[:8]+string(d)) == nil {
				t.Fatalf("both %s and %s accepted", org, org[:8]+string(d))
			}
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p, err := store.ParsePeriod(s)
		if err != nil {
			invalid(t, err, "period")
			return
		}
		if p.Key != s || !p.Start.Before(p.End) || p.Start.Year() != p.End.Year() {
			t.Fatalf("period %q parsed as %+v", s, p)
		}
		if d := p.End.Sub(p.Start).Hours() / 24; d < 89 || d > 183 {
			t.Fatalf("period %q lasts %v days", s, d)
		}
	})
}

func FuzzParseGlobalID(f *testing.F) {
	f.Fuzz(func(t *testing.T, id string) {
		kind, key, err := store.ParseGlobalID(id)
		if err != nil {
			invalid(t, err, "")
			return
		}
		k2, key2, err := store.ParseGlobalID(store.GlobalID(kind, key))
		if err != nil || k2 != kind || key2 != key {
			t.Fatalf("ID %q → (%s, %q) does not round-trip: (%s, %q, %v)", id, kind, key, k2, key2, err)
		}
	})
}

func FuzzDecodeCursor(f *testing.F) {
	f.Fuzz(func(t *testing.T, c string) {
		key, err := store.DecodeCursor(c)
		if err != nil {
			invalid(t, err, "")
			return
		}
		if back, err := store.DecodeCursor(store.EncodeCursor(key)); err != nil || back != key {
			t.Fatalf("cursor %q → %q does not round-trip: %q, %v", c, key, back, err)
		}
	})
}
