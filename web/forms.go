package web

import (
	"context"
	"io"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// redirectAfterSave sends the browser to path once a form is saved. The
// form's action carries a fragment, to show a refused form scrolled to it,
// and a browser keeps that fragment across a redirect whose address has
// none: the 303 names "#top" (HTML's name for the top of the document), so
// that the page shows from its top, with the flash that says what was saved.
// htmx, which sent the form without changing the address, gets path alone:
// with a fragment, a path that is the page already shown would only scroll.
func (s *Server) redirectAfterSave(c echo.Context, path string) error {
	if !isHTMX(c) {
		path += "#top"
	}
	return s.redirect(c, path, http.StatusOK)
}

// renderForm answers a form that came back unsaved: the whole page, or,
// for htmx, only the form, which page wraps in templ.Fragment(formID) and
// htmx swaps in place of the form it sent. Both come from the same
// component, so the two cannot drift apart.
func (s *Server) renderForm(c echo.Context, status int, page templ.Component, formID string) error {
	if isPartial(c) {
		whole := page
		page = templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			return templ.RenderFragments(ctx, w, whole, formID)
		})
	}
	return s.render(c, status, page)
}
