package ratelimit

import (
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

func TestSweepDropsStaleKeys(t *testing.T) {
	l := New(2, time.Second)
	t0 := time.Now()
	l.Reserve("old", t0)
	l.sweep(t0.Add(2 * time.Second))
	if len(l.attempts) != 0 {
		t.Fatalf("sweep kept %d stale keys", len(l.attempts))
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
