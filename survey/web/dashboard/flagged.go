package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// flaggedPageSize is how many flagged ratings one page of the review shows.
const flaggedPageSize = 100

// Statuses of the review page's filter (survey.FlagFilter's).
const (
	flaggedPending  = "pending"
	flaggedReviewed = "reviewed"
	flaggedAll      = "all"
)

// flaggedPath is the review page of flagged ratings.
const flaggedPath = "/dashboard/flagged"

// flaggedPage is the admins' review page of flagged ratings: each one with
// where and how it came, its date (and window, never the time of day), why
// it was left out of the indices, its answers in short, its comment, and
// forms to accept it back or reject it while it is pending.
type flaggedPage struct {
	dashBase
	Agency, Status, Shown string
	Statuses              []statusOption
	Agencies              []*survey.Agency
	Rows                  []flaggedRow
	NextURL, FirstURL     string
	Flash, FormError      string
	NoteMax               int
	NoteHint              string
}

// statusOption is one status of the filter.
type statusOption struct {
	Value, Label string
	Selected     bool
}

// flaggedRow is one flagged rating of the page.
type flaggedRow struct {
	ID                               int64
	Agency, Counter, Channel, Date   string
	Window, Flag, FlagLabel, Answers string
	Comment, Status                  string
	Reasons                          []string
	Pending                          bool
	AcceptURL, RejectURL             string
	AcceptLabel, RejectLabel         string
	AcceptNote, RejectNote           string // what the admin typed, on a refused form
}

// flaggedQuery is the state of the page's URL: the filter, the page and
// the language.
type flaggedQuery struct {
	Agency, Status, Lang string
	Before               int64
}

// parseFlaggedQuery reads the query string; bad input is a 400.
func parseFlaggedQuery(c *gin.Context) (flaggedQuery, error) {
	lang := httpx.Lang(c)
	t := dtr(lang)
	q := flaggedQuery{Agency: strings.TrimSpace(c.Query("agency")), Status: c.Query("status"), Lang: lang}
	switch q.Status {
	case "":
		q.Status = flaggedPending
	case flaggedPending, flaggedReviewed, flaggedAll:
	default:
		return q, fail(http.StatusBadRequest, t.FlBadStatus)
	}
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return q, fail(http.StatusBadRequest, t.FlBadBefore)
		}
		q.Before = n
	}
	return q, nil
}

// link returns path with the query's filter and language (not its page),
// and more key, value pairs.
func (q flaggedQuery) link(path string, kv ...string) string {
	v := url.Values{}
	if q.Agency != "" {
		v.Set("agency", q.Agency)
	}
	if q.Status != flaggedPending {
		v.Set("status", q.Status)
	}
	if q.Lang == "en" {
		v.Set("lang", "en")
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// flaggedPageData builds the page of q.
func (h *Handler) flaggedPageData(c *gin.Context, q flaggedQuery) (*flaggedPage, error) {
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	list, err := h.Store.ListFlagged(ctx, survey.FlagFilter{Agency: q.Agency, Status: q.Status, Before: q.Before, Limit: flaggedPageSize + 1})
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil, fail(http.StatusNotFound, fmt.Sprintf(t.NoAgency, q.Agency))
	} else if err != nil {
		return nil, err
	}
	as, err := h.Store.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	p := &flaggedPage{dashBase: h.dashBase(c, t.FlTitle), Agency: q.Agency, Status: q.Status, Agencies: as,
		NoteMax: survey.MaxNoteRunes, NoteHint: fmt.Sprintf(t.FlNoteHint, survey.MaxNoteRunes)}
	// The language switch keeps the filter, checked above (the agency
	// exists).
	other := q
	other.Lang = p.OtherLang
	p.SwitchURL = other.link(flaggedPath)
	if q.Before > 0 {
		p.SwitchURL = other.link(flaggedPath, "before", strconv.FormatInt(q.Before, 10))
		p.FirstURL = q.link(flaggedPath)
	}
	for _, s := range []struct{ value, label string }{{flaggedPending, t.FlPending}, {flaggedReviewed, t.FlReviewed}, {flaggedAll, t.FlAll}} {
		p.Statuses = append(p.Statuses, statusOption{Value: s.value, Label: s.label, Selected: s.value == q.Status})
		if s.value == q.Status {
			p.Shown = s.label
		}
	}
	if q.Agency != "" {
		p.Shown += " · " + q.Agency
	}
	if len(list) > flaggedPageSize {
		list = list[:flaggedPageSize]
		p.NextURL = q.link(flaggedPath, "before", strconv.FormatInt(list[len(list)-1].ID, 10))
	}
	for _, f := range list {
		p.Rows = append(p.Rows, flaggedRowOf(f, q))
	}
	if id, err := strconv.ParseInt(c.Query("done"), 10, 64); err == nil && id > 0 {
		switch c.Query("msg") {
		case "accepted":
			p.Flash = fmt.Sprintf(t.FlAcceptedMsg, id)
		case "rejected":
			p.Flash = fmt.Sprintf(t.FlRejectedMsg, id)
		}
	}
	return p, nil
}

// flaggedRowOf is the view of one flagged rating.
func flaggedRowOf(f *survey.FlaggedResponse, q flaggedQuery) flaggedRow {
	t := dtr(q.Lang)
	id := strconv.FormatInt(f.ID, 10)
	r := flaggedRow{ID: f.ID, Agency: f.AgencyCode, Counter: f.CounterCode, Channel: f.Channel, Date: f.LocalDate,
		Flag: f.Flag, FlagLabel: f.Flag, Answers: answersSummary(f.Answers, q.Lang), Comment: f.Comment,
		Pending:   f.Review == "",
		AcceptURL: q.link(flaggedPath + "/" + id + "/accept"), RejectURL: q.link(flaggedPath + "/" + id + "/reject"),
		AcceptLabel: fmt.Sprintf(t.FlNoteAccept, f.ID), RejectLabel: fmt.Sprintf(t.FlNoteReject, f.ID)}
	if r.Counter == "" {
		r.Counter = t.FlNoCounter
	}
	if s, ok := t.FlChannels[f.Channel]; ok {
		r.Channel = s
	}
	if d, err := time.ParseInLocation("2006-01-02", f.LocalDate, survey.Vietnam); err == nil {
		r.Date = viDate(d)
	}
	if f.Window != "" {
		r.Window = fmt.Sprintf(t.FlWindow, f.Window)
	}
	if s, ok := t.FlFlags[f.Flag]; ok {
		r.FlagLabel = s
	}
	switch f.Flag {
	case survey.FlagHoneypot:
		r.Reasons = []string{t.FlHoneypot}
	case survey.FlagRateLimited:
		r.Reasons = []string{reasonLabel(t, survey.FlagRateLimited)}
	}
	for _, k := range f.Reasons {
		r.Reasons = append(r.Reasons, reasonLabel(t, k))
	}
	// The review's day, not its time: the page tells no time of day
	// finer than a window.
	day := ""
	if f.ReviewedAt != nil {
		day = viDate(f.ReviewedAt.In(survey.Vietnam))
	}
	switch f.Review {
	case "":
		r.Status = t.FlStatusPending
	case survey.ReviewAccepted:
		r.Status = fmt.Sprintf(t.FlAcceptedBy, f.ReviewedBy, day)
	default:
		r.Status = fmt.Sprintf(t.FlRejectedBy, f.ReviewedBy, day)
	}
	return r
}

// answersSummary is a rating's answers in short: the mean of its 1–5
// answers over how many items had one, and whether they were all the same
// (the typical manufactured rating).
func answersSummary(answers []int, lang string) string {
	t := dtr(lang)
	n, sum, first, same := 0, 0, 0, true
	for _, v := range answers {
		if v < 1 || v > 5 {
			continue // no opinion, or blank
		}
		if n == 0 {
			first = v
		} else if v != first {
			same = false
		}
		n++
		sum += v
	}
	if n == 0 {
		return t.FlNoAnswers
	}
	s := fmt.Sprintf(t.FlMeanFmt, report.Number(float64(sum)/float64(n), 2, lang), n, len(answers))
	if same && n > 1 {
		s += "; " + fmt.Sprintf(t.FlIdenticalFmt, first)
	}
	return s
}

// Flagged shows the review page of flagged ratings (admins).
func (h *Handler) Flagged(c *gin.Context) error {
	q, err := parseFlaggedQuery(c)
	if err != nil {
		return err
	}
	p, err := h.flaggedPageData(c, q)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "flagged", p)
}

