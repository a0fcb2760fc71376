package graph

import (
	"context"
	"time"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// followUpStore is what the follow-up resolvers need of the store (part of
// [Store]): the store's clock (what "the current period" means) and the writes of
// reporting rounds. *store.DB implements it.
type followUpStore interface {
	Now() time.Time
	SetReportingCadence(ctx context.Context, a store.Actor, c store.ReportingCadence, deadlineDays, reminderDays *int) (*store.ReportingSettings, error)
	ExemptFromReporting(ctx context.Context, a store.Actor, tiltakKey, period, reason string) (*store.ReportingExemption, error)
	RemoveReportingExemption(ctx context.Context, a store.Actor, tiltakKey, period string) error
}

// followUp returns the store's follow-up methods. It never fails; the
// error keeps the call sites' shape.
func (r *Resolver) followUp() (followUpStore, error) { return r.store, nil }

// now is the store's clock.
func (r *Resolver) now() time.Time { return r.store.Now() }

func setCadence(ctx context.Context, r *Resolver, c store.ReportingCadence, deadlineDays, reminderDays *int) (*model.ReportingSettingsPayload, error) {
	fs, err := r.followUp()
	if err != nil {
		return nil, err
	}
	set, err := fs.SetReportingCadence(ctx, actorOf(ctx), c, deadlineDays, reminderDays)
	ue, err := outcome(ctx, err)
	if err != nil || len(ue) > 0 {
		return &model.ReportingSettingsPayload{UserErrors: ue}, err
	}
	return &model.ReportingSettingsPayload{Settings: set, UserErrors: ue}, nil
}

func exempt(ctx context.Context, r *Resolver, in model.ExemptFromReportingInput) (*model.ReportingExemptionPayload, error) {
	fs, err := r.followUp()
	if err != nil {
		return nil, err
	}
	e, err := fs.ExemptFromReporting(ctx, actorOf(ctx), in.TiltakKey, in.Period, in.Reason)
	ue, err := outcome(ctx, err)
	if err != nil || len(ue) > 0 {
		return &model.ReportingExemptionPayload{UserErrors: ue}, err
	}
	return &model.ReportingExemptionPayload{Exemption: e, UserErrors: ue}, nil
}

func removeExemption(ctx context.Context, r *Resolver, tiltakKey, period string) (*model.DeletePayload, error) {
	fs, err := r.followUp()
	if err != nil {
		return nil, err
	}
	return deleted(ctx, tiltakKey+"/"+period, fs.RemoveReportingExemption(ctx, actorOf(ctx), tiltakKey, period))
}
