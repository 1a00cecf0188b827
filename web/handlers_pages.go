package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/static"
	"github.com/wingtip/multichannel/views"
)

// soon is how close an expiry must be for the dashboard to flag it.
const soon = 7 * 24 * time.Hour

func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	user, _ := currentUser(c)
	now := s.svc.Now()
	d, err := s.store.DashboardCounts(ctx, now, soon)
	if err != nil {
		return err
	}
	_, termEnds, err := s.svc.TermEnds.List(ctx, 30, domain.Page{Number: 1, Size: 1})
	if err != nil {
		return err
	}
	transfersPending, transfersExpiring, err := s.svc.Transfers.Counts(ctx, now)
	if err != nil {
		return err
	}
	can := user.Role.Allows
	cards := []views.DashboardCard{
		{ID: "card-awaiting-customer", Label: "Relationships awaiting the customer", Count: d.Relationships[domain.StatusPending],
			Href: "/relationships?status=pending", Actionable: can(domain.PermInvite)},
		{ID: "card-awaiting-review", Label: "Relationships awaiting our review", Count: d.Relationships[domain.StatusAccepted],
			Href: "/relationships?status=accepted", Actionable: can(domain.PermReviewRelationships), Urgent: true},
		{ID: "card-invitations-expiring", Label: "Invitations expiring within 7 days", Count: d.RelationshipsExpiringSoon,
			Href: "/relationships?expiring=7", Actionable: can(domain.PermInvite), Urgent: true},
		{ID: "card-transfers-pending", Label: "Transfers waiting for the other partner", Count: transfersPending,
			Href: "/transfers?status=pending", Actionable: can(domain.PermTransfers)},
		{ID: "card-transfers-expiring", Label: "Transfers expiring within 7 days", Count: transfersExpiring,
			Href: "/transfers?expiring=7", Hint: "The other partner must act within 30 days.", Actionable: can(domain.PermTransfers), Urgent: true},
		{ID: "card-unclassified", Label: "Subscriptions not yet classified", Count: d.Unclassified(), Href: "/customers?needs=" + string(domain.FilterToClassify),
			Actionable: can(domain.PermEditCustomers)},
		{ID: "card-term-ends", Label: "Term ends within 30 days", Count: termEnds, Href: "/planner?days=30", Actionable: can(domain.PermInvite), Urgent: true},
		{ID: "card-usage", Label: "Usage workflows in progress", Count: d.UsageInProgress(),
			Href: "/customers?needs=" + string(domain.FilterUsageInProgress), Hint: "Checklists where CSP and the old subscription coexist, and transfers in progress.",
			Actionable: can(domain.PermUsageWorkflow)},
	}
	// What the role may act on first; the order within each part stays.
	slices.SortStableFunc(cards, func(a, b views.DashboardCard) int {
		switch {
		case a.Actionable == b.Actionable:
			return 0
		case a.Actionable:
			return -1
		}
		return 1
	})
	h := views.Home{Name: user.Name, RoleLabel: user.Role.Label(), Capabilities: user.Role.Capabilities(), Cards: cards}
	return s.render(c, http.StatusOK, views.HomePage(s.chrome(c, "Home"), h))
}

func (s *Server) healthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if err := s.svc.Health.Ping(c.Request().Context()); err != nil {
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
