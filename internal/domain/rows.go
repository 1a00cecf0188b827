package domain

// Rows hands fn each row of a set in order as it is read, and stops at
// fn's first error, which it returns: how an export goes through a set too
// large to hold, one row at a time, and still reports a read that failed
// half-way.
type Rows[T any] func(fn func(T) error) error

// RowsOf is the rows of a set held whole.
func RowsOf[T any](items []T) Rows[T] {
	return func(fn func(T) error) error {
		for _, item := range items {
			if err := fn(item); err != nil {
				return err
			}
		}
		return nil
	}
}
