package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/app"
	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/book"
	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/smtpmail"
	"github.com/wingtip/multichannel/internal/sqlite"
	"github.com/wingtip/multichannel/internal/twofactor"
	"github.com/wingtip/multichannel/web"
)

const usage = `Usage:
  multichannel [serve] [flags]          start the web application
  multichannel user add --email E --name N --role R [--db PATH]
                                         add a partner user; the password is read from stdin
  multichannel partner set --name N --partner-id ID [--csp-model M] [--cloud C] [--tenant-id GUID]
                         [--country CC] [--reseller-link URL] [--provider-name N --provider-tenant-id GUID] [--db PATH]
                                         set the partner organisation
  multichannel seed --customers N --subscriptions M [--db PATH]
                                         fill an empty database with the demo partner and users and a
                                         generated book of business of that size, to try the app at your size

Serve flags (each also read from the environment variable shown; a flag wins):
`

// run is the whole program, with its inputs and outputs passed in so that
// tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	switch {
	case len(args) >= 2 && args[0] == "user" && args[1] == "add":
		return addUser(ctx, args[2:], getenv, stdin, stdout)
	case len(args) >= 2 && args[0] == "partner" && args[1] == "set":
		return setPartner(ctx, args[2:], getenv, stdout)
	case len(args) >= 1 && args[0] == "seed":
		return seedBook(ctx, args[1:], getenv, stdout)
	case len(args) >= 1 && args[0] == "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case len(args) == 0 || strings.HasPrefix(args[0], "-"):
		return serve(ctx, args, getenv, stdout, stderr)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", strings.Join(args, " "))
}

// config is the serve command's configuration.
type config struct {
	addr           string
	dbPath         string
	baseURL        string
	sessionKey     string
	dataKey        string
	trustedProxies string
	allowedHosts   string
	smtpURL        string
	maxDBSize      string
	shutdownGrace  string
	pageCache      string
	demo           bool
}

func envOr(getenv func(string) string, name, fallback string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return fallback
}

func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("db", envOr(getenv, "MULTICHANNEL_DB", "data/multichannel.db"), "SQLite database file (MULTICHANNEL_DB)")
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	fs.StringVar(&cfg.addr, "addr", envOr(getenv, "MULTICHANNEL_ADDR", ":8080"), "address to listen on (MULTICHANNEL_ADDR)")
	db := dbFlag(fs, getenv)
	fs.StringVar(&cfg.baseURL, "base-url", getenv("MULTICHANNEL_BASE_URL"),
		"public base URL; links and the cookie's Secure flag follow it (MULTICHANNEL_BASE_URL; default http://localhost and the port of --addr)")
	fs.StringVar(&cfg.sessionKey, "session-key", getenv("MULTICHANNEL_SESSION_KEY"),
		"secret of at least 32 characters for the session cookie; without it a key is generated beside the database (MULTICHANNEL_SESSION_KEY)")
	fs.StringVar(&cfg.dataKey, "data-key", getenv("MULTICHANNEL_DATA_KEY"),
		"secret of at least 32 characters that seals two-factor secrets in the database; without it a key is generated beside the database (MULTICHANNEL_DATA_KEY)")
	fs.StringVar(&cfg.trustedProxies, "trusted-proxies", getenv("MULTICHANNEL_TRUSTED_PROXIES"),
		"comma-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For is trusted (MULTICHANNEL_TRUSTED_PROXIES)")
	fs.StringVar(&cfg.allowedHosts, "allowed-hosts", getenv("MULTICHANNEL_ALLOWED_HOSTS"),
		"comma-separated host names (host or host:port) answered besides the base URL's; other hosts get 421 (MULTICHANNEL_ALLOWED_HOSTS)")
	fs.StringVar(&cfg.smtpURL, "smtp-url", getenv("MULTICHANNEL_SMTP_URL"),
		"SMTP server for outgoing mail, smtp://user:pass@host:port (STARTTLS when offered) or smtps://; without it mail waits in the outbox (MULTICHANNEL_SMTP_URL)")
	fs.StringVar(&cfg.maxDBSize, "max-db-size", getenv("MULTICHANNEL_MAX_DB_SIZE"),
		"largest size of the database file, such as 500MB or 2GiB; a change past it is refused as on a full disk (MULTICHANNEL_MAX_DB_SIZE; default no limit)")
	fs.StringVar(&cfg.shutdownGrace, "shutdown-grace", envOr(getenv, "MULTICHANNEL_SHUTDOWN_GRACE", "10s"),
		"how long requests in progress may take to finish at shutdown before their connections are closed (MULTICHANNEL_SHUTDOWN_GRACE)")
	fs.StringVar(&cfg.pageCache, "page-cache", envOr(getenv, "MULTICHANNEL_PAGE_CACHE", "16MB"),
		"memory for rendered pages served again to the same user while nothing has changed, for at most a second; 0 keeps none (MULTICHANNEL_PAGE_CACHE)")
	fs.BoolVar(&cfg.demo, "demo", false, "seed demo data into an empty database")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	cfg.dbPath = *db
	if cfg.baseURL == "" {
		cfg.baseURL = defaultBaseURL(cfg.addr)
		cfg.allowedHosts += "," + loopbackHosts(cfg.baseURL)
	}
	return cfg, nil
}

