package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/static"
	"github.com/wingtip/multichannel/views"
)

// dashboardLinks are the lists the dashboard's cards open.
var dashboardLinks = map[domain.DashboardCard]string{
	domain.CardAwaitingCustomer:    "/relationships?status=" + string(domain.StatusPending),
	domain.CardAwaitingReview:      "/relationships?status=" + string(domain.StatusAccepted),
	domain.CardInvitationsExpiring: "/relationships?expiring=" + strconv.Itoa(domain.ExpiresSoonDays),
	domain.CardTransfersPending:    "/transfers?status=" + string(domain.TransferPending),
	domain.CardTransfersExpiring:   "/transfers?expiring=" + strconv.Itoa(domain.ExpiresSoonDays),
	domain.CardUnclassified:        "/customers?needs=" + string(domain.FilterToClassify),
	domain.CardTermEnds:            "/planner?days=" + strconv.Itoa(domain.TermEndSoonDays),
	domain.CardUsage:               "/customers?needs=" + string(domain.FilterUsageInProgress),
}

func (s *Server) home(c echo.Context) error {
	user, _ := currentUser(c)
	d, err := s.svc.Dashboard.Dashboard(c.Request().Context(), user.Role)
	if err != nil {
		return err
	}
	h := views.Home{Name: user.Name, RoleLabel: user.Role.Label(), Capabilities: user.Role.Capabilities()}
	for _, item := range d.Items {
		h.Cards = append(h.Cards, views.DashboardCard{ID: "card-" + string(item.Card), Label: item.Label, Count: item.Count,
			Href: dashboardLinks[item.Card], Hint: item.Hint, Actionable: item.Actionable, Urgent: item.Urgent})
	}
	return s.render(c, http.StatusOK, views.HomePage(s.chrome(c, "Home"), h))
}

// healthz is the liveness probe: cheap, and failing only when the store does
// not answer at all, where a restart could help.
func (s *Server) healthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if err := s.svc.Health.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check", "request_id", requestID(c), "error", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz is the readiness probe: whether a change can be saved now, the
// database taking writes and its disk having room. A 503 says in plain text
// which of these fails, so that whoever looks at the probe knows what to fix.
func (s *Server) readyz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if err := s.svc.Health.Ready(c.Request().Context()); err != nil {
		s.log.Warn("not ready", "request_id", requestID(c), "error", err)
		return c.String(http.StatusServiceUnavailable, "not ready: "+strings.ReplaceAll(err.Error(), "\n", "\nnot ready: ")+"\n")
	}
	return c.String(http.StatusOK, "ready\n")
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
