package sqlite

/*
// Declared rather than included: the header ships inside go-sqlite3's module,
// whose compiled SQLite this package links against, and both functions are
// part of SQLite's stable C interface.
typedef struct sqlite3 sqlite3;
int sqlite3_auto_extension(void (*entry)(void));
int sqlite3_db_config(sqlite3 *db, int op, ...);

#define SQLITE_DBCONFIG_ENABLE_QPSG 1007

static int stableConnections;

// enableStablePlans runs in every connection SQLite opens in this process,
// before the connection is handed out; a non-zero result fails the open.
static int enableStablePlans(sqlite3 *db, char **errMsg, const void *api) {
	int on = 0;
	int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, &on);
	if (rc != 0) {
		return rc;
	}
	if (on != 1) {
		return 1;
	}
	__atomic_add_fetch(&stableConnections, 1, __ATOMIC_RELAXED);
	return 0;
}

static int registerStablePlans(void) {
	return sqlite3_auto_extension((void (*)(void))enableStablePlans);
}

static int countStableConnections(void) {
	return __atomic_load_n(&stableConnections, __ATOMIC_RELAXED);
}
*/
import "C"

import (
	"fmt"
	"sync"
)

// registerStablePlans turns on SQLite's query planner stability guarantee
// (https://sqlite.org/c3ref/c_dbconfig_defensive.html#sqlitedbconfigenableqpsg)
// in every connection the process opens, through sqlite3_auto_extension
// (https://sqlite.org/c3ref/auto_extension.html), the interface statically
// linked extensions use to set up each connection.
//
// Why: without it SQLite plans some statements for the values bound to them
// (a LIMIT ? or OFFSET ?, a column = ? term, a LIKE ?) and marks them to be
// planned again when a binding changes; go-sqlite3 clears every binding
// before it binds the next ones (sqlite3_clear_bindings), which expires such
// a statement, so each run parsed and planned its SQL afresh. SQLite 3.54
// began doing so for every column = ? term of a join or an ORDER BY; the
// pure-Go driver hit the same
// (https://gitlab.com/cznic/sqlite/-/issues/264). Profiled on the
// 50,000-customer book, a page's twelve-join query spent 62% of its time
// re-preparing (65 µs a run; 3.3 µs with the guarantee). With it a statement
// keeps the one plan it was tested with, which is also the plan
// TestEveryPageQueryUsesAnIndex checks; no query of this program needs a
// plan chosen from a bound value.
var registerStablePlans = sync.OnceValue(func() error {
	if rc := C.registerStablePlans(); rc != 0 {
		return fmt.Errorf("sqlite3_auto_extension: result code %d", int(rc))
	}
	return nil
})

// stableConnections is how many connections have opened with the guarantee.
func stableConnections() int { return int(C.countStableConnections()) }
