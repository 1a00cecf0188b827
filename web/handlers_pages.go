package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/static"
	"github.com/wingtip/multichannel/views"
)

// listPageSize is the number of rows on one page of a list.
const listPageSize = 50

func (s *Server) home(c echo.Context) error {
	user, _ := currentUser(c)
	h := views.Home{Name: user.Name, RoleLabel: user.Role.Label(), Capabilities: user.Role.Capabilities()}
	return s.render(c, http.StatusOK, views.HomePage(s.chrome(c, "Home"), h))
}

func (s *Server) listUsers(c echo.Context) error {
	page := pageParam(c)
	users, total, err := s.store.ListUsers(c.Request().Context(), page)
	if err != nil {
		return err
	}
	list := views.UsersList{Total: total, Pager: pager(c.Path(), nil, page, total)}
	for _, u := range users {
		list.Rows = append(list.Rows, views.UserRow{Name: u.Name, Email: u.Email, RoleLabel: u.Role.Label(), Active: u.Active})
	}
	return s.render(c, http.StatusOK, views.UsersPage(s.chrome(c, "Partner users"), list))
}

// pageParam reads ?page=N, defaulting to the first page.
func pageParam(c echo.Context) domain.Page {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		n = 1
	}
	return domain.Page{Number: n, Size: listPageSize}
}

// pager links the pages of a list at path, keeping the query values in keep.
func pager(path string, keep url.Values, page domain.Page, total int) views.Pager {
	p := views.Pager{Page: page.Number, Pages: page.PageCount(total)}
	href := func(n int) string {
		v := url.Values{}
		for k, vs := range keep {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
	if p.Page > 1 {
		p.PrevHref = href(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.NextHref = href(p.Page + 1)
	}
	return p
}

func (s *Server) healthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check", "request_id", requestID(c), "error", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// staticFile serves an embedded file. The version in the path changes with
// the files' contents, so the response may be cached for a year.
func (s *Server) staticFile(c echo.Context) error {
	if c.Param("version") != static.Version {
		return echo.ErrNotFound
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	return echo.StaticFileHandler(c.Param("*"), static.Files)(c)
}
