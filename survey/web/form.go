package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
)

type basePage struct {
	Lang    string
	Title   string
	CSS     template.CSS
	Refresh string
	T       *texts
}

type optView struct {
	Name, Value, Label string
	// Face is the level 1..5 whose face icon is drawn (an inline SVG
	// symbol, so it shows on phones without an emoji font); 0 for none.
	Face        int
	Checked, NA bool
}

type itemView struct {
	Code, Text, Error string
	Options           []optView
}

type groupView struct {
	Title string
	Items []itemView
}

type followView struct {
	Text    string
	Options []optView
}

type surveyPage struct {
	basePage
	AgencyName, CounterName string
	SwitchURL, OtherLang    string
	Action, SubmissionID    string
	Kiosk, Quick            bool
	KioskValue              string
	Intro                   string
	Errors                  bool
	ErrorSummary            string
	Missing                 []missingItem
	Groups                  []groupView
	Followup                *followView
	Comment, CommentError   string
}

// missingItem is an item the error summary links to.
type missingItem struct{ Code, Text string }

type messagePage struct {
	basePage
	Heading, Body, Footer string
	AgainURL, AgainLabel  string
	More                  *moreView
}

func (s *Server) base(lang, title string) basePage {
	return basePage{Lang: lang, Title: title, CSS: template.CSS(s.pages.surveyCSS), T: tr(lang)}
}

func (s *Server) messagePage(lang, heading, body string) *messagePage {
	return &messagePage{basePage: s.base(lang, heading), Heading: heading, Body: body, Footer: tr(lang).Privacy}
}

// kioskParam returns the kiosk parameter of the request (query or form):
// the counter's signed kiosk key, or "1" for a tablet set up without one
// (kiosk behaviour, but not the kiosk channel or rate limit). Anything else
// is ignored.
func kioskParam(c *gin.Context) string {
	v := c.Query("kiosk")
	if v == "" && c.Request.PostForm != nil {
		v = c.Request.PostForm.Get("kiosk")
	}
	if kioskRE.MatchString(v) {
		return v
	}
	return ""
}

var kioskRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// formState is what the citizen entered, kept when the form is shown again.
type formState struct {
	answers      []uint8
	followup     int
	comment      string
	submissionID string
	fields       map[string]string
	commentError string
	summary      string
}

func newSubmissionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// surveyTarget is the counter a token names, resolved and checked.
type surveyTarget struct {
	token   string
	counter *survey.Counter
	inst    *survey.Instrument
}

// resolve checks the token of the request and finds its counter. When the
// token is invalid, rotated or its counter closed, it answers with a polite
// page (or JSON) and returns nil.
func (s *Server) resolve(c *gin.Context, token string) *surveyTarget {
	lang := langOf(c)
	t := tr(lang)
	id, version, err := s.signer.Verify(token)
	if err != nil {
		s.failPage(c, http.StatusNotFound, t.InvalidTitle, t.InvalidBody, "invalid survey token")
		return nil
	}
	counter, err := s.store.FindCounterByID(c.Request.Context(), id)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.failPage(c, http.StatusNotFound, t.InvalidTitle, t.InvalidBody, "invalid survey token")
		return nil
	} else if err != nil {
		s.failErr(c, err)
		return nil
	}
	if version != counter.TokenVersion || counter.ClosedAt != nil || counter.AgencyClosed {
		s.failPage(c, http.StatusGone, t.GoneTitle, t.GoneBody, "this survey code is no longer in use")
		return nil
	}
	inst, err := s.instruments.Current(counter.Instrument)
	if err != nil {
		s.failErr(c, fmt.Errorf("counter %d: %w", counter.ID, err))
		return nil
	}
	return &surveyTarget{token: token, counter: counter, inst: inst}
}

func (s *Server) failPage(c *gin.Context, status int, heading, body, apiMsg string) {
	if isAPI(c) {
		writeJSON(c, status, apiError{Error: apiMsg})
		return
	}
	s.render(c, status, "message", s.messagePage(langOf(c), heading, body))
}

func (s *Server) handleSurveyShow(c *gin.Context) {
	tg := s.resolve(c, c.Param("token"))
	if tg == nil {
		return
	}
	st := &formState{answers: make([]uint8, len(tg.inst.Items)), submissionID: newSubmissionID()}
	c.Header("Cache-Control", "no-store")
	s.render(c, http.StatusOK, "survey", s.surveyPage(c, tg, st))
}

