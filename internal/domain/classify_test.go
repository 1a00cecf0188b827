package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestClassifyEveryCombination covers every channel × service type ×
// commerce experience of DESIGN §2, unknown values included, for an
// ordinary offer and a partner without the Azure Expert MSP designation; the
// switches (the designation, benefit offers, a CSP-partner customer) have
// tests of their own.
func TestClassifyEveryCombination(t *testing.T) {
	const (
		rel      = WorkflowResellerRelationship
		wait     = WorkflowWaitTermEnd
		transfer = WorkflowLicenceTransfer
		azNew    = WorkflowAzureNewSubscription
		azMove   = WorkflowAzureTransfer
		no       = WorkflowNotEligible
		ask      = WorkflowNeedsClassification
	)
	// want[channel][service] lists the workflow for commerce unknown, NCE
	// and legacy, in that order.
	want := map[Channel]map[ServiceType][3]Workflow{
		ChannelUnknown:         {ServiceUnknown: {ask, ask, ask}, ServiceLicence: {ask, ask, ask}, ServiceUsage: {ask, ask, ask}},
		ChannelMicrosoftDirect: {ServiceUnknown: {ask, ask, ask}, ServiceLicence: {rel, rel, rel}, ServiceUsage: {azNew, azNew, azNew}},
		ChannelAdvisor:         {ServiceUnknown: {ask, ask, ask}, ServiceLicence: {rel, rel, rel}, ServiceUsage: {azNew, azNew, azNew}},
		ChannelOpen:            {ServiceUnknown: {ask, ask, ask}, ServiceLicence: {rel, rel, rel}, ServiceUsage: {no, no, no}},
		ChannelEA:              {ServiceUnknown: {ask, ask, ask}, ServiceLicence: {rel, rel, rel}, ServiceUsage: {azNew, azNew, azNew}},
		ChannelThirdParty:      {ServiceUnknown: {ask, ask, ask}, ServiceLicence: {wait, wait, wait}, ServiceUsage: {azNew, azNew, azNew}},
		ChannelSyndication:     {ServiceUnknown: {no, no, no}, ServiceLicence: {no, no, no}, ServiceUsage: {no, no, no}},
		ChannelOtherCSP:        {ServiceUnknown: {ask, ask, ask}, ServiceLicence: {wait, transfer, wait}, ServiceUsage: {azMove, azMove, azMove}},
	}
	if len(want) != len(Channels)+1 {
		t.Fatalf("the table covers %d channels, there are %d and the unknown one", len(want), len(Channels))
	}
	commerces := append([]Commerce{CommerceUnknown}, Commerces...)
	seen := map[Workflow]bool{}
	for channel, byService := range want {
		for _, service := range append([]ServiceType{ServiceUnknown}, ServiceTypes...) {
			for i, commerce := range commerces {
				k := ClassKey{Channel: channel, ServiceType: service, Commerce: commerce}
				got := Classify(k, false, Rules{})
				if got.Workflow != byService[service][i] {
					t.Errorf("Classify(%+v) = %s, want %s", k, got.Workflow, byService[service][i])
				}
				assertOneSentence(t, got.Reason)
				seen[got.Workflow] = true
			}
		}
	}
	for _, w := range Workflows {
		if !seen[w] && w != WorkflowAzureBillingTransfer {
			t.Errorf("no combination leads to %s", w)
		}
	}
	for _, tc := range []struct {
		channel Channel
		service ServiceType
		want    string
	}{
		{ChannelUnknown, ServiceUnknown, "the channel and the service type are"},
		{ChannelUnknown, ServiceLicence, "the channel is"},
		{ChannelEA, ServiceUnknown, "the service type is"},
		{Channel("moon"), ServiceUsage, "the channel is"},
		{ChannelOpen, ServiceType("seats?"), "the service type is"},
	} {
		got := Classify(ClassKey{Channel: tc.channel, ServiceType: tc.service}, false, Rules{})
		if got.Workflow != WorkflowNeedsClassification || !strings.Contains(got.Reason, tc.want) {
			t.Errorf("Classify(%q, %q) = %+v, want needs_classification saying %q", tc.channel, tc.service, got, tc.want)
		}
	}
}

