package citizen

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

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
	// KioskDelay is how many seconds the kiosk script's thank-you shows.
	KioskDelay            int
	Intro                 string
	Errors                bool
	ErrorSummary          string
	Missing               []missingItem
	Groups                []groupView
	Followup              *followView
	Comment, CommentError string
}

// missingItem is an item the error summary links to.
type missingItem struct{ Code, Text string }

// kioskRE is the shape of a kiosk parameter.
var kioskRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// kioskParam returns the kiosk parameter of the request (query or form):
// the counter's signed kiosk key, or "1" for a tablet set up without one
// (kiosk behaviour, but not the kiosk channel or rate limit). Anything else
// is ignored, and so is any kiosk parameter on a dossier's token: a
// dossier is rated once, on the citizen's own device.
func kioskParam(c *gin.Context, tg *survey.Target) string {
	if !tg.TakesKiosk() {
		return ""
	}
	v := c.Query("kiosk")
	if v == "" && c.Request.PostForm != nil {
		v = c.Request.PostForm.Get("kiosk")
	}
	if kioskRE.MatchString(v) {
		return v
	}
	return ""
}

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

// SurveyShow shows a fresh form for the counter or dossier of the token;
// a dossier rated already gets the page that says so (409).
func (h *Handler) SurveyShow(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	if tg.Rated() {
		return ratedError(httpx.Lang(c))
	}
	c.Header("Cache-Control", "no-store")
	kv := kioskParam(c, tg)
	h.kioskPolicy(c, kv)
	return h.freshForm(c, tg, httpx.Lang(c), kv, newSubmissionID())
}