func (s *Server) surveyPage(c *gin.Context, tg *surveyTarget, st *formState) *surveyPage {
	lang := langOf(c)
	kv := kioskParam(c)
	kiosk := kv != ""
	in := tg.inst
	other := "en"
	if lang == "en" {
		other = "vi"
	}
	q := url.Values{}
	if kiosk {
		q.Set("kiosk", kv)
	}
	action := "/s/" + tg.token
	if len(q) > 0 {
		action += "?" + q.Encode()
	}
	q.Set("lang", other)
	p := &surveyPage{
		basePage:     s.base(lang, in.Title.In(lang)),
		AgencyName:   tg.counter.AgencyName,
		CounterName:  tg.counter.Name,
		SwitchURL:    "/s/" + tg.token + "?" + q.Encode(),
		OtherLang:    other,
		Action:       action,
		SubmissionID: st.submissionID,
		Kiosk:        kiosk,
		KioskValue:   kv,
		Quick:        len(in.Elements) == 0,
		Intro:        in.Intro.In(lang),
		Comment:      st.comment,
		CommentError: st.commentError,
	}
	item := func(k int) itemView {
		it := in.Items[k]
		v := itemView{Code: it.Code, Text: it.Text.In(lang), Error: st.fields[it.Code]}
		if v.Error != "" && lang == "en" {
			v.Error = "Please choose a level" + map[bool]string{true: " or “No opinion”.", false: "."}[in.AllowNoOpinion]
		}
		for lv := 5; lv >= 1; lv-- {
			v.Options = append(v.Options, optView{Name: it.Code, Value: strconv.Itoa(lv), Label: survey.Scale[lv-1].In(lang), Face: lv, Checked: st.answers[k] == uint8(lv)})
		}
		if in.AllowNoOpinion {
			v.Options = append(v.Options, optView{Name: it.Code, Value: "na", Label: survey.NoOpinion.In(lang), NA: true, Checked: st.answers[k] == survey.AnswerNA})
		}
		return v
	}
	if p.Quick {
		g := groupView{}
		for k := range in.Items {
			g.Items = append(g.Items, item(k))
		}
		p.Groups = []groupView{g}
	} else {
		for i, idx := range in.ElementItems() {
			g := groupView{Title: in.Elements[i].Text.In(lang)}
			for _, k := range idx {
				g.Items = append(g.Items, item(k))
			}
			p.Groups = append(p.Groups, g)
		}
	}
	if f := in.Followup; f != nil {
		fv := &followView{Text: f.Text.In(lang)}
		for i, o := range f.Options {
			fv.Options = append(fv.Options, optView{Name: f.Code, Value: o.Value, Label: o.Text.In(lang), Checked: st.followup == i+1})
		}
		p.Followup = fv
	}
	if len(st.fields) > 0 || st.commentError != "" || st.summary != "" {
		p.Errors = true
		p.ErrorSummary = st.summary
		for _, it := range in.Items {
			if st.fields[it.Code] != "" {
				p.Missing = append(p.Missing, missingItem{Code: it.Code, Text: it.Text.In(lang)})
			}
		}
		if p.ErrorSummary == "" && len(p.Missing) > 0 {
			p.ErrorSummary = fmt.Sprintf(p.T.Missing, len(p.Missing))
		}
	}
	return p
}

// formFields are the form's own fields besides the items.
var formFields = map[string]bool{"submission_id": true, "lang": true, "kiosk": true, "comment": true, "website": true}