// TestClassifyReasonsOfToday checks what the reasons must say where
// Microsoft's practice differs from the 2020 article.
func TestClassifyReasonsOfToday(t *testing.T) {
	for _, tc := range []struct {
		key  ClassKey
		want string
	}{
		{ClassKey{Channel: ChannelOtherCSP, ServiceType: ServiceLicence, Commerce: CommerceLegacy}, "only a new-commerce (NCE) subscription could move now"},
		{ClassKey{Channel: ChannelOtherCSP, ServiceType: ServiceLicence}, "which could move now by a partner transfer"},
		{ClassKey{Channel: ChannelOtherCSP, ServiceType: ServiceLicence, Commerce: CommerceNCE}, "billing splits at the transfer date"},
		{ClassKey{Channel: ChannelEA, ServiceType: ServiceLicence}, "auto-renew turned off at the current seller"},
		{ClassKey{Channel: ChannelOpen, ServiceType: ServiceUsage}, "Azure in Open cannot be transferred"},
		{ClassKey{Channel: ChannelEA, ServiceType: ServiceUsage}, "Only an Azure Expert MSP"},
		{ClassKey{Channel: ChannelSyndication, ServiceType: ServiceLicence}, "defederated"},
	} {
		if got := Classify(tc.key, false, Rules{}); !strings.Contains(got.Reason, tc.want) {
			t.Errorf("Classify(%+v) reason %q does not say %q", tc.key, got.Reason, tc.want)
		}
	}
}

// TestClassifyAzureExpertMSP: the designation turns Azure from an EA or
// MCA-enterprise into a billing transfer, and changes nothing else; it
// counts only for a direct-bill partner.
func TestClassifyAzureExpertMSP(t *testing.T) {
	msp := Rules{AzureExpertMSP: true}
	for _, ch := range append([]Channel{ChannelUnknown}, Channels...) {
		for _, st := range append([]ServiceType{ServiceUnknown}, ServiceTypes...) {
			for _, cm := range append([]Commerce{CommerceUnknown}, Commerces...) {
				k := ClassKey{Channel: ch, ServiceType: st, Commerce: cm}
				with, without := Classify(k, false, msp), Classify(k, false, Rules{})
				switch {
				case ch == ChannelEA && st == ServiceUsage:
					if with.Workflow != WorkflowAzureBillingTransfer || !strings.Contains(with.Reason, "access rights do not move") {
						t.Errorf("EA Azure for an Azure Expert MSP: %+v", with)
					}
					assertOneSentence(t, with.Reason)
				case with != without:
					t.Errorf("the designation changed %+v: %+v, without %+v", k, with, without)
				}
			}
		}
	}
	if Classify(ClassKey{Channel: ChannelEA, ServiceType: ServiceUsage}, true, msp).Workflow != WorkflowNotEligible {
		t.Error("a CSP-partner customer's EA Azure is eligible for a billing transfer")
	}
	for _, tc := range []struct {
		partner Partner
		want    bool
	}{
		{Partner{AzureExpertMSP: true, CSPModel: CSPDirectBill}, true},
		{Partner{AzureExpertMSP: true, CSPModel: CSPIndirectProvider}, false},
		{Partner{AzureExpertMSP: true, CSPModel: CSPIndirectReseller}, false},
		{Partner{CSPModel: CSPDirectBill}, false},
	} {
		if got := tc.partner.Rules().AzureExpertMSP; got != tc.want {
			t.Errorf("%+v: Rules().AzureExpertMSP = %v, want %v", tc.partner, got, tc.want)
		}
	}
	if r, err := RulesOf(Partner{}, ErrNotFound); err != nil || r != (Rules{}) {
		t.Errorf("no partner yet: %+v, %v", r, err)
	}
}

// TestClassifyBenefitOffers: a benefit or credit offer is never eligible,
// whatever its channel and even before the channel is known; an ordinary
// offer id changes nothing.
func TestClassifyBenefitOffers(t *testing.T) {
	for _, id := range []string{"MS-AZR-0063P", "ms-azr-0029p", "MSDN_2014-09-01", "MS-AZR-0036P", "Sponsored_2016-01-01",
		"MS-AZR-0044P", "FreeTrial_2014-09-01", "MS-AZR-0120P", "AzurePass_2014-09-01"} {
		sub := Subscription{Product: "Azure", ServiceType: ServiceUsage, OfferID: " " + id + " "}.Normalize()
		if sub.OfferKind != OfferBenefit || BenefitName(sub.OfferID) == "" {
			t.Errorf("%s is not read as a benefit offer: %+v", id, sub)
		}
		for _, ch := range append([]Channel{ChannelUnknown}, Channels...) {
			sub.Channel = ch
			got := Rules{AzureExpertMSP: true}.Classify(Customer{}, sub)
			if got.Workflow != WorkflowNotEligible {
				t.Errorf("%s through %s: %s", id, ch, got.Workflow)
			}
			assertOneSentence(t, got.Reason)
		}
	}
	if got := NormalizeOfferID(" ms-azr-0003p "); got != "MS-AZR-0003P" {
		t.Errorf("NormalizeOfferID = %q", got)
	}
	for _, id := range []string{"MS-AZR-0003P", "PayAsYouGo_2014-09-01", "MS-AZR-0017P", ""} {
		if OfferKindOf(id) != OfferOrdinary {
			t.Errorf("%q is read as a benefit offer", id)
		}
	}
}

