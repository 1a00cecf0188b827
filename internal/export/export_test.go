package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// day returns a date as the domain stores it: midnight UTC.
func day(s string) *time.Time {
	if t, ok := domain.ParseDate(s); ok && t != nil {
		return t
	}
	panic("not a date: " + s)
}

func days(n int) *int { return &n }

// checkBytes compares what write wrote with want, byte for byte.
func checkBytes(t *testing.T, write func(*bytes.Buffer) error, want string) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

// checkJSON compares what write wrote with the document want, written
// indented for reading: the file is want compacted, on one line.
func checkJSON(t *testing.T, write func(*bytes.Buffer) error, want string) {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(want)); err != nil {
		t.Fatalf("the expected document is not JSON: %v", err)
	}
	checkBytes(t, write, compact.String()+"\n")
}

// whole is the export of a plan held whole, as BuildPlan makes it.
func whole(p domain.Plan) domain.PlanExport {
	return domain.PlanExport{Plan: p, Items: func(g domain.PlanGroup) domain.Rows[domain.PlanItem] { return domain.RowsOf(g.Items) }}
}

// The plan of a customer that is not a CSP partner and has no relationship:
// a licence with seats and a term end, an Azure plan without either, and a
// subscription not yet classified. Reasons and stages are short stand-ins.
var testPlan = domain.Plan{
	Customer: domain.Customer{ID: 4, Name: "Fabrikam, Inc.", Domain: "fabrikam.onmicrosoft.com"},
	Total:    3,
	Groups: []domain.PlanGroup{
		{Workflow: domain.WorkflowWaitTermEnd, Count: 1, Items: []domain.PlanItem{{
			Subscription: domain.Subscription{ID: 11, Product: "=Office 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Quantity: 120, TermEnd: day("2026-05-15"),
				Commerce: domain.CommerceLegacy, TermLength: domain.TermAnnual, BillingFrequency: domain.BillingMonthly, AutoRenew: domain.AutoRenewOff, TermStart: day("2025-05-16")},
			Classification: domain.Classification{Workflow: domain.WorkflowWaitTermEnd, Reason: "+wait"},
			DaysLeft:       days(5), Stage: "Needs the relationship."}}},
		{Workflow: domain.WorkflowAzureNewSubscription, Count: 1, Items: []domain.PlanItem{{
			Subscription:   domain.Subscription{ID: 12, Product: "Azure plan", ServiceType: domain.ServiceUsage, Channel: domain.ChannelEA, Quantity: 3, OfferID: "MS-AZR-0017P"},
			Classification: domain.Classification{Workflow: domain.WorkflowAzureNewSubscription, Reason: "Azure, moved"},
			Stage:          "No CSP subscription yet."}}},
		{Workflow: domain.WorkflowNeedsClassification, Count: 1, Items: []domain.PlanItem{{
			Subscription:   domain.Subscription{ID: 13, Product: "Visio"},
			Classification: domain.Classification{Workflow: domain.WorkflowNeedsClassification, Reason: "Unknown."}}}},
	},
}

func TestInventoryCSV(t *testing.T) {
	subs := []domain.Subscription{
		{Product: "Microsoft 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelEA,
			Quantity: 250, TermEnd: day("2026-12-31"), Reference: "EA-1"},
		{Product: "@SUM(A1)", Channel: "bogus"},
		{Product: "Microsoft 365 E5", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Commerce: domain.CommerceNCE,
			TermLength: domain.TermAnnual, BillingFrequency: domain.BillingMonthly, AutoRenew: domain.AutoRenewOff, TermStart: day("2026-01-01"),
			TermEnd: day("2026-12-31")},
		{Product: "Azure", ServiceType: domain.ServiceUsage, Channel: domain.ChannelEA, OfferID: "=MS-AZR-0017P"},
	}
	checkBytes(t, func(buf *bytes.Buffer) error {
		return InventoryCSV(buf, domain.Customer{}, domain.Rules{}, domain.RowsOf(subs))
	},
		"product,service_type,channel,quantity,term_end,reference,notes,commerce,term_length,billing_frequency,auto_renew,term_start,offer_id,workflow,reason\r\n"+
			"Microsoft 365 E3,licence,ea,250,2026-12-31,EA-1,,,,,,,,reseller_relationship,"+
			"\"A licence bought from an Enterprise Agreement or MCA-enterprise stays where it is until it ends; once the customer accepts our reseller relationship we manage it, and the replacement is bought through us before its natural expiry, with auto-renew turned off at the current seller.\"\r\n"+
			"'@SUM(A1),,,,,,,,,,,,,needs_classification,The workflow cannot be chosen until the channel and the service type are known.\r\n"+
			"Microsoft 365 E5,licence,other_csp,,2026-12-31,,,nce,annual,monthly,off,2026-01-01,,licence_transfer,"+
			"\"A new-commerce licence bought from another CSP partner can move to us mid-term by a partner transfer: we request it with the other partner's tenant id, the other partner approves it, and billing splits at the transfer date.\"\r\n"+
			"Azure,usage,ea,,,,,,,,,,'=MS-AZR-0017P,azure_new_subscription,"+
			"\"Only an Azure Expert MSP can take over the billing of Azure bought through an Enterprise Agreement or MCA-enterprise, so we create a new CSP Azure subscription beside it and cancel the old services once the workloads have moved.\"\r\n")
	// The workflow is the customer's: a CSP partner's licence is not eligible.
	var buf bytes.Buffer
	if err := InventoryCSV(&buf, domain.Customer{IsCSPPartner: true}, domain.Rules{}, domain.RowsOf(subs[:1])); err != nil || !strings.Contains(buf.String(), ",not_eligible,") {
		t.Errorf("a CSP partner's export: %v\n%s", err, buf.String())
	}
}