// loopbackHosts are this machine's loopback names with the port of base,
// which defaultBaseURL made: with no base URL configured the app is opened
// on this machine, and a browser there may name it any of these ways.
func loopbackHosts(base string) string {
	u, _ := url.Parse(base)
	port := u.Port()
	return net.JoinHostPort("localhost", port) + "," + net.JoinHostPort("127.0.0.1", port) + "," + net.JoinHostPort("::1", port)
}

// defaultBaseURL is the local address people open when no public base URL is
// configured: http://localhost with the port the server listens on.
func defaultBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	base, err := url.Parse(cfg.baseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return fmt.Errorf("--base-url %q is not an absolute http or https URL", cfg.baseURL)
	}
	proxies, err := parseProxies(cfg.trustedProxies)
	if err != nil {
		return err
	}
	var smtpCfg *smtpmail.Config
	if cfg.smtpURL != "" {
		parsed, err := smtpmail.ParseURL(cfg.smtpURL)
		if err != nil {
			return fmt.Errorf("--smtp-url: %w", err)
		}
		smtpCfg = &parsed
	}
	maxDBSize, err := parseSize(cfg.maxDBSize)
	if err != nil {
		return fmt.Errorf("--max-db-size: %w", err)
	}
	pageCache, err := parsePageCache(cfg.pageCache)
	if err != nil {
		return fmt.Errorf("--page-cache: %w", err)
	}
	grace, err := time.ParseDuration(cfg.shutdownGrace)
	if err != nil || grace < 0 {
		return fmt.Errorf("--shutdown-grace %q is not a duration such as 10s", cfg.shutdownGrace)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	tuneGC(getenv)

	store, err := sqlite.Open(ctx, cfg.dbPath, clock.UTC, sqlite.MaxSize(maxDBSize), sqlite.Logger(logger))
	if err != nil {
		return fmt.Errorf("open database %s: %w", cfg.dbPath, err)
	}
	defer store.Close()
	key, err := secretKey("session key", "session.key", cfg.sessionKey, cfg.dbPath)
	if err != nil {
		return err
	}
	// The data key is kept apart from the session key: rotating the session
	// key signs everyone out, rotating this one would lose every user's
	// two-factor secret.
	dataKey, err := secretKey("data key", "data.key", cfg.dataKey, cfg.dbPath)
	if err != nil {
		return err
	}
	sealer, err := twofactor.NewSealer(dataKey)
	if err != nil {
		return err
	}
	hasher := argon2id.New(argon2id.DefaultParams, runtime.NumCPU())
	seeded := false
	if cfg.demo {
		if seeded, err = demo.Seed(ctx, store, hasher, clock.UTC(), base); err != nil {
			return err
		}
	}
	services := app.New(store, app.Config{BaseURL: base, MailEnabled: smtpCfg != nil, Now: clock.UTC, Hasher: hasher, Sealer: sealer})
	srv, err := web.New(web.Config{BaseURL: base, SessionKey: key, TrustedProxies: proxies, AllowedHosts: strings.Split(cfg.allowedHosts, ","), Logger: logger,
		PageCache: pageCache}, services)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	handlers := &inFlight{next: srv}
	httpServer := &http.Server{
		Handler:           handlers,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "Multichannel Support is running at %s (listening on %s, database %s)\n", base, ln.Addr(), cfg.dbPath)
	if cfg.demo {
		printDemoAccounts(ctx, stdout, store, seeded)
	}

	if smtpCfg != nil {
		fmt.Fprintf(stdout, "Sending mail through %s\n", smtpCfg.Redacted())
		worker := smtpmail.NewWorker(store, smtpmail.NewSender(*smtpCfg), domain.ScrubInvitationLinks, logger, clock.UTC)
		// The sender stops with the signal (or whatever else ends serve),
		// breaking off deliveries under way; the deferred wait keeps the
		// database open until it has.
		mailDone := make(chan struct{})
		mailCtx, stopMail := context.WithCancel(ctx)
		go func() { worker.Run(mailCtx); close(mailDone) }()
		defer func() { stopMail(); <-mailDone }()
	} else {
		fmt.Fprintln(stdout, "No SMTP server configured: invitations wait in the outbox to be sent by hand.")
	}
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "Shutting down…")
	if err := stopServer(httpServer, handlers, grace, logger); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// printDemoAccounts lists the demo accounts that the database holds; a
