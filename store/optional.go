package store

// The methods below expose optional text as nil when it is empty, so that
// the API answers null rather than "".

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// DescriptionOrNull returns the description, or nil if empty.
func (e *LifeEvent) DescriptionOrNull() *string { return orNull(e.Description) }

// DescriptionOrNull returns the description, or nil if empty.
func (f *FocusArea) DescriptionOrNull() *string { return orNull(f.Description) }

// NumberOrNull returns the strategy number, or nil if empty.
func (i *Initiative) NumberOrNull() *string { return orNull(i.Number) }

// DescriptionOrNull returns the description, or nil if empty.
func (i *Initiative) DescriptionOrNull() *string { return orNull(i.Description) }

// DescriptionOrNull returns the description, or nil if empty.
func (t *Tiltak) DescriptionOrNull() *string { return orNull(t.Description) }

// StartDateOrNull returns the start date, or nil if unknown.
func (t *Tiltak) StartDateOrNull() *string { return orNull(t.StartDate) }

// EndDateOrNull returns the end date, or nil if unknown.
func (t *Tiltak) EndDateOrNull() *string { return orNull(t.EndDate) }

// ShortNameOrNull returns the short name, or nil if empty.
func (b *Body) ShortNameOrNull() *string { return orNull(b.ShortName) }

// OrgNumberOrNull returns the organisation number, or nil if unknown.
func (b *Body) OrgNumberOrNull() *string { return orNull(b.OrgNumber) }

// MunicipalityNumberOrNull returns the municipality number, or nil.
func (b *Body) MunicipalityNumberOrNull() *string { return orNull(b.MunicipalityNumber) }

// CountyNumberOrNull returns the county number, or nil.
func (b *Body) CountyNumberOrNull() *string { return orNull(b.CountyNumber) }

// NameEnOrNull returns the English name, or nil if empty.
func (g *GovernanceLevel) NameEnOrNull() *string { return orNull(g.NameEn) }

// DescriptionOrNull returns the description, or nil if empty.
func (g *GovernanceLevel) DescriptionOrNull() *string { return orNull(g.Description) }

// ShortNameOrNull returns the short name, or nil if empty.
func (f *Forum) ShortNameOrNull() *string { return orNull(f.ShortName) }

// DescriptionOrNull returns the description, or nil if empty.
func (f *Forum) DescriptionOrNull() *string { return orNull(f.Description) }

// URLOrNull returns the URL, or nil if unknown.
func (s *Source) URLOrNull() *string { return orNull(s.URL) }

// NoteOrNull returns the note, or nil if empty.
func (p *Provenance) NoteOrNull() *string { return orNull(p.Note) }

// NoteOrNull returns the note, or nil if empty.
func (f *FieldProvenance) NoteOrNull() *string { return orNull(f.Note) }

// Verified reports whether the entity's facts were checked against a source.
func (p *Provenance) Verified() bool { return p.Confidence.Verified() }

// Verified reports whether the field was checked against a source.
func (f *FieldProvenance) Verified() bool { return f.Confidence.Verified() }

// ProvenanceFields returns the field-level provenance, never nil.
func (p *Provenance) ProvenanceFields() []FieldProvenance { return p.Fields }

// SummaryOrNull returns the summary, or nil if empty.
func (r *StatusReport) SummaryOrNull() *string { return orNull(r.Summary) }

// RisksOrNull returns the risks, or nil if empty.
func (r *StatusReport) RisksOrNull() *string { return orNull(r.Risks) }

// EventSeqInt returns the event's sequence number as an int.
func (d *Delivery) EventSeqInt() int { return int(d.EventSeq) }

// ResponseStatusOrNull returns the receiver's status, or nil if none.
func (d *Delivery) ResponseStatusOrNull() *int {
	if d.ResponseStatus == 0 {
		return nil
	}
	return &d.ResponseStatus
}

// LastErrorOrNull returns the last error, or nil.
func (d *Delivery) LastErrorOrNull() *string { return orNull(d.LastError) }
