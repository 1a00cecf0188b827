package web

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/views"
)

// This file asks before the actions that cannot be undone (deactivate,
// decline, revoke, remove, cancel, end a session). Their POST without
// confirmed=yes changes nothing and answers a page that asks, whose button
// posts the same fields again with it; app.js adds the field to a form
// marked data-confirm once its dialog was answered yes, so that with
// JavaScript the dialog asks instead of the page.

// isConfirmed reports whether the action posted was confirmed.
func isConfirmed(c echo.Context) bool { return postValue(c, "confirmed") == "yes" }

// askFirst answers an action posted without its confirmation with the page
// asking q: its form posts the fields posted, in name order, back to the
// same address, and "No, go back" leads to back. Nothing is changed.
func (s *Server) askFirst(c echo.Context, q views.Confirmation, back string) error {
	q.Action, q.Back = c.Request().URL.Path, back
	_ = c.Request().ParseForm() // read already by isConfirmed; a body it cannot parse posts nothing back
	form := c.Request().PostForm
	for _, name := range slices.Sorted(maps.Keys(form)) {
		if name == "confirmed" {
			continue
		}
		for _, v := range form[name] {
			q.Fields = append(q.Fields, views.Field{Name: name, Value: v})
		}
	}
	return s.render(c, http.StatusOK, views.ConfirmPage(s.chrome(c, q.Question), q))
}

// askFirstOf answers, for an action on the record of the path parameter
// param posted without its confirmation, the page asking ask's question,
// "No, go back" leading to the page ask names. asked is false when the
// action was confirmed and may go ahead; otherwise err is the answer's.
func (s *Server) askFirstOf(c echo.Context, param string, ask func(ctx context.Context, id int64) (views.Confirmation, string, error)) (asked bool, err error) {
	if isConfirmed(c) {
		return false, nil
	}
	id, err := idParam(c, param)
	if err != nil {
		return true, err
	}
	q, back, err := ask(c.Request().Context(), id)
	if err != nil {
		return true, err
	}
	return true, s.askFirst(c, q, back)
}

// askRevoke asks before an invitation is revoked.
func (s *Server) askRevoke(c echo.Context) (bool, error) {
	return s.askFirstOf(c, "rid", func(ctx context.Context, id int64) (views.Confirmation, string, error) {
		r, err := s.svc.Relationships.Request(ctx, id)
		return views.Confirmation{Question: "Revoke the invitation to " + r.CustomerName + "?", Yes: "Yes, revoke it",
				Consequence: "Its link stops working at once, so " + r.CustomerName + " can no longer accept it. You can send a new invitation later."},
			localPath(postValue(c, "back"), "/relationships"), err
	})
}

// askRemoveRelationship asks before an active relationship is recorded as
// removed.
func (s *Server) askRemoveRelationship(c echo.Context) (bool, error) {
	if strings.TrimSpace(postValue(c, "reason")) == "" {
		return false, nil // refused for its missing reason before anything is asked
	}
	return s.askFirstOf(c, "rid", func(ctx context.Context, id int64) (views.Confirmation, string, error) {
		r, err := s.svc.Relationships.Request(ctx, id)
		return views.Confirmation{Question: "Remove the relationship with " + r.CustomerName + "?", Yes: "Yes, remove it",
				Consequence: "The active reseller relationship with " + r.CustomerName + " is recorded as ended, for the reason “" +
					strings.TrimSpace(postValue(c, "reason")) + "”. A new one needs a new invitation that the customer accepts."},
			localPath(postValue(c, "back"), "/relationships"), err
	})
}

// askCancelTransfer asks before a transfer request is cancelled.
func (s *Server) askCancelTransfer(c echo.Context) (bool, error) {
	return s.askFirstOf(c, "tid", func(ctx context.Context, id int64) (views.Confirmation, string, error) {
		t, err := s.svc.Transfers.Transfer(ctx, id)
		return views.Confirmation{Question: "Cancel the transfer request to " + t.OtherPartnerName + "?", Yes: "Yes, cancel the request",
				Consequence: "The request for " + t.CustomerName + " is withdrawn: " + t.OtherPartnerName +
					" can no longer accept it, and its subscriptions can be put in a new request."},
			views.CustomerPath(t.CustomerID, "transfers"), err
	})
}
