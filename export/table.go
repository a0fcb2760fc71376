package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
)

// colType is what a column holds; FORMAT.md names the same types.
type colType int

const (
	typeKey      colType = iota // a stable kebab-case key, or an enum value
	typeText                    // free text (names, titles, summaries)
	typeKeys                    // a list of keys; joined with ";" in CSV
	typeTexts                   // a list of names; joined with ";" in CSV
	typeInt                     // a whole number
	typeNumber                  // a decimal number, "." as decimal mark
	typeDate                    // YYYY-MM-DD
	typeDateTime                // RFC 3339, UTC
)

// column is one column of a table; its position is part of the format.
type column struct {
	name string
	typ  colType
}

// listSep joins the values of a list in one CSV field.
const listSep = ";"

// bom makes Excel read the CSV as UTF-8, so æøå show as they should.
const bom = "\ufeff"

// row holds one value per column: string, []string, int, *int, float64,
// *float64 or nil (absent). An empty string is absent too.
type row []any

// writeCSV writes the header and rows, UTF-8 with a byte-order mark and
// CRLF line ends (RFC 4180), fields separated by comma.
func writeCSV(cols []column, rows []row, comma rune) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(bom)
	w := csv.NewWriter(&buf)
	w.Comma = comma
	w.UseCRLF = true
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.name
	}
	if err := w.Write(rec); err != nil {
		return nil, err
	}
	for _, r := range rows {
		for i, c := range cols {
			rec[i] = csvField(c.typ, r[i])
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func csvField(t colType, v any) string {
	switch v := v.(type) {
	case string:
		if t == typeText {
			return defuse(v)
		}
		return v
	case []string:
		if t == typeTexts {
			out := make([]string, len(v))
			for i, s := range v {
				out[i] = defuse(s)
			}
			v = out
		}
		return strings.Join(v, listSep)
	case int:
		return strconv.Itoa(v)
	case *int:
		if v != nil {
			return strconv.Itoa(*v)
		}
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case *float64:
		if v != nil {
			return strconv.FormatFloat(*v, 'f', -1, 64)
		}
	}
	return ""
}

// defuse keeps a spreadsheet from reading text as a formula (CSV
// injection): text that starts with = + - @ or a tab or carriage return
// gets a leading apostrophe, which Excel and LibreOffice hide.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeJSON writes the rows as an array of flat objects, keys in column
// order; absent values are null and lists are arrays.
func writeJSON(cols []column, rows []row) ([]byte, error) {
	var buf bytes.Buffer
	names := make([][]byte, len(cols))
	for i, c := range cols {
		b, err := json.Marshal(c.name)
		if err != nil {
			return nil, err
		}
		names[i] = b
	}
	buf.WriteString("[")
	for n, r := range rows {
		if n > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n{")
		for i, c := range cols {
			if i > 0 {
				buf.WriteString(",")
			}
			buf.Write(names[i])
			buf.WriteString(":")
			b, err := json.Marshal(jsonValue(c.typ, r[i]))
			if err != nil {
				return nil, err
			}
			buf.Write(b)
		}
		buf.WriteString("}")
	}
	buf.WriteString("\n]\n")
	return buf.Bytes(), nil
}

func jsonValue(t colType, v any) any {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
	case []string:
		if v == nil {
			return []string{}
		}
	case *int:
		if v == nil {
			return nil
		}
	case *float64:
		if v == nil {
			return nil
		}
	case nil:
		if t == typeKeys || t == typeTexts {
			return []string{}
		}
	}
	return v
}

// opt is s, or nil when empty.
func opt[T ~string](s T) any {
	if s == "" {
		return nil
	}
	return string(s)
}

// optp is *p as a string, or nil.
func optp[T ~string](p *T) any {
	if p == nil {
		return nil
	}
	return string(*p)
}
