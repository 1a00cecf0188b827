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
	maxBody string // body limit when larger than the default, such as "6M"
}

// routeTable declares every route of the app with who may use it. Nothing
// registers a route anywhere else; a test checks that the table and the
// router agree.
func (s *Server) routeTable() []route {
	view, edit := rolesWith(domain.PermView), rolesWith(domain.PermEditCustomers)
	invite, review := rolesWith(domain.PermInvite), rolesWith(domain.PermReviewRelationships)
	return []route{
		{http.MethodGet, "/", signedIn, "Home", s.home, ""},
		{http.MethodGet, "/customers", view, "Customers", s.listCustomers, ""},
		{http.MethodGet, "/relationships", view, "Relationships", s.reviewQueue, ""},
		{http.MethodGet, "/outbox", rolesWith(domain.PermOutbox), "Outbox", s.outbox, ""},
		{http.MethodGet, "/users", rolesWith(domain.PermManageUsers), "Users", s.listUsers, ""},

		{http.MethodGet, "/customers/new", edit, "", s.newCustomerForm, ""},
		{http.MethodPost, "/customers", edit, "", s.createCustomer, ""},
		{http.MethodGet, "/customers/:id", view, "", s.showCustomer, ""},
		{http.MethodGet, "/customers/:id/edit", edit, "", s.editCustomerForm, ""},
		{http.MethodPost, "/customers/:id", edit, "", s.updateCustomer, ""},

		{http.MethodGet, "/customers/:id/subscriptions", view, "", s.showInventory, ""},
		{http.MethodPost, "/customers/:id/subscriptions", edit, "", s.addSubscription, ""},
		{http.MethodGet, "/customers/:id/subscriptions.csv", view, "", s.exportInventory, ""},
		{http.MethodGet, "/customers/:id/subscriptions/:sid", view, "", s.showSubscriptionRow, ""},
		{http.MethodGet, "/customers/:id/subscriptions/:sid/edit", edit, "", s.editSubscription, ""},
		{http.MethodPost, "/customers/:id/subscriptions/:sid", edit, "", s.updateSubscription, ""},
		{http.MethodPost, "/customers/:id/subscriptions/:sid/classify", edit, "", s.classifySubscription, ""},
		{http.MethodPost, "/customers/:id/subscriptions/:sid/remove", edit, "", s.removeSubscription, ""},
		{http.MethodGet, "/customers/:id/import", edit, "", s.importForm, ""},
		{http.MethodPost, "/customers/:id/import", edit, "", s.uploadImport, importBodyLimit},
		{http.MethodPost, "/customers/:id/import/:batch", edit, "", s.confirmImport, ""},

		{http.MethodGet, "/customers/:id/plan", view, "", s.showPlan, ""},
		{http.MethodGet, "/customers/:id/plan.json", view, "", s.planJSON, ""},
		{http.MethodGet, "/customers/:id/plan.csv", view, "", s.planCSV, ""},

		{http.MethodGet, "/customers/:id/relationship", view, "", s.relationshipStep, ""},
		{http.MethodPost, "/customers/:id/relationship", invite, "", s.createRelationship, ""},
		{http.MethodPost, "/relationships/:rid/resend", invite, "", s.resendRelationship, ""},
		{http.MethodPost, "/relationships/:rid/revoke", invite, "", s.revokeRelationship, ""},
		{http.MethodPost, "/relationships/:rid/draft", invite, "", s.editInvitation, ""},
		{http.MethodPost, "/relationships/:rid/send", invite, "", s.sendInvitation, ""},
		{http.MethodPost, "/relationships/:rid/sent-by-hand", invite, "", s.markInvitationSent, ""},
		{http.MethodPost, "/relationships/:rid/approve", review, "", s.approveRelationship, ""},
		{http.MethodPost, "/relationships/:rid/reject", review, "", s.rejectRelationship, ""},
		{http.MethodPost, "/relationships/:rid/remove", rolesWith(domain.PermRemoveRelationship), "", s.removeRelationship, ""},

		{http.MethodGet, "/invite/answered", public, "", s.invitationAnswered, ""},
		{http.MethodGet, "/invite/:token", public, "", s.showInvitation, ""},
		{http.MethodPost, "/invite/:token", public, "", s.answerInvitation, ""},

		{http.MethodGet, "/login", public, "", s.loginForm, ""},
		{http.MethodPost, "/login", public, "", s.login, ""},
		{http.MethodPost, "/logout", signedIn, "", s.logout, ""},

		{http.MethodGet, "/healthz", public, "", s.healthz, ""},
		{http.MethodGet, "/static/:version/*", public, "", s.staticFile, ""},
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