func (s *Server) handleSurveySubmit(c *gin.Context) {
	tg := s.resolve(c, c.Param("token"))
	if tg == nil {
		return
	}
	in := tg.inst
	lang := langOf(c)
	t := tr(lang)
	st := &formState{answers: make([]uint8, len(in.Items)), fields: map[string]string{}}
	if err := c.Request.ParseForm(); err != nil {
		st.submissionID = newSubmissionID()
		if isTooLarge(err) {
			st.summary = t.TooLarge
			s.render(c, http.StatusRequestEntityTooLarge, "survey", s.surveyPage(c, tg, st))
			return
		}
		st.summary = t.BadForm
		s.render(c, http.StatusBadRequest, "survey", s.surveyPage(c, tg, st))
		return
	}
	form := c.Request.PostForm
	lang = langOf(c)
	t = tr(lang)
	sub, bad := s.parseSurveyForm(in, form, st)
	if bad != 0 {
		if st.summary == "" && bad == http.StatusBadRequest {
			st.summary = t.BadForm
		}
		s.render(c, bad, "survey", s.surveyPage(c, tg, st))
		return
	}
	sub.CounterID, sub.AgencyID = tg.counter.ID, tg.counter.AgencyID
	sub.Lang = lang
	sub.Channel = "web"
	kv := kioskParam(c)
	if s.signer.VerifyKiosk(tg.counter.ID, tg.counter.TokenVersion, kv) {
		sub.Channel = "kiosk" // the counter's own tablet (see admit)
	}
	sub.ReceivedAt = s.now()
	if !s.admit(c, sub) {
		return
	}
	if _, err := s.store.StoreResponse(c.Request.Context(), sub); err != nil {
		if survey.ErrorCode(err) == survey.EINVALID {
			st.summary = t.BadForm
			s.render(c, http.StatusBadRequest, "survey", s.surveyPage(c, tg, st))
			return
		}
		s.log.Error("store response", "err", err)
		st.summary = t.BusyBody
		s.render(c, http.StatusServiceUnavailable, "survey", s.surveyPage(c, tg, st))
		return
	}
	q := url.Values{}
	if lang == "en" {
		q.Set("lang", "en")
	}
	if kv != "" {
		q.Set("kiosk", kv)
	} else if in.Followup != nil && sub.Followup == 0 && sub.Comment == "" {
		// One tap was enough to send; the thank-you page offers the
		// optional questions, which the tap went past.
		q.Set("more", sub.SubmissionID)
	}
	loc := "/s/" + tg.token + "/thanks"
	if len(q) > 0 {
		loc += "?" + q.Encode()
	}
	c.Redirect(http.StatusSeeOther, loc)
}

