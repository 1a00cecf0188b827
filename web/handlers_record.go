package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/views"
)

// loadRecord reads the onboarding record of the customer in the path; an
// unknown customer is a 404.
func (s *Server) loadRecord(c echo.Context) (domain.OnboardingRecord, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return domain.OnboardingRecord{}, err
	}
	return s.svc.Customers.Record(c.Request().Context(), id)
}

func (s *Server) showRecord(c echo.Context) error {
	rec, err := s.loadRecord(c)
	if err != nil {
		return err
	}
	cu := rec.Customer()
	v := views.Record{Header: headerView(rec.Overview, 0), Produced: rec.Produced.Format(dateTimeShown),
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
			Reason: item.Classification.Reason, Stage: item.Stage, TermEnd: domain.FormatDate(sub.Term()), TransferredOn: domain.FormatDate(item.TransferredOn)}
		if item.DaysLeft != nil {
			row.DaysLeft = strconv.Itoa(*item.DaysLeft)
		}
		v.Subscriptions = append(v.Subscriptions, row)
	}
	for _, rt := range rec.Transfers {
		t := rt.Transfer
		tr := transferRow(t, products, false, rec.Produced, "")
		row := views.RecordTransfer{OtherPartner: tr.OtherPartner, Subscriptions: tr.Subscriptions, Products: tr.Products, Status: tr.Status,
			StatusLabel: tr.StatusLabel, RequestedOn: t.CreatedAt.Format(domain.DateLayout), AcceptedOn: tr.AcceptedOn, CompletedOn: tr.CompletedOn}
		switch rt.Status {
		case domain.TransferPending:
			row.StatusNote = "until " + t.ExpiresAt.Format(domain.DateLayout)
		case domain.TransferExpired:
			row.StatusNote = "on " + t.ExpiresAt.Format(domain.DateLayout)
		case domain.TransferCancelled:
			if t.EndedAt != nil {
				row.StatusNote = "on " + t.EndedAt.Format(domain.DateLayout)
			}
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
		Recipient: rel.RecipientName + " <" + rel.RecipientEmail + ">", SentBy: rel.CreatedByName, SentAt: rel.CreatedAt.Format(dateTimeShown),
		RolesDays: rel.AdminDays, AutoExtend: rel.AutoExtend}
	if status == domain.StatusPending {
		v.ExpiresAt = rel.ExpiresAt.Format(dateTimeShown)
	}
	if rel.AnsweredAt != nil && status != domain.StatusPending {
		v.AcceptedBy, v.AcceptedAt = rel.AcceptedName, rel.AnsweredAt.Format(dateTimeShown)
		if rel.AcceptedEmail != "" {
			v.AcceptedBy += " <" + rel.AcceptedEmail + ">"
		}
	}
	if rel.ReviewedAt != nil && status == domain.StatusActive {
		v.ApprovedBy, v.ApprovedAt = rel.ReviewedByName, rel.ReviewedAt.Format(dateTimeShown)
	}
	for _, role := range rel.AdminRoles {
		v.Roles = append(v.Roles, role.Label())
	}
	if r.RolesGranted {
		v.RolesFrom, v.RolesUntil = r.RolesFrom.Format(domain.DateLayout), r.RolesUntil.Format(domain.DateLayout)
	}
	return v
}

// onboardingJSON is the record's JSON: stable snake_case keys, codes for
// channels, service types, workflows and states, dates written YYYY-MM-DD
// and times in RFC 3339; a missing value is null rather than left out.
type onboardingJSON struct {
	ProducedAt    time.Time                `json:"produced_at"`
	Customer      recordCustomerJSON       `json:"customer"`
	Partner       recordPartnerJSON        `json:"partner"`
	Relationship  *recordRelationshipJSON  `json:"relationship"`
	Subscriptions []recordSubscriptionJSON `json:"subscriptions"`
	Transfers     []recordTransferJSON     `json:"transfers"`
	TermEndsAhead []recordTermEndJSON      `json:"term_ends_ahead"`
}

type recordCustomerJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Domain       string `json:"domain"`
	TenantID     string `json:"tenant_id"`
	Country      string `json:"country"`
	AdminName    string `json:"admin_name"`
	AdminEmail   string `json:"admin_email"`
	IsCSPPartner bool   `json:"is_csp_partner"`
}

type recordPartnerJSON struct {
	Name      string `json:"name"`
	PartnerID string `json:"partner_id"`
}

type recordRelationshipJSON struct {
	ID              int64                     `json:"id"`
	State           domain.RelationshipStatus `json:"state"`
	RecipientName   string                    `json:"recipient_name"`
	RecipientEmail  string                    `json:"recipient_email"`
	SentBy          string                    `json:"sent_by"`
	SentAt          time.Time                 `json:"sent_at"`
	ExpiresAt       time.Time                 `json:"expires_at"`
	AcceptedByName  string                    `json:"accepted_by_name"`
	AcceptedByEmail string                    `json:"accepted_by_email"`
	AcceptedAt      *time.Time                `json:"accepted_at"`
	ApprovedBy      string                    `json:"approved_by"`
	ApprovedAt      *time.Time                `json:"approved_at"`
	AdminRoles      []domain.AdminRole        `json:"admin_roles"`
	AdminDays       int                       `json:"admin_days"`
	AdminRolesFrom  *string                   `json:"admin_roles_from"`
	AdminRolesUntil *string                   `json:"admin_roles_until"`
	AutoExtend      bool                      `json:"auto_extend"`
}

type recordSubscriptionJSON struct {
	SubscriptionID int64              `json:"subscription_id"`
	Product        string             `json:"product"`
	Channel        domain.Channel     `json:"channel"`
	ServiceType    domain.ServiceType `json:"service_type"`
	Quantity       int                `json:"quantity"`
	Workflow       domain.Workflow    `json:"workflow"`
	Reason         string             `json:"reason"`
	Stage          string             `json:"stage"`
	TermEnd        *string            `json:"term_end"`
	DaysLeft       *int               `json:"days_left"`
	TransferredOn  *string            `json:"transferred_on"`
}

type recordTransferJSON struct {
	ID                 int64                    `json:"id"`
	State              domain.TransferStatus    `json:"state"`
	OtherPartnerName   string                   `json:"other_partner_name"`
	OtherPartnerTenant string                   `json:"other_partner_tenant"`
	Products           []domain.TransferProduct `json:"products"`
	SubscriptionIDs    []int64                  `json:"subscription_ids"`
	RequestedAt        time.Time                `json:"requested_at"`
	ExpiresAt          time.Time                `json:"expires_at"`
	AcceptedOn         *string                  `json:"accepted_on"`
	CompletedOn        *string                  `json:"completed_on"`
	CancelledAt        *time.Time               `json:"cancelled_at"`
}

type recordTermEndJSON struct {
	SubscriptionID int64          `json:"subscription_id"`
	Product        string         `json:"product"`
	Channel        domain.Channel `json:"channel"`
	TermEnd        string         `json:"term_end"`
	DaysLeft       int            `json:"days_left"`
}

// jsonDate writes a date as YYYY-MM-DD, or null when there is none.
func jsonDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := t.Format(domain.DateLayout)
	return &d
}

