package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// statusClientClosedRequest is the status logged for a request whose
// client went away before the answer.
const statusClientClosedRequest = 499

// forbidden is the error for a signed-in user whose role may not use a route.
func forbidden(roles []domain.Role) error {
	return echo.NewHTTPError(http.StatusForbidden, "This page needs the role "+roleList(roles)+".")
}

// handleError turns any error into an HTML page, or a fragment for htmx
// requests. Internal errors are logged with the request id and never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) {
		// The client went away, or shutdown closed its connection: no one
		// reads an answer, and nothing went wrong here. 499 is nginx's
		// "client closed request"; the request's log line shows it.
		c.Response().WriteHeader(statusClientClosedRequest)
		return
	}
	view := views.ErrorView{Status: http.StatusInternalServerError}
	var httpErr *echo.HTTPError
	var limited *accounts.RateLimitedError
	var tooMany *tooManyRequests
	var invalid domain.FieldErrors
	switch {
	case errors.As(err, &httpErr):
		view.Status = httpErr.Code
		if msg, ok := httpErr.Message.(string); ok && httpErr.Code != http.StatusNotFound && httpErr.Code < 500 {
			view.Message = msg
		}
		if httpErr.Code >= 500 {
			s.log.Error("internal error", "request_id", requestID(c), "error", err)
		}
	case errors.Is(err, domain.ErrNotFound):
		view.Status = http.StatusNotFound
	case errors.As(err, &tooMany):
		view.Status = http.StatusTooManyRequests
		view.Message = tooMany.message + " " + s.retryMessage(c, tooMany.retryAt)
	case isConflict(err):
		// The pages of the common actions show this beside their control
		// (conflictErrors); this is the answer of the others.
		view.Status = http.StatusConflict
		view.Message, _ = conflictReason(err)
	case errors.As(err, &invalid):
		// Forms re-render themselves with field messages; this is the fallback
		// for input that reaches a handler with no form to show it on, and it
		// says what was wrong rather than only that something was.
		view.Status = http.StatusUnprocessableEntity
		view.Message = errorsText(invalid)
	case errors.Is(err, domain.ErrStorageFull):
		// Forms come back with what was typed (fieldErrors); this is the
		// answer to a button, which has nothing typed to keep.
		s.log.Error("storage full", "request_id", requestID(c), "error", err)
		view.Status = http.StatusServiceUnavailable
		view.Message = "The server is out of disk space: nothing was saved. Try again in a while, and tell your administrator if it keeps happening."
	case errors.As(err, &limited):
		view.Status = http.StatusTooManyRequests
		view.Message = "There were too many " + limited.Limit + ". " + s.retryMessage(c, limited.RetryAt)
	default:
		s.log.Error("internal error", "request_id", requestID(c), "error", err)
	}
	view.Title = httpStatusTitle(view.Status)
	if view.Message == "" {
		view.Message = defaultErrorMessage(view.Status)
	}
	if view.Status >= 500 {
		view.RequestID = requestID(c)
	}
	view.Back = cameFrom(c)
	if isHTMX(c) {
		err = s.render(c, view.Status, views.ErrorFragment(view))
	} else {
		err = s.render(c, view.Status, views.ErrorPage(s.chrome(c, view.Title), view))
	}
	if err != nil {
		s.log.Error("render error page", "request_id", requestID(c), "error", err)
		_ = c.String(http.StatusInternalServerError, "Internal error")
	}
}

// cameFrom is the page of this site a request was sent from, for its error
// page to lead back to: the "back" field of a form that names it, else the
// Referer when it is this site's and not the address that failed. Empty
// when neither says.
func cameFrom(c echo.Context) string {
	req := c.Request()
	if req.Method == http.MethodPost {
		if back := localPath(postValue(c, "back"), ""); back != "" {
			return back
		}
	}
	ref, err := url.Parse(req.Referer())
	if err != nil || ref.Host != req.Host || (ref.Path == req.URL.Path && req.Method == http.MethodGet) {
		return ""
	}
	return localPath(ref.RequestURI(), "")
}

// tooManyRequests is a request refused by a rate limit until retryAt.
type tooManyRequests struct {
	retryAt time.Time
	message string
}

func (e *tooManyRequests) Error() string { return e.message }

// retryMessage sets Retry-After and says when to try again, on the app's
// clock, which the rate limits count by.
func (s *Server) retryMessage(c echo.Context, at time.Time) string {
	left := at.Sub(s.svc.Now())
	wait := left.Round(time.Minute)
	if wait < time.Minute {
		wait = time.Minute
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(left.Seconds())+1))
	return fmt.Sprintf("Try again at %s UTC (in about %d minutes).", at.UTC().Format("15:04"), int(wait.Minutes()))
}

func defaultErrorMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "There is nothing at this address. Check the link, or start again from the start page."
	case http.StatusForbidden:
		return "Your role does not allow this."
	case http.StatusMethodNotAllowed:
		return "This address does not accept that kind of request."
	case http.StatusRequestEntityTooLarge:
		return "What you sent is too large."
	case http.StatusUnprocessableEntity:
		return "Some of what you entered needs correcting."
	}
	if status >= 500 {
		return "The server could not complete your request. It has been logged; if it keeps happening, give the reference below to your administrator."
	}
	return http.StatusText(status) + "."
}
