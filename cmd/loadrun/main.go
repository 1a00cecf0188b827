// Command loadrun is `make load`: it seeds (or reuses) a database of a
// partner's size with `multichannel seed`, starts the app on a copy of it,
// signs in, and drives every page of issue 15's list at a number of
// connections for a few seconds each, then a mixed run of readers beside
// writers, and prints requests/s, p50 and p99 with the ratio to the
// server's own /healthz, the peak RSS of the server, and whether each target
// holds. It exits non-zero only when the run itself breaks (the server does
// not start, the sign-in fails, a page answers errors); a target missed is a
// FAIL line in the report.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var cfg config
	flag.IntVar(&cfg.customers, "customers", envInt("CUSTOMERS", 50_000), "customers of the seeded book (CUSTOMERS)")
	flag.IntVar(&cfg.subscriptions, "subscriptions", envInt("SUBSCRIPTIONS", 500_000), "subscriptions of the seeded book (SUBSCRIPTIONS)")
	flag.DurationVar(&cfg.each, "seconds", time.Duration(envInt("LOAD_SECONDS", 5))*time.Second, "how long each page is driven (LOAD_SECONDS, in seconds)")
	flag.IntVar(&cfg.connections, "connections", envInt("LOAD_CONNECTIONS", 32), "connections per page (LOAD_CONNECTIONS)")
	flag.StringVar(&cfg.dir, "dir", envOr("LOAD_DIR", "tmp/load"), "folder that keeps the seeded databases and the results (LOAD_DIR)")
	flag.StringVar(&cfg.bin, "bin", "bin/multichannel", "the app's binary")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(1)
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func envInt(name string, fallback int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil {
		return fallback
	}
	return n
}