func (s *Server) recordJSON(c echo.Context) error {
	rec, err := s.loadRecord(c)
	if err != nil {
		return err
	}
	cu := rec.Customer()
	out := onboardingJSON{ProducedAt: rec.Produced.UTC(), Partner: recordPartnerJSON{Name: rec.Partner.Name, PartnerID: rec.Partner.PartnerID},
		Customer: recordCustomerJSON{ID: cu.ID, Name: cu.Name, Domain: cu.Domain, TenantID: cu.TenantID, Country: cu.Country,
			AdminName: cu.AdminName, AdminEmail: cu.AdminEmail, IsCSPPartner: cu.IsCSPPartner},
		Subscriptions: []recordSubscriptionJSON{}, Transfers: []recordTransferJSON{}, TermEndsAhead: []recordTermEndJSON{}}
	if rr := rec.Relationship; rr != nil {
		rel := rr.Request
		r := &recordRelationshipJSON{ID: rel.ID, State: rr.Status, RecipientName: rel.RecipientName, RecipientEmail: rel.RecipientEmail,
			SentBy: rel.CreatedByName, SentAt: rel.CreatedAt, ExpiresAt: rel.ExpiresAt, AcceptedByName: rel.AcceptedName,
			AcceptedByEmail: rel.AcceptedEmail, AcceptedAt: rel.AnsweredAt, ApprovedBy: rel.ReviewedByName, ApprovedAt: rel.ReviewedAt,
			AdminRoles: append([]domain.AdminRole{}, rel.AdminRoles...), AdminDays: rel.AdminDays, AutoExtend: rel.AutoExtend}
		if rr.RolesGranted {
			r.AdminRolesFrom, r.AdminRolesUntil = jsonDate(&rr.RolesFrom), jsonDate(&rr.RolesUntil)
		}
		out.Relationship = r
	}
	for _, item := range rec.Subscriptions {
		sub := item.Subscription
		out.Subscriptions = append(out.Subscriptions, recordSubscriptionJSON{SubscriptionID: sub.ID, Product: sub.Product, Channel: sub.Channel, ServiceType: sub.ServiceType,
			Quantity: sub.Seats(), Workflow: item.Classification.Workflow, Reason: item.Classification.Reason, Stage: item.Stage,
			TermEnd: jsonDate(sub.Term()), DaysLeft: item.DaysLeft, TransferredOn: jsonDate(item.TransferredOn)})
	}
	for _, rt := range rec.Transfers {
		t := rt.Transfer
		out.Transfers = append(out.Transfers, recordTransferJSON{ID: t.ID, State: rt.Status, OtherPartnerName: t.OtherPartnerName,
			OtherPartnerTenant: t.OtherPartnerTenant, Products: append([]domain.TransferProduct{}, t.Products...),
			SubscriptionIDs: append([]int64{}, t.SubscriptionIDs...), RequestedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
			AcceptedOn: jsonDate(t.AcceptedOn), CompletedOn: jsonDate(t.CompletedOn), CancelledAt: t.EndedAt})
	}
	for _, item := range rec.TermEndsAhead {
		sub := item.Subscription
		out.TermEndsAhead = append(out.TermEndsAhead, recordTermEndJSON{SubscriptionID: sub.ID, Product: sub.Product, Channel: sub.Channel,
			TermEnd: domain.FormatDate(sub.Term()), DaysLeft: *item.DaysLeft})
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}

// recordCSVHeader names the columns of the record's CSV, one row per
// subscription.
var recordCSVHeader = []string{"customer", "product", "channel", "service_type", "workflow", "stage", "term_end", "days_left",
	"relationship_state", "transferred_on"}

func (s *Server) recordCSV(c echo.Context) error {
	rec, err := s.loadRecord(c)
	if err != nil {
		return err
	}
	return sendCSV(c, rec.Customer().Domain+"-onboarding-record.csv", func(buf *bytes.Buffer) error { return writeRecordCSV(buf, rec) })
}

// writeRecordCSV writes one row per subscription, with CRLF line ends like
// the other exports; text people typed is defused against formulas.
func writeRecordCSV(buf *bytes.Buffer, rec domain.OnboardingRecord) error {
	cw := csv.NewWriter(buf)
	cw.UseCRLF = true
	if err := cw.Write(recordCSVHeader); err != nil {
		return err
	}
	for _, item := range rec.Subscriptions {
		sub := item.Subscription
		var daysLeft string
		if item.DaysLeft != nil {
			daysLeft = strconv.Itoa(*item.DaysLeft)
		}
		record := []string{inventorycsv.Guard(rec.Customer().Name), inventorycsv.Guard(sub.Product), string(sub.Channel), string(sub.ServiceType),
			string(item.Classification.Workflow), inventorycsv.Guard(item.Stage), domain.FormatDate(sub.Term()), daysLeft,
			string(rec.RelationshipStatus()), domain.FormatDate(item.TransferredOn)}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
