package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
)

// confirmed is the form of an action that asks first, answered yes, as the
// confirmation page posts it.
var confirmed = url.Values{"confirmed": {"yes"}}

// rowOf is the table row of a page with id, up to its end, or "" when the
// page has none.
func rowOf(body, id string) string {
	start := strings.Index(body, `<tr id="`+id+`"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</tr>")
	if end < 0 {
		return body[start:]
	}
	return body[start : start+end]
}

// TestRefusedActionsComeBackOnTheirPage: a change refused by the state of
// its record answers 409 with its own page, the reason beside the control
// and what was sent kept, never the bare error page.
func TestRefusedActionsComeBackOnTheirPage(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	admin := app.signIn(globalAdmin)
	avery, _ := app.store.UserByEmail(ctx, globalAdmin)
	row := fmt.Sprintf("user-%d", avery.ID)

	// The last active Global admin is offered neither the role choice nor
	// Deactivate, and the row says why.
	page := app.get(admin, "/users")
	if got := rowOf(page.body, row); strings.Contains(got, "/active") || strings.Contains(got, `name="role"`) ||
		!strings.Contains(got, "last active Global admin") {
		t.Errorf("the last Global admin's row offers a change that would be refused: %q", got)
	}
	// Posted anyway (an older page), each comes back in the row.
	res := app.post(admin, "/users/"+itoa(avery.ID)+"/role", url.Values{"role": {"admin_agent"}})
	got := rowOf(res.body, row)
	if res.status != http.StatusConflict || !strings.Contains(got, `id="`+row+`-problem"`) || !strings.Contains(got, "last active Global admin") ||
		!strings.Contains(got, `<option value="admin_agent" selected>`) || !strings.Contains(res.body, `id="invite-user-form"`) {
		t.Errorf("role change of the last Global admin: %d, row %q", res.status, got)
	}
	res = app.post(admin, "/users/"+itoa(avery.ID)+"/active", url.Values{"active": {"0"}, "confirmed": {"yes"}})
	if got := rowOf(res.body, row); res.status != http.StatusConflict || !strings.Contains(got, "last active Global admin") || !strings.Contains(got, "Deactivate") {
		t.Errorf("deactivating the last Global admin: %d, row %q", res.status, got)
	}
	if u, _ := app.store.UserByEmail(ctx, globalAdmin); !u.Active || u.Role != domain.RoleGlobalAdmin {
		t.Errorf("the last Global admin changed: %+v", u)
	}

	// A billing transfer's step out of order comes back on its page, the
	// reason beside the buttons and the date kept.
	sam := app.signIn(adminAgent)
	contoso := app.customerID("Contoso")
	b := app.billingOf(contoso)[0]
	res = app.post(sam, fmt.Sprintf("/billing-transfers/%d/completed", b.ID), url.Values{"date": {"2026-03-04"}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, fmt.Sprintf(`id="billing-transfer-%d-date-error">Only a request the customer approved can complete`, b.ID)) ||
		!strings.Contains(res.body, `value="2026-03-04"`) || !strings.Contains(res.body, `id="cancel-billing-transfer"`) {
		t.Errorf("completion before approval: %d", res.status)
	}

	// A refusal with no page of its own leads back to where it came from.
	req, _ := http.NewRequest(http.MethodPost, app.url+"/customers/"+itoa(contoso)+"/billing-transfer", nil)
	req.Header.Set("Origin", app.url)
	req.Header.Set("Referer", app.url+"/customers/"+itoa(contoso)+"/billing-transfer?from=test")
	res = app.do(sam, req)
	if res.status != http.StatusConflict || !strings.Contains(res.body, `href="/customers/`+itoa(contoso)+`/billing-transfer?from=test" id="error-back"`) ||
		!strings.Contains(res.body, "already has a billing transfer under way") {
		t.Errorf("a second billing transfer: %d, no way back to the page", res.status)
	}
}
