// Command multichannel serves the Multichannel Support web application and
// administers an installation (partner details, users) from the shell.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go forceOnSecondSignal(ctx, stop)
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "multichannel:", err)
		os.Exit(1)
	}
}

// forceOnSecondSignal gives the signals back to the system once the first
// has started the shutdown, so that a second one ends the program at once
// instead of waiting out the grace period and the handlers (up to 20 s).
// The warning comes after stop, so that it is true when it is read, and only
// after a signal: main's own stop, at its end, leaves context.Canceled itself
// as the cause, while a signal's cause only matches it with errors.Is.
func forceOnSecondSignal(ctx context.Context, stop context.CancelFunc) {
	<-ctx.Done()
	stop()
	if cause := context.Cause(ctx); cause != context.Canceled {
		slog.New(slog.NewTextHandler(os.Stderr, nil)).Warn("shutting down: press Ctrl-C again (or send a second SIGTERM) to stop at once", "cause", cause)
	}
}
