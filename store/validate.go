package store

import (
	"regexp"
	"strconv"
	"time"
)

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// MaxKeyLength is the longest key accepted.
const MaxKeyLength = 100

// ValidateKey checks that key is kebab-case: lower-case ASCII letters and
// digits in groups joined by single hyphens.
func ValidateKey(field, key string) error {
	if key == "" {
		return FieldErrorf(Invalid, field, "%s is required", field)
	}
	if len(key) > MaxKeyLength || !keyPattern.MatchString(key) {
		return FieldErrorf(Invalid, field, "%s %q is not a valid key: use kebab-case (a-z, 0-9, single hyphens), at most %d characters", field, key, MaxKeyLength)
	}
	return nil
}

// ValidateOrgNumber checks a Norwegian organisation number: 9 digits with a
// valid MOD11 check digit (weights 3 2 7 6 5 4 3 2).
func ValidateOrgNumber(field, org string) error {
	if len(org) != 9 {
		return FieldErrorf(Invalid, field, "organisation number %q must be 9 digits", org)
	}
	weights := []int{3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, r := range org {
		if r < '0' || r > '9' {
			return FieldErrorf(Invalid, field, "organisation number %q must be 9 digits", org)
		}
		if i < 8 {
			sum += int(r-'0') * weights[i]
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 || int(org[8]-'0') != check {
		return FieldErrorf(Invalid, field, "organisation number %q has a wrong check digit (MOD11)", org)
	}
	return nil
}

// ValidateMunicipalityNumber checks a kommunenummer: 4 digits.
func ValidateMunicipalityNumber(field, n string) error {
	if len(n) != 4 {
		return FieldErrorf(Invalid, field, "municipality number %q must be 4 digits", n)
	}
	if _, err := strconv.Atoi(n); err != nil || n[0] == '-' || n[0] == '+' {
		return FieldErrorf(Invalid, field, "municipality number %q must be 4 digits", n)
	}
	return nil
}

// ValidateDate checks a calendar date in YYYY-MM-DD form. Empty is allowed.
func ValidateDate(field, d string) error {
	if d == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return FieldErrorf(Invalid, field, "%s %q is not a date in YYYY-MM-DD form", field, d)
	}
	return nil
}

// ValidateLevel checks a governance level (1–3).
func ValidateLevel(field string, level int) error {
	if level < 1 || level > 3 {
		return FieldErrorf(Invalid, field, "%s must be 1, 2 or 3, got %d", field, level)
	}
	return nil
}

func validateProgress(field string, p *int) error {
	if p != nil && (*p < 0 || *p > 100) {
		return FieldErrorf(Invalid, field, "%s must be between 0 and 100, got %d", field, *p)
	}
	return nil
}

func required(field, v string) error {
	if v == "" {
		return FieldErrorf(Invalid, field, "%s is required", field)
	}
	return nil
}

// kindLabel is how messages name a kind.
func kindLabel(k Kind) string {
	switch k {
	case KindLifeEvent:
		return "life event"
	case KindFocusArea:
		return "focus area"
	case KindInitiative:
		return "initiative"
	case KindTiltak:
		return "tiltak"
	case KindBody:
		return "body"
	case KindGovernanceLevel:
		return "governance level"
	case KindForum:
		return "forum"
	case KindStatusReport:
		return "status report"
	case KindBenefit, KindGoal, KindIndicator, KindSegment:
		return map[Kind]string{KindBenefit: "benefit", KindGoal: "goal", KindIndicator: "indicator", KindSegment: "segment"}[k]
	case KindFinance:
		return "money record"
	}
	return string(k)
}

// validate* check one entity's own fields; references are checked against
// the rest of the plan by the caller.

func (e *LifeEvent) validate() error {
	if err := ValidateKey("key", e.Key); err != nil {
		return err
	}
	if err := required("nameNb", e.NameNb); err != nil {
		return err
	}
	if !e.Audience.IsValid() {
		return FieldErrorf(Invalid, "audience", "audience %q is not one of CITIZEN, BUSINESS, VOLUNTARY_ORGANISATION", e.Audience)
	}
	return nil
}

func (f *FocusArea) validate() error {
	if err := ValidateKey("key", f.Key); err != nil {
		return err
	}
	if err := required("nameNb", f.NameNb); err != nil {
		return err
	}
	if err := required("number", f.Number); err != nil {
		return err
	}
	return ValidateLevel("governanceLevel", f.GovernanceLevel)
}

func (i *Initiative) validate() error {
	if err := ValidateKey("key", i.Key); err != nil {
		return err
	}
	if err := required("title", i.Title); err != nil {
		return err
	}
	if err := required("focusAreaKey", i.FocusAreaKey); err != nil {
		return err
	}
	return ValidateLevel("governanceLevel", i.GovernanceLevel)
}

func (t *Tiltak) validate() error {
	if err := ValidateKey("key", t.Key); err != nil {
		return err
	}
	if err := required("title", t.Title); err != nil {
		return err
	}
	if err := required("responsibleKey", t.ResponsibleKey); err != nil {
		return err
	}
	if t.Phase != nil && !t.Phase.IsValid() {
		return FieldErrorf(Invalid, "phase", "phase %q is not valid", *t.Phase)
	}
	if t.Health != nil && !t.Health.IsValid() {
		return FieldErrorf(Invalid, "health", "health %q is not valid", *t.Health)
	}
	if err := validateProgress("progress", t.Progress); err != nil {
		return err
	}
	if err := ValidateDate("startDate", t.StartDate); err != nil {
		return err
	}
	if err := ValidateDate("endDate", t.EndDate); err != nil {
		return err
	}
	if t.StartDate != "" && t.EndDate != "" && t.EndDate < t.StartDate {
		return FieldErrorf(Invalid, "endDate", "endDate %s is before startDate %s", t.EndDate, t.StartDate)
	}
	for _, d := range t.DependsOnKeys {
		if d == t.Key {
			return FieldErrorf(Invalid, "dependsOnKeys", "tiltak %q cannot depend on itself", t.Key)
		}
	}
	return ValidateLevel("governanceLevel", t.GovernanceLevel)
}

func (b *Body) validate() error {
	if err := ValidateKey("key", b.Key); err != nil {
		return err
	}
	if err := required("name", b.Name); err != nil {
		return err
	}
	if !b.Kind.IsValid() {
		return FieldErrorf(Invalid, "kind", "kind %q is not a valid body kind", b.Kind)
	}
	if b.OrgNumber != "" {
		if err := ValidateOrgNumber("orgNumber", b.OrgNumber); err != nil {
			return err
		}
	}
	if b.MunicipalityNumber != "" {
		if err := ValidateMunicipalityNumber("municipalityNumber", b.MunicipalityNumber); err != nil {
			return err
		}
	}
	if b.ParentKey == b.Key {
		return FieldErrorf(Invalid, "parentKey", "body %q cannot be its own parent", b.Key)
	}
	return nil
}

func (g *GovernanceLevel) validate() error {
	if err := ValidateLevel("level", g.Level); err != nil {
		return err
	}
	return required("name", g.Name)
}

func (f *Forum) validate() error {
	if err := ValidateKey("key", f.Key); err != nil {
		return err
	}
	if err := required("name", f.Name); err != nil {
		return err
	}
	return ValidateLevel("governanceLevel", f.GovernanceLevel)
}

func (p *Provenance) validate() error {
	if p == nil {
		return nil
	}
	if !p.Confidence.IsValid() {
		return FieldErrorf(Invalid, "provenance.confidence", "confidence %q is not valid", p.Confidence)
	}
	for _, f := range p.Fields {
		if !f.Confidence.IsValid() {
			return FieldErrorf(Invalid, "provenance.fields", "confidence %q of field %s is not valid", f.Confidence, f.Field)
		}
	}
	return nil
}
