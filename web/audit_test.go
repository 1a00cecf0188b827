package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/testio"
	"github.com/wingtip/multichannel/views"
)

// alRowPattern matches a row of the audit log table.
var alRowPattern = regexp.MustCompile(`<tr data-action="([a-z_]+)">`)

// alRowActions lists the actions of the audit log table on a page, in order.
func alRowActions(body string) []string {
	var out []string
	for _, m := range alRowPattern.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// alCSV reads an audit export, checking its header; it returns the rows
// without it.
func alCSV(t *testing.T, res response) [][]string {
	t.Helper()
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.header.Get("Content-Disposition"), `filename="audit-log.csv"`) {
		t.Fatalf("audit CSV: %d %q %q", res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
	}
	records := testio.CSV(t, res.body)
	if len(records) == 0 || !slices.Equal(records[0], []string{"at", "actor", "action", "customer", "target", "client_ip", "detail"}) {
		t.Fatalf("audit CSV header = %v", records)
	}
	return records[1:]
}

// alUserID is the id of a demo user.
func (a *testApp) alUserID(email string) int64 {
	a.t.Helper()
	u, err := a.store.UserByEmail(context.Background(), email)
	if err != nil {
		a.t.Fatal(err)
	}
	return u.ID
}

// alSessionToken is the session id inside a client's encrypted cookie.
func (a *testApp) alSessionToken(c *http.Client) string {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.url, nil)
	req.AddCookie(a.sessionCookie(c))
	sess, err := a.server.cookies.Get(req, sessionCookieName)
	if err != nil {
		a.t.Fatal(err)
	}
	token, _ := sess.Values[sessionCookieKey].(string)
	if token == "" {
		a.t.Fatal("no session id in the cookie")
	}
	return token
}

func TestAuditLogIsForGlobalAdminsOnly(t *testing.T) {
	app := newTestApp(t)
	for _, path := range []string{"/audit", "/audit.csv"} {
		if res := app.get(app.signIn(globalAdmin), path); res.status != http.StatusOK {
			t.Errorf("Global admin, %s: %d", path, res.status)
		}
		for _, who := range []string{adminAgent, salesAgent} {
			if res := app.get(app.signIn(who), path); res.status != http.StatusForbidden || !strings.Contains(res.body, "Global admin") {
				t.Errorf("%s, %s: %d, want 403 naming the role", who, path, res.status)
			}
		}
		if res := app.get(app.client(), path); res.status != http.StatusSeeOther {
			t.Errorf("signed out, %s: %d, want the sign-in page", path, res.status)
		}
	}
	home := app.get(app.signIn(globalAdmin), "/").body
	if !strings.Contains(home, `href="/audit"`) {
		t.Error("the Global admin's navigation has no link to the audit log")
	}
	if strings.Contains(app.get(app.signIn(adminAgent), "/").body, `href="/audit"`) {
		t.Error("an Admin agent is shown a link to the audit log")
	}
}

