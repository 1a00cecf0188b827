package web

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/views"
)

// onboardingRecord is what a customer's onboarding record shows, read once
// for the page, the JSON and the CSV.
type onboardingRecord struct {
	plan         domain.Plan // with the customer, every subscription, its workflow and stage
	partner      domain.Partner
	relationship *domain.RelationshipRequest // nil when none is open or in force
	relStatus    domain.RelationshipStatus   // its effective state; empty when none
	transfers    []domain.Transfer           // oldest first
	transfersNow time.Time                   // the transfers service's clock, for their effective states
	produced     time.Time
}

// recordTransferPage is how many transfers are read at a time; the record
// shows them all.
const recordTransferPage = 100

// loadRecord reads the onboarding record of the customer in the path; an
// unknown customer is a 404.
func (s *Server) loadRecord(c echo.Context) (onboardingRecord, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return onboardingRecord{}, err
	}
	ctx := c.Request().Context()
	rec := onboardingRecord{produced: s.svc.Now(), transfersNow: s.svc.Now()}
	if rec.plan, err = s.svc.Customers.Plan(ctx, id); err != nil {
		return rec, err
	}
	if rec.partner, err = s.store.Partner(ctx); err != nil {
		return rec, err
	}
	switch rel, err := s.store.OpenRelationship(ctx, id); {
	case err == nil:
		rec.relationship, rec.relStatus = &rel, rel.Effective(rec.produced)
	case !errors.Is(err, domain.ErrNotFound):
		return rec, err
	}
	for n := 1; ; n++ {
		page, total, err := s.svc.Transfers.List(ctx, id, domain.Page{Number: n, Size: recordTransferPage})
		if err != nil {
			return rec, err
		}
		rec.transfers = append(rec.transfers, page...)
		if len(page) == 0 || len(rec.transfers) >= total {
			break
		}
	}
	slices.SortStableFunc(rec.transfers, func(a, b domain.Transfer) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return rec, nil
}

// items lists every subscription of the plan, group by group.
func (r onboardingRecord) items() []domain.PlanItem {
	var out []domain.PlanItem
	for _, g := range r.plan.Groups {
		out = append(out, g.Items...)
	}
	return out
}

// termEndsAhead lists the licences whose term has not ended yet, soonest
// first.
func (r onboardingRecord) termEndsAhead() []domain.PlanItem {
	var out []domain.PlanItem
	for _, item := range r.items() {
		if item.DaysLeft != nil && *item.DaysLeft >= 0 {
			out = append(out, item)
		}
	}
	slices.SortStableFunc(out, func(a, b domain.PlanItem) int { return a.Subscription.Term().Compare(*b.Subscription.Term()) })
	return out
}

// transferredOn gives, by subscription id, the date a completed transfer
// brought the subscription over.
func (r onboardingRecord) transferredOn() map[int64]time.Time {
	out := map[int64]time.Time{}
	for _, t := range r.transfers {
		if t.Effective(r.transfersNow) != domain.TransferComplete || t.CompletedOn == nil {
			continue
		}
		for _, id := range t.SubscriptionIDs {
			if on, ok := out[id]; !ok || t.CompletedOn.After(on) {
				out[id] = *t.CompletedOn
			}
		}
	}
	return out
}

// rolesGranted is when the customer granted the requested admin roles (on
// accepting) and until when; ok is false when none are granted yet.
func rolesGranted(rel domain.RelationshipRequest, status domain.RelationshipStatus) (from, until time.Time, ok bool) {
	if len(rel.AdminRoles) == 0 || rel.AnsweredAt == nil || (status != domain.StatusAccepted && status != domain.StatusActive) {
		return from, until, false
	}
	return *rel.AnsweredAt, rel.AnsweredAt.AddDate(0, 0, rel.AdminDays), true
}

