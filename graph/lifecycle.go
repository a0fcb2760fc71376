package graph

import (
	"context"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// lifecycleStore is what the lifecycle resolvers need of the store (part
// of [Store]). *store.DB implements it.
type lifecycleStore interface {
	DraftReport(ctx context.Context, a store.Actor, r store.Report, change func(*store.Report) error) (*store.Report, error)
	UpdateReport(ctx context.Context, a store.Actor, id string, x store.Expect, change func(*store.Report) error) (*store.Report, error)
	SubmitReport(ctx context.Context, a store.Actor, id string) (*store.Report, error)
	AcceptReport(ctx context.Context, a store.Actor, id string) (*store.Report, error)
	ReturnReport(ctx context.Context, a store.Actor, id, reason string) (*store.Report, error)
	SaveDelivery(ctx context.Context, a store.Actor, tiltak, key string, x store.Expect, change func(*store.TiltakDelivery) error) (*store.TiltakDelivery, error)
	VerifyDelivery(ctx context.Context, a store.Actor, tiltak, key, evidenceURL string) (*store.TiltakDelivery, error)
	DeleteDelivery(ctx context.Context, a store.Actor, tiltak, key string) error
	Assess(ctx context.Context, a store.Actor, as store.Assessment) (*store.Assessment, error)
	SaveDependency(ctx context.Context, a store.Actor, d store.Dependency, x store.Expect) (*store.Dependency, error)
	RemoveDependency(ctx context.Context, a store.Actor, tiltak, key string) error
}

// viewer is who reads stage reports: drafts are shown to their own body
// and to EDITOR and ADMIN tokens only.
func viewer(ctx context.Context) store.Viewer {
	t := actor(ctx)
	if t == nil {
		return store.Viewer{}
	}
	return store.Viewer{BodyKey: t.BodyKey, Editor: t.Role == store.RoleAdmin || t.Role == store.RoleEditor}
}

// orToken is the key given, else the token's body.
func orToken(ctx context.Context, key *string) string {
	if k := str(key); k != "" {
		return k
	}
	if t := actor(ctx); t != nil {
		return t.BodyKey
	}
	return ""
}

func reportPayload(ctx context.Context, r *store.Report, err error) (*model.ReportPayload, error) {
	ue, err := outcome(ctx, err)
	if err != nil || len(ue) > 0 {
		return &model.ReportPayload{UserErrors: ue}, err
	}
	return &model.ReportPayload{Report: r, UserErrors: ue}, nil
}

func deliveryPayload(ctx context.Context, d *store.TiltakDelivery, err error) (*model.DeliveryPayload, error) {
	ue, err := outcome(ctx, err)
	if err != nil || len(ue) > 0 {
		return &model.DeliveryPayload{UserErrors: ue}, err
	}
	return &model.DeliveryPayload{Delivery: d, UserErrors: ue}, nil
}

func obstacles(in []*model.ObstacleInput) []store.Obstacle {
	out := make([]store.Obstacle, 0, len(in))
	for _, o := range in {
		out = append(out, store.Obstacle{Code: o.Code, Severity: o.Severity, Text: str(o.Text),
			DecisionBodyKey: str(o.DecisionBodyKey), DecisionForumKey: str(o.DecisionForumKey)})
	}
	return out
}

func deliveryProgress(in []*model.DeliveryProgressInput) []store.DeliveryProgress {
	out := make([]store.DeliveryProgress, 0, len(in))
	for _, d := range in {
		out = append(out, store.DeliveryProgress{DeliveryKey: d.DeliveryKey, Phase: d.Phase, Health: d.Health,
			ForecastDate: str(d.ForecastDate), ActualDate: str(d.ActualDate), AchievedValue: d.AchievedValue, Note: str(d.Note)})
	}
	return out
}

// withLifecycle copies reportStatus's lifecycle fields onto the report.
func withLifecycle(r *store.StatusReport, in model.ReportStatusInput) {
	if in.Obstacles != nil {
		r.Obstacles = obstacles(in.Obstacles)
	}
	if in.Deliveries != nil {
		r.Deliveries = deliveryProgress(in.Deliveries)
	}
}

// reportSections are the parts of a draft an input may set.
type reportSections struct {
	summary      *string
	registration *model.RegistrationInput
	startup      *model.StartupInput
	status       *model.StatusContentInput
	closure      *model.ClosureInput
}

// patch returns the change that sets what the input gives.
func (s reportSections) patch() func(*store.Report) error {
	return func(r *store.Report) error {
		set(&r.Summary, s.summary)
		if in := s.registration; in != nil {
			if r.Registration == nil {
				r.Registration = &store.Registration{}
			}
			g := r.Registration
			set(&g.CommitmentText, in.CommitmentText)
			set(&g.FocusAreaKey, in.FocusAreaKey)
			set(&g.MinistryKey, in.MinistryKey)
			set(&g.ExecutingBodyKey, in.ExecutingBodyKey)
			setList(&g.ParticipantKeys, in.ParticipantKeys)
			set(&g.Contact, in.Contact)
		}
		if in := s.startup; in != nil {
			if r.Startup == nil {
				r.Startup = &store.Startup{}
			}
			u := r.Startup
			set(&u.PlannedStart, in.PlannedStart)
			set(&u.Funding, in.Funding)
			if in.FundingSecured != nil {
				u.FundingSecured = in.FundingSecured
			}
			if in.Deliveries != nil {
				u.Deliveries = make([]store.PlannedDelivery, 0, len(in.Deliveries))
				for _, d := range in.Deliveries {
					u.Deliveries = append(u.Deliveries, store.PlannedDelivery{Key: d.Key, Title: d.Title, Kind: d.Kind,
						BaselineDate: str(d.BaselineDate), Unit: str(d.Unit), TargetValue: d.TargetValue})
				}
			}
		}
		if in := s.status; in != nil {
			if r.Status == nil {
				r.Status = &store.StatusContent{}
			}
			c := r.Status
			set(&c.Phase, in.Phase)
			if in.Health != nil {
				c.Health = in.Health
			}
			set(&c.Progress, in.Progress)
			set(&c.Risks, in.Risks)
			if in.Obstacles != nil {
				c.Obstacles = obstacles(in.Obstacles)
			}
			if in.Deliveries != nil {
				c.Deliveries = deliveryProgress(in.Deliveries)
			}
		}
		if in := s.closure; in != nil {
			if r.Closure == nil {
				r.Closure = &store.Closure{}
			}
			c := r.Closure
			set(&c.Outcome, in.Outcome)
			set(&c.Reason, in.Reason)
			setList(&c.MainDeliveries, in.MainDeliveries)
			if in.Lessons != nil {
				c.Lessons = make([]store.Lesson, 0, len(in.Lessons))
				for _, l := range in.Lessons {
					c.Lessons = append(c.Lessons, store.Lesson{Text: l.Text, Themes: l.Themes})
				}
			}
			set(&c.OperationsOwnerKey, in.OperationsOwnerKey)
			if in.OperationsFunded != nil {
				c.OperationsFunded = in.OperationsFunded
			}
			set(&c.BenefitsHandedToKey, in.BenefitsHandedToKey)
			set(&c.FollowUpUntil, in.FollowUpUntil)
		}
		return nil
	}
}

func patchDelivery(in model.SaveDeliveryInput) func(*store.TiltakDelivery) error {
	return func(d *store.TiltakDelivery) error {
		set(&d.Title, in.Title)
		set(&d.Kind, in.Kind)
		set(&d.BaselineDate, in.BaselineDate)
		set(&d.ForecastDate, in.ForecastDate)
		set(&d.ActualDate, in.ActualDate)
		if in.Phase != nil {
			d.Phase = in.Phase
		}
		if in.Health != nil {
			d.Health = in.Health
		}
		set(&d.Unit, in.Unit)
		for _, v := range []struct {
			dst **float64
			src *float64
		}{{&d.BaselineValue, in.BaselineValue}, {&d.TargetValue, in.TargetValue}, {&d.AchievedValue, in.AchievedValue}} {
			if v.src != nil {
				*v.dst = v.src
			}
		}
		set(&d.EvidenceURL, in.EvidenceURL)
		return nil
	}
}

func deliveryFilter(f *model.DeliveryFilter, today string) store.DeliveryFilter {
	out := store.DeliveryFilter{Today: today}
	if f == nil {
		return out
	}
	if f.DueBetween != nil {
		out.DueFrom, out.DueTo = str(f.DueBetween.From), str(f.DueBetween.To)
	}
	out.Health, out.BodyKey, out.Overdue = f.Health, str(f.Body), f.Overdue
	return out
}

// optBody loads a body by key; nil for "".
func optBody(ctx context.Context, key string) (*store.Body, error) {
	if key == "" {
		return nil, nil
	}
	return snapshot(ctx).Body(key)
}

func dependency(in model.SaveDependencyInput) store.Dependency {
	d := store.Dependency{Key: in.Key, FromTiltakKey: in.FromTiltakKey, FromDeliveryKey: str(in.FromDeliveryKey), To: in.To,
		ToTiltakKey: str(in.ToTiltakKey), ToDeliveryKey: str(in.ToDeliveryKey), Reference: str(in.Reference),
		NeededBy: str(in.NeededBy), OwnerKey: str(in.OwnerKey)}
	if in.State != nil {
		d.State = *in.State
	}
	return d
}
