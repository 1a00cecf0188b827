package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// syndicationHelpPath is the page on leaving a Syndication partner.
const syndicationHelpPath = "/help/leaving-syndication"

// reasonHelp is the page that says more about why a subscription is in its
// workflow, "" when there is none: a Syndication subscription that is not
// eligible links to the steps for leaving the partner.
func reasonHelp(sub domain.Subscription, cl domain.Classification) string {
	if sub.Channel == domain.ChannelSyndication && cl.Workflow == domain.WorkflowNotEligible {
		return syndicationHelpPath
	}
	return ""
}

func (s *Server) syndicationHelp(c echo.Context) error {
	return s.render(c, http.StatusOK, views.SyndicationHelpPage(s.chrome(c, "Leaving a Syndication partner"),
		domain.LeavingGoDaddy, domain.LeavingGoDaddySources))
}
