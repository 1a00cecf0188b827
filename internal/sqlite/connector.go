package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/mattn/go-sqlite3"
)

// connector opens connections with a driver of its own, so that the writer
// can set up each new connection (its size cap) in the driver's ConnectHook.
type connector struct {
	dsn    string
	driver *sqlite3.SQLiteDriver
}

// Connect opens one connection.
func (c connector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }

// Driver is the connector's driver.
func (c connector) Driver() driver.Driver { return c.driver }

// capPages returns a ConnectHook that caps the database file at maxSize bytes
// with PRAGMA max_page_count, a setting of the connection rather than of the
// file: each new writer connection sets it again. Without a cap it is nil.
func capPages(maxSize int64) func(*sqlite3.SQLiteConn) error {
	if maxSize <= 0 {
		return nil
	}
	return func(conn *sqlite3.SQLiteConn) error {
		rows, err := conn.Query(`PRAGMA page_size`, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		pageSize := []driver.Value{nil}
		if err := rows.Next(pageSize); err != nil {
			return fmt.Errorf("read the page size: %w", err)
		}
		size, ok := pageSize[0].(int64)
		if !ok || size <= 0 {
			return fmt.Errorf("page size %v", pageSize[0])
		}
		// PRAGMA takes no bound parameters; the count is an integer.
		_, err = conn.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, max(maxSize/size, 1)), nil)
		return err
	}
}
