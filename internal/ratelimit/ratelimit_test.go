package ratelimit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestReserveRefusesOnceTheAllowanceIsUsed(t *testing.T) {
	l := New(3, time.Minute)
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := l.Reserve("a", t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("attempt %d refused, limit is 3", i+1)
		}
	}
	ok, until := l.Reserve("a", t0.Add(10*time.Second))
	if ok {
		t.Fatal("fourth attempt allowed")
	}
	if want := t0.Add(time.Minute); !until.Equal(want) {
		t.Fatalf("retry at %v, want %v", until, want)
	}
	if ok, _ := l.Reserve("b", t0); !ok {
		t.Fatal("another key is refused too")
	}
	if ok, _ := l.Reserve("a", t0.Add(time.Minute)); !ok {
		t.Fatal("still refused once the oldest attempt left the window")
	}
}

func TestReleaseAndReset(t *testing.T) {
	l := New(1, time.Hour)
	now := time.Now()
	l.Reserve("a", now)
	l.Release("a", now)
	if ok, _ := l.Reserve("a", now.Add(time.Second)); !ok {
		t.Fatal("a released attempt still counts")
	}
	l.Reset("a")
	if ok, _ := l.Reserve("a", now.Add(2*time.Second)); !ok {
		t.Fatal("still refused after Reset")
	}
}

// TestConcurrentReservesNeverExceedTheLimit fires many attempts at once: no
// more than the limit may get through.
func TestConcurrentReservesNeverExceedTheLimit(t *testing.T) {
	l := New(5, time.Minute)
	now := time.Now()
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if ok, _ := l.Reserve("victim", now); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 5 {
		t.Fatalf("%d concurrent attempts allowed, want 5", n)
	}
}

// TestKeysNotUsedAgainAreFreed reserves many keys once, as a flood of
// distinct e-mail addresses or client addresses would, and none again: a
// window later they are gone, with no key used twice.
func TestKeysNotUsedAgainAreFreed(t *testing.T) {
	l := New(2, time.Minute)
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i := range 1000 {
		l.Reserve(fmt.Sprint("flood-", i), t0.Add(time.Duration(i)*time.Millisecond))
	}
	l.Reserve("later", t0.Add(time.Minute+time.Second))
	if n := len(l.attempts); n != 1 {
		t.Fatalf("%d keys kept a window after 1000 keys were used once, want 1 (the new one)", n)
	}
	released := t0.Add(2 * time.Minute)
	l.Reserve("released", released)
	l.Release("released", released)
	if _, kept := l.attempts["released"]; kept {
		t.Error("a key whose only attempt was given back is kept")
	}
}

// TestReserveCostsNoMoreThanAFewKeys counts, over many reservations of
// distinct keys all inside one window, the keys the sweeps look at: at most
// two per reservation, however many keys the map holds.
func TestReserveCostsNoMoreThanAFewKeys(t *testing.T) {
	l := New(2, time.Hour)
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	const n = 150_000
	for i := range n {
		l.Reserve(fmt.Sprint("key-", i), t0.Add(time.Duration(i)*time.Millisecond))
		if l.swept > 2*(i+1) {
			t.Fatalf("after %d reservations the sweeps have looked at %d keys", i+1, l.swept)
		}
	}
	l.Reserve("after", t0.Add(2*time.Hour))
	if len(l.attempts) != 1 || l.swept > 2*(n+1) {
		t.Fatalf("a window later: %d keys kept, %d looked at for %d reservations", len(l.attempts), l.swept, n+1)
	}
}

func TestIPv6ClientsAreCountedPerSlash64(t *testing.T) {
	if ClientKey("2001:db8:1:2::1") != ClientKey("2001:db8:1:2:ffff::9") {
		t.Error("two addresses of one /64 are counted apart")
	}
	if ClientKey("2001:db8:1:2::1") == ClientKey("2001:db8:1:3::1") {
		t.Error("two /64s are counted together")
	}
	if ClientKey("192.0.2.1") == ClientKey("192.0.2.2") {
		t.Error("two IPv4 addresses are counted together")
	}
	if ClientKey("::ffff:192.0.2.1") != ClientKey("192.0.2.1") {
		t.Error("an IPv4 address written as IPv6 is counted apart from itself")
	}
}
