package citizen

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/render"
)

// A fresh form (and the thank-you page after it) is the same page for
// every citizen of a counter but for its submission id: it is rendered once around a hole for the id
// (render.Split), compressed once, and each answer fills the hole with a
// fresh id. The key holds everything the page shows, so a renamed agency
// or counter, a rotated token or another instrument version is another
// page; the cache is dropped whole when it grows past maxForms.

// submissionHole stands for the submission id while the page is rendered:
// characters of the id's own alphabet, which no page text contains.
const submissionHole = "SUBMISSION-ID-HOLE-9f27c41e"

// maxForms bounds the cache: one page per counter, language and kiosk
// mode is a few thousand for a province.
const maxForms = 8192

// formKey is what a cached page shows: the page, and what it is of.
type formKey struct {
	page                string // "survey", "thanks", "thanks+more"
	dossier             bool   // not kept: a dossier is rated once
	token, lang, kiosk  string
	agency, counter     string
	instrument          string
	version             int
	quick, allowOpinion bool
}

// formCache keeps rendered fresh forms by formKey.
type formCache struct {
	mu    sync.Mutex
	pages map[formKey]*render.Split
}

func (fc *formCache) get(k formKey) *render.Split {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.pages[k]
}

func (fc *formCache) put(k formKey, s *render.Split) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.pages == nil || len(fc.pages) >= maxForms {
		fc.pages = map[formKey]*render.Split{}
	}
	fc.pages[k] = s
}

// freshForm sends the fresh form of tg with submission id id.
func (h *Handler) freshForm(c *gin.Context, tg *survey.Target, lang, kiosk, id string) error {
	k := h.pageKey("survey", tg, lang, kiosk)
	return h.cached(c, k, "survey", id, func(hole string) any {
		st := &formState{answers: make([]uint8, len(tg.Instrument.Items)), submissionID: hole}
		return h.surveyPage(c, tg, st)
	})
}

// pageKey is the key of a cached page of tg.
func (h *Handler) pageKey(page string, tg *survey.Target, lang, kiosk string) formKey {
	in := tg.Instrument
	return formKey{page: page, dossier: tg.Dossier != nil, token: tg.Token, lang: lang, kiosk: kiosk, agency: tg.AgencyName(), counter: tg.CounterName(),
		instrument: in.ID, version: in.Version, quick: len(in.Elements) == 0, allowOpinion: in.AllowNoOpinion}
}

// cached sends the page name that build renders (its data, given the hole
// to put where the submission id goes), from the cache under k, with id in
// the hole ("" for a page without one). The id is written as it is: it
// must need no escaping (survey.ValidSubmissionID, or newSubmissionID's).
// A dossier's pages, each shown once, are not kept.
func (h *Handler) cached(c *gin.Context, k formKey, name, id string, build func(hole string) any) error {
	if k.dossier {
		return h.render(c, http.StatusOK, name, build(id))
	}
	hole := ""
	if id != "" {
		hole = submissionHole
	}
	s := h.forms.get(k)
	if s == nil {
		var buf bytes.Buffer
		if err := h.pages.Execute(&buf, name, build(hole)); err != nil {
			return err
		}
		var ok bool
		if s, ok = render.NewSplit(buf.Bytes(), hole); !ok {
			// Not cacheable (the hole is not there once): render it
			// with the id itself.
			return h.render(c, http.StatusOK, name, build(id))
		}
		h.forms.put(k, s)
	}
	s.Write(c.Writer, c.Request, http.StatusOK, "text/html; charset=utf-8", id)
	return nil
}
