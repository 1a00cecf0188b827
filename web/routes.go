package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/wingtip/multichannel/internal/domain"
)

// access says who may use a route: anyone, or signed-in users holding one of
// the roles. The zero value is "undeclared" and is refused at start-up.
type access struct {
	public bool
	roles  []domain.Role
	// sessionless routes do not read the session a cookie names.
	sessionless bool
}

var (
	// public routes need no sign-in.
	public = access{public: true}
	// probe routes (static files, health checks) are public and read no
	// session: a browser sends its cookie with every static file, and a
	// load balancer polls the probes, and neither may cost database reads.
	probe = access{public: true, sessionless: true}
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
	body    bodyLimit
}

// bodyLimit bounds a route's request body, and says what to tell a user who
// sends more.
type bodyLimit struct {
	size    string // as echo's BodyLimit takes it, such as "1M"
	message string
}

var (
	defaultBody = bodyLimit{"1M", "What you sent is too large."}
	// importBody leaves room for a 5 MB file and the multipart framing.
	importBody = bodyLimit{"6M", "The file is larger than 5 MB: split it into smaller files and import them one by one."}
	// exportBody leaves room for Partner Center's 2 MB export, and
	// exportConfirmBody for it posted back in base64 with its preview.
	exportBody        = bodyLimit{"3M", "The file is larger than 2 MB: is it Partner Center's customer export?"}
	exportConfirmBody = bodyLimit{"4M", "The preview is too large to confirm."}
)

// limit is the middleware that enforces b, answering 413 with b's message.
func (b bodyLimit) limit() echo.MiddlewareFunc {
	enforce := middleware.BodyLimit(b.size)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		h := enforce(next)
		return func(c echo.Context) error {
			err := h(c)
			var he *echo.HTTPError
			if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, b.message)
			}
			return err
		}
	}
}

