package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/domain"
)

// Context keys of what the middleware learns about a request.
const (
	keyRequestID = "request_id"
	keyUser      = "user"
	keySession   = "session"
	keyToken     = "session_token"
)

const (
	sessionCookieName = "mcs_session"
	sessionCookieKey  = "sid"
)

// contentSecurityPolicy allows only this origin's files: no inline script or
// style, no framing, forms post only here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) assignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		c.Set(keyRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(keyRequestID).(string)
	return id
}

// logRequests writes one structured line per request. It logs the route
// pattern, not the raw path, so that a token in a URL never reaches the log.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// The wall clock, not the app's: this times the request itself.
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		var userID int64
		if u, ok := currentUser(c); ok {
			userID = u.ID
		}
		path := c.Path()
		if path == "" {
			path = "(no route)"
		}
		s.log.Info("request", "method", c.Request().Method, "route", path, "status", c.Response().Status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "user_id", userID, "request_id", requestID(c))
		return nil
	}
}

// strictTransportSecurity tells browsers to use https only for a year. It
// leaves out includeSubDomains: the app does not speak for the other hosts
// of its domain.
const strictTransportSecurity = "max-age=31536000"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	https := s.cfg.BaseURL.Scheme == "https"
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		// Sent over plain http too: behind a TLS proxy the app sees http,
		// and browsers ignore the header on a connection that is not https.
		if https {
			h.Set("Strict-Transport-Security", strictTransportSecurity)
		}
		return next(c)
	}
}

// probePaths answer whatever the Host: load balancers and orchestrators
// probe by IP address, and these pages change nothing and tell only whether
// the app is up and ready.
var probePaths = map[string]bool{"/healthz": true, "/readyz": true}

// checkHost refuses, with 421, a request addressed to a host name that is
// neither the base URL's nor an allowed one: the app does not answer for a
// name someone else points at it (DNS rebinding), whatever still reads Host.
func (s *Server) checkHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.hosts[canonicalHost(c.Request().Host, s.cfg.BaseURL.Scheme)] || probePaths[c.Path()] {
			return next(c)
		}
		s.auditRefusal(c, domain.AuditHostRefused, "Host: "+c.Request().Host)
		return echo.NewHTTPError(http.StatusMisdirectedRequest, "This server does not answer for that host name.")
	}
}

// canonicalHost is a Host header or a URL's host in lower case and without
// the scheme's default port, which browsers leave out.
func canonicalHost(host, scheme string) string {
	host = strings.ToLower(host)
	if scheme == "https" {
		return strings.TrimSuffix(host, ":443")
	}
	return strings.TrimSuffix(host, ":80")
}

// auditMethods are the methods a refusal's target names as sent. net/http
// accepts any token as a method; each made-up one would be a refusal of its
// own and use up the audit's allowance, so they are all "OTHER".
var auditMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// auditRefusal records a refused request in the audit log: the route
// pattern (never the raw path, which may hold a token), who was signed in,
// the client address and detail. The refusal stands whether or not the
// entry could be written; RecordRefusal keeps repeats out of the log, and
// what it leaves out for its overall limit is logged here at WARN, one line
// per window.
func (s *Server) auditRefusal(c echo.Context, action domain.AuditAction, detail string) {
	route := c.Path()
	if route == "" {
		route = "(no route)"
	}
	method := c.Request().Method
	if !auditMethods[method] {
		method = "OTHER"
	}
	e := domain.AuditEntry{Action: action, Target: method + " " + route, ClientIP: c.RealIP(), Detail: detail}
	if u, ok := currentUser(c); ok {
		e.ActorID = u.ID
	}
	left, err := s.svc.Accounts.RecordRefusal(context.WithoutCancel(c.Request().Context()), e)
	if err != nil {
		s.log.Warn("audit a refused request", "request_id", requestID(c), "error", err)
	}
	if left.Count > 0 {
		s.log.Warn("refused requests not audited: too many in the window", "count", left.Count,
			"since", left.Since, "until", left.Until, "limit", accounts.RefusalAuditLimit)
	}
}

// auditRateLimited records every request a rate limit refused, whichever it
// was (sign-in, two-factor codes, current password, link pages), with what
// the limit counts.
func (s *Server) auditRateLimited(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		var limited *accounts.RateLimitedError
		var tooMany *tooManyRequests
		switch {
		case errors.As(err, &limited):
			s.auditRefusal(c, domain.AuditRateLimited, "Too many "+limited.Limit+".")
		case errors.As(err, &tooMany):
			s.auditRefusal(c, domain.AuditRateLimited, tooMany.message)
		}
		return err
	}
}

