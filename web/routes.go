package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
)

// access says who may use a route: anyone, or signed-in users holding one of
// the roles. The zero value is "undeclared" and is refused at start-up.
type access struct {
	public bool
	roles  []domain.Role
}

var (
	// public routes need no sign-in.
	public = access{public: true}
	// signedIn routes are open to every partner role.
	signedIn = access{roles: domain.Roles}
)

// rolesWith opens a route to the roles that hold permission p in the role
// matrix of DESIGN §3.
func rolesWith(p domain.Permission) access { return access{roles: domain.RolesFor(p)} }

func (a access) declared() bool { return a.public || len(a.roles) > 0 }

func (a access) allows(role domain.Role) bool { return a.public || slices.Contains(a.roles, role) }

// route is one line of the route table.
type route struct {
	method  string
	path    string
	access  access
	nav     string // label in the main navigation; empty for routes not listed there
	handler echo.HandlerFunc
}

// routeTable declares every route of the app with who may use it. Nothing
// registers a route anywhere else; a test checks that the table and the
// router agree.
func (s *Server) routeTable() []route {
	return []route{
		{http.MethodGet, "/", signedIn, "Home", s.home},
		{http.MethodGet, "/users", rolesWith(domain.PermManageUsers), "Users", s.listUsers},

		{http.MethodGet, "/login", public, "", s.loginForm},
		{http.MethodPost, "/login", public, "", s.login},
		{http.MethodPost, "/logout", signedIn, "", s.logout},

		{http.MethodGet, "/healthz", public, "", s.healthz},
		{http.MethodGet, "/static/:version/*", public, "", s.staticFile},
	}
}

// registeredRoutes lists the method and path of what the router serves.
func (s *Server) registeredRoutes() [][2]string {
	var out [][2]string
	for _, r := range s.echo.Routes() {
		out = append(out, [2]string{r.Method, r.Path})
	}
	return out
}
