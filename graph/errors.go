package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"handlingsplan/store"
)

// errorPresenter maps errors to GraphQL errors in one place: store errors
// keep their safe message and get their code in extensions.code; anything
// else is logged in full and reaches the client as "internal error" with
// the request ID to quote.
func errorPresenter(log *slog.Logger, requestID func(context.Context) string) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			// Parse and validation errors from gqlgen itself.
			return gqlErr
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		var se *store.Error
		if errors.As(err, &se) {
			out.Message = se.Message
			if out.Extensions == nil {
				out.Extensions = map[string]any{}
			}
			out.Extensions["code"] = string(se.Code)
			if se.Field != "" {
				out.Extensions["field"] = se.Field
			}
			if se.Code == store.StorageUnavailable {
				log.ErrorContext(ctx, "write failed", "err", se.Message, "requestId", requestID(ctx), "path", out.Path.String())
			}
			return out
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			out.Message = "request cancelled or timed out"
			out.Extensions = map[string]any{"code": "TIMEOUT"}
			return out
		}
		id := requestID(ctx)
		log.ErrorContext(ctx, "internal error", "err", err.Error(), "requestId", id, "path", out.Path.String())
		out.Message = "internal error"
		out.Extensions = map[string]any{"code": "INTERNAL", "requestId": id}
		return out
	}
}

// recoverFunc turns a panic in a resolver into an internal error.
func recoverFunc(log *slog.Logger, requestID func(context.Context) string) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "requestId", requestID(ctx))
		return fmt.Errorf("panic: %v", p)
	}
}