// database that was not empty when --demo was given is left as it was.
func printDemoAccounts(ctx context.Context, stdout io.Writer, store *sqlite.Store, seeded bool) {
	if seeded {
		fmt.Fprintln(stdout, "Demo data was added to the empty database.")
	}
	var lines []string
	for _, u := range demo.Users {
		if _, err := store.UserByEmail(ctx, u.Email); err == nil {
			lines = append(lines, fmt.Sprintf("  %-24s %s", u.Email, u.Role.Label()))
		}
	}
	if len(lines) == 0 {
		fmt.Fprintln(stdout, "The database was not empty, so no demo data was added.")
		return
	}
	fmt.Fprintf(stdout, "Demo accounts (password %q, unless changed since):\n%s\n", demo.Password, strings.Join(lines, "\n"))
}

// secretKey returns the configured key called name, or in development a key
// generated once and kept beside the database in fileName with mode 0600
// (never a constant).
func secretKey(name, fileName, configured, dbPath string) ([]byte, error) {
	if configured != "" {
		if len(configured) < web.MinSessionKeyLength {
			return nil, fmt.Errorf("the %s must be at least %d characters", name, web.MinSessionKeyLength)
		}
		return []byte(configured), nil
	}
	path := filepath.Join(filepath.Dir(dbPath), fileName)
	if info, err := os.Stat(path); err == nil {
		if info.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("%s is readable by others (mode %v): run chmod 600 on it", path, info.Mode().Perm())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if key := strings.TrimSpace(string(data)); len(key) >= web.MinSessionKeyLength {
			return []byte(key), nil
		}
		return nil, fmt.Errorf("%s holds fewer than %d characters: delete it to have a new key generated", path, web.MinSessionKeyLength)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	key := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("store the generated %s: %w", name, err)
	}
	return []byte(key), nil
}

// sizeUnits are the units --max-db-size accepts, longest first so that "MiB"
// is not read as "B".
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
}

// parseSize reads a size such as 500MB (10^6 bytes) or 2GiB (2^30 bytes); a
// bare number is bytes and an empty one is 0, no limit.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	unit := int64(1)
	for _, u := range sizeUnits {
		if len(s) > len(u.suffix) && strings.EqualFold(s[len(s)-len(u.suffix):], u.suffix) {
			s, unit = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.bytes
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/unit {
		return 0, errors.New("not a size such as 500MB or 2GiB")
	}
	return n * unit, nil
}

// parsePageCache reads --page-cache: a size, or 0 for no page cache.
func parsePageCache(s string) (int, error) {
	if strings.TrimSpace(s) == "0" {
		return 0, nil
	}
	n, err := parseSize(s)
	if err == nil && (n == 0 || n > math.MaxInt32) {
		err = errors.New("not a size such as 16MB, nor 0 for none")
	}
	return int(n), err
}

func parseProxies(list string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			if ip := net.ParseIP(item); ip != nil && ip.To4() != nil {
				item += "/32"
			} else {
				item += "/128"
			}
		}
		_, n, err := net.ParseCIDR(item)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not an IP or CIDR range", item)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

func addUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	db := dbFlag(fs, getenv)
	email := fs.String("email", "", "e-mail address")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "global_admin, admin_agent or sales_agent")
	if err := fs.Parse(args); err != nil {
		return err
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read the password from stdin: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")
	store, err := sqlite.Open(ctx, *db, clock.UTC)
	if err != nil {
		return err
	}
	defer store.Close()
	acc := accounts.New(store, argon2id.New(argon2id.DefaultParams, 1), nil, clock.UTC)
	id, err := acc.AddUser(ctx, domain.NewUser{Email: *email, Name: *name, Role: domain.Role(*role), Password: password})
	if err != nil {
		return flagErrors(err)
	}
	fmt.Fprintf(stdout, "Added user %d: %s (%s)\n", id, strings.ToLower(strings.TrimSpace(*email)), domain.Role(*role).Label())
	return nil
}