// carried is what the inventory file carries of a subscription.
func carried(s domain.Subscription) [14]string {
	return [14]string{s.Product, string(s.ServiceType), string(s.Channel), domain.FormatQuantity(s.Quantity), domain.FormatDate(s.TermEnd), s.Reference, s.Notes,
		string(s.Commerce), string(s.TermLength), string(s.BillingFrequency), string(s.AutoRenew), domain.FormatDate(s.TermStart), s.OfferID, string(s.OfferKind)}
}

func TestInventoryCSVImportsBack(t *testing.T) {
	subs := []domain.Subscription{
		{Product: "Microsoft 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP,
			Quantity: 1200, TermEnd: day("2027-03-31"), Reference: "Fabrikam", Notes: "renewal due"},
		{Product: "Azure plan", ServiceType: domain.ServiceUsage, Channel: domain.ChannelEA, Reference: "EA-77"},
		{Product: "Visio Plan 2", ServiceType: domain.ServiceLicence, Quantity: 4},
		{Product: "Something custom", Notes: "has, a comma\nand \"quotes\" and\na second line"},
		{Product: "=HYPERLINK(\"http://x\")", ServiceType: domain.ServiceLicence, Channel: domain.ChannelAdvisor,
			Reference: "-12", Notes: "@mention"},
		{Product: "'=already quoted", Reference: "'Contoso'"},
		// Every term and the offer id, each value of them once.
		{Product: "Microsoft 365 E5", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Commerce: domain.CommerceNCE,
			TermLength: domain.TermAnnual, BillingFrequency: domain.BillingMonthly, AutoRenew: domain.AutoRenewOn,
			TermStart: day("2026-04-01"), TermEnd: day("2027-03-31")},
		{Product: "Office 365 E1", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Commerce: domain.CommerceLegacy,
			TermLength: domain.TermMonthly, BillingFrequency: domain.BillingAnnual, AutoRenew: domain.AutoRenewOff},
		{Product: "Project Plan 3", ServiceType: domain.ServiceLicence, TermLength: domain.TermThreeYears, BillingFrequency: domain.BillingTriennial},
		{Product: "Azure (Visual Studio)", ServiceType: domain.ServiceUsage, OfferID: "MS-AZR-0063P", OfferKind: domain.OfferBenefit},
		{Product: "Azure plan (PAYG)", ServiceType: domain.ServiceUsage, Channel: domain.ChannelMicrosoftDirect, OfferID: "PayAsYouGo_2014-09-01"},
		{Product: "Azure (typed)", ServiceType: domain.ServiceUsage, OfferID: "-not an id"},
	}
	var buf bytes.Buffer
	if err := writeInventory(&buf, domain.RowsOf(subs), func(domain.Subscription) domain.Classification {
		return domain.Classification{Workflow: domain.WorkflowNotEligible, Reason: "=not a formula, either"}
	}); err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
		t.Error("export starts with a BOM")
	}
	for _, guarded := range []string{"\r\n\"'=HYPERLINK", ",'-12,'@mention,", ",'-not an id,", ",\"'=not a formula", "\r\n''=already"} {
		if !strings.Contains(buf.String(), guarded) {
			t.Errorf("export lacks %q:\n%s", guarded, buf.String())
		}
	}
	res, err := inventorycsv.Parse(bytes.NewReader(buf.Bytes()), time.Now().UTC(), inventorycsv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("row errors: %+v", res.Errors)
	}
	if len(res.Rows) != len(subs) {
		t.Fatalf("got %d rows, want %d", len(res.Rows), len(subs))
	}
	for i, row := range res.Rows {
		if g, w := carried(row.Subscription), carried(subs[i]); g != w {
			t.Errorf("row %d:\n got %q\nwant %q", i, g, w)
		}
	}
}

