package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC checks that the server sets its collector only where the
// environment does not.
func TestTuneGC(t *testing.T) {
	for _, tc := range []struct {
		name                string
		env                 map[string]string
		wantGOGC, wantLimit int64
	}{
		{"nothing set", nil, serverGCPercent, serverMemoryLimit},
		{"GOGC set", map[string]string{"GOGC": "50"}, 100, serverMemoryLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, serverGCPercent, math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The test process runs with Go's defaults, which stand for
			// what the environment would have set.
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			t.Cleanup(func() {
				debug.SetGCPercent(100)
				debug.SetMemoryLimit(math.MaxInt64)
			})
			tuneGC(func(name string) string { return tc.env[name] })
			if got := debug.SetGCPercent(100); int64(got) != tc.wantGOGC {
				t.Errorf("GOGC = %d, want %d", got, tc.wantGOGC)
			}
			if got := debug.SetMemoryLimit(-1); got != tc.wantLimit {
				t.Errorf("memory limit = %d, want %d", got, tc.wantLimit)
			}
		})
	}
}