func (h *Handler) surveyPage(c *gin.Context, tg *survey.Target, st *formState) *surveyPage {
	lang := httpx.Lang(c)
	kv := kioskParam(c, tg)
	kiosk := kv != ""
	in := tg.Instrument
	other := "en"
	if lang == "en" {
		other = "vi"
	}
	q := url.Values{}
	if kiosk {
		q.Set("kiosk", kv)
	}
	action := "/s/" + tg.Token
	if len(q) > 0 {
		action += "?" + q.Encode()
	}
	q.Set("lang", other)
	t := tr(lang)
	p := &surveyPage{
		basePage:     h.base(lang, in.Title.In(lang)),
		AgencyName:   tg.AgencyName(),
		CounterName:  tg.CounterName(),
		SwitchURL:    "/s/" + tg.Token + "?" + q.Encode(),
		OtherLang:    other,
		Action:       action,
		SubmissionID: st.submissionID,
		Kiosk:        kiosk,
		KioskValue:   kv,
		KioskDelay:   int(h.KioskDelay.Seconds()),
		Quick:        len(in.Elements) == 0,
		Intro:        in.Intro.In(lang),
		Comment:      st.comment,
		CommentError: st.commentError,
	}
	item := func(k int) itemView {
		it := in.Items[k]
		v := itemView{Code: it.Code, Text: it.Text.In(lang), Error: st.fields[it.Code]}
		if v.Error != "" && lang == "en" {
			v.Error = t.ChooseLevel
			if in.AllowNoOpinion {
				v.Error = t.ChooseLevelOrNA
			}
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
		p.Followup = followupView(f, lang, st.followup)
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

// followupView is the follow-up question with option checked (1-based, 0
// for none).
func followupView(f *survey.Followup, lang string, checked int) *followView {
	fv := &followView{Text: f.Text.In(lang)}
	for i, o := range f.Options {
		fv.Options = append(fv.Options, optView{Name: f.Code, Value: o.Value, Label: o.Text.In(lang), Checked: checked == i+1})
	}
	return fv
}

// formFields are the form's own fields besides the items.
var formFields = map[string]bool{"submission_id": true, "lang": true, "kiosk": true, "comment": true, "website": true}

// SurveySubmit stores a posted form and sends the citizen to the thank-you
// page, or shows the form again with their answers and what to fix. A
// dossier's form that would be shown again once the dossier has its rating
// gets the page that says so instead (409), but for a replay of that
// rating, which goes to the thank-you page like any replay.
func (h *Handler) SurveySubmit(c *gin.Context) error {
	tg, err := h.resolve(c, c.Param("token"))
	if err != nil {
		return err
	}
	in := tg.Instrument
	lang := httpx.Lang(c)
	t := tr(lang)
	st := &formState{answers: make([]uint8, len(in.Items)), fields: map[string]string{}}
	if err := c.Request.ParseForm(); err != nil {
		st.submissionID = newSubmissionID()
		if httpx.TooLarge(err) {
			st.summary = t.TooLarge
			return h.formAgain(c, tg, st, http.StatusRequestEntityTooLarge)
		}
		st.summary = t.BadForm
		return h.formAgain(c, tg, st, http.StatusBadRequest)
	}
	lang = httpx.Lang(c)
	t = tr(lang)
	sub, bad := parseSurveyForm(in, c.Request.PostForm, st)
	if bad != 0 {
		if st.summary == "" && bad == http.StatusBadRequest {
			st.summary = t.BadForm
		}
		return h.formAgain(c, tg, st, bad)
	}
	channel := survey.ChannelWeb
	kv := kioskParam(c, tg)
	if kv != "" && h.Signer.VerifyKiosk(tg.Counter, kv) {
		channel = survey.ChannelKiosk // the counter's own tablet (see survey.RateLimiter.Admit)
	}
	tg.Bind(sub, channel, h.Now())
	sub.Lang = lang
	if err := integrity.Judge(c.Request.Context(), h.Store, sub, integrity.Options{}); err != nil {
		h.Log.Error("integrity calendar", "id", httpx.RequestID(c), "err", err)
	}
	addr := httpx.ClientAddr(c.Request, h.TrustedProxies)
	verdict, err := h.admit(c, sub, addr)
	sub.Client = h.Limiter.ClientTag(addr, c.Request.UserAgent(), sub.ReceivedAt)
	if err != nil {
		return err
	}
	res, err := h.Store.StoreResponse(c.Request.Context(), sub)
	if err != nil || res.Replay {
		h.Limiter.Refund(sub, addr, verdict, sub.ReceivedAt) // no new rating stored
	}
	if err != nil {
		switch survey.ErrorCode(err) {
		case survey.EINVALID:
			st.summary = t.BadForm
			return h.formAgain(c, tg, st, http.StatusBadRequest)
		case survey.ECONFLICT:
			if errors.Is(err, survey.ErrDossierRated) || tg.Rated() {
				// A new rating of a rated dossier, or its rating's id sent
				// again with other answers: the dossier has its rating.
				return ratedError(lang)
			}
			// This form's id was sent before with other answers (the
			// citizen went back and changed them): nothing was stored. The
			// answers are kept under a new id, to be sent as a new rating.
			st.submissionID = newSubmissionID()
			st.summary = t.Conflict
			return h.renderSurvey(c, http.StatusConflict, h.surveyPage(c, tg, st))
		}
		h.Log.Error("store response", "id", httpx.RequestID(c), "err", err)
		st.summary = t.BusyBody
		return h.formAgain(c, tg, st, http.StatusServiceUnavailable)
	}
	if res.Replay {
		httpx.SetReplay(c)
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
	loc := "/s/" + tg.Token + "/thanks"
	if len(q) > 0 {
		loc += "?" + q.Encode()
	}
	c.Redirect(http.StatusSeeOther, loc)
	return nil
}

// formAgain shows the form again with what st holds, with status; a
// dossier that has its rating gets the page that says so instead: its form
// is not to be filled in again.
func (h *Handler) formAgain(c *gin.Context, tg *survey.Target, st *formState, status int) error {
	if tg.Rated() {
		return ratedError(httpx.Lang(c))
	}
	return h.renderSurvey(c, status, h.surveyPage(c, tg, st))
}

// renderSurvey renders the survey page p, under the kiosk's policy when it
// is a kiosk form.
func (h *Handler) renderSurvey(c *gin.Context, status int, p *surveyPage) error {
	if p.Kiosk {
		h.kioskPolicy(c, p.KioskValue)
	}
	return h.render(c, status, "survey", p)
}

// kioskPolicy gives a kiosk form (kv is its kiosk parameter, "" for none)
// the Content-Security-Policy that lets its script run and post: the
// kiosk's script (static/kiosk.js) keeps the ratings a tablet could not
// send. Every other page keeps the server's policy, which runs no script.
func (h *Handler) kioskPolicy(c *gin.Context, kv string) {
	if kv != "" && h.KioskCSP != "" {
		c.Header("Content-Security-Policy", h.KioskCSP)
	}
}

// parseSurveyForm reads the posted form into a submission (survey.
// BuildSubmission holds the rules). It fills st with what can be kept and
// returns a status other than 0 when the form must be shown again: 400 for
// what no form of ours sends, 422 for answers to complete or correct.
func parseSurveyForm(in *survey.Instrument, form url.Values, st *formState) (*survey.Submission, int) {
	lang := "vi"
	if form.Get("lang") == "en" {
		lang = "en"
	}
	t := tr(lang)
	status := 0
	raw := map[string]string{}
	for key, vals := range form {
		for _, v := range vals {
			if !utf8.ValidString(v) || !utf8.ValidString(key) {
				st.summary = t.BadEncoding
				status = http.StatusBadRequest
			}
		}
		if formFields[key] || (in.Followup != nil && key == in.Followup.Code) {
			continue
		}
		if !in.IsItemField(key) {
			status = http.StatusBadRequest // a field no form of ours sends
			continue
		}
		if len(vals) > 0 {
			raw[key] = vals[0]
		}
	}
	input := survey.SubmissionInput{SubmissionID: form.Get("submission_id"), Answers: raw, Comment: form.Get("comment")}
	if in.Followup != nil {
		input.Followup = form.Get(in.Followup.Code)
	}
	sub, verr := survey.BuildSubmission(in, input)
	copy(st.answers, sub.Answers)
	st.followup = sub.Followup
	st.submissionID = input.SubmissionID
	if utf8.ValidString(input.Comment) {
		st.comment = input.Comment
	}
	if verr != nil {
		for k, v := range verr.Fields {
			switch {
			case in.IsItemField(k):
				st.fields[k] = v
				if status == 0 {
					status = http.StatusUnprocessableEntity
				}
			case k == survey.FieldSubmissionID:
				st.submissionID = newSubmissionID()
				status = http.StatusBadRequest
			case k == survey.FieldComment && v != survey.MsgNoComment:
				st.commentError = v
				if status == 0 {
					status = http.StatusUnprocessableEntity
				}
			default: // a follow-up option or a comment no form of ours sends
				status = http.StatusBadRequest
			}
		}
	}
	if status != 0 {
		return nil, status
	}
	if form.Get("website") != "" {
		sub.Flag = survey.FlagHoneypot
	}
	return sub, 0
}

// admit applies the rate limit to a submission from addr: over it the
// submission is flagged, over the hard cap it is refused with 429.
func (h *Handler) admit(c *gin.Context, sub *survey.Submission, addr netip.Addr) (survey.RateVerdict, error) {
	v, wait := h.Limiter.Admit(sub, addr, sub.ReceivedAt)
	if v == survey.RateReject {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		t := tr(httpx.Lang(c))
		return v, &pageError{http.StatusTooManyRequests, t.RateTitle, t.RateBody}
	}
	httpx.SetSubmission(c, sub)
	return v, nil
}