// TestAuditLogShowsWhatTheFeaturesDid does what the earlier features do as
// the three demo users, then finds each action through the filters, in the
// page and in the CSV; no entry holds a password, a session id or an
// invitation token.
func TestAuditLogShowsWhatTheFeaturesDid(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	if res := app.post(app.client(), "/login", url.Values{"email": {globalAdmin}, "password": {"wrong-secret-123"}}); res.status == http.StatusSeeOther {
		t.Fatal("a wrong password signed in")
	}
	avery, sam, jordan := app.signIn(globalAdmin), app.signIn(adminAgent), app.signIn(salesAgent)
	averyID, samID, jordanID := app.alUserID(globalAdmin), app.alUserID(adminAgent), app.alUserID(salesAgent)

	// Jordan creates a customer and an invitation, and is refused the log.
	created := app.post(jordan, "/customers", url.Values{"name": {"Graphic Design Institute"}, "domain": {"graphicdesign.onmicrosoft.com"},
		"country": {"SE"}, "admin_name": {"Lee Gu"}, "admin_email": {"lee@gdi.example"}})
	if created.status != http.StatusSeeOther {
		t.Fatalf("create a customer: %d", created.status)
	}
	gdi := app.customerID("Graphic Design")
	litware := app.customerID("Litware")
	link, token := app.invite(jordan, litware, nil)
	app.get(jordan, "/audit")
	// Sam removes a subscription.
	tailspin := app.customerID("Tailspin")
	subs, _ := app.store.AllSubscriptions(ctx, tailspin)
	remove := fmt.Sprintf("/customers/%d/subscriptions/%d/remove", tailspin, subs[0].ID)
	if res := app.post(sam, remove, url.Values{"version": {fmt.Sprint(subs[0].Version)}, "confirmed": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove a subscription: %d", res.status)
	}

	has := func(t *testing.T, query string, want ...string) string {
		t.Helper()
		res := app.get(avery, "/audit?"+query)
		if res.status != http.StatusOK {
			t.Fatalf("/audit?%s: %d", query, res.status)
		}
		got := alRowActions(res.body)
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("/audit?%s lacks %s: %v", query, w, got)
			}
		}
		return res.body
	}
	only := func(t *testing.T, query string, action string) {
		t.Helper()
		got := alRowActions(has(t, query, action))
		if slices.ContainsFunc(got, func(a string) bool { return a != action }) {
			t.Errorf("/audit?%s shows other actions: %v", query, got)
		}
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	t.Run("by action", func(t *testing.T) {
		only(t, "action=sign_in", "sign_in")
		body := has(t, "action=sign_in")
		for _, name := range []string{"Avery Chen", "Sam Patel", "Jordan Lee"} {
			if !strings.Contains(body, "<td>"+name+"</td>") {
				t.Errorf("no sign-in by %s", name)
			}
		}
		body = has(t, "action=sign_in_failed", "sign_in_failed")
		if !strings.Contains(body, "<td>—</td>") || !strings.Contains(body, "user:"+globalAdmin) {
			t.Error("the failed sign-in does not show an em dash for its actor and the account tried")
		}
		body = has(t, "action=customer_created", "customer_created")
		if !strings.Contains(body, fmt.Sprintf(`<a href="/customers/%d">Graphic Design Institute</a>`, gdi)) {
			t.Error("the customer_created entry does not link to the customer")
		}
		has(t, "action=invitation_created", "invitation_created")
		has(t, "action=subscription_removed", "subscription_removed")
		body = has(t, "action=forbidden", "forbidden")
		if !strings.Contains(body, "GET /audit") {
			t.Error("the 403 entry does not name the route")
		}
		if !strings.Contains(body, `<option value="forbidden" selected>`+domain.AuditForbidden.Label()+`</option>`) {
			t.Error("the action select does not show the chosen action")
		}
	})

	t.Run("by actor", func(t *testing.T) {
		body := has(t, "actor="+id(jordanID), "sign_in", "customer_created", "invitation_created", "forbidden")
		if slices.Contains(alRowActions(body), "subscription_removed") {
			t.Error("Sam's removal shows under Jordan")
		}
		if !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>Jordan Lee</option>`, jordanID)) {
			t.Error("the actor select does not show the chosen user")
		}
		if body := has(t, "actor=0"+id(jordanID), "customer_created"); !strings.Contains(body, fmt.Sprintf(`href="/audit.csv?actor=%d"`, jordanID)) {
			t.Error("a user id with a leading zero is not normalised in the links")
		}
		only(t, "actor="+id(samID)+"&action=subscription_removed", "subscription_removed")
		// The demo data brings Avery's earlier history; of sign-ins, Avery
		// has this test's one.
		if got := alRowActions(has(t, "actor="+id(averyID)+"&action=sign_in")); !slices.Equal(got, []string{"sign_in"}) {
			t.Errorf("Avery signed in %v; want one sign_in", got)
		}
	})

	t.Run("by customer", func(t *testing.T) {
		body := has(t, "customer_id="+id(litware), "invitation_created")
		if !strings.Contains(body, `id="audit-customer-filter"`) || !strings.Contains(body, "Litware") {
			t.Error("the page does not say which customer it shows")
		}
		if slices.Contains(alRowActions(body), "customer_created") {
			t.Error("another customer's entry shows under Litware")
		}
		only(t, "customer=graphic", "customer_created")
		only(t, "customer=graphicdesign.onmicrosoft.com", "customer_created")
		only(t, "customer_id="+id(tailspin)+"&action=subscription_removed", "subscription_removed")
	})

	t.Run("by date", func(t *testing.T) {
		today := time.Now().UTC()
		day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
		has(t, "from="+day(0)+"&to="+day(0), "sign_in", "customer_created", "invitation_created", "subscription_removed")
		has(t, "to="+day(0), "sign_in")
		has(t, "from=0001-01-01&to=9999-12-31", "sign_in")
		// The demo's history lies in the past months: days before it have
		// nothing.
		for _, q := range []string{"from=" + day(1), "to=2001-01-01", "from=2001-01-02&to=2001-01-03"} {
			body := has(t, q)
			if rows := alRowActions(body); len(rows) != 0 || !strings.Contains(body, "No entry matches") {
				t.Errorf("/audit?%s: %v; want no entry", q, rows)
			}
		}
		if body := has(t, "from="+day(0)); !strings.Contains(body, `value="`+day(0)+`"`) {
			t.Error("the date field does not keep the date")
		}
	})

	t.Run("csv rows match the page", func(t *testing.T) {
		for _, q := range []string{"actor=" + id(jordanID), "action=sign_in", "customer_id=" + id(litware), "from=" + time.Now().UTC().Format("2006-01-02")} {
			page := has(t, q)
			rows := alCSV(t, app.get(avery, "/audit.csv?"+q))
			var actions []string
			for _, r := range rows {
				actions = append(actions, r[2])
			}
			if want := alRowActions(page); len(want) == 0 || !slices.Equal(actions, want) {
				t.Errorf("/audit.csv?%s actions %v; the page shows %v", q, actions, want)
			}
			if !strings.Contains(page, `href="/audit.csv?`+html.EscapeString(q)+`"`) {
				t.Errorf("the CSV link of /audit?%s does not keep the filter", q)
			}
		}
		rows := alCSV(t, app.get(avery, "/audit.csv?action=customer_created&customer=graphic"))
		if len(rows) != 1 || rows[0][1] != "Jordan Lee" || rows[0][3] != "Graphic Design Institute" || rows[0][5] != "127.0.0.1" ||
			!strings.HasPrefix(rows[0][4], fmt.Sprintf("customer:%d", gdi)) {
			t.Errorf("customer_created CSV row = %v", rows)
		} else if at, err := time.Parse(time.RFC3339, rows[0][0]); err != nil || at.Location() != time.UTC || time.Since(at) > time.Hour {
			t.Errorf("the at column %q is not a recent UTC time", rows[0][0])
		}
	})

	t.Run("no secrets", func(t *testing.T) {
		export := app.get(avery, "/audit.csv").body
		page := app.get(avery, "/audit").body
		secrets := map[string]string{"the wrong password": "wrong-secret-123", "the demo password": demo.Password,
			"the invitation token": token, "the invitation link": link}
		for name, c := range map[string]*http.Client{"Avery": avery, "Sam": sam, "Jordan": jordan} {
			secrets[name+"'s session id"] = app.alSessionToken(c)
			secrets[name+"'s session cookie"] = app.sessionCookie(c).Value
		}
		for name, secret := range secrets {
			if strings.Contains(export, secret) || strings.Contains(page, secret) {
				t.Errorf("the audit log holds %s", name)
			}
		}
		total := regexp.MustCompile(`id="audit-count">(\d+) entries`).FindStringSubmatch(page)
		if rows := alCSV(t, app.get(avery, "/audit.csv")); total == nil || strconv.Itoa(len(rows)) != total[1] || len(rows) < 8 {
			t.Errorf("the whole export has %d rows; the page counts %v", len(rows), total)
		}
	})

	t.Run("every action written is offered", func(t *testing.T) {
		entries, err := app.store.RecentAudit(ctx, domain.Page{Number: 1, Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !slices.Contains(domain.AuditActions, e.Action) {
				t.Errorf("the action filter does not offer %q", e.Action)
			}
		}
		if !slices.IsSorted(domain.AuditActions) {
			t.Error("domain.AuditActions is not in alphabetical order")
		}
	})
}

func TestAuditLogIgnoresInvalidFilters(t *testing.T) {
	app := newTestApp(t)
	avery := app.signIn(globalAdmin)
	all := alRowActions(app.get(avery, "/audit").body)
	for _, tc := range []struct {
		query  string
		notice string
	}{
		{"actor=abc", "There is no partner user “abc”"},
		{"actor=99999", "There is no partner user “99999”"},
		{"action=" + url.QueryEscape("x'; DROP TABLE audit_log"), "is not an action"},
		{"customer_id=99999", "There is no customer “99999”"},
		{"customer_id=-1", "There is no customer"},
		{"customer=" + url.QueryEscape("!!!"), "has no letter or digit"},
		{"from=2025-13-01", "The start date “2025-13-01” is not a date"},
		{"to=yesterday", "The end date “yesterday” is not a date"},
		{"from=2025-03-02&to=2025-03-01", "The range ends (2025-03-01) before it starts (2025-03-02)"},
	} {
		res := app.get(avery, "/audit?"+tc.query)
		if res.status != http.StatusOK || !strings.Contains(res.body, tc.notice) || !strings.Contains(res.body, `class="notice audit-notice"`) {
			t.Errorf("/audit?%s: %d, want the page with the notice %q", tc.query, res.status, tc.notice)
			continue
		}
		if got := alRowActions(res.body); !slices.Equal(got, all) {
			t.Errorf("/audit?%s filtered the log: %v", tc.query, got)
		}
		if !strings.Contains(res.body, `href="/audit.csv"`) {
			t.Errorf("/audit?%s keeps an ignored filter in the CSV link", tc.query)
		}
		if res := app.get(avery, "/audit.csv?"+tc.query); res.status != http.StatusOK {
			t.Errorf("/audit.csv?%s: %d", tc.query, res.status)
		}
	}
	// A valid filter stays while an invalid one beside it goes.
	res := app.get(avery, "/audit?action=sign_in&from=someday")
	if !strings.Contains(res.body, `href="/audit.csv?action=sign_in"`) || !strings.Contains(res.body, "is not a date") {
		t.Error("a valid filter beside an invalid one was not kept alone")
	}
}

func TestAuditLogPagesKeepTheFilters(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	for i := range 60 {
		if err := app.store.AppendAudit(ctx, domain.AuditEntry{Action: "test_marker", Target: fmt.Sprintf("marker %02d", i), ClientIP: "192.0.2.9"}); err != nil {
			t.Fatal(err)
		}
	}
	avery := app.signIn(globalAdmin)
	today := time.Now().UTC().Format("2006-01-02")
	query := "action=test_marker&from=" + today
	first := app.get(avery, "/audit?"+query)
	if got := alRowActions(first.body); len(got) != listPageSize || !strings.Contains(first.body, "60 entries") {
		t.Fatalf("first page: %d rows", len(got))
	}
	if !strings.Contains(first.body, "marker 59") || strings.Contains(first.body, "marker 09<") {
		t.Error("the first page does not start with the newest entries")
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first.body)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	href := html.UnescapeString(next[1])
	u, _ := url.Parse(href)
	if u.Path != "/audit" || u.Query().Get("action") != "test_marker" || u.Query().Get("from") != today || u.Query().Get("page") != "2" {
		t.Fatalf("the next link %q does not keep the filters", href)
	}
	second := app.get(avery, href)
	if got := alRowActions(second.body); len(got) != 10 || !strings.Contains(second.body, "marker 00") || strings.Contains(second.body, "marker 10") {
		t.Errorf("second page: %d rows", len(got))
	}
	// The option for an action the list does not name yet is added, so the
	// select shows what is filtered.
	if !strings.Contains(first.body, `<option value="test_marker" selected>`) {
		t.Error("the select does not show an action it does not list")
	}
	if rows := alCSV(t, app.get(avery, "/audit.csv?"+query)); len(rows) != 60 || rows[0][4] != "marker 59" || rows[0][1] != "" {
		t.Errorf("the export holds %d rows, first %v", len(rows), rows[0])
	}
}

func TestAuditCSVDefusesFormulas(t *testing.T) {
	app := newTestApp(t)
	err := app.store.AppendAudit(context.Background(), domain.AuditEntry{Action: "sign_in_failed", Target: "=HYPERLINK(\"http://evil.example\")",
		Detail: "+1+1", ClientIP: "192.0.2.9"})
	if err != nil {
		t.Fatal(err)
	}
	rows := alCSV(t, app.get(app.signIn(globalAdmin), "/audit.csv?action=sign_in_failed"))
	if len(rows) != 1 || rows[0][4] != `'=HYPERLINK("http://evil.example")` || rows[0][6] != "'+1+1" {
		t.Errorf("CSV rows = %v", rows)
	}
}

// TestNoRouteChangesTheAuditLog walks the route table and the router: the
// only routes about the audit log read it.
func TestNoRouteChangesTheAuditLog(t *testing.T) {
	app := newTestApp(t)
	allowed := [][2]string{{http.MethodGet, "/audit"}, {http.MethodGet, "/audit.csv"}}
	var found [][2]string
	for _, r := range app.server.routes {
		if strings.Contains(strings.ToLower(r.path), "audit") {
			found = append(found, [2]string{r.method, r.path})
		}
	}
	if len(found) != len(allowed) || slices.ContainsFunc(found, func(r [2]string) bool { return !slices.Contains(allowed, r) }) {
		t.Errorf("routes about the audit log = %v; want only %v", found, allowed)
	}
	for _, r := range app.server.registeredRoutes() {
		if strings.Contains(strings.ToLower(r[1]), "audit") && !slices.Contains(allowed, r) {
			t.Errorf("the router serves %s %s", r[0], r[1])
		}
	}
	c := app.signIn(globalAdmin)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		req, _ := http.NewRequest(method, app.url+"/audit", strings.NewReader(""))
		req.Header.Set("Origin", app.url)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if res := app.do(c, req); res.status != http.StatusMethodNotAllowed && res.status != http.StatusNotFound {
			t.Errorf("%s /audit: %d", method, res.status)
		}
	}
}

