package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/app"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/static"
	"github.com/wingtip/multichannel/views"
)

// dashboardLinks are the lists the dashboard's cards open.
var dashboardLinks = map[domain.DashboardCard]string{
	domain.CardAwaitingCustomer:    "/relationships?status=" + string(domain.StatusPending),
	domain.CardDeclinedRecently:    "/relationships?status=" + string(domain.StatusDeclined),
	domain.CardAwaitingReview:      "/relationships?status=" + string(domain.StatusAccepted),
	domain.CardInvitationsExpiring: "/relationships?expiring=" + strconv.Itoa(domain.ExpiresSoonDays),
	domain.CardTransfersPending:    "/transfers?status=" + string(domain.TransferPending),
	domain.CardTransfersExpiring:   "/transfers?expiring=" + strconv.Itoa(domain.ExpiresSoonDays),
	domain.CardUnclassified:        "/customers?needs=" + string(domain.FilterToClassify),
	domain.CardTermEnds:            "/planner?days=" + strconv.Itoa(domain.TermEndSoonDays),
	domain.CardGDAPEnding:          gdapListPath + "?status=" + gdapEnding,
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
		card := views.DashboardCard{ID: "card-" + string(item.Card), Label: item.Label, Count: item.Count,
			Href: dashboardLinks[item.Card], Hint: item.Hint, Actionable: item.Actionable, NotYours: item.NotYours, Urgent: item.Urgent}
		for _, l := range item.Lines {
			card.Lines = append(card.Lines, views.CardLine{Text: l.Text, Href: views.CustomerPath(l.CustomerID, "plan") + "#purchases"})
		}
		h.Cards = append(h.Cards, card)
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
// database taking writes and its disk having room. Anyone may ask (a probe
// comes by IP address, without a session), so the answer is the cached one
// of readiness and its 503 names the cause in a few fixed words; the details,
// SQLite's own, go to the log.
func (s *Server) readyz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	a := s.ready.answer(c.Request().Context())
	return c.String(a.status, a.body)
}

// Bounds of the readiness probe.
const (
	// readyFresh is how long a check's answer serves the probes that follow,
	// so that a flood of probes costs one check, one short write
	// transaction on the only write connection, every readyFresh.
	readyFresh = 2 * time.Second
	// readyWait is how long a probe waits for the check under way: a check
	// waiting that long is queued behind a real write, and a busy writer is
	// busy, not down.
	readyWait = time.Second
	// readyLimit bounds the check itself, past SQLite's busy timeout (5 s),
	// after which the check reports the lock it could not take.
	readyLimit = 10 * time.Second
)

// readyAnswer is an answer of the readiness probe.
type readyAnswer struct {
	status int
	body   string
}

// readyBusy answers a probe whose check is still waiting for the writer
// after a check that passed (or none yet).
var readyBusy = readyAnswer{http.StatusOK, "ready (database busy)\n"}

// readiness runs the store's readiness check for the probe: one check at a
// time, whose answer every probe that comes while it runs shares, kept for
// readyFresh on the services' clock.
type readiness struct {
	health app.Health
	now    func() time.Time
	log    *slog.Logger

	mu      sync.Mutex
	last    readyAnswer   // the answer of the last check; status 0 before the first
	checked time.Time     // when that check ended
	running chan struct{} // closed when the check under way ends; nil when none runs
}

// answer returns the last check's answer while it is fresh; otherwise it
// starts a check, or joins the one under way, and waits up to readyWait for
// it. A check that takes longer leaves the answer of the one before when that
// said not ready, and says busy otherwise.
func (r *readiness) answer(ctx context.Context) readyAnswer {
	r.mu.Lock()
	if r.running == nil && r.last.status != 0 && r.now().Sub(r.checked) < readyFresh {
		defer r.mu.Unlock()
		return r.last
	}
	if r.running == nil {
		r.running = make(chan struct{})
		go r.check(r.running)
	}
	running := r.running
	r.mu.Unlock()
	wait, cancel := context.WithTimeout(ctx, readyWait)
	defer cancel()
	select {
	case <-running:
	case <-wait.Done():
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-running:
		return r.last
	default:
	}
	if r.last.status == http.StatusServiceUnavailable {
		return r.last
	}
	return readyBusy
}

// check runs one check, apart from the probe that started it (which may go
// away), and keeps its answer; the causes go to the log at WARN.
func (r *readiness) check(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), readyLimit)
	defer cancel()
	writes, room := r.health.Ready(ctx)
	a := readyAnswer{http.StatusOK, "ready\n"}
	if !r.health.RoomMeasured() {
		a.body = "ready (the disk's free room is not measured on this system)\n"
	}
	if writes != nil || room != nil {
		a = readyAnswer{http.StatusServiceUnavailable, ""}
		if writes != nil {
			a.body += "not ready: database refuses writes\n"
		}
		if room != nil {
			a.body += "not ready: disk almost full\n"
		}
		r.log.Warn("not ready", "writes", writes, "room", room)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last, r.checked, r.running = a, r.now(), nil
	close(done)
}

// staticFile serves an embedded file. The version in the path changes with
// the files' contents, so the response may be cached for a year.
func (s *Server) staticFile(c echo.Context) error {
	if c.Param("version") != static.Version {
		return echo.ErrNotFound
	}
	// The version in the path names the files' contents, so it is their
	// entity tag too: a browser that revalidates anyway gets a 304.
	etag := `"` + static.Version + `"`
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Response().Header().Set("ETag", etag)
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return echo.StaticFileHandler(c.Param("*"), static.Files)(c)
}
