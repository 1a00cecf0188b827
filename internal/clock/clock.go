// Package clock is where the app reads the time. One clock is handed to every
// component when the app is assembled (see internal/app), so that the
// services, the store and the web layer agree on "now", and a test moves them
// all at once.
package clock

import "time"

// UTC is the machine's clock in UTC, the app's clock outside tests.
func UTC() time.Time { return time.Now().UTC() }