// parseSurveyForm validates the posted form. It fills st with what can be
// kept and returns a status other than 0 when the form must be shown again.
func (s *Server) parseSurveyForm(in *survey.Instrument, form url.Values, st *formState) (*survey.Submission, int) {
	lang := "vi"
	if form.Get("lang") == "en" {
		lang = "en"
	}
	t := tr(lang)
	st.submissionID = form.Get("submission_id")
	status := 0
	if !survey.ValidSubmissionID(st.submissionID) {
		st.submissionID = newSubmissionID()
		status = http.StatusBadRequest
	}
	raw := map[string]string{}
	for key, vals := range form {
		for _, v := range vals {
			if !utf8.ValidString(v) || !utf8.ValidString(key) {
				st.summary = t.BadEncoding
				status = http.StatusBadRequest
			}
		}
		if formFields[key] {
			continue
		}
		if in.Followup != nil && key == in.Followup.Code {
			continue
		}
		if _, ok := in.ItemIndex(key); !ok {
			status = http.StatusBadRequest // a field no form of ours sends
			continue
		}
		if len(vals) > 0 {
			raw[key] = vals[0]
		}
	}
	ans, verr := survey.ParseAnswers(in, raw)
	copy(st.answers, ans)
	if verr != nil {
		for k, v := range verr.Fields {
			if _, ok := in.ItemIndex(k); ok {
				st.fields[k] = v
			}
		}
		if status == 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	if in.Followup != nil {
		if v := form.Get(in.Followup.Code); v != "" {
			st.followup = in.FollowupIndex(v)
			if st.followup == 0 {
				status = http.StatusBadRequest
			}
		}
	}
	comment, cerr := survey.CleanComment(form.Get("comment"))
	if utf8.ValidString(form.Get("comment")) {
		st.comment = form.Get("comment")
	}
	if cerr != nil {
		st.commentError = cerr.Fields["comment"]
		if status == 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	if !in.Comment && comment != "" {
		status = http.StatusBadRequest // no form of ours has a comment box then
	}
	if status != 0 {
		return nil, status
	}
	sub := &survey.Submission{
		SubmissionID: st.submissionID,
		Instrument:   in,
		Answers:      ans,
		Followup:     st.followup,
		Comment:      comment,
	}
	if form.Get("website") != "" {
		sub.Flag = "honeypot"
	}
	return sub, 0
}

func (s *Server) handleSurveyThanks(c *gin.Context) {
	tg := s.resolve(c, c.Param("token"))
	if tg == nil {
		return
	}
	lang := langOf(c)
	t := tr(lang)
	p := s.messagePage(lang, t.ThanksTitle, t.ThanksBody)
	q := url.Values{}
	if lang == "en" {
		q.Set("lang", "en")
	}
	if kv := kioskParam(c); kv != "" {
		q.Set("kiosk", kv)
		p.Refresh = fmt.Sprintf("%d;url=/s/%s?%s", int(s.cfg.KioskDelay.Seconds()), tg.token, q.Encode())
		p.Body += " " + t.KioskAgain
	}
	p.AgainURL = "/s/" + tg.token
	if len(q) > 0 {
		p.AgainURL += "?" + q.Encode()
	}
	p.AgainLabel = t.Again
	if sid := c.Query("more"); kioskParam(c) == "" && tg.inst.Followup != nil && survey.ValidSubmissionID(sid) {
		p.More = s.moreForm(tg, lang, sid, 0, "")
	}
	c.Header("Cache-Control", "no-store")
	s.render(c, http.StatusOK, "message", p)
}

// moreWindow is how long after a one-tap rating its optional questions can
// still be added.
const moreWindow = time.Hour

// moreView is the optional follow-up form on the thank-you page of a
// one-tap rating.
type moreView struct {
	Action, SubmissionID, Lang string
	Intro, Send                string
	Followup                   *followView
	Comment, CommentLabel      string
	Error                      string
}

func (s *Server) moreForm(tg *surveyTarget, lang, sid string, followup int, comment string) *moreView {
	t := tr(lang)
	f := tg.inst.Followup
	fv := &followView{Text: f.Text.In(lang)}
	for i, o := range f.Options {
		fv.Options = append(fv.Options, optView{Name: f.Code, Value: o.Value, Label: o.Text.In(lang), Checked: followup == i+1})
	}
	m := &moreView{Action: "/s/" + tg.token + "/more", SubmissionID: sid, Lang: lang, Intro: t.MoreIntro, Send: t.MoreSend, Followup: fv}
	if tg.inst.Comment {
		m.CommentLabel, m.Comment = t.Comment, comment
	}
	return m
}

// handleSurveyMore adds the optional answers of a one-tap rating, given on
// its thank-you page.
func (s *Server) handleSurveyMore(c *gin.Context) {
	tg := s.resolve(c, c.Param("token"))
	if tg == nil {
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.fail(c, http.StatusBadRequest, tr(langOf(c)).BadForm)
		return
	}
	lang := langOf(c)
	t := tr(lang)
	f := c.Request.PostForm
	sid := f.Get("submission_id")
	in := tg.inst
	if in.Followup == nil || !survey.ValidSubmissionID(sid) {
		s.fail(c, http.StatusBadRequest, t.BadForm)
		return
	}
	thanks := "/s/" + tg.token + "/thanks"
	if lang == "en" {
		thanks += "?lang=en"
	}
	followup := 0
	if v := f.Get(in.Followup.Code); v != "" {
		if followup = in.FollowupIndex(v); followup == 0 {
			s.fail(c, http.StatusBadRequest, t.BadForm)
			return
		}
	}
	comment, cerr := survey.CleanComment(f.Get("comment"))
	if cerr != nil {
		p := s.messagePage(lang, t.ThanksTitle, t.ThanksBody)
		raw := f.Get("comment")
		if !utf8.ValidString(raw) {
			raw = ""
		}
		p.More = s.moreForm(tg, lang, sid, followup, raw)
		p.More.Error = cerr.Fields["comment"]
		s.render(c, http.StatusUnprocessableEntity, "message", p)
		return
	}
	err := s.store.AddFollowup(c.Request.Context(), sid, tg.counter.ID, followup, comment, moreWindow)
	switch survey.ErrorCode(err) {
	case "", survey.ECONFLICT, survey.ENOTFOUND:
		// Added, or nothing left to add (already done, too late, or not a
		// rating of this counter): the citizen has said thank you either way.
		c.Redirect(http.StatusSeeOther, thanks)
	case survey.EINVALID:
		s.fail(c, http.StatusBadRequest, t.BadForm)
	default:
		s.log.Error("add follow-up", "err", err)
		s.fail(c, http.StatusServiceUnavailable, t.BusyBody)
	}
}
