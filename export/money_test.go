package export

import (
	"os"
	"strings"
	"testing"
)

// The money files are documented like the others: every column and
// parameter in FORMAT.md, the column order in the README.
func TestMoneyFilesDocumented(t *testing.T) {
	doc := string(formatDoc)
	readme, _ := os.ReadFile("../README.md")
	for _, tb := range liveTables {
		names := make([]string, len(tb.columns))
		for i, c := range tb.columns {
			names[i] = c.name
			if !strings.Contains(doc, "`"+c.name+"`") {
				t.Errorf("FORMAT.md does not name column %s of %s", c.name, tb.name)
			}
		}
		for _, p := range tb.params {
			if !strings.Contains(doc, "`"+p+"`") {
				t.Errorf("FORMAT.md does not name parameter %s of %s", p, tb.name)
			}
		}
		if want := "| `" + tb.name + "` | `" + strings.Join(names, ",") + "` |"; len(readme) > 0 && !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks the row\n%s", want)
		}
		if tableNamed(tb.name) != nil {
			t.Errorf("%s is a live file and must not be served per period", tb.name)
		}
	}
}
