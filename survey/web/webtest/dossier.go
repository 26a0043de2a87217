package webtest

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/sipas/sipas/survey"
)

// WithDossiers registers dossiers in every Env that New makes, after the
// standard province is copied: each is registered under its key as
// placeholder, {DOSSIER:key} standing for its token (an empty Code is
// "webtest-" and the key; a zero ReceivedAt is Start). Dossiers registered
// later with Env.Dossier have no placeholder.
func WithDossiers(ds map[string]survey.DossierRegistration) Option {
	return func(o *options) { o.dossiers = ds }
}

// Dossier registers a dossier as the one-stop software would (an empty
// Code is a random one, a zero ReceivedAt the Env's clock) and returns it
// with the token of its rating URL.
func (e *Env) Dossier(tb testing.TB, r survey.DossierRegistration) (*survey.Dossier, string) {
	tb.Helper()
	if r.Code == "" {
		r.Code = "webtest-" + rand.Text()
	}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = e.Now()
	}
	saved, err := e.DB.RegisterDossier(tb.Context(), e.Signer.DossierHash(r.Code), &r, survey.Actor{Name: "webtest"})
	if err != nil {
		tb.Fatalf("register dossier %s: %v", r.Code, err)
	}
	return saved.Dossier, e.Signer.DossierToken(saved.Dossier.ID)
}

// DossierResponses returns how many responses rate the dossier.
func (e *Env) DossierResponses(tb testing.TB, d *survey.Dossier) int {
	tb.Helper()
	return e.Count(tb, `SELECT count(*) FROM responses WHERE dossier_id = ?`, d.ID)
}

// dossierPlaceholders registers the dossiers of WithDossiers and returns
// their placeholder pairs, with {FORGED-DOSSIER}: a dossier token signed
// with another secret (404).
func (e *Env) dossierPlaceholders(tb testing.TB, ds map[string]survey.DossierRegistration) []string {
	tb.Helper()
	forger := survey.NewSigner(bytes.Repeat([]byte{7}, 32))
	pairs := []string{"{FORGED-DOSSIER}", forger.DossierToken(1)}
	for key, r := range ds {
		if r.Code == "" {
			r.Code = "webtest-" + key
		}
		if r.ReceivedAt.IsZero() {
			r.ReceivedAt = Start()
		}
		_, token := e.Dossier(tb, r)
		pairs = append(pairs, "{DOSSIER:"+key+"}", token)
	}
	return pairs
}
