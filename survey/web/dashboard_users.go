package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
)

// userRow is one account in the admins' accounts table.
type userRow struct {
	Name, Role, RoleLabel, Agency, Status, Created, ActionURL string
	Disabled, Self                                            bool
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
func (s *Server) usersPageData(c *gin.Context) (*usersPage, error) {
	ctx := c.Request.Context()
	lang := langOf(c)
	t := dtr(lang)
	us, err := s.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	as, err := s.store.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	me := currentUser(c)
	p := &usersPage{dashBase: s.dashBase(c, t.Accounts), Agencies: as,
		Form: userForm{Role: survey.RoleOfficial}, CreateURL: usersLink("/dashboard/users", lang)}
	for _, u := range us {
		r := userRow{Name: u.Name, Role: u.Role, RoleLabel: t.RoleOfficial, Agency: u.AgencyCode,
			Status: t.Active, Disabled: u.Disabled, Self: me != nil && me.ID == u.ID,
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

func (s *Server) handleDashUsers(c *gin.Context) {
	p, err := s.usersPageData(c)
	if err != nil {
		s.dashFailErr(c, err)
		return
	}
	s.render(c, http.StatusOK, "users", p)
}

// usersFormError shows the accounts page again with the admin's input and
// the error.
func (s *Server) usersFormError(c *gin.Context, form userForm, err error) {
	status := statusOf(survey.ErrorCode(err))
	if status == http.StatusInternalServerError {
		s.dashFailErr(c, err)
		return
	}
	p, perr := s.usersPageData(c)
	if perr != nil {
		s.dashFailErr(c, perr)
		return
	}
	p.FormError = survey.ErrorMessage(err)
	if form.Role != "" {
		p.Form = form
	}
	s.render(c, status, "users", p)
}

// passwordHash hashes a password typed by an admin, with the dashboard's
// own message when it is too short or too long.
func passwordHash(c *gin.Context, pw string) (string, error) {
	if len(pw) < survey.MinPasswordLen || len(pw) > 72 {
		return "", survey.Errorf(survey.EINVALID, "%s", dtr(langOf(c)).PwShort)
	}
	return HashPassword(pw)
}

// handleDashUserCreate adds an account: post → validate → save →
// redirect, or the page again with the error.
func (s *Server) handleDashUserCreate(c *gin.Context) {
	f := c.Request.PostForm
	form := userForm{Name: f.Get("name"), Role: f.Get("role"), Agency: f.Get("agency")}
	hash, err := passwordHash(c, f.Get("password"))
	if err != nil {
		s.usersFormError(c, form, err)
		return
	}
	u := &survey.User{Name: form.Name, Role: form.Role, AgencyCode: form.Agency, PasswordHash: hash}
	if err := s.store.CreateUser(c.Request.Context(), u); err != nil {
		s.usersFormError(c, form, err)
		return
	}
	c.Redirect(http.StatusSeeOther, usersLink("/dashboard/users", langOf(c), "msg", "created"))
}

// handleDashUserAction disables, enables, changes the role and agency of,
// or resets the password of an account.
func (s *Server) handleDashUserAction(c *gin.Context) {
	ctx := c.Request.Context()
	f := c.Request.PostForm
	name := c.Param("name")
	me := currentUser(c)
	self := me != nil && me.Name == name
	var err error
	var msg string
	switch f.Get("action") {
	case "disable", "enable":
		off := f.Get("action") == "disable"
		if off && self {
			err = survey.Errorf(survey.EINVALID, "%s", dtr(langOf(c)).NotSelf)
			break
		}
		_, err = s.store.UpdateUser(ctx, name, survey.UserUpdate{Disabled: &off}, actor(c))
		msg = f.Get("action") + "d"
	case "set":
		role, agency := f.Get("role"), f.Get("agency")
		if self && role != survey.RoleAdmin {
			err = survey.Errorf(survey.EINVALID, "%s", dtr(langOf(c)).NotSelf)
			break
		}
		_, err = s.store.UpdateUser(ctx, name, survey.UserUpdate{Role: &role, AgencyCode: &agency}, actor(c))
		msg = "updated"
	case "password":
		err = s.resetPassword(c, name, f.Get("password"), self)
		msg = "password"
	default:
		err = survey.Errorf(survey.EINVALID, "action must be disable, enable, set or password")
	}
	if err != nil {
		s.usersFormError(c, userForm{}, err)
		return
	}
	c.Redirect(http.StatusSeeOther, usersLink("/dashboard/users", langOf(c), "msg", msg))
}

// resetPassword sets an account's password and signs out its sessions (but
// not the admin's own current session when it is their own account).
func (s *Server) resetPassword(c *gin.Context, name, pw string, self bool) error {
	ctx := c.Request.Context()
	u, err := s.store.FindUser(ctx, name)
	if err != nil {
		return err
	}
	hash, err := passwordHash(c, pw)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, name, hash, actor(c)); err != nil {
		return err
	}
	var keep []byte
	if self {
		keep = tokenHash(c.GetString(sessionTokenKey))
	}
	return s.store.DeleteUserSessions(ctx, u.ID, keep)
}