// refuseCrossOrigin refuses state-changing requests sent from another origin,
// using the browser's Sec-Fetch-Site or Origin header (Go's
// http.CrossOriginProtection). GET, HEAD and OPTIONS never change state here.
func (s *Server) refuseCrossOrigin() echo.MiddlewareFunc {
	protection := http.NewCrossOriginProtection()
	origin := s.cfg.BaseURL.Scheme + "://" + s.cfg.BaseURL.Host
	if err := protection.AddTrustedOrigin(origin); err != nil {
		panic(err) // the base URL was validated in New
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := protection.Check(c.Request()); err != nil {
				s.auditRefusal(c, domain.AuditCrossOriginRefused, crossOriginDetail(c.Request()))
				return echo.NewHTTPError(http.StatusForbidden, "This request came from another site and was refused.")
			}
			return next(c)
		}
	}
}

// crossOriginDetail says where a refused cross-origin request said it came
// from; the session is not read for it, so the entry names no actor.
func crossOriginDetail(r *http.Request) string {
	if origin := r.Header.Get("Origin"); origin != "" {
		return "Origin: " + origin
	}
	return "Sec-Fetch-Site: " + r.Header.Get("Sec-Fetch-Site")
}

// loadSession finds the signed-in user from the session cookie. A missing,
// forged, revoked or expired session leaves the request signed out. The
// probe routes (static files, health checks) read no session.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.sessionless[c.Path()] {
			return next(c)
		}
		token := s.sessionToken(c)
		if token != "" {
			user, sess, err := s.svc.Accounts.Authenticate(c.Request().Context(), token)
			switch {
			case err == nil && sess.SecondFactorPending:
				c.Set(keyPendingToken, token)
			case err == nil:
				c.Set(keyUser, user)
				c.Set(keySession, sess)
				c.Set(keyToken, token)
			case errors.Is(err, domain.ErrSessionExpired):
				s.clearSessionCookie(c)
			default:
				return err
			}
		}
		return next(c)
	}
}

func currentUser(c echo.Context) (domain.User, bool) {
	u, ok := c.Get(keyUser).(domain.User)
	return u, ok
}

// authorize enforces a route's declared access: signed-out visitors go to the
// sign-in page, signed-in users without the role get 403.
func (s *Server) authorize(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if a.public {
				return next(c)
			}
			user, ok := currentUser(c)
			if !ok {
				return s.redirectToLogin(c)
			}
			if !a.allows(user.Role) {
				s.auditRefusal(c, domain.AuditForbidden, "")
				return forbidden(a.roles)
			}
			if !exemptFromTwoFactorRequirement[c.Path()] {
				required, err := s.svc.Accounts.TwoFactorRequired(c.Request().Context(), user)
				if err != nil {
					return err
				}
				if required {
					return s.redirect(c, twoFactorSetupPath, http.StatusForbidden)
				}
			}
			return next(c)
		}
	}
}

func (s *Server) redirectToLogin(c echo.Context) error {
	target := "/login"
	if _, ok := c.Get(keyPendingToken).(string); ok {
		target = "/login/code"
	}
	if c.Request().Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	return s.redirect(c, target, http.StatusUnauthorized)
}

// redirect sends the browser to target: a 303, or for htmx an HX-Redirect
// with htmxStatus, so that the whole page changes rather than a fragment.
func (s *Server) redirect(c echo.Context, target string, htmxStatus int) error {
	c.Response().Header().Add(echo.HeaderVary, "HX-Request")
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(htmxStatus)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func (s *Server) sessionToken(c echo.Context) string {
	sess, err := s.cookies.Get(c.Request(), sessionCookieName)
	if err != nil {
		return ""
	}
	token, _ := sess.Values[sessionCookieKey].(string)
	return token
}

func (s *Server) cookieOptions(maxAge int) *sessions.Options {
	return &sessions.Options{
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.BaseURL.Scheme == "https",
		SameSite: http.SameSiteLaxMode,
	}
}

func (s *Server) setSessionCookie(c echo.Context, token string) error {
	sess := sessions.NewSession(s.cookies, sessionCookieName)
	sess.Values[sessionCookieKey] = token
	sess.Options = s.cookieOptions(int(domain.SessionAbsoluteTimeout / time.Second))
	return s.cookies.Save(c.Request(), c.Response(), sess)
}

func (s *Server) clearSessionCookie(c echo.Context) {
	sess := sessions.NewSession(s.cookies, sessionCookieName)
	sess.Options = s.cookieOptions(-1)
	_ = s.cookies.Save(c.Request(), c.Response(), sess)
}
