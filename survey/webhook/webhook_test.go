package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/webhook"
)

// The vector was computed independently with
//
//	echo -n '{"id":"abc","event":"response.created"}' | openssl dgst -sha256 -hmac 'a-secret-of-16+chars'
func TestSign(t *testing.T) {
	body := []byte(`{"id":"abc","event":"response.created"}`)
	const want = "sha256=ced71d8c5c363d55fbc357235d614d2be91b859a5a3375af54a49f74174fd2e6"
	if got := webhook.Sign("a-secret-of-16+chars", body); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if !webhook.Verify("a-secret-of-16+chars", body, want) {
		t.Fatal("Verify refuses the right signature")
	}
	if webhook.Verify("another-secret-of-16", body, want) {
		t.Fatal("Verify accepts another secret's signature")
	}
	if webhook.Verify("a-secret-of-16+chars", append(body, ' '), want) {
		t.Fatal("Verify accepts a changed body")
	}
}

func TestScheduleWait(t *testing.T) {
	s := webhook.DefaultSchedule
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour, time.Hour}
	for i, w := range want {
		if got := s.Wait(i + 1); got != w {
			t.Errorf("Wait(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestScheduleNext(t *testing.T) {
	s := webhook.DefaultSchedule
	created := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	// Jitter: rnd 0 is −20 %, 0.5 none, just under 1 about +20 %.
	for _, c := range []struct {
		rnd  float64
		want time.Duration
	}{{0, 24 * time.Second}, {0.5, 30 * time.Second}, {0.75, 33 * time.Second}} {
		if got := s.Next(created, created, 1, c.rnd).Sub(created); got != c.want {
			t.Errorf("rnd %v: next after %v, want %v", c.rnd, got, c.want)
		}
	}
	// Near the end of the window the wait is cut to a last try at its end.
	late := created.Add(23*time.Hour + 30*time.Minute)
	if got := s.Next(created, late, 12, 0.5); !got.Equal(created.Add(24 * time.Hour)) {
		t.Errorf("last try at %v, want the window's end", got)
	}
	// At the window's end: give up.
	if got := s.Next(created, created.Add(24*time.Hour), 13, 0.5); !got.IsZero() {
		t.Errorf("after the window: next %v, want zero (give up)", got)
	}
	// Tried for the whole 24 hours: count the attempts with no jitter.
	at, n := created, 0
	for !at.IsZero() {
		n++
		at = s.Next(created, at, n, 0.5)
	}
	// 30 s … 32 min (7 waits, 63.5 min), then hourly to 24 h: 7 + 23 + the last.
	if n < 29 || n > 32 {
		t.Errorf("%d attempts in 24 h, want about 30", n)
	}
}

func TestPublic(t *testing.T) {
	for _, c := range []struct {
		addr string
		want bool
	}{
		{"93.184.216.34", true}, {"2606:4700::1111", true},
		{"127.0.0.1", false}, {"::1", false}, {"10.1.2.3", false}, {"172.16.0.1", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"fe80::1", false}, {"0.0.0.0", false}, {"::", false}, {"fc00::1", false},
		{"100.64.0.1", false}, {"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false}, {"224.0.0.1", false},
	} {
		if got := webhook.Public(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("Public(%s) = %v, want %v", c.addr, got, c.want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"http://127.0.0.1:9/x", "https://10.0.0.5/hook", "http://[::1]/", "http://169.254.169.254/latest",
		"http://0.0.0.0/", "http://localhost/hook"} {
		err := webhook.CheckURL(ctx, net.DefaultResolver, u, false)
		if survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("%s: %v, want EINVALID", u, err)
			continue
		}
		var e *survey.Error
		if errors.As(err, &e); e.Fields["url"] == "" {
			t.Errorf("%s: error names no field: %v", u, err)
		}
		if err := webhook.CheckURL(ctx, net.DefaultResolver, u, true); err != nil {
			t.Errorf("%s with private allowed: %v", u, err)
		}
	}
	if err := webhook.CheckURL(ctx, net.DefaultResolver, "https://93.184.216.34/hook", false); err != nil {
		t.Errorf("public address: %v", err)
	}
}

// The dialer refuses loopback at delivery time, whatever the URL passed
// when it was created.
func TestClientRefusesPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	_, err := webhook.NewClient(2*time.Second, false).Post(srv.URL, "application/json", nil)
	if !errors.Is(err, webhook.ErrPrivate) {
		t.Fatalf("post to %s: %v, want ErrPrivate", srv.URL, err)
	}
	resp, err := webhook.NewClient(2*time.Second, true).Post(srv.URL, "application/json", nil)
	if err != nil {
		t.Fatalf("allowed: %v", err)
	}
	resp.Body.Close()
}

// A redirect is not followed: it is the receiver's answer.
func TestClientNoRedirect(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/", http.StatusFound)
	}))
	defer srv.Close()
	resp, err := webhook.NewClient(2*time.Second, true).Post(srv.URL, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d, want 302 (not followed)", resp.StatusCode)
	}
}

// A rating's body: item codes to values, "na" for no opinion, blanks left
// out; the delivery id is new for each event and is the body's id.
func TestBuildRating(t *testing.T) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	in, err := reg.Current("sipas-2017")
	if err != nil {
		t.Fatal(err)
	}
	answers := make([]uint8, len(in.Items))
	answers[0], answers[1], answers[2] = 5, survey.AnswerNA, survey.AnswerBlank
	for i := 3; i < len(answers); i++ {
		answers[i] = 3
	}
	at := time.Date(2026, 12, 2, 1, 2, 3, 0, time.UTC)
	b := &webhook.Builder{Instruments: reg, Now: func() time.Time { return at }}
	ev := survey.WebhookEvent{Event: survey.EventResponseCreated, Key: "response:9", Response: &survey.WebhookResponse{ID: 9,
		Agency: "D1", Counter: "Q1", Instrument: in.ID, InstrumentVersion: in.Version, Answers: answers, Date: "2026-12-02"}}
	id, body, err := b.Build(nil, ev)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID, Event string
		CreatedAt time.Time `json:"created_at"`
		Data      map[string]any
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	ans, _ := got.Data["answers"].(map[string]any)
	if got.ID != id || len(id) != 32 || got.Event != "response.created" || !got.CreatedAt.Equal(at) ||
		ans["TC1"] != 5.0 || ans["TC2"] != "na" || ans["TC3"] != nil || len(ans) != len(in.Items)-1 ||
		got.Data["agency"] != "D1" || got.Data["counter"] != "Q1" || got.Data["date"] != "2026-12-02" || len(got.Data) != 6 {
		t.Fatalf("body %s", body)
	}
	id2, _, _ := b.Build(nil, ev)
	if id2 == id {
		t.Fatal("two deliveries got the same id")
	}
}
