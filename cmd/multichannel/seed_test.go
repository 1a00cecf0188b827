package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/testio"
)

// TestSeedFillsAnEmptyDatabaseTheDemoUsersSignInto seeds a small book, refuses
// to seed it again, then serves it and signs each demo user in over HTTP.
func TestSeedFillsAnEmptyDatabaseTheDemoUsersSignInto(t *testing.T) {
	db := filepath.Join(t.TempDir(), "book.db")
	e := env(map[string]string{"MULTICHANNEL_DB": db})
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--customers", "40", "--subscriptions", "400"}, e, nil, &out, io.Discard); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	for _, want := range []string{"100%  40 customers, 400 subscriptions", "avery@wingtip.example", demo.Password} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("seed output lacks %q:\n%s", want, out.String())
		}
	}
	err := run(context.Background(), []string{"seed", "--customers", "5", "--subscriptions", "5"}, e, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("a second seed: %v; want a refusal", err)
	}
	if err := run(context.Background(), []string{"seed", "--customers", "0"}, env(map[string]string{"MULTICHANNEL_DB": db + "2"}), nil, io.Discard, io.Discard); err == nil {
		t.Fatal("a book of no customers was seeded")
	}

	ctx, cancel := context.WithCancel(context.Background())
	var served, logs testio.Buffer
	done := make(chan error, 1)
	addr := freeAddr(t)
	go func() {
		done <- run(ctx, []string{"--addr", addr, "--base-url", "http://" + addr}, e, nil, &served, &logs)
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("the server did not shut down")
		}
	}()
	base := "http://" + listeningAddr(t, &served, &logs, done)
	for _, u := range demo.Users {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		res, err := client.PostForm(base+"/login", url.Values{"email": {u.Email}, "password": {demo.Password}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/login" || !strings.Contains(string(body), u.Name) {
			t.Errorf("%s signing in: %d at %s; want the home page with their name", u.Email, res.StatusCode, res.Request.URL.Path)
		}
	}
}
