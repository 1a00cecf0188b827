// Package testio is test support for reading what the code under test
// wrote: output read while the code is still writing it from goroutines of
// its own (a running program's stdout, a server's or a worker's log), and the
// CSV files it serves. Only test files import it.
package testio

import (
	"bytes"
	"encoding/csv"
	"strings"
	"sync"
	"testing"
)

// Buffer is a bytes.Buffer that one goroutine may read while others write to
// it. The zero value is empty and ready to use.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what has been written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// CSV reads a CSV file the code under test served, as a spreadsheet would,
// and fails the test when it does not parse.
func CSV(t testing.TB, text string) [][]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	return records
}
