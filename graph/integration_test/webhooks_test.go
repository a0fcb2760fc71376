package integration_test

import (
	"slices"
	"strings"
	"testing"

	"handlingsplan/graph"
	"handlingsplan/store"
)

const registerWebhookDoc = `mutation($in: RegisterWebhookInput!) { r: registerWebhook(input: $in) {
	secret webhook { id url events body { key } createdAt } userErrors { field message code } } }`

type webhookView struct {
	ID     string
	URL    string
	Events []string
	Body   struct{ Key string }
}

// webhooks lists the webhooks a token sees.
func (e *env) webhooks(secret string) []webhookView {
	e.t.Helper()
	var d struct{ Webhooks []webhookView }
	e.query(secret, `{ webhooks { id url events body { key } } }`, nil, &d)
	return d.Webhooks
}

func webhookIDs(ws []webhookView) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.ID)
	}
	slices.Sort(out)
	return out
}

// register makes a webhook through the API and returns it with its secret.
func (e *env) register(secret, url string, events ...string) (webhookView, string) {
	e.t.Helper()
	var p struct {
		Secret  string
		Webhook webhookView
	}
	e.mustMutate(secret, registerWebhookDoc, map[string]any{"in": map[string]any{"url": url, "events": events}}, &p)
	return p.Webhook, p.Secret
}

