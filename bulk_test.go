package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handlingsplan/store"
)

// runBulk runs the program with args and no environment.
func runBulk(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), append([]string{"handlingsplan"}, args...), func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := runBulk(t, args...)
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errOut)
	}
	return out
}

// defaultDataDir returns a new data directory holding the default data,
// loaded with import.
func defaultDataDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	mustRun(t, "import", "--data", dir, filepath.Join("defaultdata", "actionplan-2020.json"))
	return dir
}

// withStore opens a data directory for fn, and closes it again.
func withStore(t *testing.T, dir string, fn func(db *store.DB)) {
	t.Helper()
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExportImportRoundTrip(t *testing.T) {
	dir := defaultDataDir(t)
	ctx := context.Background()
	withStore(t, dir, func(db *store.DB) {
		green := store.HealthMinorDelays
		for _, r := range []store.StatusReport{
			{TiltakKey: "digitalt-dodsbo", Period: "2024-H2", BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 60, Summary: "Utrulling i første fylker; «dødsbo» på plass"},
			{TiltakKey: "digitalt-dodsbo", Period: "2024-H1", BodyKey: "digdir", Phase: store.PhaseActive, Health: &green, Progress: 40},
			{TiltakKey: "strategi-for-digital-kompetanse", Period: "2024-Q3", BodyKey: "kmd", Phase: store.PhasePaused, Progress: 5, Risks: "Uavklart eierskap"},
		} {
			if _, err := db.ReportStatus(ctx, store.System, r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.UpdateTiltak(ctx, store.System, "datafabrikken", store.Expect{}, func(tl *store.Tiltak) error {
			tl.Description = "Avsluttet som prosjekt; portalen driftes videre."
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
	first := mustRun(t, "export", "--data", dir)
	for _, want := range []string{`"version": 2`, `"statusReports": [`, `"confidence": "REPORTED"`, "«dødsbo»"} {
		if !strings.Contains(first, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	file := writeFile(t, "plan.json", first)

	// The flags may follow the file.
	dir2 := filepath.Join(t.TempDir(), "data")
	mustRun(t, "import", file, "--data", dir2)
	if second := mustRun(t, "export", "--data", dir2); second != first {
		t.Errorf("export → import → export differs:\n%s", firstDiff(first, second))
	}

	// - reads standard input.
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stdin := os.Stdin
	os.Stdin = f
	dir3 := filepath.Join(t.TempDir(), "data")
	_, errOut, err := runBulk(t, "import", "--data", dir3, "-")
	os.Stdin = stdin
	if err != nil {
		t.Fatalf("import from stdin: %v\n%s", err, errOut)
	}
	if third := mustRun(t, "export", "--data", dir3); third != first {
		t.Errorf("import from stdin → export differs:\n%s", firstDiff(first, third))
	}
}

// firstDiff shows where two texts first differ.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "…" + a[from:min(len(a), i+200)] + "\n---\n…" + b[from:min(len(b), i+200)]
}

func TestImportRefusesNonEmptyDataDir(t *testing.T) {
	dir := defaultDataDir(t)
	before := mustRun(t, "export", "--data", dir)
	_, _, err := runBulk(t, "import", "--data", dir, writeFile(t, "plan.json", before))
	if err == nil || !strings.Contains(err.Error(), "already holds a plan") {
		t.Fatalf("import into a data directory with a plan: %v", err)
	}
	if after := mustRun(t, "export", "--data", dir); after != before {
		t.Errorf("the refused import changed the plan:\n%s", firstDiff(before, after))
	}
}

func TestImportStatus(t *testing.T) {
	for _, tc := range []struct{ name, csv string }{
		{"comma, BOM, enum names", "\uFEFFtiltakKey,period,bodyKey,phase,health,progress,summary,risks\n" +
			"digitalt-dodsbo,2025-H1,digdir,ACTIVE,MINOR_DELAYS,65,\"Bankdata på plass, gjenstår Kartverket – «Ærlig talt»\",Én aktør er sen\n" +
			"datafabrikken,2025-H1,digdir,COMPLETED,,100,Portalen driftes videre,\n"},
		{"semicolon, CRLF, Norwegian words, other order", "Risks;Summary;Progress;Health;Phase;BodyKey;Period;TiltakKey\r\n" +
			"Én aktør er sen;\"Bankdata på plass, gjenstår Kartverket – «Ærlig talt»\";65 %;mindre forsinkelser;pågår;Digdir;2025-h1;digitalt-dodsbo\r\n" +
			";Portalen driftes videre;100;;ferdigstilt;digdir;2025-H1;datafabrikken\r\n" +
			";;;;;;;\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := defaultDataDir(t)
			versions := map[string]int{}
			withStore(t, dir, func(db *store.DB) {
				snap := db.Snapshot()
				defer snap.Close()
				for _, k := range []string{"digitalt-dodsbo", "datafabrikken"} {
					tl, err := snap.Tiltak(k)
					if err != nil {
						t.Fatal(err)
					}
					versions[k] = tl.Version
				}
			})
			out := mustRun(t, "import-status", "--data", dir, writeFile(t, "status.csv", tc.csv))
			if !strings.Contains(out, "imported 2 status reports") {
				t.Errorf("output %q", out)
			}
			withStore(t, dir, func(db *store.DB) {
				snap := db.Snapshot()
				defer snap.Close()
				for _, want := range []struct {
					key      string
					phase    store.Phase
					health   string
					progress int
					summary  string
				}{
					{"digitalt-dodsbo", store.PhaseActive, "MINOR_DELAYS", 65, "Bankdata på plass, gjenstår Kartverket – «Ærlig talt»"},
					{"datafabrikken", store.PhaseCompleted, "", 100, "Portalen driftes videre"},
				} {
					tl, err := snap.Tiltak(want.key)
					if err != nil {
						t.Fatal(err)
					}
					health := ""
					if tl.Health != nil {
						health = string(*tl.Health)
					}
					if tl.Phase == nil || *tl.Phase != want.phase || health != want.health || tl.Progress == nil || *tl.Progress != want.progress {
						t.Errorf("%s: phase %v health %q progress %v, want %s %q %d", want.key, tl.Phase, health, tl.Progress, want.phase, want.health, want.progress)
					}
					if tl.Version != versions[want.key]+1 {
						t.Errorf("%s at version %d, want %d", want.key, tl.Version, versions[want.key]+1)
					}
					r, err := snap.LatestStatus(want.key)
					if err != nil || r == nil {
						t.Fatalf("latest status of %s: %v, %v", want.key, r, err)
					}
					if r.Summary != want.summary || r.Period != "2025-H1" || r.BodyKey != "digdir" {
						t.Errorf("%s: report %+v", want.key, r)
					}
				}
				changes, _, err := snap.Changes(store.ChangeFilter{}, store.PageArgs{})
				if err != nil || len(changes) == 0 {
					t.Fatalf("changes: %v, %v", changes, err)
				}
				if a := changes[0].Actor; a.TokenName != "import-status" {
					t.Errorf("last change by %+v, want import-status", a)
				}
			})
		})
	}
}

func TestImportStatusBadRowsWriteNothing(t *testing.T) {
	dir := defaultDataDir(t)
	before := mustRun(t, "export", "--data", dir)
	csv := "tiltakKey,period,bodyKey,phase,health,progress,summary\n" + // line 1
		"digitalt-dodsbo,2025-H1,digdir,pågår,i rute,70,\"Første linje\n" + // 2
		"andre linje\"\n" + // 3
		"finnes-ikke,2025-H1,digdir,ferdigstilt,,100,\n" + // 4: unknown tiltak
		"datafabrikken,2025-H3,digdir,ferdigstilt,,100,\n" + // 5: no such period
		",,,,,,\n" + // 6: empty, skipped
		"drifte-verktoykasse-deling-av-data,2025-H1,digdir,avsluttet,,mye,\n" + // 7: ambiguous phase, progress not a number
		"publisere-ki-strategi,2025-H1,kmd,COMPLETED,,100,ok\n" // 8
	_, _, err := runBulk(t, "import-status", "--data", dir, writeFile(t, "status.csv", csv))
	if err == nil {
		t.Fatal("a file with bad rows was imported")
	}
	msg := err.Error()
	for _, want := range []string{
		"3 of 5 rows are invalid; nothing was written",
		"line 4, column tiltakKey:", `"finnes-ikke"`,
		"line 5, column period:", `"2025-H3"`,
		"line 7, column phase:", "ambiguous",
		"line 7, column progress:", `"mye"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	for _, notWant := range []string{"line 2", "line 3,", "line 6", "line 8"} {
		if strings.Contains(msg, notWant) {
			t.Errorf("error mentions %q:\n%s", notWant, msg)
		}
	}
	if after := mustRun(t, "export", "--data", dir); after != before {
		t.Errorf("a refused import-status changed the plan:\n%s", firstDiff(before, after))
	}
}

func TestImportStatusRefusesBadHeader(t *testing.T) {
	dir := defaultDataDir(t)
	before := mustRun(t, "export", "--data", dir)
	for _, tc := range []struct{ name, csv, want string }{
		{"unknown column", "tiltakKey;period;bodyKey;phase;health;progress;status\ndigitalt-dodsbo;2025-H1;digdir;COMPLETED;;100;x\n", `unknown column(s) "status"`},
		{"missing column", "tiltakKey,period,bodyKey,phase\ndigitalt-dodsbo,2025-H1,digdir,COMPLETED\n", "lacks the required column(s) progress"},
		{"column twice", "tiltakKey,period,bodyKey,phase,progress,Phase\n", "names column phase twice"},
		{"empty file", "", "the file is empty"},
		{"not UTF-8", "tiltakKey;period;bodyKey;phase;progress;summary\ndigitalt-dodsbo;2025-H1;digdir;COMPLETED;100;P\xe5 plass\n", "line 2 is not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runBulk(t, "import-status", "--data", dir, writeFile(t, "status.csv", tc.csv))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if after := mustRun(t, "export", "--data", dir); after != before {
		t.Errorf("a refused import-status changed the plan:\n%s", firstDiff(before, after))
	}
}

func TestBulkCommandsHelpAndMissingDataDir(t *testing.T) {
	for _, cmd := range []string{"export", "import", "import-status"} {
		_, errOut, err := runBulk(t, cmd, "-h")
		if err != nil || !strings.Contains(errOut, "The server must not be running on the data directory") {
			t.Errorf("%s -h: %v\n%s", cmd, err, errOut)
		}
	}
	missing := filepath.Join(t.TempDir(), "nothing-here")
	if _, _, err := runBulk(t, "export", "--data", missing); err == nil {
		t.Error("export of a directory that does not exist succeeded")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("export created the data directory %s", missing)
	}
}
