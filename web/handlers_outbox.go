package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

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
		row := views.OutboxRow{To: m.To, Subject: m.Subject, Status: string(m.Status), Attempts: m.Attempts, LastError: m.LastError,
			Created: m.CreatedAt.Format(dateTimeShown)}
		if m.SentAt != nil {
			row.Sent = m.SentAt.Format(dateTimeShown)
		}
		if m.CustomerID != 0 {
			row.Relationship = views.CustomerPath(m.CustomerID, "relationship")
		}
		o.Rows = append(o.Rows, row)
	}
	return s.render(c, http.StatusOK, views.OutboxListPage(s.chrome(c, "Outbox"), o))
}
