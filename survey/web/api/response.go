package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

type responseRequest struct {
	Token        string                     `json:"token"`
	SubmissionID string                     `json:"submission_id"`
	Answers      map[string]json.RawMessage `json:"answers"`
	Followup     string                     `json:"followup"`
	Comment      string                     `json:"comment"`
	// Kiosk is the counter's kiosk key, sent by the counter's own tablet.
	Kiosk string `json:"kiosk"`
}

// responseReply is the answer to a stored response. ID is opaque
// (survey.Signer.PublicID): row ids would tell anyone how many responses
// the server holds.
type responseReply struct {
	ID           string `json:"id"`
	SubmissionID string `json:"submission_id"`
	Replay       bool   `json:"replay"`
}

// msgConflict answers a submission_id already used for another response.
const msgConflict = "this submission_id was already used for another response (at another counter, or with other answers): nothing was stored; send this response with a new submission_id"

// msgAnswerValue is the API's message for an answer that is not 1..5 or
// "na".
const msgAnswerValue = `must be an integer 1..5 or "na"`

// ResponseCreate stores one rating sent as JSON (public: the token is the
// key, a counter's or a dossier's). The same response sent again with its
// submission_id answers 200 with the first id; the submission_id with
// another counter or other answers answers 409, and so does a dossier's
// token once the dossier has its rating (survey.MsgDossierRated). A
// dossier's rating has channel "dossier".
func (h *Handler) ResponseCreate(c *gin.Context) error {
	var req responseRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Token == "" {
		return httpx.Errorf(http.StatusBadRequest, "token is required")
	}
	tg, err := survey.ResolveToken(c.Request.Context(), h.Signer, h.Store, h.Instruments, req.Token)
	if err != nil {
		return err
	}
	raw := make(map[string]string, len(req.Answers))
	typeErrs := map[string]string{}
	for code, v := range req.Answers {
		if a, ok := answerValue(v); ok {
			raw[code] = a
		} else {
			typeErrs[code] = msgAnswerValue
		}
	}
	sub, verr := survey.BuildSubmission(tg.Instrument, survey.SubmissionInput{
		SubmissionID: req.SubmissionID, Answers: raw, Followup: req.Followup, Comment: req.Comment})
	if err := apiSubmissionError(req, verr, typeErrs); err != nil {
		return err
	}
	channel := survey.ChannelAPI
	if req.Kiosk != "" {
		if !tg.TakesKiosk() {
			return httpx.Errorf(http.StatusBadRequest, "kiosk applies to a counter's token, not a dossier's")
		}
		if !h.Signer.VerifyKiosk(tg.Counter, req.Kiosk) {
			return httpx.Errorf(http.StatusBadRequest, "kiosk is not this counter's kiosk key")
		}
		channel = survey.ChannelKiosk
	}
	tg.Bind(sub, channel, h.Now())
	sub.Lang = "vi"
	if err := integrity.Judge(c.Request.Context(), h.Store, sub, integrity.Options{}); err != nil {
		h.Log.Error("integrity calendar", "id", httpx.RequestID(c), "err", err)
	}
	addr := httpx.ClientAddr(c.Request, h.TrustedProxies)
	verdict, wait := h.Limiter.Admit(sub, addr, sub.ReceivedAt)
	sub.Client = h.Limiter.ClientTag(addr, c.Request.UserAgent(), sub.ReceivedAt)
	if verdict == survey.RateReject {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return httpx.Errorf(http.StatusTooManyRequests, "too many submissions from this client for this counter in the last hour; try again later")
	}
	httpx.SetSubmission(c, sub)
	res, err := h.Store.StoreResponse(c.Request.Context(), sub)
	if err != nil || res.Replay {
		h.Limiter.Refund(sub, addr, verdict, sub.ReceivedAt) // no new rating stored
	}
	if survey.ErrorCode(err) == survey.ECONFLICT {
		if errors.Is(err, survey.ErrDossierRated) || tg.Rated() {
			// A new rating of a rated dossier, or its rating's
			// submission_id with other answers: one rating a dossier.
			return httpx.Errorf(http.StatusConflict, "%s", survey.MsgDossierRated)
		}
		return httpx.Errorf(http.StatusConflict, "%s", msgConflict)
	}
	if err != nil {
		h.Log.Error("store response", "id", httpx.RequestID(c), "err", err)
		return httpx.Errorf(http.StatusServiceUnavailable, "could not store the response; retry with the same submission_id")
	}
	status := http.StatusCreated
	if res.Replay {
		status = http.StatusOK
		httpx.SetReplay(c)
	}
	httpx.WriteJSON(c, status, responseReply{ID: h.Signer.PublicID(res.ResponseID), SubmissionID: req.SubmissionID, Replay: res.Replay})
	return nil
}

// apiSubmissionError turns what survey.BuildSubmission and the JSON reading
// found wrong into the API's answer, first problem first: the submission
// id, a missing answers object, the answers (with every field to fix), the
// follow-up, the comment.
func apiSubmissionError(req responseRequest, verr *survey.Error, typeErrs map[string]string) error {
	var fields map[string]string
	if verr != nil {
		fields = verr.Fields
	}
	if _, bad := fields[survey.FieldSubmissionID]; bad {
		return httpx.Errorf(http.StatusBadRequest, "%s", survey.MsgBadSubmissionID)
	}
	if req.Answers == nil {
		return httpx.Errorf(http.StatusBadRequest, "answers is required")
	}
	answers := map[string]string{}
	for k, v := range typeErrs {
		answers[k] = v
	}
	parsed := false
	for k, v := range fields {
		if k == survey.FieldFollowup || k == survey.FieldComment {
			continue
		}
		if _, seen := answers[k]; !seen {
			answers[k] = v
		}
		parsed = true
	}
	if len(answers) > 0 {
		msg := "invalid answers"
		switch {
		case parsed:
			// The submission id is valid here, so the first problem
			// BuildSubmission names is ParseAnswers' summary of the answers.
			msg = verr.Message
		case len(typeErrs) > 0:
			msg = "invalid value for: " + strings.Join(sortedKeys(typeErrs), ", ") + ` (use 1..5 or "na")`
		}
		for k, v := range answers {
			switch v {
			case survey.MsgMissing, survey.MsgMissingOne:
				answers[k] = "missing"
			case survey.MsgBadValue:
				answers[k] = msgAnswerValue
			}
		}
		return &survey.Error{Code: survey.EINVALID, Message: msg, Fields: answers}
	}
	if msg, bad := fields[survey.FieldFollowup]; bad {
		return httpx.Errorf(http.StatusBadRequest, "%s", msg)
	}
	if _, bad := fields[survey.FieldComment]; bad {
		return httpx.Errorf(http.StatusBadRequest, "%s", verr.Message)
	}
	return nil
}

// answerValue reads one JSON answer: an integer 1..5 or the string "na".
// Anything else (5.0, "5", null, 6) is refused.
func answerValue(v json.RawMessage) (string, bool) {
	b := bytes.TrimSpace(v)
	switch {
	case len(b) == 1 && b[0] >= '1' && b[0] <= '5':
		return string(b), true
	case string(b) == `"na"`:
		return "na", true
	}
	return "", false
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