func TestPlanCSV(t *testing.T) {
	checkBytes(t, func(buf *bytes.Buffer) error { return PlanCSV(buf, whole(testPlan)) },
		"subscription_id,product,channel,service_type,quantity,workflow,reason,term_end,days_left,stage,next_action,"+
			"commerce,term_length,billing_frequency,auto_renew,term_start,offer_id\r\n"+
			"11,'=Office 365 E3,other_csp,licence,120,wait_term_end,'+wait,2026-05-15,5,Needs the relationship.,"+
			"\"Request the reseller relationship now, then buy the replacement through us when the term ends.\",legacy,annual,monthly,off,2025-05-16,\r\n"+
			"12,Azure plan,ea,usage,,azure_new_subscription,\"Azure, moved\",,,No CSP subscription yet.,"+
			"\"Once the reseller relationship is active, create a new CSP Azure subscription, move the workloads, then cancel the old services.\",,,,,,MS-AZR-0017P\r\n"+
			"13,Visio,,,,needs_classification,Unknown.,,,,Set the channel and the service type.,,,,,,\r\n")
}

func TestPlanJSON(t *testing.T) {
	checkJSON(t, func(buf *bytes.Buffer) error { return PlanJSON(buf, whole(testPlan)) }, `{
		"customer": {"id": 4, "name": "Fabrikam, Inc.", "domain": "fabrikam.onmicrosoft.com", "is_csp_partner": false},
		"relationship": null,
		"total": 3,
		"groups": [
			{"workflow": "wait_term_end", "label": "Wait for the term end",
			 "next_action": "Request the reseller relationship now, then buy the replacement through us when the term ends.",
			 "count": 1, "subscriptions": [
				{"subscription_id": 11, "product": "=Office 365 E3", "channel": "other_csp", "service_type": "licence", "quantity": 120,
				 "workflow": "wait_term_end", "reason": "+wait", "commerce": "legacy", "term_length": "annual", "billing_frequency": "monthly",
				 "auto_renew": "off", "term_start": "2025-05-16", "offer_id": "",
				 "term_end": "2026-05-15", "days_left": 5, "stage": "Needs the relationship."}]},
			{"workflow": "azure_new_subscription", "label": "New CSP Azure subscription",
			 "next_action": "Once the reseller relationship is active, create a new CSP Azure subscription, move the workloads, then cancel the old services.",
			 "count": 1, "subscriptions": [
				{"subscription_id": 12, "product": "Azure plan", "channel": "ea", "service_type": "usage", "quantity": null,
				 "workflow": "azure_new_subscription", "reason": "Azure, moved", "commerce": "", "term_length": "", "billing_frequency": "",
				 "auto_renew": "", "term_start": null, "offer_id": "MS-AZR-0017P",
				 "term_end": null, "days_left": null, "stage": "No CSP subscription yet."}]},
			{"workflow": "needs_classification", "label": "Needs classification", "next_action": "Set the channel and the service type.",
			 "count": 1, "subscriptions": [
				{"subscription_id": 13, "product": "Visio", "channel": "", "service_type": "", "quantity": null,
				 "workflow": "needs_classification", "reason": "Unknown.", "commerce": "", "term_length": "", "billing_frequency": "", "auto_renew": "", "term_start": null, "offer_id": "",
				 "term_end": null, "days_left": null, "stage": ""}]}
		]
	}`)
	active := domain.Plan{Customer: domain.Customer{ID: 5, Name: "<Tailspin> & Co", IsCSPPartner: true}, Relationship: domain.StatusActive}
	checkJSON(t, func(buf *bytes.Buffer) error { return PlanJSON(buf, whole(active)) }, `{
		"customer": {"id": 5, "name": "\u003cTailspin\u003e \u0026 Co", "domain": "", "is_csp_partner": true},
		"relationship": "active", "total": 0, "groups": []
	}`)
}

