package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// journeyInstruments are the instruments a journey load alternates
// between, with equal weight.
var journeyInstruments = [...]string{"sipas-2017", "quick"}

// journeyLangs are the citizen's languages; "en" is asked for with
// ?lang=en, as the form's language link does.
var journeyLangs = [...]string{"vi", "en"}

// journeyConfig describes one journey load: clients walk the citizen's
// whole journey (form, submission, thank-you page) until the duration
// has passed.
type journeyConfig struct {
	Base     string // http://host:port
	Clients  int
	Duration time.Duration
	// Tokens are the counters of each of journeyInstruments.
	Tokens [len(journeyInstruments)][]string
	Specs  [len(journeyInstruments)]formSpec
	Seed   uint64 // varies the choices from round to round
}

// acked is a submission the server acknowledged with its thank-you
// page (a 303 to it), with what was sent.
type acked struct {
	ID, Instrument, Lang string
}

// journeyStep names the requests of a journey, for error samples (a path
// would hold the counter's token).
var journeyStep = [...]string{"form", "submit", "thanks"}

// journeyClient is one load client: a browser with keep-alive and gzip.
type journeyClient struct {
	hc  *http.Client
	zr  *gzip.Reader
	raw bytes.Buffer // the last body as sent
	buf bytes.Buffer // the last body, decompressed
}

// page is one answer a journeyClient read in full.
type page struct {
	status   int
	location string // resolved Location of a redirect
	gzipped  bool
}

// newJourneyHTTP returns a keep-alive client that does not follow
// redirects (the journey follows them itself, to see the 303) and does
// not decompress (the client does, to see what was sent).
func newJourneyHTTP(clients int) *http.Client {
	hc := newClient(clients)
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return hc
}

// do sends req as a browser would and reads the answer in full into
// jc.buf (decompressed) and jc.raw (as sent).
func (jc *journeyClient) do(req *http.Request) (page, error) {
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("User-Agent", "sipas-bench journey")
	resp, err := jc.hc.Do(req)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	jc.raw.Reset()
	jc.buf.Reset()
	if _, err := jc.raw.ReadFrom(resp.Body); err != nil {
		return page{status: resp.StatusCode}, err
	}
	p := page{status: resp.StatusCode, gzipped: resp.Header.Get("Content-Encoding") == "gzip"}
	if p.gzipped {
		if jc.zr == nil {
			jc.zr, err = gzip.NewReader(bytes.NewReader(jc.raw.Bytes()))
		} else {
			err = jc.zr.Reset(bytes.NewReader(jc.raw.Bytes()))
		}
		if err == nil {
			_, err = jc.buf.ReadFrom(jc.zr)
		}
		if err != nil {
			return p, fmt.Errorf("gunzip: %w", err)
		}
	} else {
		jc.buf.Write(jc.raw.Bytes())
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		u, err := req.URL.Parse(loc)
		if err != nil {
			return p, fmt.Errorf("location %q: %w", loc, err)
		}
		p.location = u.String()
	}
	return p, nil
}

// capture is what a journey read, kept to build the bare yardstick.
type capture struct {
	form, formGzip     []byte
	thanks, thanksGzip []byte
	action, thanksURL  string
}

// journeyError is a failed step of a journey.
type journeyError struct {
	step   int
	status int // 0: transport error
	msg    string
}

func (e *journeyError) Error() string {
	return fmt.Sprintf("%s: %d %s", journeyStep[e.step], e.status, e.msg)
}

