package store

// Goal scores (måloppnåelse), after Digdir's state-of-the-realm report:
//
//   - An indicator's score is 1 + 2·p, where p is its latest observation's
//     progress from baseline to target, (value − baseline) / (target −
//     baseline), held within 0…1. At the baseline it scores 1.00, at or past
//     the target 3.00; an indicator with no observation has no score.
//   - A goal's score is the weighted mean of its scored indicators' scores,
//     Σ weight·score / Σ weight; none when no indicator is scored. Its band
//     is LOW below scoreMediumFrom, HIGH from scoreHighFrom, else MEDIUM.
//   - The expected value (forventet bane) at a time is read off the line
//     through baseline, trajectory and target (by year, flat outside them);
//     an indicator is on its trajectory when its latest value is at least
//     the expected value in the direction of the target.
//   - The pace is the change per year between the first and the latest
//     observation (the baseline and the latest when there is one
//     observation); the projection is the latest value plus the pace until
//     the target year, and the goal's projected score weighs the projected
//     values' scores the same way.

// IndicatorStatus is an indicator measured against its target and
// trajectory.
type IndicatorStatus struct {
	Indicator *Indicator
	// Latest is the newest observation, nil when there is none.
	Latest *Observation
	// Score is 1.00–3.00, nil without an observation.
	Score *float64
	// Expected is the trajectory's value at the latest observation.
	Expected     *float64
	OnTrajectory *bool
	// PacePerYear is the change per year at the current pace.
	PacePerYear *float64
	// ProjectedValue is the value at the target year at the current pace.
	ProjectedValue *float64
	ReachesTarget  *bool
}

// GoalScore is a goal's weighted score with its indicators.
type GoalScore struct {
	Goal           *Goal
	Score          *float64
	Band           *ScoreBand
	ProjectedScore *float64
	Indicators     []*IndicatorStatus
}

// indicatorScore maps a value to 1.00–3.00 by its progress to the target.
func indicatorScore(i *Indicator, v float64) float64 {
	p := (v - i.Baseline.Value) / (i.Target.Value - i.Baseline.Value)
	p = min(max(p, 0), 1)
	return 1 + 2*p
}

// expectedAt reads the trajectory line at year t.
func expectedAt(i *Indicator, t float64) float64 {
	pts := append([]YearValue{i.Baseline}, i.Trajectory...)
	pts = append(pts, i.Target)
	// Keep the points in year order; trajectory points outside the
	// baseline–target span still count.
	for a := 1; a < len(pts); a++ {
		for b := a; b > 0 && pts[b].Year < pts[b-1].Year; b-- {
			pts[b], pts[b-1] = pts[b-1], pts[b]
		}
	}
	if t <= float64(pts[0].Year) {
		return pts[0].Value
	}
	for k := 1; k < len(pts); k++ {
		x0, x1 := float64(pts[k-1].Year), float64(pts[k].Year)
		if t <= x1 {
			if x1 == x0 {
				return pts[k].Value
			}
			return pts[k-1].Value + (pts[k].Value-pts[k-1].Value)*(t-x0)/(x1-x0)
		}
	}
	return pts[len(pts)-1].Value
}

// Status measures the indicator.
func (i *Indicator) Status() *IndicatorStatus {
	st := &IndicatorStatus{Indicator: i}
	if len(i.Observations) == 0 {
		return st
	}
	last := i.Observations[len(i.Observations)-1]
	st.Latest = &last
	tLast, _ := periodYears(last.Period)
	score := indicatorScore(i, last.Value)
	st.Score = &score
	exp := expectedAt(i, tLast)
	st.Expected = &exp
	dir := 1.0
	if i.Target.Value < i.Baseline.Value {
		dir = -1
	}
	on := (last.Value-exp)*dir >= 0
	st.OnTrajectory = &on
	t0, v0 := float64(i.Baseline.Year), i.Baseline.Value
	if len(i.Observations) > 1 {
		t0, _ = periodYears(i.Observations[0].Period)
		v0 = i.Observations[0].Value
	}
	if tLast > t0 {
		pace := (last.Value - v0) / (tLast - t0)
		proj := last.Value + pace*max(float64(i.Target.Year)-tLast, 0)
		reaches := (proj-i.Target.Value)*dir >= 0
		st.PacePerYear, st.ProjectedValue, st.ReachesTarget = &pace, &proj, &reaches
	}
	return st
}

// GoalScore computes a goal's score from its indicators.
func (s *Snapshot) GoalScore(key string) (*GoalScore, error) {
	g, err := s.Goal(key)
	if err != nil {
		return nil, err
	}
	ind, err := s.Indicators(key)
	if err != nil {
		return nil, err
	}
	set, err := s.MoneySettings()
	if err != nil {
		return nil, err
	}
	out := &GoalScore{Goal: g, Indicators: []*IndicatorStatus{}}
	var w, ws, wp, wps float64
	for _, i := range ind {
		st := i.Status()
		out.Indicators = append(out.Indicators, st)
		if st.Score != nil {
			w += i.Weight
			ws += i.Weight * *st.Score
		}
		if st.ProjectedValue != nil {
			wp += i.Weight
			wps += i.Weight * indicatorScore(i, *st.ProjectedValue)
		}
	}
	if w > 0 {
		score := ws / w
		band := set.BandOf(score)
		out.Score, out.Band = &score, &band
	}
	if wp > 0 {
		p := wps / wp
		out.ProjectedScore = &p
	}
	return out, nil
}
