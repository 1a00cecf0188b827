package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// outbox lists the outgoing messages, each linked to its request's customer.
func (s *Server) outbox(c echo.Context) error {
	page := pageParam(c)
	out, err := s.svc.Relationships.Outbox(c.Request().Context(), page)
	if err != nil {
		return err
	}
	o := views.OutboxPage{Total: out.Total, Pager: pager("/outbox", nil, page, out.Total), MailEnabled: out.MailEnabled}
	for _, m := range out.Messages {
		row := views.OutboxRow{To: m.To, Subject: m.Subject, Status: m.Status.Label(), Refused: m.Status != domain.MessageCancelled, Why: m.Why(),
			Attempts: m.Attempts, Created: domain.FormatDateTime(m.CreatedAt)}
		if m.SentAt != nil {
			row.Sent = domain.FormatDateTime(*m.SentAt)
		}
		if m.CustomerID != 0 {
			row.Relationship = views.CustomerPath(m.CustomerID, "relationship")
		}
		if out.MailEnabled && m.Status.CanSendAgain() {
			row.SendAgain = "/outbox/" + strconv.FormatInt(m.ID, 10) + "/send-again"
		}
		o.Rows = append(o.Rows, row)
	}
	return s.render(c, http.StatusOK, views.OutboxListPage(s.chrome(c, "Outbox"), o))
}

// sendMessageAgain hands a message whose delivery failed back to the SMTP
// sender and goes back to the outbox.
func (s *Server) sendMessageAgain(c echo.Context) error {
	return s.change(c, stateChange{param: "mid", done: "The message will be sent again.",
		apply: func(ctx context.Context, id int64) error { return s.svc.Relationships.SendAgain(ctx, actor(c), id) },
		back:  backTo("/outbox")})
}