// TestTheDemoAuditLogShowsWhatTheOtherDemoUsersDid: a newcomer signed in as
// the Global admin finds the demo's history by the other demo users.
func TestTheDemoAuditLogShowsWhatTheOtherDemoUsersDid(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	for _, tc := range []struct{ email, name, action string }{
		{adminAgent, "Sam Patel", "transfer_created"},
		{salesAgent, "Jordan Lee", "invitation_created"},
	} {
		user, err := app.store.UserByEmail(context.Background(), tc.email)
		if err != nil {
			t.Fatal(err)
		}
		page := app.get(admin, "/audit?actor="+itoa(user.ID))
		if page.status != http.StatusOK || !strings.Contains(page.body, tc.name) || !strings.Contains(page.body, tc.action) {
			t.Errorf("the audit log filtered by %s: %d, shows %s: %v", tc.name, page.status, tc.action, strings.Contains(page.body, tc.action))
		}
	}
}

// TestAuditTargetsInWords: the log names each target in words, with a link
// to where it is shown, and keeps the code as a tooltip.
func TestAuditTargetsInWords(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	litware := app.customerID("Litware")
	app.invite(admin, litware, nil)
	page := app.get(admin, "/audit")
	for _, s := range []string{`<td title="user:avery@wingtip.example"><a href="/users">Avery Chen</a></td>`,
		`<a href="` + views.CustomerPath(litware, "relationship") + `">Relationship request no. `} {
		if !strings.Contains(page.body, s) {
			t.Errorf("the audit log does not show %s", s)
		}
	}
}
