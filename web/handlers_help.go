package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// syndicationHelpPath is the page on leaving a Syndication partner.
const syndicationHelpPath = "/help/leaving-syndication"

func (s *Server) syndicationHelp(c echo.Context) error {
	return s.render(c, http.StatusOK, views.SyndicationHelpPage(s.chrome(c, "Leaving a Syndication partner"),
		domain.LeavingGoDaddy, domain.LeavingGoDaddySources))
}