// routeTable declares every route of the app with who may use it. Nothing
// registers a route anywhere else; a test checks that the table and the
// router agree. The read pages people come back to are cached (pageCache).
func (s *Server) routeTable() []route {
	view, edit := rolesWith(domain.PermView), rolesWith(domain.PermEditCustomers)
	invite, review := rolesWith(domain.PermInvite), rolesWith(domain.PermReviewRelationships)
	usage, transfer := rolesWith(domain.PermUsageWorkflow), rolesWith(domain.PermTransfers)
	return []route{
		{http.MethodGet, "/", signedIn, "Home", s.cached(s.home), defaultBody},
		{http.MethodGet, "/customers", view, "Customers", s.cached(s.listCustomers), defaultBody},
		{http.MethodGet, "/relationships", view, "Relationships", s.cachedWithoutSubscriptions(s.reviewQueue), defaultBody},
		{http.MethodGet, gdapListPath, view, "", s.cachedWithoutSubscriptions(s.gdapList), defaultBody},
		{http.MethodGet, "/planner", view, "Planner", s.cached(s.showTermEnds), defaultBody},
		{http.MethodGet, "/planner.csv", view, "", s.termEndsCSV, defaultBody},
		{http.MethodGet, syndicationHelpPath, view, "", s.syndicationHelp, defaultBody},
		{http.MethodGet, "/outbox", rolesWith(domain.PermOutbox), "Outbox", s.outbox, defaultBody},
		{http.MethodPost, "/outbox/:mid/send-again", rolesWith(domain.PermOutbox), "", s.sendMessageAgain, defaultBody},
		{http.MethodGet, "/users", rolesWith(domain.PermManageUsers), "Users", s.listUsers, defaultBody},
		{http.MethodPost, "/users", rolesWith(domain.PermManageUsers), "", s.inviteUser, defaultBody},
		{http.MethodPost, "/users/:uid/role", rolesWith(domain.PermManageUsers), "", s.changeUserRole, defaultBody},
		{http.MethodPost, "/users/:uid/active", rolesWith(domain.PermManageUsers), "", s.setUserActive, defaultBody},
		{http.MethodPost, "/users/:uid/reset", rolesWith(domain.PermManageUsers), "", s.resetUserPassword, defaultBody},
		{http.MethodPost, "/users/:uid/two-factor/reset", rolesWith(domain.PermManageUsers), "", s.resetUserTwoFactor, defaultBody},
		{http.MethodGet, "/password/:token", public, "", s.passwordPage, defaultBody},
		{http.MethodPost, "/password/:token", public, "", s.setPassword, defaultBody},
		{http.MethodGet, "/settings", rolesWith(domain.PermManageUsers), "Settings", s.showSettings, defaultBody},
		{http.MethodPost, "/settings", rolesWith(domain.PermManageUsers), "", s.saveSettings, defaultBody},
		{http.MethodPost, "/settings/test-mail", rolesWith(domain.PermManageUsers), "", s.sendTestMail, defaultBody},
		{http.MethodGet, templatesPath, rolesWith(domain.PermManageUsers), "", s.showTemplates, defaultBody},
		{http.MethodPost, templatesPath, rolesWith(domain.PermManageUsers), "", s.saveTemplate, defaultBody},
		{http.MethodGet, templatesPath + "/:tid", rolesWith(domain.PermManageUsers), "", s.editTemplate, defaultBody},
		{http.MethodPost, templatesPath + "/:tid", rolesWith(domain.PermManageUsers), "", s.saveTemplate, defaultBody},
		{http.MethodPost, templatesPath + "/:tid/delete", rolesWith(domain.PermManageUsers), "", s.deleteTemplate, defaultBody},
		{http.MethodPost, "/gdap/:gid/link", rolesWith(domain.PermRequestAdminRoles), "", s.recordGDAPLink, defaultBody},
		{http.MethodPost, "/gdap/:gid/approved", rolesWith(domain.PermRequestAdminRoles), "", s.recordGDAPApproval, defaultBody},
		{http.MethodPost, "/gdap/:gid/terminate", rolesWith(domain.PermRequestAdminRoles), "", s.terminateGDAP, defaultBody},
		{http.MethodPost, "/gdap/:gid/assignments", rolesWith(domain.PermRequestAdminRoles), "", s.addGDAPAssignment, defaultBody},
		{http.MethodGet, "/audit", rolesWith(domain.PermReadAudit), "Audit log", s.cached(s.showAudit), defaultBody},
		{http.MethodGet, "/audit.csv", rolesWith(domain.PermReadAudit), "", s.auditCSV, defaultBody},

		{http.MethodGet, "/customers/new", edit, "", s.newCustomerForm, defaultBody},
		{http.MethodGet, "/customers/import", edit, "", s.customerListForm, defaultBody},
		{http.MethodPost, "/customers/import", edit, "", s.uploadCustomerList, importBody},
		{http.MethodGet, "/customers/import/samples/:file", edit, "", s.customerListSample, defaultBody},
		{http.MethodGet, "/customers/import/:upload", edit, "", s.showCustomerList, defaultBody},
		{http.MethodPost, "/customers/import/:upload", edit, "", s.confirmCustomerList, defaultBody},
		{http.MethodGet, "/customers/import/:upload/mapping", edit, "", s.customerListMapping, defaultBody},
		{http.MethodPost, "/customers/import/:upload/mapping", edit, "", s.mapCustomerList, defaultBody},
		{http.MethodPost, "/customers", edit, "", s.createCustomer, defaultBody},
		{http.MethodGet, "/customers/:id", view, "", s.cachedForCustomer(s.showCustomer), defaultBody},
		{http.MethodGet, "/customers/:id/edit", edit, "", s.editCustomerForm, defaultBody},
		{http.MethodPost, "/customers/:id", edit, "", s.updateCustomer, defaultBody},

		{http.MethodGet, "/customers/:id/subscriptions", view, "", s.cachedForCustomer(s.showInventory), defaultBody},
		{http.MethodPost, "/customers/:id/subscriptions", edit, "", s.addSubscription, defaultBody},
		{http.MethodGet, "/customers/:id/subscriptions.csv", view, "", s.exportInventory, defaultBody},
		{http.MethodGet, "/customers/:id/subscriptions/:sid", view, "", s.showSubscriptionRow, defaultBody},
		{http.MethodGet, "/customers/:id/subscriptions/:sid/edit", edit, "", s.editSubscription, defaultBody},
		{http.MethodPost, "/customers/:id/subscriptions/:sid", edit, "", s.updateSubscription, defaultBody},
		{http.MethodPost, "/customers/:id/subscriptions/:sid/classify", edit, "", s.classifySubscription, defaultBody},
		{http.MethodPost, "/customers/:id/subscriptions/:sid/remove", edit, "", s.removeSubscription, defaultBody},
		{http.MethodGet, "/customers/:id/import", edit, "", s.importForm, defaultBody},
		{http.MethodPost, "/customers/:id/import", edit, "", s.uploadImport, importBody},
		{http.MethodGet, "/customers/:id/import/:batch", edit, "", s.showImportBatch, defaultBody},
		{http.MethodPost, "/customers/:id/import/:batch", edit, "", s.confirmImport, defaultBody},
		{http.MethodPost, "/customers/:id/import/:batch/guesses", edit, "", s.correctImport, defaultBody},
		{http.MethodPost, "/customers/:id/import/uploads/:upload", edit, "", s.mapImport, defaultBody},
		{http.MethodGet, importSamplesPath + ":file", edit, "", s.importSample, defaultBody},

		{http.MethodGet, "/customers/:id/plan", view, "", s.cachedForCustomer(s.showPlan), defaultBody},
		{http.MethodGet, "/customers/:id/plan.json", view, "", s.planJSON, defaultBody},
		{http.MethodGet, "/customers/:id/plan.csv", view, "", s.planCSV, defaultBody},
		{http.MethodPost, "/customers/:id/purchases", edit, "", s.recordPurchase, defaultBody},
		{http.MethodGet, "/customers/:id/record", view, "", s.showRecord, defaultBody},
		{http.MethodGet, "/customers/:id/record.json", view, "", s.recordJSON, defaultBody},
		{http.MethodGet, "/customers/:id/record.csv", view, "", s.recordCSV, defaultBody},

		{http.MethodGet, "/customers/:id/relationship", view, "", s.relationshipStep, defaultBody},
		{http.MethodPost, "/customers/:id/relationship", invite, "", s.createRelationship, defaultBody},
		{http.MethodPost, "/relationships/:rid/resend", invite, "", s.resendRelationship, defaultBody},
		{http.MethodPost, "/relationships/:rid/revoke", invite, "", s.revokeRelationship, defaultBody},
		{http.MethodPost, "/relationships/:rid/draft", invite, "", s.editInvitation, defaultBody},
		{http.MethodPost, "/relationships/:rid/send", invite, "", s.sendInvitation, defaultBody},
		{http.MethodPost, "/relationships/:rid/sent-by-hand", invite, "", s.markInvitationSent, defaultBody},
		{http.MethodPost, "/relationships/:rid/verify", review, "", s.verifyRelationship, defaultBody},
		{http.MethodGet, "/relationships/verify", review, "", s.verifyUploadForm, defaultBody},
		{http.MethodPost, "/relationships/verify", review, "", s.uploadExport, exportBody},
		{http.MethodPost, "/relationships/verify/confirm", review, "", s.confirmExport, exportConfirmBody},
		{http.MethodGet, demoExportPath, review, "", s.demoExport, defaultBody},
		{http.MethodGet, "/relationships/:rid", view, "", s.showRelationshipRequest, defaultBody},
		{http.MethodPost, "/relationships/:rid/reject", review, "", s.rejectRelationship, defaultBody},
		{http.MethodPost, "/relationships/:rid/remove", rolesWith(domain.PermRemoveRelationship), "", s.removeRelationship, defaultBody},

		{http.MethodGet, "/customers/:id/azure", view, "", s.showAzure, defaultBody},
		{http.MethodGet, "/customers/:id/azure/:sid", view, "", s.showAzureChecklist, defaultBody},
		{http.MethodPost, "/customers/:id/azure/:sid/csp", usage, "", s.recordCSPSubscription, defaultBody},
		{http.MethodPost, "/customers/:id/azure/:sid/moved", usage, "", s.recordMoved, defaultBody},
		{http.MethodPost, "/customers/:id/azure/:sid/cancelled", usage, "", s.recordCancelled, defaultBody},
		// The addresses the steps' forms post to, as a refused form leaves
		// them in the address bar: opened again they lead to the checklist.
		{http.MethodGet, "/customers/:id/azure/:sid/csp", view, "", s.toAzureChecklist, defaultBody},
		{http.MethodGet, "/customers/:id/azure/:sid/moved", view, "", s.toAzureChecklist, defaultBody},
		{http.MethodGet, "/customers/:id/azure/:sid/cancelled", view, "", s.toAzureChecklist, defaultBody},

		{http.MethodGet, "/transfers", view, "Transfers", s.cached(s.transfersOverview), defaultBody},
		{http.MethodGet, "/customers/:id/transfers", view, "", s.showTransfers, defaultBody},
		{http.MethodPost, "/customers/:id/transfers", transfer, "", s.createTransfer, defaultBody},
		{http.MethodGet, "/transfers/:tid", view, "", s.showTransfer, defaultBody},
		{http.MethodPost, "/transfers/:tid/accepted", transfer, "", s.markTransferAccepted, defaultBody},
		{http.MethodPost, "/transfers/:tid/complete", transfer, "", s.completeTransfer, defaultBody},
		{http.MethodPost, "/transfers/:tid/rejected", transfer, "", s.markTransferRejected, defaultBody},
		{http.MethodPost, "/transfers/:tid/microsoft-id", transfer, "", s.recordTransferID, defaultBody},
		{http.MethodPost, "/transfers/:tid/cancel", transfer, "", s.cancelTransfer, defaultBody},

		{http.MethodGet, "/customers/:id/billing-transfer", view, "", s.showBillingTransfer, defaultBody},
		{http.MethodPost, "/customers/:id/billing-transfer", transfer, "", s.startBillingTransfer, defaultBody},
		{http.MethodPost, "/billing-transfers/:bid/prerequisites", transfer, "", s.saveBillingPrerequisites, defaultBody},
		{http.MethodPost, "/billing-transfers/:bid/send", transfer, "", s.sendBillingTransfer, defaultBody},
		{http.MethodPost, "/billing-transfers/:bid/approved", transfer, "", s.approveBillingTransfer, defaultBody},
		{http.MethodPost, "/billing-transfers/:bid/completed", transfer, "", s.completeBillingTransfer, defaultBody},
		{http.MethodPost, "/billing-transfers/:bid/declined", transfer, "", s.declineBillingTransfer, defaultBody},
		{http.MethodPost, "/billing-transfers/:bid/expired", transfer, "", s.expireBillingTransfer, defaultBody},
		{http.MethodPost, "/billing-transfers/:bid/cancel", transfer, "", s.cancelBillingTransfer, defaultBody},

		{http.MethodGet, "/invite/answered", public, "", s.invitationAnswered, defaultBody},
		{http.MethodGet, "/invite/:token", public, "", s.showInvitation, defaultBody},
		{http.MethodPost, "/invite/:token", public, "", s.answerInvitation, defaultBody},

		{http.MethodGet, "/login", public, "", s.loginForm, defaultBody},
		{http.MethodPost, "/login", public, "", s.login, defaultBody},
		{http.MethodGet, "/login/code", public, "", s.secondFactorForm, defaultBody},
		{http.MethodPost, "/login/code", public, "", s.secondFactor, defaultBody},
		// Public, so that a session still waiting for its code can be ended.
		{http.MethodPost, "/logout", public, "", s.logout, defaultBody},
		{http.MethodGet, "/account", signedIn, "", s.showAccount, defaultBody},
		{http.MethodPost, "/account/password", signedIn, "", s.changePassword, defaultBody},
		{http.MethodPost, "/account/sessions/end-others", signedIn, "", s.endOtherSessions, defaultBody},
		{http.MethodPost, "/account/sessions/:sid/end", signedIn, "", s.endSession, defaultBody},
		{http.MethodGet, twoFactorSetupPath, signedIn, "", s.showTwoFactorSetup, defaultBody},
		{http.MethodPost, twoFactorSetupPath, signedIn, "", s.startTwoFactor, defaultBody},
		{http.MethodPost, twoFactorSetupPath + "/confirm", signedIn, "", s.confirmTwoFactor, defaultBody},

		{http.MethodGet, "/healthz", probe, "", s.healthz, defaultBody},
		{http.MethodGet, "/readyz", probe, "", s.readyz, defaultBody},
		{http.MethodGet, "/static/:version/*", probe, "", s.staticFile, defaultBody},
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
