package web

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
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