// FlaggedAccept counts a flagged rating in the indices after all, then
// redirects to the list (admins).
func (h *Handler) FlaggedAccept(c *gin.Context) error { return h.reviewFlagged(c, true) }

// FlaggedReject keeps a flagged rating out of the indices for good, then
// redirects to the list (admins).
func (h *Handler) FlaggedReject(c *gin.Context) error { return h.reviewFlagged(c, false) }

// reviewFlagged parses the form, reviews the rating as the signed-in admin
// and redirects to the list with a notice; a refused review shows the list
// again with the error, nothing changed.
func (h *Handler) reviewFlagged(c *gin.Context, accept bool) error {
	q, err := parseFlaggedQuery(c)
	if err != nil {
		return err
	}
	if q.Agency != "" {
		// The list to return to must exist before anything is reviewed.
		if _, err := h.Store.FindAgency(c.Request.Context(), q.Agency); err != nil {
			return err
		}
	}
	t := dtr(q.Lang)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fail(http.StatusNotFound, t.FlNotFound)
	}
	typed := c.Request.PostForm.Get("note")
	note, err := survey.CleanNote(typed)
	if err != nil {
		return h.flaggedFormError(c, q, http.StatusBadRequest, fmt.Sprintf(t.FlNoteLong, survey.MaxNoteRunes), id, accept, typed)
	}
	_, err = h.Store.ReviewFlagged(c.Request.Context(), id, accept, note, httpx.Actor(c))
	switch survey.ErrorCode(err) {
	case "":
	case survey.ENOTFOUND:
		return fail(http.StatusNotFound, t.FlNotFound)
	case survey.ECONFLICT:
		return h.flaggedFormError(c, q, http.StatusConflict, fmt.Sprintf(t.FlAlready, id), 0, accept, "")
	default:
		return err
	}
	msg := "rejected"
	if accept {
		msg = "accepted"
	}
	c.Redirect(http.StatusSeeOther, q.link(flaggedPath, "msg", msg, "done", strconv.FormatInt(id, 10)))
	return nil
}

// flaggedFormError shows the list of q again with msg at status, and the
// note the admin typed back in the form of rating id.
func (h *Handler) flaggedFormError(c *gin.Context, q flaggedQuery, status int, msg string, id int64, accept bool, typed string) error {
	p, err := h.flaggedPageData(c, q)
	if err != nil {
		return err
	}
	p.FormError = msg
	for i := range p.Rows {
		if p.Rows[i].ID != id {
			continue
		}
		if accept {
			p.Rows[i].AcceptNote = typed
		} else {
			p.Rows[i].RejectNote = typed
		}
	}
	return h.render(c, status, "flagged", p)
}