// TestClassifyCSPPartnerCustomer: a CSP partner buying through its CSP
// transaction tenant is never eligible, whatever the subscription, even
// unknown.
func TestClassifyCSPPartnerCustomer(t *testing.T) {
	for _, channel := range append(Channels, ChannelUnknown) {
		for _, service := range append(ServiceTypes, ServiceUnknown) {
			for _, commerce := range append(Commerces, CommerceUnknown) {
				got := Classify(ClassKey{Channel: channel, ServiceType: service, Commerce: commerce}, true, Rules{AzureExpertMSP: true})
				if got.Workflow != WorkflowNotEligible || !strings.Contains(got.Reason, "CSP partner") {
					t.Errorf("CSP-partner customer, %s/%s/%s: %+v", channel, service, commerce, got)
				}
			}
		}
	}
}

// TestKeysIn: the keys a store selects by are exactly those the rules put
// in the workflow.
func TestKeysIn(t *testing.T) {
	keys := KeysIn(WorkflowLicenceTransfer, Rules{})
	for _, k := range keys {
		if k.Channel != ChannelOtherCSP || k.ServiceType != ServiceLicence || k.Commerce != CommerceNCE || k.Offer != OfferOrdinary {
			t.Errorf("KeysIn(licence_transfer) holds %+v", k)
		}
	}
	if len(keys) != 1 {
		t.Errorf("KeysIn(licence_transfer) = %v, want the one key", keys)
	}
	if len(KeysIn(WorkflowAzureBillingTransfer, Rules{})) != 0 || len(KeysIn(WorkflowAzureBillingTransfer, Rules{AzureExpertMSP: true})) != 3 {
		t.Error("billing transfer keys do not follow the designation (EA Azure under three commerce values)")
	}
}

func assertOneSentence(t *testing.T, reason string) {
	t.Helper()
	if reason == "" || !strings.HasSuffix(reason, ".") || strings.Count(reason, ". ") > 0 || reason[0] < 'A' || reason[0] > 'Z' {
		t.Errorf("reason is not one sentence: %q", reason)
	}
}

func TestEveryWorkflowHasALabelAndANextAction(t *testing.T) {
	for _, w := range Workflows {
		if w.Label() == string(w) || w.NextAction() == "" {
			t.Errorf("workflow %s lacks a label or next action", w)
		}
	}
}

