// Package ratelimit counts attempts per key (an account, a client address)
// over a sliding window and refuses a key once it has used its allowance. It
// is in memory: a restart forgets the counts, which is acceptable for
// throttling password guessing.
package ratelimit

import (
	"net/netip"
	"sync"
	"time"
)

// Limiter allows each key Limit attempts within Window. It holds only the
// keys used in the last two windows, so its memory follows the rate of
// distinct keys, not their number over time.
type Limiter struct {
	limit  int
	window time.Duration

	mu       sync.Mutex
	attempts map[string][]time.Time // oldest first, at most limit entries
	// nextSweep is when the keys are next looked over for ones whose
	// attempts have all left the window: once per window, so that a key
	// never used again is freed within two windows, and the sweep's cost
	// is shared by the reservations made since the last one.
	nextSweep time.Time
	// swept counts the keys the sweeps have looked at, the cost that the
	// reservations share.
	swept int
}

// New returns a Limiter allowing limit attempts per window for each key.
func New(limit int, window time.Duration) *Limiter {
	return &Limiter{limit: limit, window: window, attempts: map[string][]time.Time{}}
}

// Reserve takes one attempt for key at time now, checking and counting in one
// step so that concurrent attempts cannot all slip under the limit. When the
// allowance is used up it returns false and the time the key may try again.
func (l *Limiter) Reserve(key string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.prune(key, now)
	if len(recent) >= l.limit {
		return false, recent[0].Add(l.window)
	}
	l.attempts[key] = append(recent, now)
	if !now.Before(l.nextSweep) {
		l.sweep(now)
		l.nextSweep = now.Add(l.window)
	}
	return true, time.Time{}
}

// Release gives back the attempt reserved at time at, for an attempt that
// turned out not to count (a successful sign-in).
func (l *Limiter) Release(key string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.attempts[key]
	for i, t := range recent {
		if t.Equal(at) {
			if len(recent) == 1 {
				delete(l.attempts, key)
			} else {
				l.attempts[key] = append(recent[:i:i], recent[i+1:]...)
			}
			return
		}
	}
}

// Reset forgets every attempt of key.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.attempts, key)
}

func (l *Limiter) prune(key string, now time.Time) []time.Time {
	recent := l.attempts[key]
	i := 0
	for i < len(recent) && now.Sub(recent[i]) >= l.window {
		i++
	}
	recent = recent[i:]
	if len(recent) == 0 {
		delete(l.attempts, key)
		return nil
	}
	l.attempts[key] = recent
	return recent
}

// sweep drops keys with no attempt inside the window, so that a flood of
// distinct keys cannot grow the map without bound. Every key it keeps was
// reserved since the last sweep, a window ago or more, and every key it drops
// it drops once: it looks at no more keys than twice the reservations made
// since the last sweep.
func (l *Limiter) sweep(now time.Time) {
	l.swept += len(l.attempts)
	for key := range l.attempts {
		l.prune(key, now)
	}
}

// ClientKey names the client address ip as the limits count it. IPv6
// clients are counted per /64, the block one subscriber usually holds, so
// rotating addresses inside it does not reset a count; an IPv4 address,
// also when written as IPv6, counts alone, and so does anything that does
// not parse.
func ClientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "ip:" + ip
	}
	if addr = addr.Unmap(); addr.Is4() {
		return "ip:" + addr.String()
	}
	prefix, _ := addr.Prefix(64)
	return "ip:" + prefix.String()
}
