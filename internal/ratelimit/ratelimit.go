// Package ratelimit counts failures per key (an account, a client IP) over a
// sliding window and says when a key must wait. It is in memory: a restart
// forgets the counts, which is acceptable for throttling guessing.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter blocks a key once it has Limit failures within Window.
type Limiter struct {
	limit  int
	window time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time // oldest first, at most limit entries
}

// New returns a Limiter allowing limit failures per window for each key.
func New(limit int, window time.Duration) *Limiter {
	return &Limiter{limit: limit, window: window, failures: map[string][]time.Time{}}
}

// Blocked reports whether key must wait at time now, and until when.
func (l *Limiter) Blocked(key string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.prune(key, now)
	if len(recent) < l.limit {
		return false, time.Time{}
	}
	return true, recent[0].Add(l.window)
}

// Fail records a failure for key at time now.
func (l *Limiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := append(l.prune(key, now), now)
	if len(recent) > l.limit {
		recent = recent[len(recent)-l.limit:]
	}
	l.failures[key] = recent
	if len(l.failures) > 100_000 {
		l.sweep(now)
	}
}

// Reset forgets key's failures, after a success.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

func (l *Limiter) prune(key string, now time.Time) []time.Time {
	recent := l.failures[key]
	i := 0
	for i < len(recent) && now.Sub(recent[i]) >= l.window {
		i++
	}
	recent = recent[i:]
	if len(recent) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = recent
	return recent
}

// sweep drops keys with no failure inside the window, so that a flood of
// distinct keys cannot grow the map without bound.
func (l *Limiter) sweep(now time.Time) {
	for key := range l.failures {
		l.prune(key, now)
	}
}