// TestWebhooks: a body's integration registers its own webhooks with a
// REPORTER token; each body sees and deletes only its own (an ADMIN, all),
// and to another body a webhook it does not own does not exist.
func TestWebhooks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graph.Options{})
	admin := e.token("kmd", store.RoleAdmin, "drift")
	digdir := e.token("digdir", store.RoleReporter, "digdir-integrasjon")
	ks := e.token("ks", store.RoleReporter, "ks-integrasjon")
	reader := e.token("digdir", store.RoleReader, "digdir-lesing")

	hook, hookSecret := e.register(digdir, "https://digdir.example/hooks/status", "STATUS_REPORTED", "TILTAK_CHANGED")
	if hook.ID == "" || hook.Body.Key != "digdir" || hook.URL != "https://digdir.example/hooks/status" || !slices.Equal(hook.Events, []string{"STATUS_REPORTED", "TILTAK_CHANGED"}) {
		t.Fatalf("registerWebhook answered %+v", hook)
	}
	if len(hookSecret) < 16 {
		t.Errorf("made-up secret %q is shorter than 16 characters", hookSecret)
	}
	ksHook, _ := e.register(ks, "https://ks.example/hook", "TILTAK_CHANGED")

	t.Run("each body sees its own; ADMIN sees all", func(t *testing.T) {
		e := e.with(t)
		if got := webhookIDs(e.webhooks(digdir)); !slices.Equal(got, []string{hook.ID}) {
			t.Errorf("digdir sees %v, want only %s", got, hook.ID)
		}
		if got := webhookIDs(e.webhooks(ks)); !slices.Equal(got, []string{ksHook.ID}) {
			t.Errorf("ks sees %v, want only %s", got, ksHook.ID)
		}
		if got, want := webhookIDs(e.webhooks(admin)), webhookIDs([]webhookView{hook, ksHook}); !slices.Equal(got, want) {
			t.Errorf("ADMIN sees %v, want %v", got, want)
		}
	})
	t.Run("the signing secret is shown only at registration", func(t *testing.T) {
		e := e.with(t)
		r := e.post(admin, `{ webhooks { id url events createdAt body { key } deliveries { eventSeq } } }`, nil)
		if strings.Contains(string(r.Raw), hookSecret) {
			t.Errorf("webhooks shows the secret: %s", r.Raw)
		}
		if r := e.post(admin, `{ webhooks { secret } }`, nil); len(r.Errors) == 0 || r.Errors[0].code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("webhooks { secret }: want a validation error, got %s", r.Raw)
		}
	})
	t.Run("a chosen secret is kept", func(t *testing.T) {
		e := e.with(t)
		var p struct{ Secret string }
		e.mustMutate(ks, registerWebhookDoc, map[string]any{"in": map[string]any{"url": "https://ks.example/chosen", "events": []string{"STATUS_REPORTED"}, "secret": "0123456789abcdef"}}, &p)
		if p.Secret != "0123456789abcdef" {
			t.Errorf("secret %q, want the one given", p.Secret)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		e := e.with(t)
		for _, tt := range []struct {
			in        map[string]any
			wantField string
		}{
			{map[string]any{"url": "ftp://digdir.example/x", "events": []string{"STATUS_REPORTED"}}, "url"},
			{map[string]any{"url": "/relative", "events": []string{"STATUS_REPORTED"}}, "url"},
			{map[string]any{"url": "https://digdir.example/x", "events": []string{}}, "events"},
			{map[string]any{"url": "https://digdir.example/x", "events": []string{"STATUS_REPORTED"}, "secret": "kort"}, "secret"},
		} {
			before := e.touched()
			_, ue := e.mutate(digdir, registerWebhookDoc, map[string]any{"in": tt.in})
			if len(ue) != 1 || ue[0].Code != "INVALID" || ptrString(ue[0].Field) != tt.wantField {
				t.Errorf("%v: userErrors %v, want INVALID on %s", tt.in, ue, tt.wantField)
			}
			requireUnchanged(t, before, e.touched())
		}
	})
	t.Run("a READER may not manage webhooks", func(t *testing.T) {
		e := e.with(t)
		before := e.touched()
		for _, doc := range []string{
			`mutation { r: registerWebhook(input: {url: "https://digdir.example/r", events: [STATUS_REPORTED]}) { userErrors { code } } }`,
			`mutation { r: deleteWebhook(id: "` + hook.ID + `") { userErrors { code } } }`,
		} {
			if r := e.post(reader, doc, nil); len(r.Errors) != 1 || r.Errors[0].code() != "FORBIDDEN" {
				t.Errorf("READER: %s, want FORBIDDEN", r.Raw)
			}
		}
		requireUnchanged(t, before, e.touched())
	})
	t.Run("another body's webhook is NOT_FOUND to delete", func(t *testing.T) {
		e := e.with(t)
		before := e.touched()
		for _, id := range []string{hook.ID, "wh-000000000000"} {
			payload, ue := e.mutate(ks, `mutation($id: String!) { r: deleteWebhook(id: $id) { deletedKey userErrors { field message code } } }`, map[string]any{"id": id})
			if len(ue) != 1 || ue[0].Code != "NOT_FOUND" || ptrString(ue[0].Field) != "id" || !strings.Contains(string(payload), `"deletedKey":null`) {
				t.Errorf("ks deleting %s: %s, want NOT_FOUND on id", id, payload)
			}
		}
		requireUnchanged(t, before, e.touched())
		if got := webhookIDs(e.webhooks(digdir)); !slices.Equal(got, []string{hook.ID}) {
			t.Errorf("digdir's webhooks after ks's attempt: %v", got)
		}
	})
	t.Run("the owner deletes its own; ADMIN any", func(t *testing.T) {
		e := e.with(t)
		var p struct{ DeletedKey string }
		e.mustMutate(digdir, `mutation($id: String!) { r: deleteWebhook(id: $id) { deletedKey userErrors { field message code } } }`, map[string]any{"id": hook.ID}, &p)
		if p.DeletedKey != hook.ID {
			t.Errorf("deletedKey %q, want %s", p.DeletedKey, hook.ID)
		}
		e.mustMutate(admin, `mutation($id: String!) { r: deleteWebhook(id: $id) { deletedKey userErrors { field message code } } }`, map[string]any{"id": ksHook.ID}, &p)
		if got := e.webhooks(digdir); len(got) != 0 {
			t.Errorf("digdir still has %v", got)
		}
		if got := webhookIDs(e.webhooks(ks)); slices.Contains(got, ksHook.ID) {
			t.Errorf("ks's webhook %s survived ADMIN's delete", ksHook.ID)
		}
	})
}
