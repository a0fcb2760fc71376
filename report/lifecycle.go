package report

import (
	"strconv"

	"handlingsplan/store"
)

// lifecycleView is the report's lifecycle section: where the body's own
// rating and the secretariat's differ, the period's coded obstacles, and
// the deliveries overdue at the period's end.
type lifecycleView struct {
	Ratings   []ratingRow
	Obstacles []obstacleRow
	Overdue   []deliveryRow
}

type ratingRow struct {
	Title, Body, Self, Secretariat, SelfClass, SecretariatClass, Rationale string
}

type obstacleRow struct {
	Label   string
	Count   int
	Reports int
}

type deliveryRow struct {
	Tiltak, Title, Body, Due, Slip string
}

var obstacleLabel = func() map[store.ObstacleCode]string {
	m := map[store.ObstacleCode]string{}
	for _, c := range store.ObstacleCodes {
		m[c.Code] = c.LabelNb
	}
	return m
}()

func healthText(h *store.Health) (string, string) {
	if h == nil {
		return "–", ""
	}
	return healthLabel[*h], healthClass[*h]
}

// lifecycleOf reads the lifecycle section of period's report.
func lifecycleOf(snap *store.Snapshot, n *names, period store.ReportingPeriod) (*lifecycleView, error) {
	lv := &lifecycleView{}
	gaps, err := snap.DivergingRatings(period.Key)
	if err != nil {
		return nil, err
	}
	for _, g := range gaps {
		t, err := snap.Tiltak(g.TiltakKey)
		if err != nil {
			return nil, err
		}
		r := ratingRow{Title: t.Title, Body: n.body(t.ResponsibleKey)}
		r.Self, r.SelfClass = healthText(g.Self)
		r.Secretariat, r.SecretariatClass = healthText(g.Secretariat)
		if a := g.SecretariatAssessment; a != nil {
			r.Rationale = a.Rationale
		}
		lv.Ratings = append(lv.Ratings, r)
	}
	counts, err := snap.ObstacleCounts(store.GroupByCode, period.Key)
	if err != nil {
		return nil, err
	}
	for _, c := range counts {
		lv.Obstacles = append(lv.Obstacles, obstacleRow{Label: obstacleLabel[c.Code], Count: c.Count, Reports: c.Reports})
	}
	overdue := true
	ds, err := snap.FindDeliveries(store.DeliveryFilter{Overdue: &overdue, Today: period.EndDate()})
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		t, err := snap.Tiltak(d.TiltakKey)
		if err != nil {
			return nil, err
		}
		r := deliveryRow{Tiltak: t.Title, Title: d.Title, Body: n.body(t.ResponsibleKey), Due: d.DueDate(), Slip: "–"}
		if s := d.SlipDays(); s != nil {
			r.Slip = strconv.Itoa(*s)
		}
		lv.Overdue = append(lv.Overdue, r)
	}
	return lv, nil
}
