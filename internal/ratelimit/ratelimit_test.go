package ratelimit

import (
	"testing"
	"time"
)

func TestLimiterBlocksAfterLimitWithinWindow(t *testing.T) {
	l := New(3, time.Minute)
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		if blocked, _ := l.Blocked("a", t0); blocked {
			t.Fatalf("blocked after %d failures, limit is 3", i)
		}
		l.Fail("a", t0.Add(time.Duration(i)*time.Second))
	}
	blocked, until := l.Blocked("a", t0.Add(10*time.Second))
	if !blocked {
		t.Fatal("not blocked after 3 failures")
	}
	if want := t0.Add(time.Minute); !until.Equal(want) {
		t.Fatalf("blocked until %v, want %v", until, want)
	}
	if blocked, _ := l.Blocked("b", t0); blocked {
		t.Fatal("another key is blocked too")
	}
	if blocked, _ := l.Blocked("a", t0.Add(time.Minute)); blocked {
		t.Fatal("still blocked once the oldest failure left the window")
	}
}

func TestLimiterReset(t *testing.T) {
	l := New(1, time.Hour)
	now := time.Now()
	l.Fail("a", now)
	l.Reset("a")
	if blocked, _ := l.Blocked("a", now); blocked {
		t.Fatal("still blocked after Reset")
	}
}

func TestLimiterSweepDropsStaleKeys(t *testing.T) {
	l := New(2, time.Second)
	t0 := time.Now()
	l.Fail("old", t0)
	l.sweep(t0.Add(2 * time.Second))
	if len(l.failures) != 0 {
		t.Fatalf("sweep kept %d stale keys", len(l.failures))
	}
}
