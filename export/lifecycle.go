package export

import (
	"handlingsplan/store"
)

// The lifecycle's files: deliveries and milestones, ratings, and the coded
// obstacles of status reports.

var deliveryTable = &table{
	name: "deliveries",
	columns: []column{
		{"tiltakKey", typeKey}, {"tiltakTitle", typeText}, {"responsibleKey", typeKey}, {"responsibleName", typeText},
		{"deliveryKey", typeKey}, {"deliveryTitle", typeText}, {"kind", typeKey},
		{"baselineDate", typeDate}, {"forecastDate", typeDate}, {"actualDate", typeDate}, {"dueDate", typeDate}, {"slipDays", typeInt},
		{"deliveryPhase", typeKey}, {"deliveryHealth", typeKey},
		{"unit", typeText}, {"baselineValue", typeNumber}, {"targetValue", typeNumber}, {"achievedValue", typeNumber},
		{"evidenceUrl", typeText}, {"verifiedBy", typeText}, {"verifiedAt", typeDateTime}, {"version", typeInt}, {"updatedAt", typeDateTime},
	},
	params: []string{"tiltakKey", "bodyKey", "health"},
	rows:   deliveryRows,
}

// deliveryRows lists deliveries by tiltak and key, as they stand now (the
// store keeps no history of deliveries, so a period's file shows them too).
func deliveryRows(v *view, p *params) ([]row, error) {
	tiltakKey, bodyKey := p.tiltakKey("tiltakKey"), p.bodyKey("bodyKey")
	healths := enum(p, "health", store.AllHealths)
	if p.err != nil {
		return nil, p.err
	}
	ds, err := v.snap.FindDeliveries(store.DeliveryFilter{BodyKey: bodyKey})
	if err != nil {
		return nil, err
	}
	var out []row
	for _, d := range ds {
		if tiltakKey != "" && d.TiltakKey != tiltakKey || len(healths) > 0 && (d.Health == nil || !contains(healths, *d.Health)) {
			continue
		}
		t, err := v.snap.Tiltak(d.TiltakKey)
		if err != nil {
			return nil, err
		}
		responsible, _ := v.bodyName(t.ResponsibleKey)
		var verifiedAt any
		if d.VerifiedAt != nil {
			verifiedAt = timeValue(*d.VerifiedAt)
		}
		out = append(out, row{t.Key, t.Title, t.ResponsibleKey, responsible, d.Key, d.Title, string(d.Kind),
			opt(d.BaselineDate), opt(d.ForecastDate), opt(d.ActualDate), opt(d.DueDate()), d.SlipDays(),
			optp(d.Phase), optp(d.Health), opt(d.Unit), d.BaselineValue, d.TargetValue, d.AchievedValue,
			opt(d.EvidenceURL), opt(d.VerifiedBy), verifiedAt, d.Version, timeValue(d.UpdatedAt)})
	}
	return out, nil
}

var assessmentTable = &table{
	name: "assessments",
	columns: []column{
		{"tiltakKey", typeKey}, {"tiltakTitle", typeText}, {"period", typeKey}, {"role", typeKey},
		{"assessorKey", typeKey}, {"assessorName", typeText}, {"health", typeKey},
		{"rationale", typeText}, {"actions", typeText}, {"forumCase", typeKey},
		{"selfHealth", typeKey}, {"secretariatHealth", typeKey}, {"ratingGap", typeInt},
		{"version", typeInt}, {"updatedAt", typeDateTime},
	},
	params: []string{"tiltakKey", "period", "role"},
	rows:   assessmentRows,
}

