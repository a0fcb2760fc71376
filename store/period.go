package store

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

var periodPattern = regexp.MustCompile(`^(\d{4})-(H[12]|Q[1-4])$`)

// Period is a reporting period: a half year (2020-H1) or a quarter
// (2020-Q3).
type Period struct {
	Key   string
	Start time.Time // first day
	End   time.Time // last day
}

// ParsePeriod parses YYYY-H1|H2 or YYYY-Q1..Q4. Returns Invalid otherwise.
func ParsePeriod(s string) (Period, error) {
	m := periodPattern.FindStringSubmatch(s)
	if m == nil {
		return Period{}, FieldErrorf(Invalid, "period", "period %q must be YYYY-H1, YYYY-H2 or YYYY-Q1 … YYYY-Q4", s)
	}
	year, _ := strconv.Atoi(m[1])
	if year < 1900 || year > 2999 {
		return Period{}, FieldErrorf(Invalid, "period", "period %q has an implausible year", s)
	}
	var startMonth, months int
	switch m[2][0] {
	case 'H':
		startMonth, months = 1+6*int(m[2][1]-'1'), 6
	default:
		startMonth, months = 1+3*int(m[2][1]-'1'), 3
	}
	start := time.Date(year, time.Month(startMonth), 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, months, -1)
	return Period{Key: s, Start: start, End: end}, nil
}

// sortKey orders periods by their last day, then by their length (a quarter
// before the half year that ends with it): 2020-06-30/3 < 2020-06-30/6.
func (p Period) sortKey() string {
	months := 12*(p.End.Year()-p.Start.Year()) + int(p.End.Month()-p.Start.Month()) + 1
	return fmt.Sprintf("%s.%02d", p.End.Format("20060102"), months)
}
