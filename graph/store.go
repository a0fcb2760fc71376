package graph

import (
	"context"

	"handlingsplan/store"
)

// Store is what the GraphQL layer needs of the store: a consistent snapshot
// per request for reads, token look-up, and the write methods. *store.DB
// implements it.
type Store interface {
	revisionStore
	followUpStore
	moneyStore
	lifecycleStore

	Snapshot() *store.Snapshot
	Authenticate(secret string) (*store.Token, error)
	Tokens() ([]store.Token, error)
	CreateToken(ctx context.Context, a store.Actor, bodyKey string, role store.Role, name string) (string, *store.Token, error)
	RevokeToken(ctx context.Context, a store.Actor, id string) (*store.Token, error)

	CreateWebhook(ctx context.Context, a store.Actor, bodyKey, url string, events []store.EventType, secret string) (*store.Webhook, error)
	DeleteWebhook(ctx context.Context, id string) error
	Webhooks(bodyKey string) ([]*store.Webhook, error)
	Webhook(id string) (*store.Webhook, error)
	Deliveries(id string, limit int) ([]*store.Delivery, error)

	ReportStatus(ctx context.Context, a store.Actor, r store.StatusReport) (*store.StatusReport, error)

	CreateLifeEvent(ctx context.Context, a store.Actor, e *store.LifeEvent) (*store.LifeEvent, error)
	UpdateLifeEvent(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.LifeEvent) error) (*store.LifeEvent, error)
	DeleteLifeEvent(ctx context.Context, a store.Actor, key string, x store.Expect) error
	CreateFocusArea(ctx context.Context, a store.Actor, f *store.FocusArea) (*store.FocusArea, error)
	UpdateFocusArea(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.FocusArea) error) (*store.FocusArea, error)
	DeleteFocusArea(ctx context.Context, a store.Actor, key string, x store.Expect) error
	CreateInitiative(ctx context.Context, a store.Actor, i *store.Initiative) (*store.Initiative, error)
	UpdateInitiative(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Initiative) error) (*store.Initiative, error)
	DeleteInitiative(ctx context.Context, a store.Actor, key string, x store.Expect) error
	CreateTiltak(ctx context.Context, a store.Actor, t *store.Tiltak) (*store.Tiltak, error)
	UpdateTiltak(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Tiltak) error) (*store.Tiltak, error)
	DeleteTiltak(ctx context.Context, a store.Actor, key string, x store.Expect) error
	CreateBody(ctx context.Context, a store.Actor, b *store.Body) (*store.Body, error)
	UpdateBody(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Body) error) (*store.Body, error)
	DeleteBody(ctx context.Context, a store.Actor, key string, x store.Expect) error
	CreateGovernanceLevel(ctx context.Context, a store.Actor, g *store.GovernanceLevel) (*store.GovernanceLevel, error)
	UpdateGovernanceLevel(ctx context.Context, a store.Actor, level int, x store.Expect, change func(*store.GovernanceLevel) error) (*store.GovernanceLevel, error)
	DeleteGovernanceLevel(ctx context.Context, a store.Actor, level int, x store.Expect) error
	CreateForum(ctx context.Context, a store.Actor, f *store.Forum) (*store.Forum, error)
	UpdateForum(ctx context.Context, a store.Actor, key string, x store.Expect, change func(*store.Forum) error) (*store.Forum, error)
	DeleteForum(ctx context.Context, a store.Actor, key string, x store.Expect) error
}
