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
	return s.renderUsers(c, http.StatusOK, inviteForm("", "", string(domain.RoleSalesAgent)), "", nil)
}

// userRefusal is a change of one user refused by the service: the role it
// asked for (empty for a change of activity) and why, to show in the user's
// row.
type userRefusal struct {
	id     int64
	role   string
	reason string
}

// renderUsers shows the users page with the invite form as typed, once a
// password link to pass on by hand, and a refused change in its user's row.
func (s *Server) renderUsers(c echo.Context, status int, invite views.InviteUserForm, link string, refused *userRefusal) error {
	page := pageParam(c)
	sp, err := s.svc.Staff.List(c.Request().Context(), page)
	if err != nil {
		return err
	}
	list := views.UsersList{Total: sp.Total, Pager: pager("/users", nil, page, sp.Total), Invite: invite, Link: link}
	for _, u := range sp.Users {
		row := views.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), RoleLabel: u.Role.Label(),
			Roles: roleChoices(string(u.Role)), Active: u.Active, Pending: u.AwaitingPassword(), TwoFactor: u.TwoFactor, Kept: sp.LastGlobalAdmin(u)}
		if refused != nil && refused.id == u.ID {
			// The row says why; a role asked for comes back chosen, in the
			// role choice shown again for it.
			row.Problem = refused.reason
			if refused.role != "" {
				row.Roles, row.Kept = roleChoices(refused.role), ""
			}
		}
		list.Rows = append(list.Rows, row)
	}
	return s.render(c, status, views.UsersPage(s.chrome(c, "Partner users"), list))
}

func (s *Server) inviteUser(c echo.Context) error {
	name, email, role := postValue(c, "name"), postValue(c, "email"), postValue(c, "role")
	form := inviteForm(name, email, role)
	link, err := s.svc.Staff.Invite(c.Request().Context(), actor(c), name, email, domain.Role(role))
	if errs, ok := fieldErrors(err); ok {
		form.Errors = errs
		return s.renderUsers(c, formStatus(err), form, "", nil)
	}
	if err != nil {
		return err
	}
	if link != "" {
		// The link is shown on this answer only, never stored to show again.
		return s.renderUsers(c, http.StatusOK, inviteForm("", "", string(domain.RoleSalesAgent)), link, nil)
	}
	s.flash(c, "Invited "+form.Email+": a link to set a password is on its way.")
	return c.Redirect(http.StatusSeeOther, "/users")
}

// userChange makes one change of the user of the path and goes back to the
// users list; a refusal comes back there in the user's row, with role, the
// role asked for, chosen. confirm, when set, asks first.
func (s *Server) userChange(c echo.Context, apply func(ctx context.Context, id int64) error, role, done string,
	confirm func(ctx context.Context, id int64) (views.Confirmation, error)) error {
	return s.change(c, stateChange{param: "uid", apply: apply, done: done, back: backTo("/users"), conflicts: true, confirm: confirm,
		refused: func(_ context.Context, id int64, errs domain.FieldErrors, status int) error {
			return s.renderUsers(c, status, inviteForm("", "", string(domain.RoleSalesAgent)), "", &userRefusal{id: id, role: role, reason: errorsText(errs)})
		}})
}

func (s *Server) changeUserRole(c echo.Context) error {
	role := postValue(c, "role")
	return s.userChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Staff.ChangeRole(ctx, actor(c), id, domain.Role(role))
	}, role, "Role changed; the user's sessions ended.", nil)
}

func (s *Server) setUserActive(c echo.Context) error {
	active := postValue(c, "active") == "1"
	var confirm func(ctx context.Context, id int64) (views.Confirmation, error)
	if !active {
		confirm = func(ctx context.Context, id int64) (views.Confirmation, error) {
			u, err := s.svc.Staff.User(ctx, id)
			return views.Confirmation{Question: "Deactivate " + u.Name + "?", Yes: "Yes, deactivate " + u.Name,
				Consequence: u.Name + " (" + u.Email + ") can no longer sign in, and their sessions end at once. A Global admin can reactivate them later."}, err
		}
	}
	return s.userChange(c, func(ctx context.Context, id int64) error { return s.svc.Staff.SetActive(ctx, actor(c), id, active) }, "",
		map[bool]string{true: "User reactivated.", false: "User deactivated; their sessions ended."}[active], confirm)
}

// resetUserTwoFactor turns off the two-factor sign-in of a user who lost
// their phone and their recovery codes; they sign in with the password alone
// and, if the partner requires it, set it up again at once.
func (s *Server) resetUserTwoFactor(c echo.Context) error {
	return s.userChange(c, func(ctx context.Context, id int64) error { return s.svc.Staff.ResetTwoFactor(ctx, actor(c), id) }, "",
		"Two-factor sign-in is off for that user; their sessions ended.", nil)
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
		return s.renderUsers(c, http.StatusOK, inviteForm("", "", string(domain.RoleSalesAgent)), link, nil)
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
