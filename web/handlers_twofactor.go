package web

import (
	"cmp"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// keyPendingToken holds the token of a session that has the password but
// still waits for its second factor: it signs nobody in.
const keyPendingToken = "pending_session_token"

// twoFactorSetupPath is where users set up two-factor sign-in, and where the
// partner's requirement sends those without it.
const twoFactorSetupPath = "/account/two-factor"

func (s *Server) secondFactorForm(c echo.Context) error {
	if _, ok := c.Get(keyPendingToken).(string); !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	form := views.SecondFactorForm{Next: localPath(c.QueryParam("next"), "/")}
	return s.render(c, http.StatusOK, views.SecondFactorPageView(s.chrome(c, "Two-factor sign-in"), form))
}

func (s *Server) secondFactor(c echo.Context) error {
	token, ok := c.Get(keyPendingToken).(string)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	form := views.SecondFactorForm{Next: localPath(postValue(c, "next"), "/")}
	_, err := s.svc.Accounts.CompleteSignIn(c.Request().Context(), token, postValue(c, "code"), c.RealIP())
	if errs, ok := fieldErrors(err); ok {
		form.Error = cmp.Or(errs["code"], errs[""])
		return s.render(c, formStatus(err), views.SecondFactorPageView(s.chrome(c, "Two-factor sign-in"), form))
	}
	if errors.Is(err, domain.ErrSessionExpired) {
		s.clearSessionCookie(c)
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, form.Next)
}

// showTwoFactorSetup shows the set-up waiting for a code, or offers to start
// one.
func (s *Server) showTwoFactorSetup(c echo.Context) error {
	return s.renderTwoFactorSetup(c, http.StatusOK, views.TwoFactorSetupView{})
}

// renderTwoFactorSetup shows the set-up page with the messages of view.
func (s *Server) renderTwoFactorSetup(c echo.Context, status int, view views.TwoFactorSetupView) error {
	user, _ := currentUser(c)
	setup, err := s.svc.Accounts.SetupState(c.Request().Context(), user)
	if err != nil {
		return err
	}
	view.ReplacesKey, view.Required = user.TwoFactor, setup.Required
	if setup.Pending {
		view.QRCode = templ.SafeURL("data:image/png;base64," + base64.StdEncoding.EncodeToString(setup.QRCode))
		view.Secret = setup.Secret
	}
	return s.render(c, status, views.TwoFactorSetupPageView(s.chrome(c, "Two-factor sign-in"), view))
}

// startTwoFactor makes a new secret and shows it (post-redirect-get).
func (s *Server) startTwoFactor(c echo.Context) error {
	user, _ := currentUser(c)
	err := s.svc.Accounts.BeginTwoFactor(c.Request().Context(), user, postValue(c, "current"))
	if errs, ok := fieldErrors(err); ok {
		return s.renderTwoFactorSetup(c, formStatus(err), views.TwoFactorSetupView{CurrentError: cmp.Or(errs["current"], errs[""])})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, twoFactorSetupPath)
}

// confirmTwoFactor turns two-factor sign-in on and shows the recovery codes,
// once: they are rendered in answer to the POST and never stored in clear.
func (s *Server) confirmTwoFactor(c echo.Context) error {
	user, _ := currentUser(c)
	codes, err := s.svc.Accounts.ConfirmTwoFactor(c.Request().Context(), actor(c), user, postValue(c, "code"))
	if errs, ok := fieldErrors(err); ok {
		return s.renderTwoFactorSetup(c, formStatus(err), views.TwoFactorSetupView{Error: cmp.Or(errs["code"], errs[""])})
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, views.RecoveryCodesPageView(s.chrome(c, "Two-factor sign-in is on"), codes))
}

// exemptFromTwoFactorRequirement are the routes a user the requirement
// stops may still use: the set-up itself (signing out is public).
var exemptFromTwoFactorRequirement = map[string]bool{
	twoFactorSetupPath: true, twoFactorSetupPath + "/confirm": true,
}
