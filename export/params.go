package export

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"handlingsplan/store"
)

// paramError is a bad query parameter: answered with 400 and its name.
type paramError struct {
	param string
	msg   string
}

func (e *paramError) Error() string { return e.param + ": " + e.msg }

func badParam(param, format string, args ...any) *paramError {
	return &paramError{param: param, msg: fmt.Sprintf(format, args...)}
}

// params reads one request's query parameters against what a table
// accepts. The first problem is kept in err; later reads then return
// zero values.
type params struct {
	v    url.Values
	snap *store.Snapshot
	err  *paramError
}

// delimiterParam chooses the CSV field separator; every table takes it.
const delimiterParam = "delimiter"

// newParams refuses parameters not in allowed, so a typo is not silently
// ignored.
func newParams(v url.Values, snap *store.Snapshot, allowed []string) *params {
	p := &params{v: v, snap: snap}
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if k != delimiterParam && !slices.Contains(allowed, k) {
			all := append(slices.Clone(allowed), delimiterParam)
			p.err = badParam(k, "unknown parameter; this file takes %s", strings.Join(all, ", "))
			return p
		}
	}
	return p
}

func (p *params) fail(e *paramError) {
	if p.err == nil {
		p.err = e
	}
}

// str returns a parameter given at most once; "" when not given.
func (p *params) str(name string) string {
	vs := p.v[name]
	if len(vs) > 1 {
		p.fail(badParam(name, "give it once"))
		return ""
	}
	if len(vs) == 0 {
		return ""
	}
	if strings.TrimSpace(vs[0]) == "" {
		p.fail(badParam(name, "is empty"))
	}
	return strings.TrimSpace(vs[0])
}

// list returns a repeatable parameter's values; each value may also hold
// several, comma-separated (phase=ACTIVE,PAUSED).
func (p *params) list(name string) []string {
	var out []string
	for _, v := range p.v[name] {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// enum returns the values of a repeatable enum parameter, each one of all.
func enum[T ~string](p *params, name string, all []T) []T {
	var out []T
	for _, s := range p.list(name) {
		v := T(strings.ToUpper(s))
		if !slices.Contains(all, v) {
			names := make([]string, len(all))
			for i, a := range all {
				names[i] = string(a)
			}
			p.fail(badParam(name, "%q is not one of %s", s, strings.Join(names, ", ")))
			return nil
		}
		out = append(out, v)
	}
	return out
}

// key returns a key parameter, checked to name an existing entity with
// get.
func (p *params) key(name, what string, get func(key string) error) string {
	k := p.str(name)
	if k == "" || p.err != nil {
		return k
	}
	if err := get(k); err != nil {
		if store.ErrorCode(err) == store.NotFound {
			p.fail(badParam(name, "no %s has key %q", what, k))
		} else {
			p.fail(badParam(name, "%q cannot be looked up", k))
		}
	}
	return k
}

func (p *params) bodyKey(name string) string {
	return p.key(name, "body", func(k string) error { _, err := p.snap.Body(k); return err })
}

func (p *params) tiltakKey(name string) string {
	return p.key(name, "tiltak", func(k string) error { _, err := p.snap.Tiltak(k); return err })
}

func (p *params) lifeEventKey(name string) string {
	return p.key(name, "life event", func(k string) error { _, err := p.snap.LifeEvent(k); return err })
}

func (p *params) focusAreaKey(name string) string {
	return p.key(name, "focus area", func(k string) error { _, err := p.snap.FocusArea(k); return err })
}

func (p *params) initiativeKey(name string) string {
	return p.key(name, "initiative", func(k string) error { _, err := p.snap.Initiative(k); return err })
}

func (p *params) forumKey(name string) string {
	return p.key(name, "forum", func(k string) error { _, err := p.snap.Forum(k); return err })
}

// level returns a governance level parameter (1–3), nil when not given.
func (p *params) level(name string) *int {
	s := p.str(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || store.ValidateLevel(name, n) != nil {
		p.fail(badParam(name, "%q is not a governance level: use 1, 2 or 3", s))
		return nil
	}
	return &n
}

// period returns a reporting period parameter, nil when not given.
func (p *params) period(name string) *store.Period {
	s := p.str(name)
	if s == "" {
		return nil
	}
	per, err := store.ParsePeriod(strings.ToUpper(s))
	if err != nil {
		p.fail(badParam(name, "%q is not a period: use YYYY-H1, YYYY-H2 or YYYY-Q1 … YYYY-Q4", s))
		return nil
	}
	return &per
}

// comma returns the CSV field separator the delimiter parameter asks for:
// comma (the default) or semicolon (for Excel in a Norwegian locale).
func (p *params) comma() rune {
	switch strings.ToLower(p.str(delimiterParam)) {
	case "", "comma", ",":
		return ','
	case "semicolon", ";":
		return ';'
	}
	p.fail(badParam(delimiterParam, "use comma or semicolon"))
	return ','
}

// The values of the enum parameters.
var (
	audiences = []store.Audience{store.AudienceCitizen, store.AudienceBusiness, store.AudienceVoluntaryOrganisation}
	bodyKinds = []store.BodyKind{store.BodyMinistry, store.BodyDirectorate, store.BodyAgency,
		store.BodyMunicipality, store.BodyCounty, store.BodyAssociation, store.BodyOther}
)
