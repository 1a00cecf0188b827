package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// stateChange is one change of a record named by an id in the path (a
// relationship request, a transfer, a partner user, a session), as its route
// makes it: the service decides, and the browser goes back with a message
// (post-redirect-get).
type stateChange struct {
	param string // the path parameter holding the id
	apply func(ctx context.Context, id int64) error
	done  string // the message for the next page
	// back is where the browser goes next.
	back func(ctx context.Context, id int64) (string, error)
	// refused, when set, shows the page again with the messages of input the
	// service refused (a date), with status (422, or 503 on a full disk);
	// without it such a refusal is an error page.
	refused func(ctx context.Context, id int64, errs domain.FieldErrors, status int) error
	// conflicts says that refused also shows a refusal by the record's
	// state (409), its reason as the "" message beside the control: set
	// only where the page shows that message whatever the record's state.
	conflicts bool
	// confirm, when set, is the question asked before the change is made
	// (askFirst), for actions that cannot be undone.
	confirm func(ctx context.Context, id int64) (views.Confirmation, error)
}

// change runs ch for the request: the one handler behind every action on a
// request, a transfer, a user or a session.
func (s *Server) change(c echo.Context, ch stateChange) error {
	if ch.confirm != nil {
		asked, err := s.askFirstOf(c, ch.param, func(ctx context.Context, id int64) (views.Confirmation, string, error) {
			q, err := ch.confirm(ctx, id)
			if err != nil {
				return q, "", err
			}
			back, err := ch.back(ctx, id)
			return q, back, err
		})
		if asked {
			return err
		}
	}
	id, err := idParam(c, ch.param)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = ch.apply(ctx, id)
	errs, ok := fieldErrors(err)
	if !ok && ch.conflicts {
		errs, ok = conflictErrors(err)
	}
	if ok && ch.refused != nil {
		return ch.refused(ctx, id, errs, formStatus(err))
	}
	if err != nil {
		return err
	}
	back, err := ch.back(ctx, id)
	if err != nil {
		return err
	}
	s.flash(c, ch.done)
	return c.Redirect(http.StatusSeeOther, back)
}

// backTo goes back to path, whatever the change.
func backTo(path string) func(context.Context, int64) (string, error) {
	return func(context.Context, int64) (string, error) { return path, nil }
}

// backFromForm goes back to the page the form says it was sent from (its
// "back" field, a local path), or to fallback.
func backFromForm(c echo.Context, fallback string) func(context.Context, int64) (string, error) {
	return func(context.Context, int64) (string, error) { return localPath(postValue(c, "back"), fallback), nil }
}

// customerChange runs a change of something of a customer, its id in the
// path parameter param: back to the customer's page at step, and input
// refused shown again there by refused, given the customer's id.
func (s *Server) customerChange(c echo.Context, param, step string, customerOf func(ctx context.Context, id int64) (int64, error),
	apply func(ctx context.Context, id int64) error, done string,
	refused func(ctx context.Context, customerID, id int64, errs domain.FieldErrors, status int) error) error {
	return s.change(c, customerStateChange(param, step, customerOf, apply, done, refused))
}

// customerStateChange is the change customerChange makes, for a caller that
// sets more of it (conflicts, confirm).
func customerStateChange(param, step string, customerOf func(ctx context.Context, id int64) (int64, error),
	apply func(ctx context.Context, id int64) error, done string,
	refused func(ctx context.Context, customerID, id int64, errs domain.FieldErrors, status int) error) stateChange {
	return stateChange{param: param, apply: apply, done: done,
		back: func(ctx context.Context, id int64) (string, error) {
			customerID, err := customerOf(ctx, id)
			return views.CustomerPath(customerID, step), err
		},
		refused: func(ctx context.Context, id int64, errs domain.FieldErrors, status int) error {
			customerID, err := customerOf(ctx, id)
			if err != nil {
				return err
			}
			return refused(ctx, customerID, id, errs, status)
		}}
}
