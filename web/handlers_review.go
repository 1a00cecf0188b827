package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// allStates is the filter that asks the review queue for every request.
const allStates = "all"

// reviewQueue lists the relationship requests by effective state, each row
// with the actions the user's role may take. Without a filter it opens on
// the requests awaiting verification in Partner Center.
func (s *Server) reviewQueue(c echo.Context) error {
	filter, keep := listFilter(c, domain.RelationshipStatuses, domain.MaxInviteDays)
	switch {
	case c.QueryParam("status") == allStates:
		keep.Set("status", allStates)
	case c.QueryParam("status") == "" && c.QueryParam("expiring") == "":
		filter.Status = domain.StatusAccepted
		keep.Set("status", string(filter.Status))
	}
	user, _ := currentUser(c)
	queue, err := s.svc.Relationships.Queue(c.Request().Context(), filter, user.Role)
	if err != nil {
		return err
	}
	back := "/relationships?" + keep.Encode()
	q := views.ReviewQueue{Total: queue.Total, Pager: pager("/relationships", keep, filter.Page, queue.Total)}
	q.Chips = append(q.Chips, views.StatusChip{Label: "All", Href: "/relationships?status=" + allStates, Count: queue.All, Current: filter.Status == ""})
	for _, st := range domain.RelationshipStatuses {
		q.Chips = append(q.Chips, views.StatusChip{Label: st.Label(), Href: "/relationships?status=" + string(st), Count: queue.Counts[st],
			Current: st == filter.Status})
	}
	q.Rows = make([]views.RelationshipRow, 0, len(queue.Rows))
	for _, row := range queue.Rows {
		q.Rows = append(q.Rows, relationshipRow(row, back))
	}
	return s.render(c, http.StatusOK, views.ReviewQueuePage(s.chrome(c, "Relationships"), q))
}

// showRelationshipRequest shows one request on its own page, with every
// action the user's role may take; its forms go back to the list given by
// ?back= (a local path), or to the review queue.
func (s *Server) showRelationshipRequest(c echo.Context) error {
	id, err := idParam(c, "rid")
	if err != nil {
		return err
	}
	return s.renderRelationshipRequest(c, http.StatusOK, id, localPath(c.QueryParam("back"), "/relationships"), nil)
}

// renderRelationshipRequest shows the request's own page with status, its
// forms going back to back; refused, when set, is an action form's input
// that was refused, shown again with its messages.
func (s *Server) renderRelationshipRequest(c echo.Context, status int, id int64, back string, refused *views.RefusedAction) error {
	user, _ := currentUser(c)
	d, err := s.svc.Relationships.RequestPage(c.Request().Context(), id, user.Role)
	if err != nil {
		return err
	}
	row := relationshipRow(d.Row, back)
	row.Attestation, row.Refused = attestationView(d.Attestation), refused
	return s.render(c, status, views.RelationshipRequestPage(s.chrome(c, d.Row.Request.CustomerName+": relationship request"), row))
}
