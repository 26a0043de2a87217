package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// userRow is one account in the admins' accounts table.
type userRow struct {
	Name, Role, RoleLabel, Agency, Status, Created, ActionURL string
	Disabled, Self                                            bool
	Email                                                     string
	DigestWeekly, AlertMail                                   bool
}

// userForm is the create-account form with what the admin typed (never
// the password).
type userForm struct {
	Name, Role, Agency string
}

// usersPage is the admins' accounts page.
type usersPage struct {
	dashBase
	Users            []userRow
	Agencies         []*survey.Agency
	Form             userForm
	Flash, FormError string
	CreateURL        string
}

// usersLink is path with the page's language kept.
func usersLink(path, lang string, kv ...string) string {
	q := url.Values{}
	if lang == "en" {
		q.Set("lang", "en")
	}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	if enc := q.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// usersPageData builds the accounts page.
func (h *Handler) usersPageData(c *gin.Context) (*usersPage, error) {
	ctx := c.Request.Context()
	lang := httpx.Lang(c)
	t := dtr(lang)
	us, err := h.Store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	as, err := h.Store.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	me := httpx.CurrentUser(c)
	p := &usersPage{dashBase: h.dashBase(c, t.Accounts), Agencies: as,
		Form: userForm{Role: survey.RoleOfficial}, CreateURL: usersLink("/dashboard/users", lang)}
	for _, u := range us {
		r := userRow{Name: u.Name, Role: u.Role, RoleLabel: t.RoleOfficial, Agency: u.AgencyCode,
			Status: t.Active, Disabled: u.Disabled, Self: me != nil && me.ID == u.ID,
			Email: u.Email, DigestWeekly: u.DigestWeekly, AlertMail: u.AlertMail,
			Created:   u.CreatedAt.In(survey.Vietnam).Format("02/01/2006"),
			ActionURL: usersLink("/dashboard/users/"+url.PathEscape(u.Name), lang)}
		if u.Role == survey.RoleAdmin {
			r.RoleLabel = t.RoleAdmin
		}
		if u.Disabled {
			r.Status = t.DisabledStatus
		}
		p.Users = append(p.Users, r)
	}
	switch c.Query("msg") {
	case "created":
		p.Flash = t.UserCreated
	case "disabled":
		p.Flash = t.UserDisabled
	case "enabled":
		p.Flash = t.UserEnabled
	case "updated":
		p.Flash = t.UserUpdated
	case "password":
		p.Flash = t.PwReset
	}
	return p, nil
}

// Users shows the accounts page (admins).
func (h *Handler) Users(c *gin.Context) error {
	p, err := h.usersPageData(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "users", p)
}

// usersFormError shows the accounts page again with the admin's input and
// the error.
func (h *Handler) usersFormError(c *gin.Context, form userForm, err error) error {
	if isInternal(err) {
		return err
	}
	status, msg := httpx.StatusOf(err)
	p, perr := h.usersPageData(c)
	if perr != nil {
		return perr
	}
	p.FormError = msg
	if form.Role != "" {
		p.Form = form
	}
	return h.render(c, status, "users", p)
}

// passwordHash hashes a password typed by an admin, with the dashboard's
// own message when it breaks the password policy.
func passwordHash(c *gin.Context, pw string) (string, error) {
	if survey.CheckPasswordPolicy(pw) != nil {
		return "", survey.Errorf(survey.EINVALID, "%s", dtr(httpx.Lang(c)).PwShort)
	}
	return survey.HashPassword(pw)
}

// UserCreate adds an account: post → validate → save → redirect, or the
// page again with the error (admins).
func (h *Handler) UserCreate(c *gin.Context) error {
	f := c.Request.PostForm
	form := userForm{Name: f.Get("name"), Role: f.Get("role"), Agency: f.Get("agency")}
	hash, err := passwordHash(c, f.Get("password"))
	if err != nil {
		return h.usersFormError(c, form, err)
	}
	u := &survey.User{Name: form.Name, Role: form.Role, AgencyCode: form.Agency, PasswordHash: hash}
	if err := h.Store.CreateUser(c.Request.Context(), u, httpx.Actor(c)); err != nil {
		return h.usersFormError(c, form, err)
	}
	c.Redirect(http.StatusSeeOther, usersLink("/dashboard/users", httpx.Lang(c), "msg", "created"))
	return nil
}

// UserAction disables, enables, changes the role and agency of, or resets
// the password of an account (admins).
func (h *Handler) UserAction(c *gin.Context) error {
	f := c.Request.PostForm
	name := c.Param("name")
	me := httpx.CurrentUser(c)
	self := me != nil && me.Name == name
	var err error
	var msg string
	switch f.Get("action") {
	case "disable", "enable":
		off := f.Get("action") == "disable"
		err = h.updateUser(c, name, self, survey.UserUpdate{Disabled: &off})
		msg = f.Get("action") + "d"
	case "set":
		role, agency := f.Get("role"), f.Get("agency")
		err = h.updateUser(c, name, self, survey.UserUpdate{Role: &role, AgencyCode: &agency})
		msg = "updated"
	case "password":
		err = h.resetPassword(c, name, f.Get("password"), self)
		msg = "password"
	case "mail":
		email := strings.TrimSpace(f.Get("email"))
		digest, alerts := f.Get("digest_weekly") == "1", f.Get("alert_mail") == "1"
		t := dtr(httpx.Lang(c))
		if _, perr := survey.ParseEmail(email); perr != nil {
			err = survey.Errorf(survey.EINVALID, "%s", t.MlBadEmail)
		} else if email == "" && (digest || alerts) {
			err = survey.Errorf(survey.EINVALID, "%s", t.MlNeedEmail)
		} else {
			err = h.updateUser(c, name, self, survey.UserUpdate{Email: &email, DigestWeekly: &digest, AlertMail: &alerts})
		}
		msg = "updated"
	default:
		err = survey.Errorf(survey.EINVALID, "action must be disable, enable, set, mail or password")
	}
	if err != nil {
		return h.usersFormError(c, userForm{}, err)
	}
	c.Redirect(http.StatusSeeOther, usersLink("/dashboard/users", httpx.Lang(c), "msg", msg))
	return nil
}

// updateUser applies u to the account called name, refusing what an admin
// may not do to their own account (survey.MayUpdateSelf).
func (h *Handler) updateUser(c *gin.Context, name string, self bool, u survey.UserUpdate) error {
	if self && !survey.MayUpdateSelf(u) {
		return survey.Errorf(survey.EINVALID, "%s", dtr(httpx.Lang(c)).NotSelf)
	}
	_, err := h.Store.UpdateUser(c.Request.Context(), name, u, httpx.Actor(c))
	return err
}

// resetPassword sets an account's password and signs out its sessions (but
// not the admin's own current session when it is their own account).
func (h *Handler) resetPassword(c *gin.Context, name, pw string, self bool) error {
	ctx := c.Request.Context()
	u, err := h.Store.FindUser(ctx, name)
	if err != nil {
		return err
	}
	hash, err := passwordHash(c, pw)
	if err != nil {
		return err
	}
	if err := h.Store.SetPassword(ctx, name, hash, httpx.Actor(c)); err != nil {
		return err
	}
	var keep []byte
	if self {
		keep = tokenHash(c.GetString(sessionTokenKey))
	}
	return h.Store.DeleteUserSessions(ctx, u.ID, keep)
}
