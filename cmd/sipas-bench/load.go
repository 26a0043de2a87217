package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// itemCodes are the 22 criteria of instrument sipas-2017, in form order.
var itemCodes = [...]string{
	"TC1", "TC2", "TC3", "TC4",
	"TT1", "TT2", "TT3", "TT4", "TT5",
	"CC1", "CC2", "CC3", "CC4", "CC5", "CC6",
	"KQ1", "KQ2", "KQ3",
	"GY1", "GY2", "GY3", "GY4",
}

// comments are the optional free-text comments some submissions carry.
var comments = [...]string{
	"",
	"",
	"",
	"Cán bộ hướng dẫn nhiệt tình, chu đáo.",
	"",
	"Phòng chờ hơi nóng, cần thêm quạt.",
	"",
	"",
}

// mix is splitmix64: a cheap deterministic hash so that every body is fixed
// by (client, seq) and both loads send the same bytes.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// submissionID is unique per (run, client, seq) and matches the server's
// rule: 16-64 characters of A-Z, a-z, 0-9, '-' or '_'.
func submissionID(run string, client, seq int) string {
	return fmt.Sprintf("bench-%s-%03d-%09d", run, client, seq)
}

// appendBody appends the JSON submission for (client, seq) to dst. Answers
// are 1..5 with about 5% "na" (no opinion), as the API expects.
func appendBody(dst []byte, token, run string, client, seq int) []byte {
	h := mix(uint64(client)<<32 | uint64(seq))
	dst = append(dst, `{"token":`...)
	dst = strconv.AppendQuote(dst, token)
	dst = append(dst, `,"submission_id":"`...)
	dst = append(dst, submissionID(run, client, seq)...)
	dst = append(dst, `","answers":{`...)
	for i, code := range itemCodes {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = append(dst, code...)
		dst = append(dst, `":`...)
		r := mix(h + uint64(i))
		if r%20 == 0 {
			dst = append(dst, `"na"`...)
		} else {
			// Skewed towards satisfied, like real answers.
			dst = append(dst, "12334445555"[r%11])
		}
	}
	dst = append(dst, `},"comment":`...)
	dst = strconv.AppendQuote(dst, comments[h%uint64(len(comments))])
	return append(dst, '}')
}

// loadConfig describes one load: clients POST bodies to url until the
// duration has passed.
type loadConfig struct {
	URL      string
	Clients  int
	Duration time.Duration
	Tokens   []string
	Run      string
	// WantStatus is the answer that counts as a success.
	WantStatus int
	// Body appends the body of (client, seq) to dst; nil: a submission.
	Body func(dst []byte, run string, client, seq int) []byte
	// User and Password, when set, go with every request (HTTP Basic).
	User, Password string
}

// loadResult is what one load measured.
type loadResult struct {
	OK        int             // answers with WantStatus
	Errors    int             // any other answer or a transport error
	Statuses  map[int]int     // every status seen (0 = transport error)
	FirstErrs []string        // a few error samples
	Elapsed   time.Duration   // from the first request to the last answer
	Latencies []time.Duration // of every request, sorted
	// Acked counts the submissions acknowledged (journeys: POSTs answered
	// with the thank-you page, even when that page then failed).
	Acked int
}

// Rate returns successful requests per second.
func (r *loadResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// ErrorRate returns the fraction of requests that failed.
func (r *loadResult) ErrorRate() float64 {
	n := r.OK + r.Errors
	if n == 0 {
		return 1
	}
	return float64(r.Errors) / float64(n)
}

// percentile returns the q-quantile (0..1) of sorted latencies, by the
// nearest-rank method; 0 for none.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(q*float64(len(sorted))+0.999999999) - 1
	k = max(0, min(k, len(sorted)-1))
	return sorted[k]
}

// newClient returns a keep-alive client that holds one connection per
// load client, so the load measures requests, not TCP handshakes.
func newClient(clients int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        clients * 2,
		MaxIdleConnsPerHost: clients * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// sumClients adds up the clients' counts into one result, with the first
// five errors and the sorted latencies.
func sumClients(stats []clientStats, elapsed time.Duration) *loadResult {
	res := &loadResult{Elapsed: elapsed, Statuses: map[int]int{}}
	for _, st := range stats {
		res.OK += st.ok
		res.Errors += st.errs
		for k, v := range st.statuses {
			res.Statuses[k] += v
		}
		if len(res.FirstErrs) < 5 {
			res.FirstErrs = append(res.FirstErrs, st.errs1...)
		}
		res.Latencies = append(res.Latencies, st.latencies...)
	}
	res.FirstErrs = res.FirstErrs[:min(len(res.FirstErrs), 5)]
	slices.Sort(res.Latencies)
	return res
}

type clientStats struct {
	ok, errs  int
	statuses  map[int]int
	errs1     []string
	latencies []time.Duration
}

// runLoad runs the load and returns what it measured. Every client sends
// one request at a time and stops issuing new ones at the deadline;
// requests in flight then finish and are counted.
func runLoad(ctx context.Context, cfg loadConfig) *loadResult {
	hc := newClient(cfg.Clients)
	defer hc.CloseIdleConnections()
	stats := make([]clientStats, cfg.Clients)
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
			token := cfg.Tokens[c%len(cfg.Tokens)]
			var body []byte
			for seq := 0; ctx.Err() == nil && time.Now().Before(deadline); seq++ {
				if cfg.Body != nil {
					body = cfg.Body(body[:0], cfg.Run, c, seq)
				} else {
					body = appendBody(body[:0], token, cfg.Run, c, seq)
				}
				t0 := time.Now()
				status, msg := post(ctx, hc, cfg, body)
				st.latencies = append(st.latencies, time.Since(t0))
				st.statuses[status]++
				if status == cfg.WantStatus {
					st.ok++
					continue
				}
				st.errs++
				if len(st.errs1) < 3 {
					st.errs1 = append(st.errs1, fmt.Sprintf("%d %s", status, msg))
				}
			}
		}()
	}
	wg.Wait()
	res := sumClients(stats, time.Since(start))
	return res
}

// merge adds the counts, time and latencies of o (one round) to r.
func (r *loadResult) merge(o *loadResult) {
	if r.Statuses == nil {
		r.Statuses = map[int]int{}
	}
	r.OK += o.OK
	r.Errors += o.Errors
	r.Acked += o.Acked
	for k, v := range o.Statuses {
		r.Statuses[k] += v
	}
	r.FirstErrs = append(r.FirstErrs, o.FirstErrs[:min(len(o.FirstErrs), 5-min(5, len(r.FirstErrs)))]...)
	r.Elapsed += o.Elapsed
	r.Latencies = append(r.Latencies, o.Latencies...)
	slices.Sort(r.Latencies)
}

// post sends one submission and returns the status (0 for a transport
// error) and, on failure, a short message.
func post(ctx context.Context, hc *http.Client, cfg loadConfig, body []byte) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if cfg.User != "" {
		req.SetBasicAuth(cfg.User, cfg.Password)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	// Read the whole answer so the connection is reused.
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode >= 300 {
		return resp.StatusCode, string(bytes.TrimSpace(b))
	}
	return resp.StatusCode, ""
}
