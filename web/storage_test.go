package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/sqlite"
)

// startFullApp starts the app over the demo data in a database capped at
// the size the demo data gives it (sqlite.MaxSize, the --max-db-size cap):
// it can take no new page, as on a full disk, while the free room left in
// its pages lasts.
func startFullApp(t *testing.T) *testApp {
	t.Helper()
	path := filepath.Join(t.TempDir(), "full.db")
	ctx := context.Background()
	now := func() time.Time { return time.Now().UTC() }
	store, err := sqlite.Open(ctx, path, now)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("http://localhost")
	if _, err := demo.Seed(ctx, store, argon2id.New(argon2id.DefaultParams, 2), now(), base); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	noSeed := func(context.Context, *sqlite.Store, *argon2id.Hasher, *url.URL) error { return nil }
	return startTestApp(t, testOptions{db: path, seed: noSeed, store: []sqlite.Option{sqlite.MaxSize(info.Size())}})
}

// fillSubscriptions adds subscriptions with ever shorter notes until not
// even one without notes fits: the disk is then full for the inventory.
func fillSubscriptions(t *testing.T, app *testApp, customerID int64) {
	t.Helper()
	actor := domain.Actor{UserID: 1}
	for size := 2000; size >= 0; size /= 2 {
		for range 10_000 {
			sub := domain.Subscription{CustomerID: customerID, Product: "Filler", Notes: strings.Repeat("x", size)}
			if _, err := app.svc.Customers.AddSubscription(context.Background(), actor, sub); errors.Is(err, domain.ErrStorageFull) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
		}
		if size == 0 {
			return
		}
	}
}

func TestAFormOnAFullDiskComesBackWithWhatWasTyped(t *testing.T) {
	app := startFullApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Tailspin")
	fillSubscriptions(t, app, id)
	inv := fmt.Sprintf("/customers/%d/subscriptions", id)
	res := app.post(c, inv, url.Values{"product": {"Microsoft 365 E3"}, "service_type": {"licence"}, "channel": {"other_csp"},
		"quantity": {"25"}, "notes": {"renews in June"}})
	if res.status != http.StatusServiceUnavailable {
		t.Fatalf("add on a full disk: %d, want 503", res.status)
	}
	for _, want := range []string{"out of disk space: nothing was saved", `value="Microsoft 365 E3"`, `value="25"`, ">renews in June</textarea>"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the form on a full disk lacks %q", want)
		}
	}
	// A button has nothing typed to keep: it either fits in the room left
	// or gets the same reason on its error page, never a bare 500.
	subs, _ := app.store.AllSubscriptions(context.Background(), id)
	res = app.post(c, fmt.Sprintf("%s/%d/remove", inv, subs[0].ID), url.Values{"version": {fmt.Sprint(subs[0].Version)}, "confirmed": {"yes"}})
	if res.status != http.StatusSeeOther && (res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, "out of disk space")) {
		t.Errorf("remove on a full disk: %d", res.status)
	}
}

func TestSigningInOnAFullDiskSaysWhy(t *testing.T) {
	app := startFullApp(t)
	// Every sign-in writes a session: sign in until the sessions no longer fit.
	for range 500 {
		res := app.post(app.client(), "/login", url.Values{"email": {salesAgent}, "password": {demo.Password}})
		if res.status == http.StatusSeeOther {
			continue
		}
		if res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, "out of disk space") ||
			!strings.Contains(res.body, `value="`+salesAgent+`"`) {
			t.Fatalf("sign-in on a full disk: %d %s", res.status, res.body)
		}
		return
	}
	t.Fatal("the sessions never filled the capped database")
}