func (s *Server) showRecord(c echo.Context) error {
	rec, err := s.loadRecord(c)
	if err != nil {
		return err
	}
	h, err := s.headerOf(c, rec.plan.Customer, 0)
	if err != nil {
		return err
	}
	cu := rec.plan.Customer
	v := views.Record{Header: h, Produced: rec.produced.Format(dateTimeShown),
		PrintHref: views.CustomerPath(cu.ID, "record"), JSONHref: views.CustomerPath(cu.ID, "record.json"), CSVHref: views.CustomerPath(cu.ID, "record.csv"),
		Customer: views.RecordCustomer{Name: cu.Name, Domain: cu.Domain, TenantID: cu.TenantID, Country: domain.CountryName(cu.Country),
			AdminName: cu.AdminName, AdminEmail: cu.AdminEmail},
		Partner:      views.RecordPartner{Name: rec.partner.Name, PartnerID: rec.partner.PartnerID},
		Relationship: recordRelationshipView(rec)}
	transferred := rec.transferredOn()
	products := map[int64]string{}
	for _, item := range rec.items() {
		sub := item.Subscription
		products[sub.ID] = sub.Product
		row := views.RecordSubscription{Product: sub.Product, Seats: domain.FormatQuantity(sub.Seats()), ServiceType: sub.ServiceType.Label(),
			Channel: sub.Channel.Label(), Workflow: string(item.Classification.Workflow), WorkflowLabel: item.Classification.Workflow.Label(),
			Reason: item.Classification.Reason, Stage: item.Stage, TermEnd: domain.FormatDate(sub.Term())}
		if item.DaysLeft != nil {
			row.DaysLeft = strconv.Itoa(*item.DaysLeft)
		}
		if on, ok := transferred[sub.ID]; ok {
			row.TransferredOn = on.Format(domain.DateLayout)
		}
		v.Subscriptions = append(v.Subscriptions, row)
	}
	for _, t := range rec.transfers {
		tr := transferRow(domain.NewTransferRow(t, rec.transfersNow, false), products, "")
		row := views.RecordTransfer{OtherPartner: tr.OtherPartner, Subscriptions: tr.Subscriptions, Products: tr.Products, Status: tr.Status,
			StatusLabel: tr.StatusLabel, RequestedOn: t.CreatedAt.Format(domain.DateLayout), AcceptedOn: tr.AcceptedOn, CompletedOn: tr.CompletedOn}
		switch domain.TransferStatus(tr.Status) {
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
	for _, item := range rec.termEndsAhead() {
		sub := item.Subscription
		v.TermEnds = append(v.TermEnds, views.RecordTermEnd{Product: sub.Product, Channel: sub.Channel.Label(),
			TermEnd: domain.FormatDate(sub.Term()), DaysLeft: strconv.Itoa(*item.DaysLeft)})
	}
	return s.render(c, http.StatusOK, views.RecordPage(s.chrome(c, cu.Name+": onboarding record"), v))
}

// recordRelationshipView describes the relationship for the page.
func recordRelationshipView(rec onboardingRecord) views.RecordRelationship {
	rel := rec.relationship
	if rel == nil {
		return views.RecordRelationship{}
	}
	v := views.RecordRelationship{Exists: true, Status: string(rec.relStatus), StatusLabel: rec.relStatus.Label(),
		Recipient: rel.RecipientName + " <" + rel.RecipientEmail + ">", SentBy: rel.CreatedByName, SentAt: rel.CreatedAt.Format(dateTimeShown),
		RolesDays: rel.AdminDays, AutoExtend: rel.AutoExtend}
	if rec.relStatus == domain.StatusPending {
		v.ExpiresAt = rel.ExpiresAt.Format(dateTimeShown)
	}
	if rel.AnsweredAt != nil && rec.relStatus != domain.StatusPending {
		v.AcceptedBy, v.AcceptedAt = rel.AcceptedName, rel.AnsweredAt.Format(dateTimeShown)
		if rel.AcceptedEmail != "" {
			v.AcceptedBy += " <" + rel.AcceptedEmail + ">"
		}
	}
	if rel.ReviewedAt != nil && rec.relStatus == domain.StatusActive {
		v.ApprovedBy, v.ApprovedAt = rel.ReviewedByName, rel.ReviewedAt.Format(dateTimeShown)
	}
	for _, role := range rel.AdminRoles {
		v.Roles = append(v.Roles, role.Label())
	}
	if from, until, ok := rolesGranted(*rel, rec.relStatus); ok {
		v.RolesFrom, v.RolesUntil = from.Format(domain.DateLayout), until.Format(domain.DateLayout)
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
	cu := rec.plan.Customer
	out := onboardingJSON{ProducedAt: rec.produced.UTC(), Partner: recordPartnerJSON{Name: rec.partner.Name, PartnerID: rec.partner.PartnerID},
		Customer: recordCustomerJSON{ID: cu.ID, Name: cu.Name, Domain: cu.Domain, TenantID: cu.TenantID, Country: cu.Country,
			AdminName: cu.AdminName, AdminEmail: cu.AdminEmail, IsCSPPartner: cu.IsCSPPartner},
		Subscriptions: []recordSubscriptionJSON{}, Transfers: []recordTransferJSON{}, TermEndsAhead: []recordTermEndJSON{}}
	if rel := rec.relationship; rel != nil {
		r := &recordRelationshipJSON{ID: rel.ID, State: rec.relStatus, RecipientName: rel.RecipientName, RecipientEmail: rel.RecipientEmail,
			SentBy: rel.CreatedByName, SentAt: rel.CreatedAt, ExpiresAt: rel.ExpiresAt, AcceptedByName: rel.AcceptedName,
			AcceptedByEmail: rel.AcceptedEmail, AcceptedAt: rel.AnsweredAt, ApprovedBy: rel.ReviewedByName, ApprovedAt: rel.ReviewedAt,
			AdminRoles: append([]domain.AdminRole{}, rel.AdminRoles...), AdminDays: rel.AdminDays, AutoExtend: rel.AutoExtend}
		if from, until, ok := rolesGranted(*rel, rec.relStatus); ok {
			r.AdminRolesFrom, r.AdminRolesUntil = jsonDate(&from), jsonDate(&until)
		}
		out.Relationship = r
	}
	transferred := rec.transferredOn()
	for _, item := range rec.items() {
		sub := item.Subscription
		row := recordSubscriptionJSON{SubscriptionID: sub.ID, Product: sub.Product, Channel: sub.Channel, ServiceType: sub.ServiceType,
			Quantity: sub.Seats(), Workflow: item.Classification.Workflow, Reason: item.Classification.Reason, Stage: item.Stage,
			TermEnd: jsonDate(sub.Term()), DaysLeft: item.DaysLeft}
		if on, ok := transferred[sub.ID]; ok {
			row.TransferredOn = jsonDate(&on)
		}
		out.Subscriptions = append(out.Subscriptions, row)
	}
	for _, t := range rec.transfers {
		out.Transfers = append(out.Transfers, recordTransferJSON{ID: t.ID, State: t.Effective(rec.transfersNow), OtherPartnerName: t.OtherPartnerName,
			OtherPartnerTenant: t.OtherPartnerTenant, Products: append([]domain.TransferProduct{}, t.Products...),
			SubscriptionIDs: append([]int64{}, t.SubscriptionIDs...), RequestedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
			AcceptedOn: jsonDate(t.AcceptedOn), CompletedOn: jsonDate(t.CompletedOn), CancelledAt: t.EndedAt})
	}
	for _, item := range rec.termEndsAhead() {
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
	return sendCSV(c, rec.plan.Customer.Domain+"-onboarding-record.csv", func(buf *bytes.Buffer) error { return writeRecordCSV(buf, rec) })
}

// writeRecordCSV writes one row per subscription, with CRLF line ends like
// the other exports; text people typed is defused against formulas.
func writeRecordCSV(buf *bytes.Buffer, rec onboardingRecord) error {
	cw := csv.NewWriter(buf)
	cw.UseCRLF = true
	if err := cw.Write(recordCSVHeader); err != nil {
		return err
	}
	transferred := rec.transferredOn()
	for _, item := range rec.items() {
		sub := item.Subscription
		var daysLeft, on string
		if item.DaysLeft != nil {
			daysLeft = strconv.Itoa(*item.DaysLeft)
		}
		if t, ok := transferred[sub.ID]; ok {
			on = t.Format(domain.DateLayout)
		}
		record := []string{inventorycsv.Guard(rec.plan.Customer.Name), inventorycsv.Guard(sub.Product), string(sub.Channel), string(sub.ServiceType),
			string(item.Classification.Workflow), inventorycsv.Guard(item.Stage), domain.FormatDate(sub.Term()), daysLeft,
			string(rec.relStatus), on}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
