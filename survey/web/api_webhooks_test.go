package web_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

func webhookBody(url, events, secret string) string {
	return `{"url": "` + url + `", "events": ` + events + `, "secret": "` + secret + `"}`
}

const goodSecret = "a-long-enough-secret"

// noWebhooks checks that a refused request stored nothing.
func noWebhooks(t *testing.T, e *webtest.Env, _ *httptest.ResponseRecorder) {
	ws, err := e.DB.ListWebhooks(t.Context())
	if err != nil || len(ws) != 0 {
		t.Errorf("%d webhooks stored (%v), want none", len(ws), err)
	}
}

// TestAPIWebhookCreateRefused: every kind of bad input is a 400 naming the
// field, and nothing is stored; only admins may create webhooks.
func TestAPIWebhookCreateRefused(t *testing.T) {
	events := `["response.created"]`
	bad := func(name, body, field string) webtest.Scenario {
		return webtest.Scenario{Name: name, Method: "POST", URL: "/api/v1/webhooks", User: "admin", Body: body,
			WantStatus: http.StatusBadRequest, WantContains: []string{`"` + field + `":`}, Check: noWebhooks}
	}
	webtest.Run(t, []webtest.Scenario{
		bad("ftp", webhookBody("ftp://hooks.example.org/x", events, goodSecret), "url"),
		bad("no scheme", webhookBody("hooks.example.org/x", events, goodSecret), "url"),
		bad("loopback", webhookBody("http://127.0.0.1:8080/hook", events, goodSecret), "url"),
		bad("loopback v6", webhookBody("http://[::1]/hook", events, goodSecret), "url"),
		bad("localhost", webhookBody("http://localhost/hook", events, goodSecret), "url"),
		bad("private", webhookBody("https://10.0.0.7/hook", events, goodSecret), "url"),
		bad("private 192.168", webhookBody("https://192.168.1.20/hook", events, goodSecret), "url"),
		bad("link-local", webhookBody("http://169.254.169.254/latest/meta-data", events, goodSecret), "url"),
		bad("unspecified", webhookBody("http://0.0.0.0/hook", events, goodSecret), "url"),
		bad("too long", webhookBody("https://93.184.216.34/"+strings.Repeat("a", 2048), events, goodSecret), "url"),
		bad("credentials", webhookBody("https://u:p@93.184.216.34/hook", events, goodSecret), "url"),
		bad("no url", webhookBody("", events, goodSecret), "url"),
		bad("unknown event", webhookBody("https://93.184.216.34/hook", `["response.created", "response.deleted"]`, goodSecret), "events"),
		bad("empty events", webhookBody("https://93.184.216.34/hook", `[]`, goodSecret), "events"),
		bad("no events", `{"url": "https://93.184.216.34/hook", "secret": "`+goodSecret+`"}`, "events"),
		bad("no secret", `{"url": "https://93.184.216.34/hook", "events": `+events+`}`, "secret"),
		bad("short secret", webhookBody("https://93.184.216.34/hook", events, "short"), "secret"),
		{Name: "unknown field", Method: "POST", URL: "/api/v1/webhooks", User: "admin",
			Body:       `{"url": "https://93.184.216.34/hook", "events": ["response.created"], "secret": "` + goodSecret + `", "active": true}`,
			WantStatus: http.StatusBadRequest, Check: noWebhooks},
		{Name: "official", Method: "POST", URL: "/api/v1/webhooks", User: "off",
			Body: webhookBody("https://93.184.216.34/hook", events, goodSecret), WantStatus: http.StatusForbidden, Check: noWebhooks},
		{Name: "anonymous", Method: "POST", URL: "/api/v1/webhooks",
			Body: webhookBody("https://93.184.216.34/hook", events, goodSecret), WantStatus: http.StatusUnauthorized, Check: noWebhooks},
		{Name: "official list", URL: "/api/v1/webhooks", User: "off", WantStatus: http.StatusForbidden},
		{Name: "official deliveries", URL: "/api/v1/webhooks/1/deliveries", User: "off", WantStatus: http.StatusForbidden},
		{Name: "unknown webhook", URL: "/api/v1/webhooks/99", User: "admin", WantStatus: http.StatusNotFound},
		{Name: "unknown deliveries", URL: "/api/v1/webhooks/99/deliveries", User: "admin", WantStatus: http.StatusNotFound},
		{Name: "bad id", URL: "/api/v1/webhooks/x", User: "admin", WantStatus: http.StatusBadRequest},
		{Name: "delete unknown", Method: "DELETE", URL: "/api/v1/webhooks/99", User: "admin", WantStatus: http.StatusNotFound},
	})
}

// TestAPIWebhookLifecycle: an admin creates a webhook (the secret is never
// answered), reads it, its empty delivery log, and disables it; both are
// audited. With --webhook-allow-private a loopback receiver is accepted.
func TestAPIWebhookLifecycle(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{WebhookAllowPrivate: true}))
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/webhooks", User: "admin",
		Body: webhookBody("http://127.0.0.1:9999/hook", `["response.created", "task.overdue", "response.created"]`, goodSecret)})
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), goodSecret) {
		t.Fatalf("the answer carries the secret: %s", w.Body)
	}
	var hook survey.Webhook
	decodeInto(t, w, &hook)
	if hook.ID == 0 || hook.SecretHint != "…cret" || strings.Join(hook.Events, ",") != "response.created,task.overdue" || hook.CreatedBy != "admin" {
		t.Fatalf("created %+v", hook)
	}
	id := strconv.FormatInt(hook.ID, 10)
	if loc := w.Header().Get("Location"); loc != "/api/v1/webhooks/"+id {
		t.Errorf("Location %q", loc)
	}
	for _, u := range []string{"/api/v1/webhooks", "/api/v1/webhooks/" + id} {
		w := e.Do(t, webtest.Request{URL: u, User: "admin"})
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "127.0.0.1:9999") || strings.Contains(w.Body.String(), goodSecret) {
			t.Errorf("GET %s: %d %s", u, w.Code, w.Body)
		}
	}
	w = e.Do(t, webtest.Request{URL: "/api/v1/webhooks/" + id + "/deliveries", User: "admin"})
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"deliveries":[]}` {
		t.Errorf("deliveries: %d %s", w.Code, w.Body)
	}
	w = e.Do(t, webtest.Request{Method: "DELETE", URL: "/api/v1/webhooks/" + id, User: "admin"})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"disabled":true`) {
		t.Errorf("delete: %d %s", w.Code, w.Body)
	}
	es, err := e.DB.ListAudit(t.Context(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range es {
		if strings.HasPrefix(a.Action, "webhook.") {
			actions = append(actions, a.Action+" by "+a.User)
		}
	}
	if strings.Join(actions, "; ") != "webhook.disable by admin; webhook.create by admin" {
		t.Errorf("audit: %v", actions)
	}
}
