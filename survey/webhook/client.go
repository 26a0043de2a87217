package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/sipas/sipas/survey"
)

// ErrPrivate is the error of a connection to an address webhooks may not
// reach.
var ErrPrivate = errors.New("address is loopback, private, link-local or unspecified")

// cgnat is the shared address space of carrier-grade NAT (RFC 6598).
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Public reports whether webhooks may reach a: not loopback, private
// (RFC 1918, fc00::/7, CGNAT), link-local, multicast or unspecified.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsValid() && !a.IsLoopback() && !a.IsPrivate() && !a.IsLinkLocalUnicast() && !a.IsLinkLocalMulticast() &&
		!a.IsInterfaceLocalMulticast() && !a.IsMulticast() && !a.IsUnspecified() && !cgnat.Contains(a)
}

// CheckURL resolves the host of a URL that survey.ParseWebhook accepted
// and returns EINVALID naming "url" when it does not resolve or when any of
// its addresses is not Public (unless allowPrivate). The dialer of
// NewClient checks again at each delivery, since DNS can change.
func CheckURL(ctx context.Context, r *net.Resolver, raw string, allowPrivate bool) error {
	if allowPrivate {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return urlErr("url: not a valid URL")
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if !Public(a) {
			return urlErr("url: %s is a loopback, private, link-local or unspecified address", host)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return urlErr("url: host %s does not resolve", host)
	}
	for _, a := range addrs {
		if !Public(a) {
			return urlErr("url: host %s resolves to %s, a loopback, private, link-local or unspecified address", host, a.Unmap())
		}
	}
	return nil
}

func urlErr(format string, args ...any) error {
	e := survey.Errorf(survey.EINVALID, format, args...)
	e.Fields = map[string]string{"url": e.Message}
	return e
}

// NewClient returns the HTTP client of deliveries: each request times out
// after timeout, redirects are not followed (a 3xx is a failed attempt),
// no proxy is used, and unless allowPrivate the dialer refuses every
// address that is not Public, checked on the address actually dialled.
func NewClient(timeout time.Duration, allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("dial %s: %w", address, err)
			}
			if !Public(ap.Addr()) {
				return fmt.Errorf("dial %s: %w", address, ErrPrivate)
			}
			return nil
		}
	}
	t := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Timeout:       timeout,
		Transport:     t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
