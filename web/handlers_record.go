package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/views"
)

func (s *Server) showRecord(c echo.Context) error {
	rec, err := ofPath(c, "id", s.svc.Customers.Record)
	if err != nil {
		return err
	}
	cu := rec.Customer()
	v := views.Record{Header: headerView(rec.Overview, 0), Produced: domain.FormatDateTime(rec.Produced),
		PrintHref: views.CustomerPath(cu.ID, "record"), JSONHref: views.CustomerPath(cu.ID, "record.json"), CSVHref: views.CustomerPath(cu.ID, "record.csv"),
		Customer: views.RecordCustomer{Name: cu.Name, Domain: cu.Domain, TenantID: cu.TenantID, Country: domain.CountryName(cu.Country),
			AdminName: cu.AdminName, AdminEmail: cu.AdminEmail},
		Partner:      views.RecordPartner{Name: rec.Partner.Name, PartnerID: rec.Partner.PartnerID},
		Relationship: recordRelationshipView(rec.Relationship)}
	products := map[int64]string{}
	for _, item := range rec.Subscriptions {
		sub := item.Subscription
		products[sub.ID] = sub.Product
		row := views.RecordSubscription{Product: sub.Product, Seats: domain.FormatQuantity(sub.Seats()), ServiceType: sub.ServiceType.Label(),
			Channel: sub.Channel.Label(), Workflow: string(item.Classification.Workflow), WorkflowLabel: item.Classification.Workflow.Label(),
			Reason: item.Classification.Reason, Stage: item.Stage, TermEnd: domain.FormatDate(sub.Term()), Terms: termsOf(sub), TransferredOn: domain.FormatDate(item.TransferredOn)}
		if item.DaysLeft != nil {
			row.DaysLeft = strconv.Itoa(*item.DaysLeft)
		}
		v.Subscriptions = append(v.Subscriptions, row)
	}
	for _, rt := range rec.Transfers {
		t := rt.Transfer
		tr := transferRow(rt, products, "")
		row := views.RecordTransfer{OtherPartner: tr.OtherPartner, Subscriptions: tr.Subscriptions, Products: tr.Products, Status: tr.Status,
			StatusLabel: tr.StatusLabel, Badge: tr.Badge, RequestedOn: t.CreatedAt.Format(domain.DateLayout), AcceptedOn: tr.AcceptedOn, CompletedOn: tr.CompletedOn}
		switch rt.Status {
		case domain.TransferPending:
			row.StatusNote = "until " + t.ExpiresAt.Format(domain.DateLayout)
		case domain.TransferExpired:
			row.StatusNote = "on " + t.ExpiresAt.Format(domain.DateLayout)
		case domain.TransferCancelled:
			if t.EndedAt != nil {
				row.StatusNote = "on " + t.EndedAt.Format(domain.DateLayout)
			}
		case domain.TransferRejected:
			if t.EndedAt != nil {
				row.StatusNote = "on " + t.EndedAt.Format(domain.DateLayout) + " "
			}
			row.StatusNote += "by the other partner: " + t.RejectionReason
		case domain.TransferComplete:
			row.StatusNote = tr.Billing
		}
		v.Transfers = append(v.Transfers, row)
	}
	for _, item := range rec.TermEndsAhead {
		sub := item.Subscription
		v.TermEnds = append(v.TermEnds, views.RecordTermEnd{Product: sub.Product, Channel: sub.Channel.Label(),
			TermEnd: domain.FormatDate(sub.Term()), DaysLeft: strconv.Itoa(*item.DaysLeft)})
	}
	return s.render(c, http.StatusOK, views.RecordPage(s.chrome(c, cu.Name+": onboarding record"), v))
}

// recordRelationshipView describes the relationship for the page; the zero
// view says there is none.
func recordRelationshipView(r *domain.RecordRelationship) views.RecordRelationship {
	if r == nil {
		return views.RecordRelationship{}
	}
	rel, status := r.Request, r.Status
	v := views.RecordRelationship{Exists: true, Status: string(status), StatusLabel: status.Label(),
		Recipient: rel.RecipientName + " <" + rel.RecipientEmail + ">", SentBy: rel.CreatedByName, SentAt: domain.FormatDateTime(rel.CreatedAt)}
	if r.Expires() {
		v.ExpiresAt = domain.FormatDateTime(rel.ExpiresAt)
	}
	if r.Accepted() {
		v.AcceptedBy, v.AcceptedAt = rel.AcceptedName, domain.FormatDateTime(*rel.AnsweredAt)
		if rel.AcceptedEmail != "" {
			v.AcceptedBy += " <" + rel.AcceptedEmail + ">"
		}
	}
	if r.Verified() {
		v.Verified = rel.Verification()
	}
	if g := rel.GDAP; g != nil {
		v.RolesDays, v.AutoExtend = g.Days, g.AutoExtend
		for _, role := range g.Roles {
			v.Roles = append(v.Roles, role.Label())
		}
	}
	if r.RolesGranted {
		v.RolesFrom, v.RolesUntil = r.RolesFrom.Format(domain.DateLayout), r.RolesUntil.Format(domain.DateLayout)
	}
	return v
}

func (s *Server) recordJSON(c echo.Context) error {
	rec, err := ofPath(c, "id", s.svc.Customers.Record)
	if err != nil {
		return err
	}
	return s.sendJSON(c, func(w io.Writer) error { return export.RecordJSON(w, rec) })
}

func (s *Server) recordCSV(c echo.Context) error {
	rec, err := ofPath(c, "id", s.svc.Customers.Record)
	if err != nil {
		return err
	}
	return s.sendCSV(c, rec.Customer().Domain+"-onboarding-record.csv", func(w io.Writer) error { return export.RecordCSV(w, rec) })
}
