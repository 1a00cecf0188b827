package domain

import (
	"errors"
	"fmt"
	"time"
)

// Version numbers the saves of a record that people edit in forms
// (customers, subscriptions, the partner's settings, invitation drafts,
// Azure checklists): 1 when created, one more at each save. A form sends
// back the version it was filled from, so that a save made from a stale form
// is refused instead of silently undoing what someone else saved meanwhile.
type Version int64

// CheckVersion decides whether a save made from a form filled at version
// sent may be applied to a record stored at version stored: only when no
// one saved the record since the form was filled. A form that sent no
// version (0) is treated as stale, never as "apply regardless".
func CheckVersion(stored, sent Version) bool { return sent > 0 && sent == stored }

// Stale refuses a save made from a form older than the record: it carries
// the record as stored now, and who saved that version and when, so that
// the form can come back with what the user typed beside what is stored, and
// be saved again on top of the new version.
type Stale[T any] struct {
	Current   T
	Version   Version   // the version stored now, which a new save must name
	ChangedAt time.Time // when that version was saved; zero when not known
	ChangedBy string    // the partner user who saved it; empty when not known
}

// ErrStale matches every Stale with errors.Is, for the answers that need not
// know the record: a button pressed on a page older than its record.
var ErrStale = errors.New("the record was saved by someone else after the page was loaded")

// Is makes errors.Is(err, ErrStale) hold for every Stale.
func (e *Stale[T]) Is(target error) bool { return target == ErrStale }

func (e *Stale[T]) Error() string {
	return fmt.Sprintf("the record is at version %d: someone saved it after the form was filled", e.Version)
}
