package generate

import (
	"time"

	"handlingsplan/store"
)

// reportProvenance is what the API gives a report a body enters.
var reportProvenance = &store.Provenance{Confidence: store.Reported}

// simulate runs a tiltak through the preset's periods, one status report
// per period: planned until it starts, then active with a health that
// drifts and progress that grows with it, sometimes paused or stopped,
// until completed and put in operation. The tiltak ends with the phase,
// health and progress of its last report, and dates that fit its start.
func (b *builder) simulate(t *store.Tiltak) {
	rng := b.rng
	nPer := b.preset.Periods
	first := lastHalfYear - nPer + 1
	// The period (relative to the first) in which work starts: before the
	// window for some tiltak, after it for others (still planned).
	start := rng.IntN(nPer+nPer/2+2) - (nPer/3 + 1)
	startPer := halfYear(first + start)
	t.StartDate = startPer.start.Format(time.DateOnly)
	t.EndDate = startPer.start.AddDate(0, 6*(2+rng.IntN(7)), -1).Format(time.DateOnly)

	phase, health, progress := store.PhasePlanned, store.HealthOnTrack, 0
	lastIdx := -1
	for s := min(start, 0); s < nPer; s++ {
		switch {
		case s < start:
		case s == start:
			phase, progress = store.PhaseActive, 3+rng.IntN(10)
		default:
			phase, health, progress = b.step(phase, health, progress)
		}
		if s < 0 {
			continue
		}
		per := halfYear(first + s)
		at := per.end.AddDate(0, 0, 5+rng.IntN(20)).Add(time.Duration(8+rng.IntN(8)) * time.Hour)
		r := store.StatusReport{
			TiltakKey: t.Key, Period: per.key, BodyKey: t.ResponsibleKey, Phase: phase, Progress: progress,
			ReportedAt: at, Meta: store.Meta{Version: 1, UpdatedAt: at, Provenance: reportProvenance},
		}
		r.Summary = b.summary(phase, health)
		if phase == store.PhaseActive {
			h := health
			r.Health = &h
			if health != store.HealthOnTrack && rng.IntN(2) == 0 {
				r.Risks = risks[rng.IntN(len(risks))]
			}
		}
		b.codeObstacles(&r)
		b.plan.StatusReports = append(b.plan.StatusReports, r)
		lastIdx = len(b.plan.StatusReports) - 1
	}
	last := &b.plan.StatusReports[lastIdx]
	p, pr := last.Phase, last.Progress
	t.Phase, t.Progress = &p, &pr
	if last.Health != nil {
		h := *last.Health
		t.Health = &h
	}
	t.UpdatedAt = last.ReportedAt
	b.lifecycle(t, last)
}

// step moves a started tiltak one period on.
func (b *builder) step(phase store.Phase, health store.Health, progress int) (store.Phase, store.Health, int) {
	rng := b.rng
	r := rng.IntN(1000)
	switch phase {
	case store.PhaseActive:
		switch {
		case r < 15:
			return store.PhaseDiscontinued, health, progress
		case r < 45:
			return store.PhasePaused, health, progress
		}
		health = nextHealth(health, rng.IntN(100))
		switch health {
		case store.HealthOnTrack:
			progress += 8 + rng.IntN(13)
		case store.HealthMinorDelays:
			progress += 4 + rng.IntN(9)
		default:
			progress += rng.IntN(7)
		}
		if progress >= 100 {
			return store.PhaseCompleted, health, 100
		}
	case store.PhasePaused:
		switch {
		case r < 450:
			return store.PhaseActive, store.HealthMinorDelays, progress
		case r < 530:
			return store.PhaseDiscontinued, health, progress
		}
	case store.PhaseCompleted:
		if r < 400 {
			return store.PhaseInOperation, health, progress
		}
	}
	return phase, health, progress
}

// nextHealth drifts a health rating: mostly it stays, red recovers slowly.
func nextHealth(h store.Health, r int) store.Health {
	switch h {
	case store.HealthOnTrack:
		switch {
		case r < 80:
			return store.HealthOnTrack
		case r < 95:
			return store.HealthMinorDelays
		}
		return store.HealthMajorDelays
	case store.HealthMinorDelays:
		switch {
		case r < 40:
			return store.HealthOnTrack
		case r < 85:
			return store.HealthMinorDelays
		}
		return store.HealthMajorDelays
	}
	switch {
	case r < 10:
		return store.HealthOnTrack
	case r < 50:
		return store.HealthMinorDelays
	}
	return store.HealthMajorDelays
}

func (b *builder) summary(phase store.Phase, health store.Health) string {
	var from []string
	switch phase {
	case store.PhasePlanned:
		from = summaryPlanned
	case store.PhaseActive:
		switch health {
		case store.HealthOnTrack:
			from = summaryOnTrack
		case store.HealthMinorDelays:
			from = summaryMinor
		default:
			from = summaryMajor
		}
	case store.PhasePaused:
		from = summaryPaused
	case store.PhaseCompleted:
		from = summaryDone
	case store.PhaseInOperation:
		from = summaryOps
	default:
		from = summaryStopped
	}
	return from[b.rng.IntN(len(from))]
}
