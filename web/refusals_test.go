package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
)

// confirmed is the form of an action that asks first, answered yes, as the
// confirmation page posts it; a new one each time, for callers that add to
// it.
func confirmed() url.Values { return url.Values{"confirmed": {"yes"}} }

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
	if got := rowOf(res.body, row); res.status != http.StatusConflict || !strings.Contains(got, `id="`+row+`-problem"`) ||
		!strings.Contains(got, "last active Global admin") || strings.Contains(got, "/active") {
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

	// A GDAP link pasted on a page older than the customer's approval comes
	// back on step 4, the reason above the GDAP panel's forms.
	g := app.openGDAP(contoso)
	res = app.post(sam, fmt.Sprintf("/gdap/%d/link", g.ID), url.Values{"gdap_link": {"https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/" + gdapWebID}})
	if gdapPanel := section(res.body, "gdap"); res.status != http.StatusConflict ||
		!strings.Contains(gdapPanel, `role="alert"`) || !strings.Contains(gdapPanel, `<p>The invitation link can be recorded only until the customer approves.</p>`) {
		t.Errorf("a GDAP link after the approval: %d", res.status)
	}

	// Starting a second billing transfer is refused at the top of its page.
	res = app.post(sam, "/customers/"+itoa(contoso)+"/billing-transfer", nil)
	if res.status != http.StatusConflict || !strings.Contains(res.body, `id="billing-refused">This customer already has a billing transfer under way`) {
		t.Errorf("a second billing transfer: %d", res.status)
	}

	// A refusal with no page of its own leads back to where it came from:
	// the form's back field, else a same-origin Referer.
	fabrikam, _ := app.store.OpenRelationship(ctx, app.customerID("Fabrikam")) // accepted: no longer revocable
	revoke := fmt.Sprintf("/relationships/%d/revoke", fabrikam.ID)
	res = app.post(admin, revoke, url.Values{"confirmed": {"yes"}, "back": {"/relationships?status=accepted"}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, `href="/relationships?status=accepted" id="error-back"`) {
		t.Errorf("revoking an accepted request: %d, no way back to the page", res.status)
	}
	req, _ := http.NewRequest(http.MethodPost, app.url+revoke, strings.NewReader("confirmed=yes"))
	req.Header.Set("Origin", app.url)
	req.Header.Set("Referer", app.url+"/customers/"+itoa(fabrikam.CustomerID)+"/relationship")
	if res := app.do(admin, req); res.status != http.StatusConflict ||
		!strings.Contains(res.body, `href="/customers/`+itoa(fabrikam.CustomerID)+`/relationship" id="error-back"`) {
		t.Errorf("revoking from the customer's page: %d, no way back to it", res.status)
	}
	req, _ = http.NewRequest(http.MethodPost, app.url+revoke, strings.NewReader("confirmed=yes"))
	req.Header.Set("Origin", app.url)
	req.Header.Set("Referer", "https://elsewhere.example/relationships")
	if res := app.do(admin, req); res.status != http.StatusConflict || strings.Contains(res.body, "elsewhere.example") || !strings.Contains(res.body, "Back to the start page") {
		t.Errorf("a foreign Referer: %d, or it is offered as the way back", res.status)
	}
}

// confirmCase is an action that asks first: who posts what where, and the
// state it changes, read from the store.
type confirmCase struct {
	name  string
	setup func(app *testApp) (c *http.Client, path string, form url.Values, state func() string)
}

// TestActionsAskFirst: each action that cannot be undone, posted without
// confirmed=yes, answers the page that asks, carrying the same fields and a
// way back, and changes nothing; posted again from that page it is done.
func TestActionsAskFirst(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []confirmCase{
		{"deactivate a user", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			u, _ := app.store.UserByEmail(ctx, salesAgent)
			return app.signIn(globalAdmin), "/users/" + itoa(u.ID) + "/active", url.Values{"active": {"0"}}, func() string {
				u, _ := app.store.UserByEmail(ctx, salesAgent)
				return fmt.Sprint(u.Active)
			}
		}},
		{"revoke an invitation", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			jordan, adatum := app.signIn(salesAgent), app.customerID("Adatum")
			app.invite(jordan, adatum, url.Values{"recipient_name": {"Isaiah Langer"}, "recipient_email": {"isaiah@adatum.example"}, "expiry_days": {"30"}})
			r, _ := app.store.OpenRelationship(ctx, adatum)
			return jordan, fmt.Sprintf("/relationships/%d/revoke", r.ID), url.Values{"back": {"/relationships"}}, relationshipState(app, r.ID)
		}},
		{"remove a relationship", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			r, _ := app.store.OpenRelationship(ctx, app.customerID("Contoso"))
			return app.signIn(globalAdmin), fmt.Sprintf("/relationships/%d/remove", r.ID), url.Values{"reason": {"Customer left"}, "back": {"/relationships"}},
				relationshipState(app, r.ID)
		}},
		{"cancel a transfer", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			sam := app.signIn(adminAgent)
			fabrikam, sub := app.readyForTransfer()
			id := app.requestTransfer(sam, fabrikam, sub)
			return sam, fmt.Sprintf("/transfers/%d/cancel", id), url.Values{}, func() string { return string(app.transferStatus(id)) }
		}},
		{"cancel a billing transfer", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			b := app.billingOf(app.customerID("Contoso"))[0]
			return app.signIn(adminAgent), fmt.Sprintf("/billing-transfers/%d/cancel", b.ID), url.Values{}, billingState(app, b.ID)
		}},
		{"record a declined billing transfer", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			b := app.billingOf(app.customerID("Contoso"))[0]
			return app.signIn(adminAgent), fmt.Sprintf("/billing-transfers/%d/declined", b.ID),
				url.Values{"date": {app.clock.now().Format(domain.DateLayout)}}, billingState(app, b.ID)
		}},
		{"remove a subscription", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			tailspin := app.customerID("Tailspin")
			subs, _ := app.store.AllSubscriptions(ctx, tailspin)
			return app.signIn(adminAgent), fmt.Sprintf("/customers/%d/subscriptions/%d/remove", tailspin, subs[0].ID),
				url.Values{"version": {fmt.Sprint(subs[0].Version)}}, func() string {
					_, err := app.store.Subscription(ctx, tailspin, subs[0].ID)
					return fmt.Sprint(err)
				}
		}},
		{"record a GDAP termination", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			g := app.openGDAP(app.customerID("Contoso"))
			return app.signIn(adminAgent), fmt.Sprintf("/gdap/%d/terminate", g.ID), url.Values{"reason": {"Support ended"}}, func() string {
				g, _ := app.store.GDAPRequest(ctx, g.ID)
				return string(g.Status)
			}
		}},
		{"delete a role template", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			list, _ := app.store.RoleTemplates(ctx)
			return app.signIn(globalAdmin), fmt.Sprintf("%s/%d/delete", templatesPath, list[0].ID), url.Values{}, func() string {
				_, err := app.store.RoleTemplate(ctx, list[0].ID)
				return fmt.Sprint(err)
			}
		}},
		{"decline an invitation", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			litware := app.customerID("Litware")
			_, token := app.invite(app.signIn(salesAgent), litware, nil)
			r, _ := app.store.OpenRelationship(ctx, litware)
			return app.public(), "/invite/" + token, url.Values{"answer": {"decline"}, "first_name": {"Patti"}}, relationshipState(app, r.ID)
		}},
		{"end a session", func(app *testApp) (*http.Client, string, url.Values, func() string) {
			app.signIn(adminAgent)
			here := app.signIn(adminAgent)
			sam, _ := app.store.UserByEmail(ctx, adminAgent)
			sessions, _ := app.store.UserSessions(ctx, sam.ID)
			m := regexp.MustCompile(`action="/account/sessions/(\d+)/end"`).FindStringSubmatch(app.get(here, "/account").body)
			if m == nil || len(sessions) != 2 {
				t.Fatalf("no other session to end: %d sessions", len(sessions))
			}
			return here, "/account/sessions/" + m[1] + "/end", url.Values{}, func() string {
				s, _ := app.store.UserSessions(ctx, sam.ID)
				return fmt.Sprint(len(s))
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newTestApp(t)
			c, path, form, state := tc.setup(app)
			before := state()
			res := app.post(c, path, form)
			if res.status != http.StatusOK || !strings.Contains(res.body, `id="confirmation"`) || !strings.Contains(res.body, `action="`+path+`"`) ||
				!strings.Contains(res.body, `<input type="hidden" name="confirmed" value="yes">`) || !strings.Contains(res.body, `id="confirm-no"`) {
				t.Fatalf("without confirmation: %d, no confirmation page", res.status)
			}
			for name, values := range form {
				if !strings.Contains(res.body, fmt.Sprintf(`<input type="hidden" name="%s" value="%s">`, name, html.EscapeString(values[0]))) {
					t.Errorf("the confirmation page does not carry %s=%s", name, values[0])
				}
			}
			if after := state(); after != before {
				t.Fatalf("asking changed the state: %s → %s", before, after)
			}
			yes := url.Values{"confirmed": {"yes"}}
			for name, values := range form {
				yes[name] = values
			}
			if res := app.post(c, path, yes); res.status != http.StatusSeeOther {
				t.Fatalf("confirmed: %d", res.status)
			}
			if after := state(); after == before {
				t.Errorf("confirmed, and the state is still %s", after)
			}
		})
	}
}

// relationshipState reads the stored state of a relationship request.
func relationshipState(app *testApp, id int64) func() string {
	return func() string {
		r, _ := app.store.RelationshipRequest(context.Background(), id)
		return string(r.Status)
	}
}

// billingState reads the stored state of a billing transfer.
func billingState(app *testApp, id int64) func() string {
	return func() string {
		b, _ := app.store.BillingTransfer(context.Background(), id)
		return string(b.Status)
	}
}