// assessmentRows lists ratings by tiltak, period and role, each with the
// tiltak's own rating and the secretariat's for the period beside it. As
// of a period: that period's ratings.
func assessmentRows(v *view, p *params) ([]row, error) {
	tiltakKey := p.tiltakKey("tiltakKey")
	roles := enum(p, "role", []store.AssessmentRole{store.RoleSelf, store.RoleSecretariat, store.RoleForum, store.RoleExternal})
	period := v.periodParam(p)
	if p.err != nil {
		return nil, p.err
	}
	ts, err := v.allTiltak()
	if err != nil {
		return nil, err
	}
	var out []row
	for _, t := range ts {
		if tiltakKey != "" && t.Key != tiltakKey {
			continue
		}
		as, err := v.snap.Assessments(t.Key)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if period != nil && a.Period != period.Key || len(roles) > 0 && !contains(roles, a.Role) {
				continue
			}
			g, err := v.snap.RatingGap(t.Key, a.Period)
			if err != nil {
				return nil, err
			}
			name, _ := v.bodyName(a.AssessorKey)
			out = append(out, row{t.Key, t.Title, a.Period, string(a.Role), a.AssessorKey, name, string(a.Health),
				opt(a.Rationale), opt(a.Actions), opt(a.ForumCase), optp(g.Self), optp(g.Secretariat), g.Gap(),
				a.Version, timeValue(a.UpdatedAt)})
		}
	}
	return out, nil
}

var obstacleTable = &table{
	name: "obstacles",
	columns: []column{
		{"tiltakKey", typeKey}, {"tiltakTitle", typeText}, {"period", typeKey}, {"bodyKey", typeKey}, {"bodyName", typeText},
		{"reportState", typeKey}, {"code", typeKey}, {"labelNb", typeText}, {"labelEn", typeText}, {"severity", typeKey},
		{"text", typeText}, {"decisionBodyKey", typeKey}, {"decisionForumKey", typeKey},
	},
	params: []string{"tiltakKey", "bodyKey", "period", "code"},
	rows:   obstacleRows,
}

// obstacleRows lists the coded obstacles of status reports, one row each,
// by tiltak, period (oldest first), body and the report's order. Returned
// reports are listed with their state (obstacleCounts leaves them out). As
// of a period: that period's reports.
func obstacleRows(v *view, p *params) ([]row, error) {
	tiltakKey, bodyKey := p.tiltakKey("tiltakKey"), p.bodyKey("bodyKey")
	codes := enum(p, "code", allObstacleCodes())
	period := v.periodParam(p)
	if p.err != nil {
		return nil, p.err
	}
	labels := map[store.ObstacleCode]store.ObstacleCodeInfo{}
	for _, c := range store.ObstacleCodes {
		labels[c.Code] = c
	}
	ts, err := v.allTiltak()
	if err != nil {
		return nil, err
	}
	var out []row
	for _, t := range ts {
		if tiltakKey != "" && t.Key != tiltakKey {
			continue
		}
		reports, err := v.reports(t.Key)
		if err != nil {
			return nil, err
		}
		for _, r := range reports {
			if bodyKey != "" && r.BodyKey != bodyKey || period != nil && r.Period != period.Key {
				continue
			}
			name, _ := v.bodyName(r.BodyKey)
			for _, o := range r.Obstacles {
				if len(codes) > 0 && !contains(codes, o.Code) {
					continue
				}
				out = append(out, row{t.Key, t.Title, r.Period, r.BodyKey, name, string(r.ReportState()), string(o.Code),
					labels[o.Code].LabelNb, labels[o.Code].LabelEn, string(o.Severity), opt(o.Text), opt(o.DecisionBodyKey), opt(o.DecisionForumKey)})
			}
		}
	}
	return out, nil
}

// periodParam is the period a file is restricted to: the described period
// under /open-data/ (where the parameter is refused), else the parameter.
func (v *view) periodParam(p *params) *store.Period {
	if v.asOf != nil {
		if p.v.Has("period") {
			p.fail(badParam("period", "an open-data file's period is in its path"))
		}
		return v.asOf
	}
	return p.period("period")
}

func allObstacleCodes() []store.ObstacleCode {
	out := make([]store.ObstacleCode, len(store.ObstacleCodes))
	for i, c := range store.ObstacleCodes {
		out[i] = c.Code
	}
	return out
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
