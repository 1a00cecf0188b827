package web

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// TestSyndicationHelpPage holds the page the not_eligible reason of a
// Syndication subscription points to: every step in order, the partners'
// guides it comes from, readable by every role and by nobody signed out.
func TestSyndicationHelpPage(t *testing.T) {
	app := newTestApp(t)
	res := app.get(app.signIn(salesAgent), syndicationHelpPath)
	if res.status != http.StatusOK {
		t.Fatalf("%s: %d", syndicationHelpPath, res.status)
	}
	last := 0
	for _, step := range domain.LeavingGoDaddy {
		i := strings.Index(res.body, html.EscapeString(step.Title))
		if i < last {
			t.Errorf("step %q is missing or out of order", step.Title)
		}
		last = i
	}
	for _, u := range domain.LeavingGoDaddySources {
		if !strings.Contains(res.body, `href="`+u+`"`) {
			t.Errorf("no link to %s", u)
		}
	}
	if out := app.get(app.client(), syndicationHelpPath); out.status == http.StatusOK {
		t.Errorf("signed out, the page answers %d", out.status)
	}
}

// TestSyndicationReasonsLinkToTheSteps: Adatum's Syndication subscriptions
// link to the page from the inventory and the plan; others do not.
func TestSyndicationReasonsLinkToTheSteps(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	link := `href="` + syndicationHelpPath + `" class="reason-help"`
	adatum, contoso := app.customerID("Adatum"), app.customerID("Contoso")
	for _, path := range []string{"subscriptions", "plan"} {
		if body := app.get(c, views.CustomerPath(adatum, path)).body; strings.Count(body, link) != 2 {
			t.Errorf("Adatum%s links %d times to the steps, want its two Syndication subscriptions", path, strings.Count(body, link))
		}
		if body := app.get(c, views.CustomerPath(contoso, path)).body; strings.Contains(body, link) {
			t.Errorf("Contoso%s links to the Syndication steps", path)
		}
	}
}
