package testio

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Run with -race: the writers and the reader share the buffer.
func TestBufferIsReadWhileGoroutinesWrite(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 50 {
				fmt.Fprintf(&b, "writer %d line %d\n", i, j)
			}
		})
	}
	for range 20 {
		_ = b.String()
	}
	wg.Wait()
	out := b.String()
	if n := strings.Count(out, "\n"); n != 200 {
		t.Fatalf("the buffer holds %d lines; want 200", n)
	}
	for i := range 4 {
		if !strings.Contains(out, fmt.Sprintf("writer %d line 49\n", i)) {
			t.Errorf("writer %d's last line is missing", i)
		}
	}
}
