package web

import (
	"net/http"
	"runtime"
	"strings"

	"github.com/labstack/echo/v4"
)

// readsPerCPU is how many page reads run at once for each CPU the process
// may use (GOMAXPROCS); the others wait their turn in arrival order.
//
// Why: a page read is nearly all CPU (SQLite reads from memory, templ
// renders into a buffer). With every request let in at once, 32
// connections on two cores left the Go scheduler some 30 runnable
// goroutines to share them, in no particular order, and a page's p99 was
// five to six times its p50; a write waited behind them all for the CPU
// (issue 15's mixed run: writer p99 171 ms for a 1.2 ms transaction). One
// read per core keeps the cores busy; the rest queue first come, first
// served, which is what a Go channel's waiters are. Measured by make load
// at 50,000 customers, one read per CPU gave the same requests/s as two
// and a lower p99 on every page (the planner 54 ms against 55, the
// customer list 25 against 35), and the writers of the mixed run twice
// the throughput at p99 30 ms against 54.
const readsPerCPU = 1

// newReadSlots returns the semaphore admitReads takes a slot of.
func newReadSlots() chan struct{} {
	return make(chan struct{}, readsPerCPU*runtime.GOMAXPROCS(0))
}

// downloadsAtOnce is how many downloads run at once; the others wait their
// turn in arrival order. A download streams at its client's pace
// (web/downloads.go) and holds a connection of the read pool (8) all the
// while, its read snapshot: half of the pool at most, so that slow clients
// can never take every connection the pages need.
const downloadsAtOnce = 4

// admitReads lets a signed-in page read run when a slot is free. Writes
// (anything but GET and HEAD) go straight in, so that a change is never
// queued behind reads, and so do the probes and static files, which read
// no database and which a load balancer must find answering. Downloads
// take turns of their own (downloadsAtOnce): a slow client would hold a
// page's turn for as long as it reads. A client that leaves while waiting
// stops waiting.
func (s *Server) admitReads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if s.sessionless[c.Path()] || (req.Method != http.MethodGet && req.Method != http.MethodHead) {
			return next(c)
		}
		slots := s.readSlots
		if s.downloads[c.Path()] {
			slots = s.downloadSlots
		}
		select {
		case slots <- struct{}{}:
		case <-req.Context().Done():
			return req.Context().Err()
		}
		defer func() { <-slots }()
		return next(c)
	}
}

// isDownload says whether the route of path answers with a file: its path
// names one, a CSV or a JSON document.
func isDownload(path string) bool {
	return strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, ".json")
}
