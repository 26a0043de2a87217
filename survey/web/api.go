package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
)

// decodeJSON reads one JSON object from the body into v, refusing unknown
// fields, trailing data, invalid UTF-8 and other content types. It answers
// the error itself and returns false on failure.
func (s *Server) decodeJSON(c *gin.Context, v any) bool {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mt != "application/json" {
		s.fail(c, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return false
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if isTooLarge(err) {
			s.fail(c, http.StatusRequestEntityTooLarge, "request body too large")
		} else {
			s.fail(c, http.StatusBadRequest, "could not read the request body")
		}
		return false
	}
	if !utf8.Valid(body) {
		s.fail(c, http.StatusBadRequest, "request body is not valid UTF-8")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.fail(c, http.StatusBadRequest, "invalid JSON: "+jsonErrText(err))
		return false
	}
	if dec.More() {
		s.fail(c, http.StatusBadRequest, "invalid JSON: trailing data after the object")
		return false
	}
	return true
}

func jsonErrText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + strconv.Quote(te.Field) + " has the wrong type"
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field") {
		return strings.TrimPrefix(msg, "json: ")
	}
	if errors.Is(err, io.EOF) {
		return "empty body"
	}
	return "malformed JSON"
}

type responseRequest struct {
	Token        string                     `json:"token"`
	SubmissionID string                     `json:"submission_id"`
	Answers      map[string]json.RawMessage `json:"answers"`
	Followup     string                     `json:"followup"`
	Comment      string                     `json:"comment"`
	// Kiosk is the counter's kiosk key, sent by the counter's own tablet.
	Kiosk string `json:"kiosk"`
}

type responseReply struct {
	ID           int64  `json:"id"`
	SubmissionID string `json:"submission_id"`
	Replay       bool   `json:"replay"`
}

func (s *Server) handleResponseCreate(c *gin.Context) {
	var req responseRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	if req.Token == "" {
		s.fail(c, http.StatusBadRequest, "token is required")
		return
	}
	tg := s.resolve(c, req.Token)
	if tg == nil {
		return
	}
	if !survey.ValidSubmissionID(req.SubmissionID) {
		s.fail(c, http.StatusBadRequest, "submission_id must be 16-64 characters of A-Z, a-z, 0-9, '-' or '_'")
		return
	}
	if req.Answers == nil {
		s.fail(c, http.StatusBadRequest, "answers is required")
		return
	}
	raw := make(map[string]string, len(req.Answers))
	fields := map[string]string{}
	for code, v := range req.Answers {
		if a, ok := answerValue(v); ok {
			raw[code] = a
		} else {
			fields[code] = "must be an integer 1..5 or \"na\""
		}
	}
	ans, verr := survey.ParseAnswers(tg.inst, raw)
	if verr != nil || len(fields) > 0 {
		msg := "invalid answers"
		if verr != nil {
			for k, v := range verr.Fields {
				if _, seen := fields[k]; !seen {
					fields[k] = v
				}
			}
			msg = verr.Message
		}
		if len(fields) > 0 && verr == nil {
			msg = "invalid value for: " + strings.Join(sortedKeys(fields), ", ") + " (use 1..5 or \"na\")"
		}
		for k, v := range fields {
			switch v {
			case survey.MsgMissing, survey.MsgMissingOne:
				fields[k] = "missing"
			case survey.MsgBadValue:
				fields[k] = "must be an integer 1..5 or \"na\""
			}
		}
		writeJSON(c, http.StatusBadRequest, apiError{Error: msg, Fields: fields})
		return
	}
	followup := 0
	if req.Followup != "" {
		followup = tg.inst.FollowupIndex(req.Followup)
		if followup == 0 {
			s.fail(c, http.StatusBadRequest, "followup is not one of the instrument's options")
			return
		}
	}
	comment, cerr := survey.CleanComment(req.Comment)
	if cerr != nil {
		s.fail(c, http.StatusBadRequest, cerr.Message)
		return
	}
	if !tg.inst.Comment && comment != "" {
		s.fail(c, http.StatusBadRequest, "this instrument takes no comment")
		return
	}
	sub := &survey.Submission{
		SubmissionID: req.SubmissionID, CounterID: tg.counter.ID, AgencyID: tg.counter.AgencyID,
		Instrument: tg.inst, Answers: ans, Followup: followup, Comment: comment,
		Channel: "api", Lang: "vi", ReceivedAt: s.now(),
	}
	if req.Kiosk != "" {
		if !s.signer.VerifyKiosk(tg.counter.ID, tg.counter.TokenVersion, req.Kiosk) {
			s.fail(c, http.StatusBadRequest, "kiosk is not this counter's kiosk key")
			return
		}
		sub.Channel = "kiosk"
	}
	if !s.admit(c, sub) {
		return
	}
	res, err := s.store.StoreResponse(c.Request.Context(), sub)
	if err != nil {
		s.log.Error("store response", "err", err)
		s.fail(c, http.StatusServiceUnavailable, "could not store the response; retry with the same submission_id")
		return
	}
	status := http.StatusCreated
	if res.Replay {
		status = http.StatusOK
	}
	writeJSON(c, status, responseReply{ID: res.ResponseID, SubmissionID: req.SubmissionID, Replay: res.Replay})
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
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
