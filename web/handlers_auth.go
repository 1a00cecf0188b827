package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// badCredentials is the one message for an unknown e-mail and a wrong
// password, so the form does not tell which accounts exist.
const badCredentials = "The e-mail address or password is not right."

func (s *Server) loginForm(c echo.Context) error {
	next := localPath(c.QueryParam("next"), "/")
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	form := views.LoginForm{Next: next, SignedOut: c.QueryParam("signed_out") == "1", PasswordSet: c.QueryParam("password_set") == "1"}
	return s.render(c, http.StatusOK, views.LoginPage(s.chrome(c, "Sign in"), form))
}

func (s *Server) login(c echo.Context) error {
	form := views.LoginForm{Email: strings.TrimSpace(postValue(c, "email")), Next: localPath(postValue(c, "next"), "/")}
	password := postValue(c, "password")
	if form.Email == "" || password == "" {
		form.Error = "Enter your e-mail address and password."
		return s.render(c, http.StatusUnprocessableEntity, views.LoginPage(s.chrome(c, "Sign in"), form))
	}
	token, user, err := s.svc.Accounts.SignIn(c.Request().Context(), accounts.SignInRequest{
		Email: form.Email, Password: password, ClientIP: c.RealIP(), UserAgent: c.Request().UserAgent(),
	})
	if errors.Is(err, domain.ErrBadCredentials) {
		form.Error = badCredentials
		return s.render(c, http.StatusUnprocessableEntity, views.LoginPage(s.chrome(c, "Sign in"), form))
	}
	if errors.Is(err, domain.ErrStorageFull) {
		form.Error = "The server is out of disk space, so it cannot sign anyone in now. Try again in a while, and tell your administrator."
		return s.render(c, http.StatusServiceUnavailable, views.LoginPage(s.chrome(c, "Sign in"), form))
	}
	if err != nil {
		return err
	}
	// A new session id at every sign-in: a session id planted before sign-in
	// is worthless after it.
	if old, ok := c.Get(keyToken).(string); ok {
		if err := s.svc.Accounts.EndSession(c.Request().Context(), old); err != nil {
			return err
		}
	}
	if err := s.setSessionCookie(c, token); err != nil {
		return err
	}
	if user.TwoFactor {
		return c.Redirect(http.StatusSeeOther, "/login/code?next="+url.QueryEscape(form.Next))
	}
	return c.Redirect(http.StatusSeeOther, form.Next)
}

func (s *Server) logout(c echo.Context) error {
	if pending, ok := c.Get(keyPendingToken).(string); ok {
		if err := s.svc.Accounts.EndSession(c.Request().Context(), pending); err != nil {
			return err
		}
		s.clearSessionCookie(c)
		return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
	}
	user, ok := currentUser(c)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	token, _ := c.Get(keyToken).(string)
	if err := s.svc.Accounts.SignOut(c.Request().Context(), token, user, c.RealIP()); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}
