package httpx

import (
	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
)

// Keys of the values kept on a request's gin.Context.
const (
	userKey = "sipas.user"
	// RequestIDHeader is the header that carries the request id, set by the
	// outermost middleware on every answer.
	RequestIDHeader = "X-Request-Id"
)

// Lang returns the page language from ?lang= or the posted form: "en" or
// "vi".
func Lang(c *gin.Context) string {
	l := c.Query("lang")
	if l == "" && c.Request.Method == "POST" && c.Request.PostForm != nil {
		l = c.Request.PostForm.Get("lang")
	}
	if l == "en" {
		return "en"
	}
	return "vi"
}

// SetUser records the authenticated user of the request.
func SetUser(c *gin.Context, u *survey.User) { c.Set(userKey, u) }

// CurrentUser returns the authenticated user of the request, or nil.
func CurrentUser(c *gin.Context) *survey.User {
	v, _ := c.Get(userKey)
	u, _ := v.(*survey.User)
	return u
}

// Actor is who acts in the request, for the audit log.
func Actor(c *gin.Context) survey.Actor {
	u := CurrentUser(c)
	if u == nil {
		return survey.Actor{}
	}
	return survey.Actor{UserID: u.ID, Name: u.Name}
}

// RequestID returns the id the outermost middleware gave the request.
func RequestID(c *gin.Context) string { return c.Writer.Header().Get(RequestIDHeader) }

// IsAdmin reports whether the request's user is an admin.
func IsAdmin(c *gin.Context) bool {
	u := CurrentUser(c)
	return u != nil && u.Role == survey.RoleAdmin
}

// Method returns the request's method for a log line, cut to 16 bytes with
// "…" appended: a client may send a method of any length.
func Method(c *gin.Context) string {
	if m := c.Request.Method; len(m) > 16 {
		return m[:16] + "…"
	}
	return c.Request.Method
}

// Keys under which an admitted submission's channel and flag, and whether
// it was a replay, are kept for the metrics middleware.
const (
	channelKey = "sipas.channel"
	flagKey    = "sipas.flag"
	replayKey  = "sipas.replay"
)

// SetSubmission records the channel and flag of the submission the request
// is about to store, for the metrics.
func SetSubmission(c *gin.Context, sub *survey.Submission) {
	c.Set(channelKey, sub.Channel)
	c.Set(flagKey, sub.Flag)
}

// Submission returns what SetSubmission recorded ("" when the request
// stored nothing).
func Submission(c *gin.Context) (channel, flag string) {
	return c.GetString(channelKey), c.GetString(flagKey)
}

// SetReplay records that the submission the request stored was a replay of
// one stored before (the form answers it with the same redirect as a new
// one, so the metrics cannot tell by the status).
func SetReplay(c *gin.Context) { c.Set(replayKey, true) }

// Replay reports whether SetReplay was called for the request.
func Replay(c *gin.Context) bool { return c.GetBool(replayKey) }