func TestParseAliases(t *testing.T) {
	for in, want := range map[string]Channel{
		"Enterprise Agreement": ChannelEA, "EA": ChannelEA, "Web Direct": ChannelMicrosoftDirect, "MOSP": ChannelMicrosoftDirect,
		"microsoft_direct": ChannelMicrosoftDirect, "CSP": ChannelOtherCSP, "other-csp": ChannelOtherCSP,
		"Volume Licensing": ChannelOpen, "Open": ChannelOpen, "Advisor": ChannelAdvisor, "third party": ChannelThirdParty,
		"Syndication": ChannelSyndication, "": ChannelUnknown, "  ": ChannelUnknown,
	} {
		if got, ok := ParseChannel(in); !ok || got != want {
			t.Errorf("ParseChannel(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseChannel("Moon"); ok {
		t.Error(`ParseChannel("Moon") was accepted`)
	}
	for in, want := range map[string]ServiceType{
		"licence": ServiceLicence, "License": ServiceLicence, "licence-based": ServiceLicence, "Azure": ServiceUsage,
		"usage": ServiceUsage, "Usage-based": ServiceUsage, "": ServiceUnknown,
	} {
		if got, ok := ParseServiceType(in); !ok || got != want {
			t.Errorf("ParseServiceType(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseServiceType("monthly"); ok {
		t.Error(`ParseServiceType("monthly") was accepted`)
	}
}

func TestCustomerValidate(t *testing.T) {
	valid := Customer{Name: " Contoso ", Domain: "Contoso.OnMicrosoft.com", TenantID: "{72F988BF-86F1-41AF-91AB-2D7CD011DB47}",
		Country: "gb", AdminName: "Megan Bowen", AdminEmail: "Megan@Contoso.com"}.Normalize()
	if errs := valid.Validate(); errs.Any() {
		t.Fatalf("valid customer refused: %v", errs)
	}
	if valid.Domain != "contoso.onmicrosoft.com" || valid.Country != "GB" || valid.TenantID != "72f988bf-86f1-41af-91ab-2d7cd011db47" || valid.AdminEmail != "megan@contoso.com" {
		t.Fatalf("not normalised: %+v", valid)
	}
	for _, tc := range []struct {
		field  string
		mutate func(*Customer)
	}{
		{"name", func(c *Customer) { c.Name = "" }},
		{"domain", func(c *Customer) { c.Domain = "contoso" }},
		{"domain", func(c *Customer) { c.Domain = "-bad-.com" }},
		{"tenant_id", func(c *Customer) { c.TenantID = "not-a-guid" }},
		{"country", func(c *Customer) { c.Country = "XX" }},
		{"admin_name", func(c *Customer) { c.AdminName = "" }},
		{"admin_email", func(c *Customer) { c.AdminEmail = "megan" }},
	} {
		c := valid
		tc.mutate(&c)
		if errs := c.Normalize().Validate(); errs[tc.field] == "" {
			t.Errorf("no error on %s for %+v", tc.field, c)
		}
	}
}

func TestSubscriptionNormalizeAndValidate(t *testing.T) {
	end := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	usage := Subscription{Product: " Azure plan ", Channel: ChannelEA, Quantity: 5, TermEnd: &end}.Normalize()
	if usage.ServiceType != ServiceUsage || usage.Seats() != 0 || usage.Term() != nil || usage.Product != "Azure plan" {
		t.Fatalf("usage-based not normalised from the catalogue: %+v", usage)
	}
	if usage.Quantity != 5 || usage.TermEnd == nil {
		t.Fatal("switching to usage-based lost the seats and term end")
	}
	if back := (Subscription{ServiceType: ServiceLicence, Quantity: 5, TermEnd: &end}); back.Seats() != 5 || back.Term() != &end {
		t.Fatal("a licence's seats and term do not apply")
	}
	today := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if errs := usage.Validate(today); errs.Any() {
		t.Fatalf("valid subscription refused: %v", errs)
	}
	past := time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
	tooFar := time.Date(2037, 1, 1, 0, 0, 0, 0, time.UTC) // eleven years on
	lastYear := time.Date(2036, 12, 31, 0, 0, 0, 0, time.UTC)
	if errs := (Subscription{Product: "x", ServiceType: ServiceLicence, TermEnd: &lastYear}).Normalize().Validate(today); errs.Any() {
		t.Errorf("a term end ten years on is refused: %v", errs)
	}
	for _, tc := range []struct {
		field string
		sub   Subscription
	}{
		{"product", Subscription{}},
		{"channel", Subscription{Product: "x", Channel: "moon"}},
		{"service_type", Subscription{Product: "x", ServiceType: "seats?"}},
		{"quantity", Subscription{Product: "x", Quantity: -1}},
		{"term_end", Subscription{Product: "x", TermEnd: &past}},
		{"term_end", Subscription{Product: "x", TermEnd: &tooFar}},
		{"notes", Subscription{Product: "x", Notes: strings.Repeat("n", 2001)}},
	} {
		if errs := tc.sub.Normalize().Validate(today); errs[tc.field] == "" {
			t.Errorf("no error on %s for %+v", tc.field, tc.sub)
		}
	}
	if n, ok := ParseQuantity("1,250"); !ok || n != 1250 {
		t.Errorf("ParseQuantity(1,250) = %d, %v", n, ok)
	}
	for _, bad := range []string{"ten", "-3", "1.5", "99999999"} {
		if _, ok := ParseQuantity(bad); ok {
			t.Errorf("ParseQuantity(%q) accepted", bad)
		}
	}
	if _, ok := ParseDate("31/12/2026"); ok {
		t.Error("ParseDate accepted 31/12/2026")
	}
}

func TestPlanAndWalkThrough(t *testing.T) {
	today := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	end := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	subs := []Subscription{
		{ID: 1, Product: "Microsoft 365 E3", ServiceType: ServiceLicence, Channel: ChannelEA},
		{ID: 2, Product: "Office 365 E3", ServiceType: ServiceLicence, Channel: ChannelOtherCSP, TermEnd: &end},
		{ID: 3, Product: "Azure plan", ServiceType: ServiceUsage, Channel: ChannelOtherCSP},
		{ID: 4, Product: "Mystery"},
		{ID: 5, Product: "Microsoft 365 E5", ServiceType: ServiceLicence, Channel: ChannelOpen},
	}
	plan := BuildPlan(Customer{Name: "Contoso"}, Rules{}, subs, PlanState{}, today)
	var order []Workflow
	for _, g := range plan.Groups {
		order = append(order, g.Workflow)
	}
	wantOrder := []Workflow{WorkflowNeedsClassification, WorkflowResellerRelationship, WorkflowWaitTermEnd, WorkflowAzureTransfer}
	if len(order) != len(wantOrder) {
		t.Fatalf("groups %v, want %v", order, wantOrder)
	}
	for i := range order {
		if order[i] != wantOrder[i] {
			t.Fatalf("groups %v, want %v", order, wantOrder)
		}
	}
	if plan.Total != 5 || len(plan.Groups[1].Items) != 2 {
		t.Fatalf("counts wrong: %+v", plan)
	}
	if d := plan.Groups[2].Items[0].DaysLeft; d == nil || *d != 10 {
		t.Fatalf("days left = %v, want 10", d)
	}
	if steps := WalkThrough(InventorySummary{Total: 5, Unclassified: 1}, ""); steps[1].State != StepToDo || steps[0].State != StepDone {
		t.Fatalf("steps with an unclassified subscription: %+v", steps)
	}
	if steps := WalkThrough(InventorySummary{Total: 5}, StatusPending); steps[1].State != StepDone || steps[2].State != StepDone || steps[3].State != StepToDo {
		t.Fatalf("steps with all classified: %+v", steps)
	}
	if steps := WalkThrough(InventorySummary{}, StatusActive); steps[1].State != StepToDo || steps[3].State != StepDone {
		t.Fatalf("an empty inventory is done, or an active relationship is not: %+v", steps)
	}
	for _, tc := range []struct {
		rel  RelationshipStatus
		want string
	}{{"", "send the invitation"}, {StatusPending, "waiting for the customer"}, {StatusAccepted, "waiting for verification in Partner Center"}, {StatusActive, "Managed through"}} {
		if got := BuildPlan(Customer{}, Rules{}, subs[:1], PlanState{Relationship: tc.rel}, today).Groups[0].Items[0].Stage; !strings.Contains(got, tc.want) {
			t.Errorf("stage with relationship %q = %q, want %q", tc.rel, got, tc.want)
		}
	}
	active := BuildPlan(Customer{}, Rules{}, subs, PlanState{Relationship: StatusActive, Transfers: map[int64]SubscriptionTransfer{3: {Status: TransferInProgress}}}, today)
	if got := active.Groups[3].Items[0].Stage; got != "Transfer in progress. Next: record when the transfer completes." {
		t.Errorf("azure_transfer stage = %q", got)
	}
	if got := active.Groups[2].Items[0].Stage; got != "Ready: buy the replacement at the term end (2026-12-05)." {
		t.Errorf("wait_term_end stage = %q", got)
	}
	if got := active.Groups[0].Items[0].Stage; got != "" {
		t.Errorf("an unclassified subscription has a stage: %q", got)
	}
}

func TestSummarizeAsksTheRules(t *testing.T) {
	counts := []ClassCount{
		{ClassKey{Channel: ChannelUnknown, ServiceType: ServiceLicence}, 2},
		{ClassKey{Channel: ChannelSyndication}, 1},
		{ClassKey{Channel: ChannelEA, ServiceType: ServiceUsage}, 3},
	}
	if got := Summarize(Customer{}, Rules{}, counts); got != (InventorySummary{Total: 6, Unclassified: 2, NewAzure: 3}) {
		t.Errorf("Summarize = %+v; want 6 with 2 to classify (Syndication needs no service type)", got)
	}
	if got := Summarize(Customer{IsCSPPartner: true}, Rules{}, counts); got != (InventorySummary{Total: 6}) {
		t.Errorf("a CSP-partner customer has %+v; nothing is to classify", got)
	}
}

// TestKeysInIsWorkedOutOnceAndHandedOutAsACopy checks that the kept
// answers of KeysIn are its own, whatever a caller does with one.
func TestKeysInIsWorkedOutOnceAndHandedOutAsACopy(t *testing.T) {
	for _, r := range []Rules{{}, {AzureExpertMSP: true}} {
		for _, w := range Workflows {
			first := KeysIn(w, r)
			if len(first) > 0 {
				first[0] = ClassKey{Channel: "changed"}
			}
			if again := KeysIn(w, r); !slices.Equal(again, keysInOnce(w, r)) {
				t.Errorf("%s under %+v: %v, want %v", w, r, again, keysInOnce(w, r))
			}
		}
	}
}