// seedBook is `multichannel seed`: a generated book of business in an empty
// database, with a line of progress for every tenth of it.
func seedBook(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	db := dbFlag(fs, getenv)
	var size book.Size
	fs.IntVar(&size.Customers, "customers", 1000, "number of customers")
	fs.IntVar(&size.Subscriptions, "subscriptions", 10000, "number of subscriptions, spread over the customers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if size.Customers < 1 || size.Subscriptions < 0 || size.Customers > 10_000_000 || size.Subscriptions > 100_000_000 {
		return errors.New("--customers must be from 1 to 10,000,000 and --subscriptions from 0 to 100,000,000")
	}
	start := time.Now()
	store, err := sqlite.Open(ctx, *db, clock.UTC)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(stdout, "Seeding %s customers and %s subscriptions into %s\n", domain.FormatCount(size.Customers),
		domain.FormatCount(size.Subscriptions), *db)
	step := max(1, size.Customers/10)
	progress := func(customers, subscriptions int) {
		if customers%step == 0 || customers == size.Customers {
			fmt.Fprintf(stdout, "  %3d%%  %s customers, %s subscriptions, %.1f s\n", customers*100/size.Customers,
				domain.FormatCount(customers), domain.FormatCount(subscriptions), time.Since(start).Seconds())
		}
	}
	err = demo.SeedBook(ctx, store, argon2id.New(argon2id.DefaultParams, runtime.NumCPU()), clock.UTC(), size, progress)
	if errors.Is(err, domain.ErrNotEmpty) {
		return fmt.Errorf("%s is not empty: seed writes only into a new database, so that it never mixes with real data", *db)
	}
	if err != nil {
		return fmt.Errorf("seed: %w (nothing was written)", err)
	}
	fmt.Fprintf(stdout, "Done in %.1f s. Start the app with --db %s and sign in as %s (password %s).\n",
		time.Since(start).Seconds(), *db, demo.Users[0].Email, demo.Password)
	return nil
}

func setPartner(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("partner set", flag.ContinueOnError)
	db := dbFlag(fs, getenv)
	name := fs.String("name", "", "partner organisation name")
	partnerID := fs.String("partner-id", "", "Microsoft PartnerID")
	model := fs.String("csp-model", string(domain.CSPDirectBill), "direct_bill, indirect_provider or indirect_reseller")
	cloud := fs.String("cloud", string(domain.CloudCommercial), "commercial or us_government")
	tenantID := fs.String("tenant-id", "", "the partner's Microsoft ID (its tenant id, a GUID)")
	country := fs.String("country", "", "where the partner is located (ISO 3166-1 alpha-2, such as GB)")
	link := fs.String("reseller-link", "", "the reseller relationship link copied from Partner Center (Customers → Request a reseller relationship)")
	providerName := fs.String("provider-name", "", "an indirect reseller's indirect provider")
	providerTenant := fs.String("provider-tenant-id", "", "an indirect reseller's indirect provider's Microsoft ID")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ps := domain.PartnerSettings{Partner: domain.Partner{Name: *name, PartnerID: *partnerID, CSPModel: domain.CSPModel(*model),
		Cloud: domain.Cloud(*cloud), TenantID: *tenantID, Country: *country, ResellerLink: *link, ProviderName: *providerName,
		ProviderTenantID: *providerTenant}}.Normalize()
	p := ps.Partner
	if errs := p.Validate(); errs.Any() {
		return flagErrors(errs)
	}
	store, err := sqlite.Open(ctx, *db, clock.UTC)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SetPartner(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Partner set: %s (PartnerID %s, %s, %s)\n", p.Name, p.PartnerID, p.CSPModel, p.Cloud)
	return nil
}

// flagErrors says which flags a command's invalid input came from; the
// password, read from stdin, is named as such.
func flagErrors(err error) error {
	var fieldErrs domain.FieldErrors
	if !errors.As(err, &fieldErrs) {
		return err
	}
	fields := make([]string, 0, len(fieldErrs))
	for field := range fieldErrs {
		fields = append(fields, field)
	}
	sort.Strings(fields)
	lines := make([]string, len(fields))
	for i, field := range fields {
		name := "--" + strings.ReplaceAll(field, "_", "-")
		if field == "password" {
			name = "password (stdin)"
		}
		lines[i] = name + ": " + fieldErrs[field]
	}
	return errors.New(strings.Join(lines, "; "))
}

// The server's garbage collector settings, unless GOGC or GOMEMLIMIT set
// their own (https://go.dev/doc/gc-guide). A page allocates its read model
// and its HTML afresh, and the live heap is a few tens of megabytes: with
// Go's default (GOGC=100) the collector ran after every few pages and took
// a fifth of a page's time (BenchmarkBookPages: the planner 3.46 ms a view
// at 100, 2.70 ms at 400). The soft limit keeps the heap that lets grow
// within what issue 15 allows: 200 MB for the whole process, and 100 MB
// over idle for an import of 10,000 rows, whose live heap is some 20 MB
// but whose garbage GOGC=400 would let pile up to the limit (at 150 MiB
// the import took the server from 46 to 157 MB). Near the limit the
// collector runs as often as it must; SQLite's page caches come on top.
const (
	serverGCPercent   = 400
	serverMemoryLimit = 100 << 20
)

// tuneGC applies the server's collector settings where the environment
// leaves them to the program.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit)
	}
}
