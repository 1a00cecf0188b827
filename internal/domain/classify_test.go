package domain

import (
	"strings"
	"testing"
	"time"
)

// TestClassifyEveryPair covers every channel × service type pair of DESIGN
// §2, the unknown values, and the CSP-partner customer rule.
func TestClassifyEveryPair(t *testing.T) {
	want := map[Channel]map[ServiceType]Workflow{
		ChannelMicrosoftDirect: {ServiceLicence: WorkflowResellerRelationship, ServiceUsage: WorkflowAzureNewSubscription},
		ChannelAdvisor:         {ServiceLicence: WorkflowResellerRelationship, ServiceUsage: WorkflowAzureNewSubscription},
		ChannelOpen:            {ServiceLicence: WorkflowResellerRelationship, ServiceUsage: WorkflowAzureNewSubscription},
		ChannelEA:              {ServiceLicence: WorkflowResellerRelationship, ServiceUsage: WorkflowAzureNewSubscription},
		ChannelThirdParty:      {ServiceLicence: WorkflowWaitTermEnd, ServiceUsage: WorkflowAzureNewSubscription},
		ChannelSyndication:     {ServiceLicence: WorkflowNotEligible, ServiceUsage: WorkflowNotEligible, ServiceUnknown: WorkflowNotEligible},
		ChannelOtherCSP:        {ServiceLicence: WorkflowWaitTermEnd, ServiceUsage: WorkflowAzureTransfer},
	}
	if len(want) != len(Channels) {
		t.Fatalf("the table covers %d channels, there are %d", len(want), len(Channels))
	}
	for channel, byService := range want {
		for service, workflow := range byService {
			got := Classify(channel, service, false)
			if got.Workflow != workflow {
				t.Errorf("Classify(%s, %s) = %s, want %s", channel, service, got.Workflow, workflow)
			}
			assertOneSentence(t, got.Reason)
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
		got := Classify(tc.channel, tc.service, false)
		if got.Workflow != WorkflowNeedsClassification || !strings.Contains(got.Reason, tc.want) {
			t.Errorf("Classify(%q, %q) = %+v, want needs_classification saying %q", tc.channel, tc.service, got, tc.want)
		}
	}
	// A CSP partner buying through its CSP transaction tenant is never
	// eligible, whatever the channel and service type, even unknown.
	for _, channel := range append(Channels, ChannelUnknown) {
		for _, service := range append(ServiceTypes, ServiceUnknown) {
			got := Classify(channel, service, true)
			if got.Workflow != WorkflowNotEligible || !strings.Contains(got.Reason, "CSP partner") {
				t.Errorf("CSP-partner customer, %s/%s: %+v", channel, service, got)
			}
		}
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
	plan := BuildPlan(Customer{Name: "Contoso"}, subs, PlanState{}, today)
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
		if got := BuildPlan(Customer{}, subs[:1], PlanState{Relationship: tc.rel}, today).Groups[0].Items[0].Stage; !strings.Contains(got, tc.want) {
			t.Errorf("stage with relationship %q = %q, want %q", tc.rel, got, tc.want)
		}
	}
	active := BuildPlan(Customer{}, subs, PlanState{Relationship: StatusActive, Transfers: map[int64]TransferStatus{3: TransferInProgress}}, today)
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
		{ChannelUnknown, ServiceLicence, 2},
		{ChannelSyndication, ServiceUnknown, 1},
		{ChannelEA, ServiceUsage, 3},
	}
	if got := Summarize(Customer{}, counts); got != (InventorySummary{Total: 6, Unclassified: 2, Usage: 3}) {
		t.Errorf("Summarize = %+v; want 6 with 2 to classify (Syndication needs no service type)", got)
	}
	if got := Summarize(Customer{IsCSPPartner: true}, counts); got != (InventorySummary{Total: 6}) {
		t.Errorf("a CSP-partner customer has %+v; nothing is to classify", got)
	}
}
