// Package clock is where the app reads the time. One clock is chosen where
// the app is put together (cmd/multichannel's run, and the web test harness)
// and handed to the store, to every service through internal/app, and to the
// mail worker, so that they agree on "now" and a test moves them all at
// once.
package clock

import "time"

// UTC is the machine's clock in UTC, the app's clock outside tests.
func UTC() time.Time { return time.Now().UTC() }
