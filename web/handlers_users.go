package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/staff"
	"github.com/wingtip/multichannel/views"
)

// roleChoices offers the partner roles with role chosen.
func roleChoices(role string) []views.Choice {
	return choices(domain.Roles, domain.Role.Label, []string{role})
}

// inviteForm is the invite form with what was typed.
func inviteForm(name, email, role string) views.InviteUserForm {
	return views.InviteUserForm{Name: name, Email: email, Roles: roleChoices(role)}
}

func (s *Server) listUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, inviteForm("", "", string(domain.RoleSalesAgent)), "")
}

// renderUsers shows the users page with the invite form as typed and, once,
// a password link to pass on by hand.
func (s *Server) renderUsers(c echo.Context, status int, invite views.InviteUserForm, link string) error {
	page := pageParam(c)
	users, total, err := s.svc.Staff.List(c.Request().Context(), page)
	if err != nil {
		return err
	}
	list := views.UsersList{Total: total, Pager: pager(c.Path(), nil, page, total), Invite: invite, Link: link}
	for _, u := range users {
		list.Rows = append(list.Rows, views.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), RoleLabel: u.Role.Label(),
			Roles: roleChoices(string(u.Role)), Active: u.Active, Pending: u.AwaitingPassword(), TwoFactor: u.TwoFactor})
	}
	return s.render(c, status, views.UsersPage(s.chrome(c, "Partner users"), list))
}

func (s *Server) inviteUser(c echo.Context) error {
	name, email, role := postValue(c, "name"), postValue(c, "email"), postValue(c, "role")
	form := inviteForm(name, email, role)
	link, err := s.svc.Staff.Invite(c.Request().Context(), actor(c), name, email, domain.Role(role))
	if errs, ok := fieldErrors(err); ok {
		form.Errors = errs
		return s.renderUsers(c, formStatus(err), form, "")
	}
	if err != nil {
		return err
	}
	if link != "" {
		// The link is shown on this answer only, never stored to show again.
		return s.renderUsers(c, http.StatusOK, inviteForm("", "", string(domain.RoleSalesAgent)), link)
	}
	s.flash(c, "Invited "+form.Email+": a link to set a password is on its way.")
	return c.Redirect(http.StatusSeeOther, "/users")
}

// userChange makes one change of the user of the path and goes back to the
// users list.
func (s *Server) userChange(c echo.Context, apply func(ctx context.Context, id int64) error, done string) error {
	return s.change(c, stateChange{param: "uid", apply: apply, done: done, back: backTo("/users")})
}

func (s *Server) changeUserRole(c echo.Context) error {
	return s.userChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Staff.ChangeRole(ctx, actor(c), id, domain.Role(postValue(c, "role")))
	}, "Role changed; the user's sessions ended.")
}

func (s *Server) setUserActive(c echo.Context) error {
	active := postValue(c, "active") == "1"
	return s.userChange(c, func(ctx context.Context, id int64) error { return s.svc.Staff.SetActive(ctx, actor(c), id, active) },
		map[bool]string{true: "User reactivated.", false: "User deactivated; their sessions ended."}[active])
}

// resetUserTwoFactor turns off the two-factor sign-in of a user who lost
// their phone and their recovery codes; they sign in with the password alone
// and, if the partner requires it, set it up again at once.
func (s *Server) resetUserTwoFactor(c echo.Context) error {
	return s.userChange(c, func(ctx context.Context, id int64) error { return s.svc.Staff.ResetTwoFactor(ctx, actor(c), id) },
		"Two-factor sign-in is off for that user; their sessions ended.")
}

func (s *Server) resetUserPassword(c echo.Context) error {
	id, err := idParam(c, "uid")
	if err != nil {
		return err
	}
	link, err := s.svc.Staff.ResetPassword(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	if link != "" {
		return s.renderUsers(c, http.StatusOK, inviteForm("", "", string(domain.RoleSalesAgent)), link)
	}
	s.flash(c, "A link to set a new password is on its way.")
	return c.Redirect(http.StatusSeeOther, "/users")
}

// passwordPage shows the form of a password link; GET changes nothing.
func (s *Server) passwordPage(c echo.Context) error {
	invitationHeaders(c)
	if err := s.limitInvitations(c); err != nil {
		return err
	}
	u, err := s.svc.Staff.LinkUser(c.Request().Context(), c.Param("token"))
	if errors.Is(err, staff.ErrInvalidLink) {
		return s.render(c, http.StatusNotFound, views.PasswordLinkInvalidPage(s.chrome(c, "Password")))
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.SetPasswordPage(s.chrome(c, "Password"),
		views.PasswordPage{Action: "/password/" + c.Param("token"), Name: u.Name, Email: u.Email}))
}

// setPassword sets the password and sends the browser to sign in, on a page
// without the token.
func (s *Server) setPassword(c echo.Context) error {
	invitationHeaders(c)
	if err := s.limitInvitations(c); err != nil {
		return err
	}
	token := c.Param("token")
	_, err := s.svc.Staff.SetPassword(c.Request().Context(), token, postValue(c, "password"), postValue(c, "confirm"), c.RealIP())
	if errs, ok := fieldErrors(err); ok {
		u, lerr := s.svc.Staff.LinkUser(c.Request().Context(), token)
		if lerr != nil {
			return s.render(c, http.StatusNotFound, views.PasswordLinkInvalidPage(s.chrome(c, "Password")))
		}
		return s.render(c, formStatus(err), views.SetPasswordPage(s.chrome(c, "Password"),
			views.PasswordPage{Action: "/password/" + token, Name: u.Name, Email: u.Email, Errors: errs}))
	}
	if errors.Is(err, staff.ErrInvalidLink) {
		return s.render(c, http.StatusNotFound, views.PasswordLinkInvalidPage(s.chrome(c, "Password")))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login?password_set=1")
}
