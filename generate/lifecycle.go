package generate

import (
	"hash/fnv"
	"math/rand/v2"
	"time"

	"handlingsplan/store"
)

// The lifecycle in generated data: coded obstacles on status reports, and
// deliveries and secretariat ratings on some tiltak. Each is drawn from a
// random source of its own, seeded from the seed and the tiltak (and
// period), so adding them leaves the rest of the generated plan as it was.

// obstacleWeights are how often each code is drawn (capacity most often,
// as in Digdir's reading of the status reports).
var obstacleWeights = []struct {
	code   store.ObstacleCode
	weight int
}{
	{store.ObstacleCapacity, 25}, {store.ObstacleJointFunding, 15}, {store.ObstaclePriority, 13},
	{store.ObstacleDataSharingLegal, 12}, {store.ObstacleLegalBasis, 10}, {store.ObstacleSupplier, 10},
	{store.ObstacleCollaboration, 10}, {store.ObstacleOther, 5},
}

func (b *builder) lifecycleRand(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(b.seed, h.Sum64()))
}

// codeObstacles gives an active report with delays one to three coded
// obstacles (and one on track, now and then, one minor obstacle).
func (b *builder) codeObstacles(r *store.StatusReport) {
	if r.Health == nil {
		return
	}
	rng := b.lifecycleRand("obstacles", r.TiltakKey, r.Period)
	n := 0
	sev := store.SeverityMedium
	switch *r.Health {
	case store.HealthOnTrack:
		if rng.IntN(10) == 0 {
			n, sev = 1, store.SeverityLow
		}
	case store.HealthMinorDelays:
		n = []int{0, 1, 1, 1, 1, 1, 1, 2, 2, 2}[rng.IntN(10)]
	case store.HealthMajorDelays:
		n, sev = 1+rng.IntN(3), store.SeverityHigh
	}
	seen := map[store.ObstacleCode]bool{}
	for len(r.Obstacles) < n {
		w := rng.IntN(100)
		code := store.ObstacleOther
		for _, o := range obstacleWeights {
			if w < o.weight {
				code = o.code
				break
			}
			w -= o.weight
		}
		if seen[code] {
			continue
		}
		seen[code] = true
		o := store.Obstacle{Code: code, Severity: sev}
		if code == store.ObstacleOther {
			o.Text = "Avhengig av en annen virksomhets omlegging"
		}
		r.Obstacles = append(r.Obstacles, o)
	}
}

// lifecycle gives about a third of the tiltak one to three deliveries
// between their start and end, and about one in five with a rated last
// report a secretariat rating, now and then a worse one.
func (b *builder) lifecycle(t *store.Tiltak, last *store.StatusReport) {
	rng := b.lifecycleRand("lifecycle", t.Key)
	start, err1 := time.Parse(time.DateOnly, t.StartDate)
	end, err2 := time.Parse(time.DateOnly, t.EndDate)
	if b.plan.Lifecycle == nil {
		b.plan.Lifecycle = &store.PlanLifecycle{}
	}
	l := b.plan.Lifecycle
	if err1 == nil && err2 == nil && rng.IntN(3) == 0 {
		span := int(end.Sub(start).Hours()/24) + 1
		n := 1 + rng.IntN(3)
		for i := 0; i < n; i++ {
			base := start.AddDate(0, 0, span*(i+1)/(n+1))
			d := store.TiltakDelivery{TiltakKey: t.Key, Key: "leveranse-" + string(rune('a'+i)), Title: "Leveranse " + string(rune('A'+i)) + " i " + t.Title,
				Kind: store.DeliveryMilestone, BaselineDate: base.Format(time.DateOnly), Meta: store.Meta{Version: 1, UpdatedAt: last.ReportedAt, Provenance: reportProvenance}}
			if last.Health != nil && *last.Health != store.HealthOnTrack {
				d.ForecastDate = base.AddDate(0, 1+rng.IntN(6), 0).Format(time.DateOnly)
				h := *last.Health
				d.Health = &h
			}
			if last.Phase == store.PhaseCompleted || last.Phase == store.PhaseInOperation {
				d.ActualDate = d.BaselineDate
			}
			l.Deliveries = append(l.Deliveries, d)
		}
	}
	if last.Health != nil && rng.IntN(5) == 0 {
		a := store.Assessment{TiltakKey: t.Key, Period: last.Period, Role: store.RoleSecretariat, AssessorKey: "digdir",
			Health: *last.Health, Meta: store.Meta{Version: 1, UpdatedAt: last.ReportedAt, Provenance: reportProvenance}}
		if rng.IntN(3) == 0 && a.Health != store.HealthMajorDelays {
			a.Health = store.HealthMajorDelays
			a.Rationale = "Sekretariatet vurderer framdriften som svakere enn rapportert"
		}
		l.Assessments = append(l.Assessments, a)
	}
}