// journey walks one citizen's journey at counter token of instrument k in
// lang: GET the form, POST it filled in, GET the thank-you page the 303
// names. It returns the submission when the POST was acknowledged (even
// if the thank-you page then failed), and an error for any failed step.
// A non-nil cp receives the pages.
func (jc *journeyClient) journey(ctx context.Context, base, token string, spec formSpec, lang string, h uint64, cp *capture) (*acked, error) {
	formURL := base + "/s/" + token
	if lang == "en" {
		formURL += "?lang=en"
	}
	fail := func(step, status int, msg string) error {
		if len(msg) > 120 {
			msg = msg[:120] + "…"
		}
		return &journeyError{step, status, msg}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, formURL, nil)
	if err != nil {
		return nil, fail(0, 0, err.Error())
	}
	p, err := jc.do(req)
	if err != nil || p.status != http.StatusOK {
		return nil, fail(0, p.status, errText(err, jc.buf.Bytes()))
	}
	f, err := parseForm(jc.buf.Bytes())
	if err != nil {
		return nil, fail(0, p.status, err.Error())
	}
	body, sid, err := fill(f, spec, h)
	if err != nil {
		return nil, fail(0, p.status, err.Error())
	}
	action, err := req.URL.Parse(f.Action)
	if err != nil {
		return nil, fail(0, p.status, fmt.Sprintf("action %q: %v", f.Action, err))
	}
	if cp != nil {
		cp.form, cp.action = bytes.Clone(jc.buf.Bytes()), action.String()
		if p.gzipped {
			cp.formGzip = bytes.Clone(jc.raw.Bytes())
		}
	}

	req, err = http.NewRequestWithContext(ctx, http.MethodPost, action.String(), strings.NewReader(body))
	if err != nil {
		return nil, fail(1, 0, err.Error())
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Referer", formURL)
	p, err = jc.do(req)
	if err != nil || p.status != http.StatusSeeOther || !strings.Contains(p.location, "/thanks") {
		return nil, fail(1, p.status, errText(err, jc.buf.Bytes()))
	}
	ack := &acked{ID: sid, Instrument: "", Lang: lang}

	req, err = http.NewRequestWithContext(ctx, http.MethodGet, p.location, nil)
	if err != nil {
		return ack, fail(2, 0, err.Error())
	}
	req.Header.Set("Referer", formURL)
	thanksURL := p.location
	p, err = jc.do(req)
	if err != nil || p.status != http.StatusOK {
		return ack, fail(2, p.status, errText(err, jc.buf.Bytes()))
	}
	if cp != nil {
		cp.thanks, cp.thanksURL = bytes.Clone(jc.buf.Bytes()), thanksURL
		if p.gzipped {
			cp.thanksGzip = bytes.Clone(jc.raw.Bytes())
		}
	}
	return ack, nil
}

// errText is err's text, or the start of an error page's text.
func errText(err error, body []byte) string {
	if err != nil {
		return err.Error()
	}
	if i := bytes.Index(body, []byte("<h1>")); i >= 0 {
		body = body[i+4:]
		if j := bytes.Index(body, []byte("</h1>")); j >= 0 {
			body = body[:j]
		}
	}
	return string(bytes.TrimSpace(body[:min(len(body), 200)]))
}

// journeyChoice returns the instrument (index into journeyInstruments),
// counter token and language of a client's seq-th journey: instruments
// and languages alternate with equal weight, counters uniformly.
func journeyChoice(cfg *journeyConfig, h uint64) (k int, token, lang string) {
	k = int(h & 1)
	ts := cfg.Tokens[k]
	return k, ts[(h>>8)%uint64(len(ts))], journeyLangs[h>>1&1]
}

// runJourneys runs the load and returns what it measured (OK: journeys
// that ended on the thank-you page; Latencies: whole journeys) and the
// submissions the server acknowledged.
func runJourneys(ctx context.Context, cfg journeyConfig) (*loadResult, []acked) {
	hc := newJourneyHTTP(cfg.Clients)
	defer hc.CloseIdleConnections()
	stats := make([]clientStats, cfg.Clients)
	acks := make([][]acked, cfg.Clients)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	for c := range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &stats[c]
			st.statuses = map[int]int{}
			st.latencies = make([]time.Duration, 0, 1024)
			jc := &journeyClient{hc: hc}
			for seq := 0; ctx.Err() == nil && time.Now().Before(deadline); seq++ {
				h := mix(cfg.Seed ^ (uint64(c)<<32 | uint64(seq)))
				k, token, lang := journeyChoice(&cfg, h)
				t0 := time.Now()
				ack, err := jc.journey(ctx, cfg.Base, token, cfg.Specs[k], lang, h, nil)
				st.latencies = append(st.latencies, time.Since(t0))
				if ack != nil {
					ack.Instrument = journeyInstruments[k]
					acks[c] = append(acks[c], *ack)
				}
				var je *journeyError
				switch {
				case err == nil:
					st.ok++
					st.statuses[http.StatusOK]++
					continue
				case errors.As(err, &je):
					st.statuses[je.status]++
				default:
					st.statuses[0]++
				}
				st.errs++
				if len(st.errs1) < 3 {
					st.errs1 = append(st.errs1, err.Error())
				}
			}
		}()
	}
	wg.Wait()
	res := sumClients(stats, time.Since(start))
	all := slices.Concat(acks...)
	res.Acked = len(all)
	return res, all
}

// variant is one (instrument, language) of the journey.
type variant struct{ Instrument, Lang string }

// captureVariants walks one journey per instrument and language against
// the real server, at the first counter of each instrument, and returns
// what it read (for the bare yardstick) and the submissions acknowledged.
func captureVariants(ctx context.Context, cfg *journeyConfig) (map[variant]*capture, []acked, error) {
	hc := newJourneyHTTP(1)
	defer hc.CloseIdleConnections()
	jc := &journeyClient{hc: hc}
	out := map[variant]*capture{}
	var acks []acked
	for k, inst := range journeyInstruments {
		for i, lang := range journeyLangs {
			cp := &capture{}
			ack, err := jc.journey(ctx, cfg.Base, cfg.Tokens[k][0], cfg.Specs[k], lang, mix(uint64(k*2+i)), cp)
			if ack != nil {
				ack.Instrument = inst
				acks = append(acks, *ack)
			}
			if err != nil {
				return nil, acks, fmt.Errorf("first journey (%s, %s): %w", inst, lang, err)
			}
			out[variant{inst, lang}] = cp
		}
	}
	return out, acks, nil
}

// pathOf returns the path and query of a URL.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.RequestURI()
}