// testRecord is a record with everything: a relationship whose roles are
// granted, a subscription a transfer brought over, and term ends ahead.
func testRecord() domain.OnboardingRecord {
	produced := time.Date(2026, 5, 10, 14, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	sent, answered := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)
	cancelled := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	return domain.OnboardingRecord{
		Overview: domain.CustomerOverview{Customer: domain.Customer{ID: 3, Name: "=Coho Winery", Domain: "coho.onmicrosoft.com", TenantID: "t-1",
			Country: "US", AdminName: "Ana", AdminEmail: "ana@coho.example"}},
		Partner: domain.Partner{Name: "Wingtip", PartnerID: "5139005"},
		Relationship: &domain.RecordRelationship{Status: domain.StatusAccepted, RolesGranted: true, RolesFrom: answered, RolesUntil: answered.AddDate(0, 0, 30),
			Request: domain.RelationshipRequest{ID: 7, RecipientName: "Ana", RecipientEmail: "ana@coho.example", CreatedByName: "Sam", CreatedAt: sent,
				ExpiresAt: sent.AddDate(0, 0, 30), AcceptedName: "Ana", AcceptedEmail: "ana@coho.example", AnsweredAt: &answered,
				GDAP: &domain.GDAPRequest{GDAPTerms: domain.GDAPTerms{Roles: []domain.AdminRole{domain.RoleDirectoryReaders}, Days: 30}}}},
		Subscriptions: []domain.RecordSubscription{
			{PlanItem: domain.PlanItem{Subscription: domain.Subscription{ID: 21, Product: "Azure plan", ServiceType: domain.ServiceUsage, Channel: domain.ChannelOtherCSP},
				Classification: domain.Classification{Workflow: domain.WorkflowAzureTransfer, Reason: "Transfer it."}, Stage: "-Complete."},
				TransferredOn: day("2026-04-20")},
			{PlanItem: domain.PlanItem{Subscription: domain.Subscription{ID: 22, Product: "@Teams", ServiceType: domain.ServiceLicence, Channel: domain.ChannelThirdParty,
				Quantity: 12, TermEnd: day("2026-06-01"), Commerce: domain.CommerceNCE, TermLength: domain.TermMonthly}, Classification: domain.Classification{Workflow: domain.WorkflowWaitTermEnd, Reason: "Wait."},
				DaysLeft: days(22), Stage: "Waiting, for review."}},
		},
		Transfers: []domain.TransferRow{
			{Status: domain.TransferCancelled, Transfer: domain.Transfer{ID: 1, OtherPartnerName: "Contoso CSP", OtherPartnerTenant: "t-9",
				CreatedAt: cancelled.AddDate(0, 0, -2), ExpiresAt: cancelled.AddDate(0, 0, 28), EndedAt: &cancelled}},
			{Status: domain.TransferComplete, Transfer: domain.Transfer{ID: 2, OtherPartnerName: "Contoso CSP", OtherPartnerTenant: "t-9",
				Products: []domain.TransferProduct{domain.ProductAzureSubscription}, SubscriptionIDs: []int64{21}, CreatedAt: sent, ExpiresAt: sent.AddDate(0, 0, 30),
				AcceptedOn: day("2026-04-10"), CompletedOn: day("2026-04-20")}},
		},
		TermEndsAhead: []domain.PlanItem{{Subscription: domain.Subscription{ID: 22, Product: "@Teams", Channel: domain.ChannelThirdParty,
			ServiceType: domain.ServiceLicence, TermEnd: day("2026-06-01")}, DaysLeft: days(22)}},
		Produced: produced,
	}
}

func TestRecordCSV(t *testing.T) {
	checkBytes(t, func(buf *bytes.Buffer) error { return RecordCSV(buf, testRecord()) },
		"customer,product,channel,service_type,workflow,stage,term_end,days_left,relationship_state,transferred_on,commerce,term_length\r\n"+
			"'=Coho Winery,Azure plan,other_csp,usage,azure_transfer,'-Complete.,,,accepted,2026-04-20,,\r\n"+
			"'=Coho Winery,'@Teams,third_party,licence,wait_term_end,\"Waiting, for review.\",2026-06-01,22,accepted,,nce,monthly\r\n")
	empty := domain.OnboardingRecord{Overview: domain.CustomerOverview{Customer: domain.Customer{Name: "Litware"}},
		Subscriptions: []domain.RecordSubscription{{PlanItem: domain.PlanItem{Subscription: domain.Subscription{Product: "Visio"}}}}}
	checkBytes(t, func(buf *bytes.Buffer) error { return RecordCSV(buf, empty) },
		"customer,product,channel,service_type,workflow,stage,term_end,days_left,relationship_state,transferred_on,commerce,term_length\r\n"+
			"Litware,Visio,,,,,,,,,,\r\n")
}

