// Package app assembles Multichannel Support: it builds every service over
// one store and one clock, so that the server (cmd/multichannel) and the test
// harness run the same assembly.
package app

import (
	"context"
	"net/url"
	"time"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/auditlog"
	"github.com/wingtip/multichannel/internal/azure"
	"github.com/wingtip/multichannel/internal/billingtransfers"
	"github.com/wingtip/multichannel/internal/customers"
	"github.com/wingtip/multichannel/internal/dashboard"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/internal/staff"
	"github.com/wingtip/multichannel/internal/termends"
	"github.com/wingtip/multichannel/internal/transfers"
	"github.com/wingtip/multichannel/internal/twofactor"
)

// Store is everything the services need from persistence; the SQLite store
// (internal/sqlite) is one.
type Store interface {
	accounts.Store
	customers.Store
	relationships.Store
	transfers.Store
	billingtransfers.Store
	termends.Store
	azure.Store
	staff.Store
	dashboard.Store
	auditlog.Store
	Health
	// Changes counts the changes committed so far, so that what was read
	// at one count may be kept while the count stands; CustomerChanges
	// counts those that may change what the pages of one customer show.
	Changes() uint64
	CustomerChanges(customerID int64) uint64
}

// Health is what the probes ask of the store.
type Health interface {
	// Ping checks that the store answers, for the liveness probe: cheap, and
	// failing only when restarting the app could help.
	Ping(ctx context.Context) error
	// Ready checks that the store can take a change now, for the readiness
	// probe: writes says why the database refuses one, room why its disk (or
	// its size cap) has too little room left. Their words are for the log:
	// they may quote the database's own errors.
	Ready(ctx context.Context) (writes, room error)
	// RoomMeasured says whether Ready measures the disk's free room on this
	// system, so that the probe can say when it does not.
	RoomMeasured() bool
}

// Hasher hashes and verifies passwords.
type Hasher interface {
	accounts.PasswordHasher
}

// Config is what the services are built with.
type Config struct {
	// BaseURL is the app's public address; links are built from it.
	BaseURL *url.URL
	// MailEnabled says whether an SMTP server sends the outbox.
	MailEnabled bool
	// Now is the one clock of every service; the store must tell the same time.
	Now func() time.Time
	// Hasher hashes passwords; Sealer seals two-factor secrets.
	Hasher Hasher
	Sealer *twofactor.Sealer
}

// Services are the services of the app, built over one store and one clock.
type Services struct {
	// Now is the clock the services were built with, for what the web layer
	// times itself (rate limits).
	Now func() time.Time
	// Changes counts the changes the store has committed (Store.Changes),
	// and CustomerChanges those that may change the pages of one customer,
	// for the web layer's cache of rendered pages.
	Changes         func() uint64
	CustomerChanges func(customerID int64) uint64
	Health          Health
	Accounts        *accounts.Service
	Customers       *customers.Service
	Relationships   *relationships.Service
	Transfers       *transfers.Service
	Billing         *billingtransfers.Service // the Azure billing transfer of an Azure Expert MSP
	TermEnds        *termends.Service
	Azure           *azure.Service
	Staff           *staff.Service
	Dashboard       *dashboard.Service
	Audit           *auditlog.Service
}

// New builds every service over store with cfg.
func New(store Store, cfg Config) Services {
	cust := customers.New(store, cfg.Now)
	return Services{
		Now:             cfg.Now,
		Changes:         store.Changes,
		CustomerChanges: store.CustomerChanges,
		Health:          store,
		Accounts:        accounts.New(store, cfg.Hasher, cfg.Sealer, cfg.Now),
		Customers:       cust,
		Relationships:   relationships.New(store, cust, cfg.BaseURL, cfg.MailEnabled, cfg.Now),
		Transfers:       transfers.New(store, cust, cfg.Now),
		Billing:         billingtransfers.New(store, cust, cfg.Now),
		TermEnds:        termends.New(store, cfg.Now),
		Azure:           azure.New(store, cust, cfg.Now),
		Staff:           staff.New(store, cfg.Hasher, cfg.BaseURL, cfg.MailEnabled, cfg.Now),
		Dashboard:       dashboard.New(store, cfg.Now),
		Audit:           auditlog.New(store),
	}
}
