package export

import (
	"os"
	"strings"
	"testing"
)

// TestFormatDocumentsEveryColumn keeps FORMAT.md in step with the code:
// every column and every parameter of every file is named there.
func TestFormatDocumentsEveryColumn(t *testing.T) {
	doc := string(formatDoc)
	for _, tb := range tables {
		for _, c := range append(tb.columns, describesColumns...) {
			if !strings.Contains(doc, "`"+c.name+"`") {
				t.Errorf("FORMAT.md does not name column %s of %s", c.name, tb.name)
			}
		}
		for _, p := range tb.params {
			if !strings.Contains(doc, "`"+p+"`") {
				t.Errorf("FORMAT.md does not name parameter %s of %s", p, tb.name)
			}
		}
	}
}

// TestREADMEListsColumnsInOrder: the README's table of columns is the
// stable order the files have.
func TestREADMEListsColumnsInOrder(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip("no README beside the module:", err)
	}
	for _, tb := range tables {
		names := make([]string, len(tb.columns))
		for i, c := range tb.columns {
			names[i] = c.name
		}
		if want := "| `" + tb.name + "` | `" + strings.Join(names, ",") + "` |"; !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks the row\n%s", want)
		}
	}
}
