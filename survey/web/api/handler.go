// Package api serves the JSON API of sipas under /api/v1 (and the posters
// sheet for API clients): HTTP Basic credentials of officials' accounts,
// strict JSON in, JSON out, and every error as {"error": …}.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/poster"
)

// Store is what the API needs from storage.
type Store interface {
	survey.AgencyStore
	survey.ResponseStore
	survey.ReviewStore
	survey.AuditStore
	survey.DossierStore
	integrity.ConfigStore
	// Improvement plans, their tasks and the official yearly results.
	survey.PlanStore
	// Reorganisations (moves, mergers, splits) and lineages.
	survey.ReorgStore
	// IntegritySource reads the integrity report (and the counted
	// ratings by channel it compares).
	report.IntegritySource
	// Alerts of the periodic check (package alert).
	survey.AlertStore
}

// Deps are the API's collaborators, built by package web.
type Deps struct {
	Store          Store
	Instruments    *survey.Instruments
	Signer         *survey.Signer
	Reports        *report.Service
	Auth           *survey.Authenticator
	Throttle       *survey.LoginThrottle
	Limiter        *survey.RateLimiter
	Posters        *poster.Maker
	Log            *slog.Logger
	Now            func() time.Time
	BaseURL        string
	TrustedProxies []netip.Prefix
}

// Handler serves the JSON API.
type Handler struct {
	Deps
	keys keyChecker
}

// New returns a Handler.
func New(d Deps) *Handler { return &Handler{Deps: d} }

// Wrap adapts a handler that returns an error: the error is answered as
// JSON {"error": …}, and internal errors are logged with the request id.
func (h *Handler) Wrap(fn func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			h.Fail(c, err)
		}
	}
}

// Fail answers err as JSON: the status its code maps to and its message,
// with the fields or the CSV line a domain error names.
func (h *Handler) Fail(c *gin.Context, err error) {
	status, msg := httpx.StatusOf(err)
	if status == http.StatusInternalServerError {
		h.Log.Error("request failed", "id", httpx.RequestID(c), "method", httpx.Method(c), "route", c.FullPath(), "err", err)
	}
	out := httpx.APIError{Error: msg}
	var e *survey.Error
	if errors.As(err, &e) && status != http.StatusInternalServerError {
		out.Fields, out.Line = e.Fields, e.Line
	}
	httpx.WriteJSON(c, status, out)
}

// NotFound answers a URL under /api/ that names no route.
func (h *Handler) NotFound(c *gin.Context) {
	h.Fail(c, httpx.Errorf(http.StatusNotFound, "not found"))
}

// authorizeAgency returns the agency with code when the user may see it:
// ENOTFOUND for an unknown one, 403 for one outside the user's subtree.
func (h *Handler) authorizeAgency(c *gin.Context, code string) (*survey.Agency, error) {
	ctx := c.Request.Context()
	a, err := h.Store.FindAgency(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := h.mayAccess(ctx, httpx.CurrentUser(c), code); err != nil {
		return nil, err
	}
	return a, nil
}

func (h *Handler) mayAccess(ctx context.Context, u *survey.User, code string) error {
	ok, err := survey.CanSee(ctx, h.Store, u, code)
	if err != nil {
		return err
	}
	if !ok {
		return httpx.Errorf(http.StatusForbidden, "you may not see this agency")
	}
	return nil
}