func TestRecordJSON(t *testing.T) {
	checkJSON(t, func(buf *bytes.Buffer) error { return RecordJSON(buf, testRecord()) }, `{
		"produced_at": "2026-05-10T12:30:00Z",
		"customer": {"id": 3, "name": "=Coho Winery", "domain": "coho.onmicrosoft.com", "tenant_id": "t-1", "country": "US",
			"admin_name": "Ana", "admin_email": "ana@coho.example", "is_csp_partner": false},
		"partner": {"name": "Wingtip", "partner_id": "5139005"},
		"relationship": {"id": 7, "state": "accepted", "recipient_name": "Ana", "recipient_email": "ana@coho.example", "sent_by": "Sam",
			"sent_at": "2026-04-01T09:00:00Z", "expires_at": "2026-05-01T09:00:00Z", "accepted_by_name": "Ana", "accepted_by_email": "ana@coho.example",
			"accepted_at": "2026-04-02T10:00:00Z", "verified_by": "", "verified_at": null, "verified_from_export": null, "admin_roles": ["directory_readers"], "admin_days": 30,
			"admin_roles_from": "2026-04-02", "admin_roles_until": "2026-05-02", "auto_extend": false},
		"subscriptions": [
			{"subscription_id": 21, "product": "Azure plan", "channel": "other_csp", "service_type": "usage", "quantity": null,
			 "workflow": "azure_transfer", "reason": "Transfer it.", "commerce": "", "term_length": "", "billing_frequency": "", "auto_renew": "", "term_start": null, "offer_id": "",
			 "stage": "-Complete.", "term_end": null, "days_left": null, "transferred_on": "2026-04-20"},
			{"subscription_id": 22, "product": "@Teams", "channel": "third_party", "service_type": "licence", "quantity": 12,
			 "workflow": "wait_term_end", "reason": "Wait.", "commerce": "nce", "term_length": "monthly", "billing_frequency": "", "auto_renew": "",
			 "term_start": null, "offer_id": "", "stage": "Waiting, for review.", "term_end": "2026-06-01", "days_left": 22, "transferred_on": null}
		],
		"transfers": [
			{"id": 1, "state": "cancelled", "other_partner_name": "Contoso CSP", "other_partner_tenant": "t-9", "microsoft_transfer_id": "",
			 "products": [], "subscription_ids": [],
			 "requested_at": "2026-03-03T08:00:00Z", "expires_at": "2026-04-02T08:00:00Z", "accepted_on": null, "completed_on": null,
			 "cancelled_at": "2026-03-05T08:00:00Z", "rejected_at": null, "rejection_reason": ""},
			{"id": 2, "state": "complete", "other_partner_name": "Contoso CSP", "other_partner_tenant": "t-9", "microsoft_transfer_id": "",
			 "products": ["azure_subscription"],
			 "subscription_ids": [21], "requested_at": "2026-04-01T09:00:00Z", "expires_at": "2026-05-01T09:00:00Z", "accepted_on": "2026-04-10",
			 "completed_on": "2026-04-20", "cancelled_at": null, "rejected_at": null, "rejection_reason": ""}
		],
		"term_ends_ahead": [{"subscription_id": 22, "product": "@Teams", "channel": "third_party", "term_end": "2026-06-01", "days_left": 22}]
	}`)

	// Nothing yet: the relationship is null, the lists empty, never null.
	rec := testRecord()
	rec.Relationship, rec.Subscriptions, rec.Transfers, rec.TermEndsAhead = nil, nil, nil, nil
	var buf bytes.Buffer
	if err := RecordJSON(&buf, rec); err != nil {
		t.Fatal(err)
	}
	if want := `"relationship":null,"subscriptions":[],"transfers":[],"term_ends_ahead":[]}` + "\n"; !strings.HasSuffix(buf.String(), want) {
		t.Errorf("an empty record ends %q, want %q", buf.String()[max(0, buf.Len()-len(want)):], want)
	}
	// Roles asked for but not granted: their window is null.
	rec = testRecord()
	rec.Relationship.RolesGranted = false
	buf.Reset()
	if err := RecordJSON(&buf, rec); err != nil || !strings.Contains(buf.String(), `"admin_days":30,"admin_roles_from":null,"admin_roles_until":null,`) {
		t.Errorf("roles not granted: %v\n%s", err, buf.String())
	}
}

