package report

import (
	"encoding/csv"
	"io"
)

// bom makes Excel read the file as UTF-8, so æøå show as they should.
const bom = "\ufeff"

var csvHeader = []string{
	"Seksjon", "Tiltak", "Tittel", "Ansvarlig", "Rapportert av", "Fase", "Status", "Fremdrift",
	"Endring", "Forrige rapport", "Innsatsområder", "Initiativ", "Livshendelser", "Oppsummering", "Risiko",
}

// writeCSV writes one row per tiltak in the report with its section, UTF-8
// with a byte-order mark and semicolons between fields (what Excel in a
// Norwegian locale expects; decimal commas make commas a poor separator).
func writeCSV(w io.Writer, v *view) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range v.Rows {
		if err := cw.Write([]string{r.Section, r.Key, r.Title, r.Body, r.Reporter, r.Phase, r.Health, r.Progress,
			r.Change, r.Previous, r.FocusAreas, r.Initiatives, r.LifeEvents, r.Summary, r.Risks}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
