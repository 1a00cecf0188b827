package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/static"
	"github.com/wingtip/multichannel/views"
)

// pageBuffers are the buffers pages are rendered into, kept between
// requests so that a page of tens of kilobytes does not grow a new buffer
// from nothing each time.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer is the largest buffer put back in pageBuffers: a rare
// huge page does not stay in memory for good.
const maxPooledBuffer = 1 << 20

// render writes a component as an HTML response. It renders into a buffer
// first, so a failing template becomes a clean error page instead of half a
// page.
func (s *Server) render(c echo.Context, status int, component templ.Component) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			pageBuffers.Put(buf)
		}
	}()
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	if pending, ok := c.Get(keyPendingPage).(pendingPage); ok && status == http.StatusOK {
		s.pages.keep(pending, buf.Bytes())
	}
	return writePage(c, status, buf.Bytes())
}

// writePage answers with a rendered page: kept by no browser or proxy, as
// it shows what the signed-in user may see.
func writePage(c echo.Context, status int, body []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	// Pages and errors answer htmx requests with fragments, so caches must
	// keep the two apart.
	h.Set(echo.HeaderVary, "HX-Request")
	return c.HTMLBlob(status, body)
}

// chrome builds the page frame's view model for the current request. It is
// the one reader of two services, by design: the frame shows the partner
// (the relationships service keeps it) and the flash message of the
// signed-in session (the accounts service's), around whatever page the
// handler rendered from its own service.
func (s *Server) chrome(c echo.Context, title string) views.Chrome {
	ch := views.Chrome{Title: title, StaticPrefix: "/static/" + static.Version}
	if p, err := s.svc.Relationships.Partner(c.Request().Context()); err == nil {
		ch.PartnerName, ch.PartnerID = p.Name, p.PartnerID
	}
	user, ok := currentUser(c)
	if !ok {
		return ch
	}
	ch.User = &views.SignedInUser{Name: user.Name, RoleLabel: user.Role.Label()}
	for _, r := range s.routes {
		if r.nav != "" && r.access.allows(user.Role) {
			ch.Nav = append(ch.Nav, views.NavItem{Label: r.nav, Href: r.path, Current: r.path == c.Path()})
		}
	}
	if hasFlash(c) {
		token, _ := c.Get(keyToken).(string)
		if msg, err := s.svc.Accounts.TakeFlash(c.Request().Context(), token); err == nil {
			ch.Flash = msg
		}
	}
	return ch
}

// hasFlash says whether the signed-in session has a flash message to show.
func hasFlash(c echo.Context) bool {
	sess, ok := c.Get(keySession).(domain.Session)
	return ok && sess.Flash != ""
}

// flash leaves a message for the next page the signed-in user sees.
func (s *Server) flash(c echo.Context, message string) {
	if token, ok := c.Get(keyToken).(string); ok {
		_ = s.svc.Accounts.SetFlash(c.Request().Context(), token, message)
	}
}

// roleList names roles for people: "Global admin or Admin agent".
func roleList(roles []domain.Role) string {
	labels := make([]string, len(roles))
	for i, r := range roles {
		labels[i] = r.Label()
	}
	if len(labels) <= 1 {
		return strings.Join(labels, "")
	}
	return strings.Join(labels[:len(labels)-1], ", ") + " or " + labels[len(labels)-1]
}

// httpStatusTitle is the heading of an error page.
func httpStatusTitle(status int) string {
	switch status {
	case http.StatusForbidden:
		return "You do not have access to this page"
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusConflict:
		return "This cannot be done now"
	case http.StatusUnprocessableEntity:
		return "Please check what you entered"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	case http.StatusInternalServerError:
		return "Something went wrong"
	}
	return http.StatusText(status)
}
