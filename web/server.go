// Package web is the HTTP face of Multichannel Support and the only package
// that imports echo: the route table with each route's roles, the handlers,
// the middleware (sessions, authorisation, cross-origin protection, security
// headers, logging) and the HTML rendering and error pages.
package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/wingtip/multichannel/internal/app"
	"github.com/wingtip/multichannel/internal/ratelimit"
)

// Config is the web layer's configuration.
type Config struct {
	// BaseURL is the app's public address; links are built from it and the
	// session cookie is Secure when it is https.
	BaseURL *url.URL
	// SessionKey signs and encrypts the session cookie; at least 32 bytes.
	SessionKey []byte
	// TrustedProxies are the only peers whose X-Forwarded-For is believed.
	TrustedProxies []*net.IPNet
	// AllowedHosts are host names (with a port where it is not the default)
	// answered besides the base URL's; blank entries are skipped.
	AllowedHosts []string
	// Logger receives request logs and internal errors.
	Logger *slog.Logger
	// PageCache is the bytes of rendered pages kept to answer the same
	// request again while nothing has changed (pageCache); 0 keeps none.
	PageCache int
}

// Requests one client address may make to the public invitation pages.
const (
	InvitationRequestLimit = 60
	InvitationWindow       = 10 * time.Minute
)

// MinSessionKeyLength is the shortest session key accepted.
const MinSessionKeyLength = 32

// Server handles every HTTP request of the app.
type Server struct {
	echo    *echo.Echo
	cfg     Config
	svc     app.Services
	cookies *sessions.CookieStore
	// hosts are the canonical host names the server answers for.
	hosts map[string]bool
	// inviteLimiter counts requests to the public link pages per client
	// address (IPv6 per /64).
	inviteLimiter *ratelimit.Limiter
	log           *slog.Logger
	routes        []route
	// sessionless are the paths of the probe routes, which loadSession
	// leaves alone.
	sessionless map[string]bool
	// downloads are the paths of the routes that answer with a file
	// (isDownload), which take turns of their own (admitReads).
	downloads map[string]bool
	// ready answers the readiness probe.
	ready *readiness
	// readSlots holds a token for each page read running, downloadSlots for
	// each download (admitReads).
	readSlots, downloadSlots chan struct{}
	// pages are the pages lately rendered, served again while they hold.
	pages *pageCache
}

// New builds the server over the app's services and registers every route
// of the route table. Handlers reach the data only through services.
func New(cfg Config, services app.Services) (*Server, error) {
	if len(cfg.SessionKey) < MinSessionKeyLength {
		return nil, errors.New("the session key must be at least 32 bytes")
	}
	if cfg.BaseURL == nil || (cfg.BaseURL.Scheme != "http" && cfg.BaseURL.Scheme != "https") || cfg.BaseURL.Host == "" {
		return nil, errors.New("the base URL must be an absolute http or https URL")
	}
	if cfg.PageCache < 0 {
		return nil, errors.New("the page cache's size cannot be negative")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	hosts, err := allowedHosts(cfg.BaseURL, cfg.AllowedHosts)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, svc: services, log: cfg.Logger, hosts: hosts, inviteLimiter: ratelimit.New(InvitationRequestLimit, InvitationWindow)}
	s.readSlots, s.downloadSlots = newReadSlots(), make(chan struct{}, downloadsAtOnce)
	s.pages = newPageCache(cfg.PageCache, services.Changes, services.CustomerChanges, services.Now)
	s.ready = &readiness{health: services.Health, now: services.Now, log: cfg.Logger}
	s.cookies = newCookieStore(deriveKey(cfg.SessionKey, "cookie-hmac"), deriveKey(cfg.SessionKey, "cookie-aes"))

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	e.HTTPErrorHandler = s.handleError
	// Recovery sits inside the request log, so a request that panicked still
	// gets its log line, with the 500 it ended in. A download cut short
	// (http.ErrAbortHandler, which recovery passes on to net/http) gets
	// sendDownload's line instead.
	e.Use(s.assignRequestID, s.logRequests)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.log.Error("panic", "request_id", requestID(c), "error", err, "stack", string(stack))
		return err
	}}))
	e.Use(s.securityHeaders, s.checkHost, s.refuseCrossOrigin(), s.admitReads, s.loadSession, s.auditRateLimited)
	s.echo = e
	s.routes = s.routeTable()
	s.sessionless, s.downloads = map[string]bool{}, map[string]bool{}
	for _, r := range s.routes {
		if r.access.sessionless {
			s.sessionless[r.path] = true
		}
		if isDownload(r.path) {
			s.downloads[r.path] = true
		}
		if !r.access.declared() {
			return nil, errors.New("route " + r.method + " " + r.path + " declares no access")
		}
		e.Add(r.method, r.path, r.handler, r.body.limit(), s.authorize(r.access), checkText)
	}
	return s, nil
}

// ServeHTTP makes the Server an http.Handler. A HEAD request is routed to the
// GET handler of its path, as HTTP requires: only the copy handed to echo says
// GET, while net/http still knows the request is HEAD and drops the body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		r = get
	}
	s.echo.ServeHTTP(w, r)
}

// allowedHosts are the canonical names of the base URL's host and of the
// extra ones, each a host name or address with an optional port.
func allowedHosts(base *url.URL, extra []string) (map[string]bool, error) {
	hosts := map[string]bool{canonicalHost(base.Host, base.Scheme): true}
	for _, h := range extra {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if u, err := url.Parse("http://" + h); err != nil || u.Host != h || u.User != nil {
			return nil, fmt.Errorf("allowed host %q is not a host name with an optional port", h)
		}
		hosts[canonicalHost(h, base.Scheme)] = true
	}
	return hosts, nil
}

// ipExtractor reads the client IP from the connection, or from
// X-Forwarded-For only when the request comes through a trusted proxy; echo's
// default would believe the header from anyone.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// deriveKey gives each use of the session key its own key.
func deriveKey(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
