package graph

import (
	"context"
	"time"

	"handlingsplan/graph/model"
	"handlingsplan/store"
)

// followUpStore is what the follow-up resolvers need beyond [Store]: the
// store's clock (what "the current period" means) and the writes of
// reporting rounds. *store.DB implements it.
type followUpStore interface {
	Now() time.Time
	SetReportingCadence(ctx context.Context, a store.Actor, c store.ReportingCadence, deadlineDays, reminderDays *int) (*store.ReportingSettings, error)
	ExemptFromReporting(ctx context.Context, a store.Actor, tiltakKey, period, reason string) (*store.ReportingExemption, error)
	RemoveReportingExemption(ctx context.Context, a store.Actor, tiltakKey, period string) error
}

// followUp returns the store's follow-up methods; an error (internal)
// for a store without them.
func (r *Resolver) followUp() (followUpStore, error) {
	if fs, ok := r.store.(followUpStore); ok {
		return fs, nil
	}
	return nil, store.Errorf(store.Internal, "this store keeps no reporting rounds")
}

// now is the store's clock, or the wall clock for a store without one.
func (r *Resolver) now() time.Time {
	if fs, ok := r.store.(followUpStore); ok {
		return fs.Now()
	}
	return time.Now().UTC()
}

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
