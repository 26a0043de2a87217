package citizen

import (
	"fmt"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// moreView is the optional follow-up form on the thank-you page of a
// one-tap rating.
type moreView struct {
	Action, SubmissionID, Lang string
	Intro, Send                string
	Followup                   *followView
	Comment, CommentLabel      string
	Error                      string
}

// SurveyThanks thanks the citizen; in kiosk mode it returns to a fresh
// form by itself, and after a one-tap rating it offers the optional
// questions. A dossier is rated once, so its page offers no other rating.
func (h *Handler) SurveyThanks(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	kv := kioskParam(c, tg)
	sid := c.Query("more")
	more := kv == "" && tg.Instrument.Followup != nil && survey.ValidSubmissionID(sid)
	page := "thanks"
	if !more {
		sid = ""
	} else {
		page = "thanks+more"
	}
	c.Header("Cache-Control", "no-store")
	return h.cached(c, h.pageKey(page, tg, lang, kv), "message", sid, func(hole string) any {
		return h.thanksPage(tg, lang, kv, hole)
	})
}

// thanksPage is the thank-you page of tg, with the follow-up question
// for submission sid when it is not "".
func (h *Handler) thanksPage(tg *survey.Target, lang, kv, sid string) *messagePage {
	t := tr(lang)
	p := h.messagePage(lang, t.ThanksTitle, t.ThanksBody)
	q := url.Values{}
	if lang == "en" {
		q.Set("lang", "en")
	}
	if kv != "" {
		q.Set("kiosk", kv)
		p.Refresh = fmt.Sprintf("%d;url=/s/%s?%s", int(h.KioskDelay.Seconds()), tg.Token, q.Encode())
		p.Body += " " + t.KioskAgain
	}
	if tg.Dossier == nil {
		p.AgainURL = "/s/" + tg.Token
		if len(q) > 0 {
			p.AgainURL += "?" + q.Encode()
		}
		p.AgainLabel = t.Again
	}
	if sid != "" {
		p.More = moreForm(tg, lang, sid, 0, "")
	}
	return p
}

func moreForm(tg *survey.Target, lang, sid string, followup int, comment string) *moreView {
	t := tr(lang)
	m := &moreView{Action: "/s/" + tg.Token + "/more", SubmissionID: sid, Lang: lang, Intro: t.MoreIntro, Send: t.MoreSend,
		Followup: followupView(tg.Instrument.Followup, lang, followup)}
	if tg.Instrument.Comment {
		m.CommentLabel, m.Comment = t.Comment, comment
	}
	return m
}

// SurveyMore adds the optional answers of a one-tap rating, given on its
// thank-you page.
func (h *Handler) SurveyMore(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return httpx.Errorf(http.StatusBadRequest, "%s", tr(httpx.Lang(c)).BadForm)
	}
	lang := httpx.Lang(c)
	t := tr(lang)
	f := c.Request.PostForm
	sid := f.Get("submission_id")
	in := tg.Instrument
	if in.Followup == nil || !survey.ValidSubmissionID(sid) {
		return httpx.Errorf(http.StatusBadRequest, "%s", t.BadForm)
	}
	thanks := "/s/" + tg.Token + "/thanks"
	if lang == "en" {
		thanks += "?lang=en"
	}
	followup := 0
	if v := f.Get(in.Followup.Code); v != "" {
		if followup = in.FollowupIndex(v); followup == 0 {
			return httpx.Errorf(http.StatusBadRequest, "%s", t.BadForm)
		}
	}
	comment, cerr := survey.CleanComment(f.Get("comment"))
	if cerr != nil {
		p := h.messagePage(lang, t.ThanksTitle, t.ThanksBody)
		raw := f.Get("comment")
		if !utf8.ValidString(raw) {
			raw = ""
		}
		p.More = moreForm(tg, lang, sid, followup, raw)
		p.More.Error = cerr.Fields["comment"]
		return h.render(c, http.StatusUnprocessableEntity, "message", p)
	}
	err = h.Store.AddFollowup(c.Request.Context(), sid, tg.CounterID(), followup, comment, survey.FollowupWindow)
	switch survey.ErrorCode(err) {
	case "", survey.ECONFLICT, survey.ENOTFOUND:
		// Added, or nothing left to add (already done, too late, or not a
		// rating of this counter): the citizen has said thank you either way.
		c.Redirect(http.StatusSeeOther, thanks)
		return nil
	case survey.EINVALID:
		return httpx.Errorf(http.StatusBadRequest, "%s", t.BadForm)
	}
	h.Log.Error("add follow-up", "id", httpx.RequestID(c), "err", err)
	return httpx.Errorf(http.StatusServiceUnavailable, "%s", t.BusyBody)
}