func TestTermEndsCSV(t *testing.T) {
	provision := day("2026-06-14")
	rows := []domain.TermEndRow{
		{DaysLeft: 5, TermEndItem: domain.TermEndItem{Customer: domain.Customer{Name: "Fabrikam, Inc.", Domain: "fabrikam.onmicrosoft.com"},
			Subscription: domain.Subscription{Product: "Office 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP,
				Commerce: domain.CommerceNCE, Quantity: 120, TermEnd: day("2026-05-15")}},
			Step: domain.TermStep{Action: domain.TermRequestTransfer, TermEnd: *day("2026-05-15")}},
		{DaysLeft: 40, TermEndItem: domain.TermEndItem{Relationship: domain.StatusActive, Customer: domain.Customer{Name: `=HYPERLINK("http://evil.example")`, Domain: "+formula"},
			Subscription: domain.Subscription{Product: "@SUM(1+1)", ServiceType: domain.ServiceLicence, Channel: domain.ChannelEA, TermEnd: day("2026-05-15")}},
			Step: domain.TermStep{Action: domain.TermBuyBeforeExpiry, TermEnd: *day("2026-05-15"), TurnOffAutoRenew: true, ProvisionBy: provision}},
	}
	header := "customer,domain,product,channel,commerce,quantity,term_end,days_left,action,act_by,turn_off_auto_renew,provision_by,relationship_active\r\n"
	checkBytes(t, func(buf *bytes.Buffer) error { return TermEndsCSV(buf, domain.RowsOf(rows)) }, header+
		"\"Fabrikam, Inc.\",fabrikam.onmicrosoft.com,Office 365 E3,other_csp,nce,120,2026-05-15,5,request_transfer,2026-05-15,false,,false\r\n"+
		"\"'=HYPERLINK(\"\"http://evil.example\"\")\",'+formula,'@SUM(1+1),ea,,,2026-05-15,40,buy_before_expiry,2026-05-15,true,2026-06-14,true\r\n")
	checkBytes(t, func(buf *bytes.Buffer) error { return TermEndsCSV(buf, domain.RowsOf[domain.TermEndRow](nil)) }, header)
}

func TestAuditCSV(t *testing.T) {
	at := time.Date(2026, 5, 10, 9, 15, 30, 0, time.FixedZone("EDT", -4*3600))
	rows := []domain.AuditRow{
		{AuditEntry: domain.AuditEntry{At: at, ActorID: 2, ActorName: "Avery Chen", Action: domain.AuditAction("customer_created"),
			Target: "customer:12 Empty Co", ClientIP: "127.0.0.1", Detail: "a, b"}, CustomerName: "Empty Co"},
		{AuditEntry: domain.AuditEntry{At: at, Action: domain.AuditAction("sign_in_failed"), Target: "-x", ClientIP: "@1", Detail: "=cmd|' /C calc'!A0"},
			CustomerName: "+Co"},
	}
	checkBytes(t, func(buf *bytes.Buffer) error { return AuditCSV(buf, domain.RowsOf(rows)) },
		"at,actor,action,customer,target,client_ip,detail\r\n"+
			"2026-05-10T13:15:30Z,Avery Chen,customer_created,Empty Co,customer:12 Empty Co,127.0.0.1,\"a, b\"\r\n"+
			"2026-05-10T13:15:30Z,,sign_in_failed,'+Co,'-x,'@1,'=cmd|' /C calc'!A0\r\n")
}

// TestPlanExportsFollowTheRequest checks that the plan's CSV and JSON say
// what the page says is next for the customer's request, not the
// workflow's generic step.
func TestPlanExportsFollowTheRequest(t *testing.T) {
	plan := testPlan
	plan.LastRequest = domain.StatusPending
	want := plan.Next(domain.WorkflowWaitTermEnd)
	if want == domain.WorkflowWaitTermEnd.NextAction() {
		t.Fatalf("a pending request should change the guidance, got %q", want)
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"csv":  func(buf *bytes.Buffer) error { return PlanCSV(buf, whole(plan)) },
		"json": func(buf *bytes.Buffer) error { return PlanJSON(buf, whole(plan)) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), strings.SplitN(want, ":", 2)[0]) {
			t.Errorf("%s: next action %q missing from\n%s", name, want, buf.String())
		}
	}
}
