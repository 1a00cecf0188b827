package export

import (
	"io"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// recordColumns name the columns of the onboarding record's CSV, one row per
// subscription; the commerce experience and term length came last.
var recordColumns = []string{"customer", "product", "channel", "service_type", "workflow", "stage", "term_end", "days_left",
	"relationship_state", "transferred_on", "commerce", "term_length"}

// RecordCSV writes the onboarding record as one row per subscription, in the
// plan's order, each with the customer and the state of its relationship.
func RecordCSV(w io.Writer, rec domain.OnboardingRecord) error {
	return writeCSV(w, recordColumns, domain.RowsOf(rec.Subscriptions), func(item domain.RecordSubscription) []string {
		s := item.Subscription
		return []string{guard(rec.Customer().Name), guard(s.Product), string(s.Channel), string(s.ServiceType),
			string(item.Classification.Workflow), guard(item.Stage), domain.FormatDate(s.Term()), formatDays(item.DaysLeft),
			string(rec.RelationshipStatus()), domain.FormatDate(item.TransferredOn), string(s.Commerce), string(s.TermLength)}
	})
}

// recordJSON is the onboarding record's JSON document.
type recordJSON struct {
	ProducedAt    time.Time                `json:"produced_at"`
	Customer      recordCustomerJSON       `json:"customer"`
	Partner       recordPartnerJSON        `json:"partner"`
	Relationship  *recordRelationshipJSON  `json:"relationship"` // null when there is none
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
	VerifiedBy      string                    `json:"verified_by"`
	VerifiedAt      *time.Time                `json:"verified_at"`
	VerifiedFrom    *time.Time                `json:"verified_from_export"` // the day of the Partner Center export that verified it
	AdminRoles      []domain.AdminRole        `json:"admin_roles"`
	AdminDays       int                       `json:"admin_days"`
	AdminRolesFrom  *string                   `json:"admin_roles_from"`
	AdminRolesUntil *string                   `json:"admin_roles_until"`
	AutoExtend      bool                      `json:"auto_extend"`
}

type recordSubscriptionJSON struct {
	subscriptionJSON
	Stage         string  `json:"stage"`
	TermEnd       *string `json:"term_end"`
	DaysLeft      *int    `json:"days_left"`
	TransferredOn *string `json:"transferred_on"`
}

type recordTransferJSON struct {
	ID                 int64                    `json:"id"`
	State              domain.TransferStatus    `json:"state"`
	OtherPartnerName   string                   `json:"other_partner_name"`
	OtherPartnerTenant string                   `json:"other_partner_tenant"`
	MicrosoftID        string                   `json:"microsoft_transfer_id"`
	Products           []domain.TransferProduct `json:"products"`
	SubscriptionIDs    []int64                  `json:"subscription_ids"`
	RequestedAt        time.Time                `json:"requested_at"`
	ExpiresAt          time.Time                `json:"expires_at"`
	AcceptedOn         *string                  `json:"accepted_on"`
	CompletedOn        *string                  `json:"completed_on"`
	CancelledAt        *time.Time               `json:"cancelled_at"`
	RejectedAt         *time.Time               `json:"rejected_at"`
	RejectionReason    string                   `json:"rejection_reason"`
}

type recordTermEndJSON struct {
	SubscriptionID int64          `json:"subscription_id"`
	Product        string         `json:"product"`
	Channel        domain.Channel `json:"channel"`
	TermEnd        string         `json:"term_end"`
	DaysLeft       int            `json:"days_left"`
}

// RecordJSON writes the onboarding record as JSON: the customer, the partner,
// the relationship, every subscription and transfer, and the term ends ahead.
func RecordJSON(w io.Writer, rec domain.OnboardingRecord) error {
	cu := rec.Customer()
	out := recordJSON{ProducedAt: rec.Produced.UTC(), Partner: recordPartnerJSON{Name: rec.Partner.Name, PartnerID: rec.Partner.PartnerID},
		Customer: recordCustomerJSON{ID: cu.ID, Name: cu.Name, Domain: cu.Domain, TenantID: cu.TenantID, Country: cu.Country,
			AdminName: cu.AdminName, AdminEmail: cu.AdminEmail, IsCSPPartner: cu.IsCSPPartner},
		Relationship:  recordRelationship(rec.Relationship),
		Subscriptions: []recordSubscriptionJSON{}, Transfers: []recordTransferJSON{}, TermEndsAhead: []recordTermEndJSON{}}
	for _, item := range rec.Subscriptions {
		out.Subscriptions = append(out.Subscriptions, recordSubscriptionJSON{subscriptionJSON: newSubscriptionJSON(item.PlanItem),
			Stage: item.Stage, TermEnd: jsonDate(item.Subscription.Term()), DaysLeft: item.DaysLeft, TransferredOn: jsonDate(item.TransferredOn)})
	}
	for _, rt := range rec.Transfers {
		t := rt.Transfer
		tr := recordTransferJSON{ID: t.ID, State: rt.Status, OtherPartnerName: t.OtherPartnerName,
			OtherPartnerTenant: t.OtherPartnerTenant, MicrosoftID: t.MicrosoftTransferID, Products: append([]domain.TransferProduct{}, t.Products...),
			SubscriptionIDs: append([]int64{}, t.SubscriptionIDs...), RequestedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
			AcceptedOn: jsonDate(t.AcceptedOn), CompletedOn: jsonDate(t.CompletedOn), RejectionReason: t.RejectionReason}
		// A rejection's ended time is when it was recorded, not a cancellation.
		if rt.Status == domain.TransferRejected {
			tr.RejectedAt = t.EndedAt
		} else {
			tr.CancelledAt = t.EndedAt
		}
		out.Transfers = append(out.Transfers, tr)
	}
	for _, item := range rec.TermEndsAhead {
		s := item.Subscription
		out.TermEndsAhead = append(out.TermEndsAhead, recordTermEndJSON{SubscriptionID: s.ID, Product: s.Product, Channel: s.Channel,
			TermEnd: domain.FormatDate(s.Term()), DaysLeft: *item.DaysLeft})
	}
	return writeJSON(w, out)
}

// recordRelationship is the relationship of the record's JSON; nil (null)
// when there is none.
func recordRelationship(r *domain.RecordRelationship) *recordRelationshipJSON {
	if r == nil {
		return nil
	}
	rel := r.Request
	out := &recordRelationshipJSON{ID: rel.ID, State: r.Status, RecipientName: rel.RecipientName, RecipientEmail: rel.RecipientEmail,
		SentBy: rel.CreatedByName, SentAt: rel.CreatedAt, ExpiresAt: rel.ExpiresAt, AcceptedByName: rel.AcceptedName,
		AcceptedByEmail: rel.AcceptedEmail, AcceptedAt: rel.AnsweredAt, VerifiedBy: rel.ReviewedByName, VerifiedAt: rel.ReviewedAt, VerifiedFrom: rel.VerifiedExportOn,
		AdminRoles: []domain.AdminRole{}}
	if g := rel.GDAP; g != nil {
		out.AdminRoles, out.AdminDays, out.AutoExtend = append(out.AdminRoles, g.Roles...), g.Days, g.AutoExtend
	}
	if r.RolesGranted {
		out.AdminRolesFrom, out.AdminRolesUntil = jsonDate(&r.RolesFrom), jsonDate(&r.RolesUntil)
	}
	return out
}
