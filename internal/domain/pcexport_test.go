package domain

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	tenantA = "11111111-2222-4333-8444-555555555555"
	tenantB = "22222222-3333-4444-8555-666666666666"
	tenantC = "33333333-4444-4555-8666-777777777777"
)

// TestParsePartnerCenterExport reads the export as Partner Center writes it
// (BOM, CRLF) and in the shapes a spreadsheet leaves it (LF, other column
// order and case, extra columns), merges a tenant listed twice, and refuses
// a malformed file with the line of each problem.
func TestParsePartnerCenterExport(t *testing.T) {
	want := []ExportCustomer{
		{Line: 2, TenantID: tenantA, Name: "Contoso Ltd", Domain: "contoso.onmicrosoft.com", Relationship: "Cloud Reseller"},
		{Line: 3, TenantID: tenantB, Name: "Fabrikam, Inc.", Domain: "fabrikam.onmicrosoft.com", Relationship: "Cloud Reseller"},
	}
	for _, tc := range []struct {
		name, file string
	}{
		{"BOM and CRLF", "\uFEFFMicrosoft ID,Company name,Primary domain name,Relationship,Tags\r\n" +
			tenantA + ",Contoso Ltd,contoso.onmicrosoft.com,Cloud Reseller,\r\n" +
			strings.ToUpper(tenantB) + ",\"Fabrikam, Inc.\",Fabrikam.onmicrosoft.com,Cloud Reseller,Gold\r\n"},
		{"LF, other order and case, extra column", "relationship,PRIMARY DOMAIN NAME,Notes,company name,microsoft id\n" +
			"Cloud Reseller,contoso.onmicrosoft.com,x,Contoso Ltd,{" + tenantA + "}\n" +
			"Cloud Reseller,fabrikam.onmicrosoft.com,y,\"Fabrikam, Inc.\"," + tenantB + "\n"},
		{"a dual partner's duplicate", "Microsoft ID,Company name,Primary domain name,Relationship\n" +
			tenantA + ",Contoso Ltd,contoso.onmicrosoft.com,Cloud Reseller\n" +
			tenantB + ",\"Fabrikam, Inc.\",fabrikam.onmicrosoft.com,\n" +
			tenantB + ",\"Fabrikam, Inc.\",fabrikam.onmicrosoft.com,Cloud Reseller\n"},
	} {
		got, err := ParsePartnerCenterExport([]byte(tc.file))
		if err != nil || !reflect.DeepEqual(got.Customers, want) {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got.Customers, err, want)
		}
	}

	header := "Microsoft ID,Company name,Primary domain name,Relationship,Tags\r\n"
	for _, tc := range []struct {
		name, file string
		want       []ExportProblem
	}{
		{"empty", "", []ExportProblem{{1, "the file is empty"}}},
		{"only a BOM", "\uFEFF\r\n", []ExportProblem{{1, "the file is empty"}}},
		{"a header only", header, []ExportProblem{{2, "no customers"}}},
		{"another file's header", "product,channel\r\nM365,ea\r\n", []ExportProblem{{1, "no column Microsoft ID, Company name, Primary domain name, Relationship"}}},
		{"a column twice", "Microsoft ID,Company name,Primary domain name,Relationship,microsoft id\r\n", []ExportProblem{{1, "appears twice"}}},
		{"bad rows", header +
			tenantA + ",Contoso Ltd,contoso.onmicrosoft.com,Cloud Reseller,\r\n" +
			"not-a-guid,Fabrikam,fabrikam.onmicrosoft.com,Cloud Reseller,\r\n" +
			tenantC + ",Northwind,northwind.onmicrosoft.com\r\n" +
			",Litware,litware.onmicrosoft.com,Cloud Reseller,\r\n",
			[]ExportProblem{{3, `the Microsoft ID "not-a-guid" is not a GUID`}, {4, "3 columns where the header has 5"}, {5, `the Microsoft ID "" is not a GUID`}}},
		{"not UTF-8", header + tenantA + ",Caf\xe9,cafe.onmicrosoft.com,Cloud Reseller,\r\n", []ExportProblem{{2, "not UTF-8"}}},
	} {
		_, err := ParsePartnerCenterExport([]byte(tc.file))
		var ee *ExportError
		if !errors.As(err, &ee) || len(ee.Problems) != len(tc.want) {
			t.Errorf("%s: %v; want %d problems", tc.name, err, len(tc.want))
			continue
		}
		for i, p := range ee.Problems {
			if p.Line != tc.want[i].Line || !strings.Contains(p.Message, tc.want[i].Message) {
				t.Errorf("%s: problem %d = line %d %q; want line %d %q", tc.name, i, p.Line, p.Message, tc.want[i].Line, tc.want[i].Message)
			}
		}
	}
}

// TestPlanVerification matches export rows by tenant id, then by domain;
// verifies accepted and pending requests; lists unknown reseller customers,
// rows that are not a reseller's, domain matches with another tenant id, and
// active relationships missing from the export.
func TestPlanVerification(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	later := now.Add(24 * time.Hour)
	customers := []Customer{
		{ID: 1, Name: "Contoso", Domain: "contoso.onmicrosoft.com", TenantID: tenantA}, // accepted, by tenant id
		{ID: 2, Name: "Fabrikam", Domain: "fabrikam.onmicrosoft.com"},                  // pending, by domain
		{ID: 3, Name: "Northwind", Domain: "northwind.onmicrosoft.com"},                // active, missing
		{ID: 4, Name: "Adatum", Domain: "adatum.onmicrosoft.com", TenantID: tenantC},   // active, found: nothing to do
		{ID: 5, Name: "Litware", Domain: "litware.onmicrosoft.com", TenantID: tenantB}, // domain taken by another tenant
		{ID: 6, Name: "Proseware", Domain: "proseware.onmicrosoft.com"},                // pending past its expiry
		{ID: 7, Name: "Alpine", Domain: "alpine.onmicrosoft.com"},                      // active, listed but not as a reseller
	}
	open := map[int64]RelationshipRequest{
		1: {ID: 11, CustomerID: 1, Status: StatusAccepted, ExpiresAt: later},
		2: {ID: 12, CustomerID: 2, Status: StatusPending, ExpiresAt: later},
		3: {ID: 13, CustomerID: 3, Status: StatusActive},
		4: {ID: 14, CustomerID: 4, Status: StatusActive},
		6: {ID: 16, CustomerID: 6, Status: StatusPending, ExpiresAt: now},
		7: {ID: 17, CustomerID: 7, Status: StatusActive},
	}
	row := func(tenant, domain, rel string) ExportCustomer {
		return ExportCustomer{TenantID: tenant, Name: domain, Domain: domain, Relationship: rel}
	}
	other := "44444444-5555-4666-8777-888888888888"
	unknown := "55555555-6666-4777-8888-999999999999"
	export := PartnerCenterExport{Customers: []ExportCustomer{
		row(tenantA, "contoso.example", "Cloud Reseller"), // matched by tenant id although its domain differs
		row("66666666-7777-4888-8999-aaaaaaaaaaaa", "fabrikam.onmicrosoft.com", "Cloud Reseller"),
		row(tenantC, "adatum.onmicrosoft.com", "Cloud Reseller"),
		row(other, "litware.onmicrosoft.com", "Cloud Reseller"),
		row("77777777-8888-4999-8aaa-bbbbbbbbbbbb", "proseware.onmicrosoft.com", "Cloud Reseller"),
		row("88888888-9999-4aaa-8bbb-cccccccccccc", "alpine.onmicrosoft.com", "Delegated admin"),
		row(unknown, "relecloud.onmicrosoft.com", "cloud reseller"),
	}}
	plan := PlanVerification(export, customers, open, "GB", now)
	var verified []string
	for _, v := range plan.Verify {
		verified = append(verified, v.Customer.Name+" "+string(v.Change)+" by "+string(v.By))
	}
	if want := []string{"Contoso verify by tenant id", "Fabrikam verify-pending by primary domain"}; !reflect.DeepEqual(verified, want) {
		t.Errorf("verified %v; want %v", verified, want)
	}
	if len(plan.Known) != 2 || plan.Known[0].Customer.ID != 4 || plan.Known[0].Status != StatusActive ||
		plan.Known[1].Customer.ID != 6 || plan.Known[1].Status != StatusExpired {
		t.Errorf("known %+v", plan.Known)
	}
	if len(plan.Unknown) != 1 || plan.Unknown[0].TenantID != unknown {
		t.Errorf("unknown %+v", plan.Unknown)
	}
	if len(plan.NotReseller) != 1 || plan.NotReseller[0].Domain != "alpine.onmicrosoft.com" {
		t.Errorf("not a reseller %+v", plan.NotReseller)
	}
	if len(plan.Mismatched) != 1 || plan.Mismatched[0].Customer.ID != 5 {
		t.Errorf("mismatched %+v", plan.Mismatched)
	}
	if len(plan.Missing) != 2 || plan.Missing[0].Request.ID != 13 || plan.Missing[1].Customer.ID != 7 {
		t.Errorf("missing %+v", plan.Missing)
	}
	c := plan.NewCustomer(ExportCustomer{TenantID: unknown, Name: " Relecloud ", Domain: "relecloud.onmicrosoft.com"})
	if c.Country != "GB" || c.Name != "Relecloud" || c.TenantID != unknown || c.ValidateFromExport().Any() || !c.Validate().Any() {
		t.Errorf("new customer %+v: %v", c, c.ValidateFromExport())
	}
	if problem := plan.CreateProblem(ExportCustomer{TenantID: unknown, Name: "Relecloud", Domain: "relecloud.onmicrosoft.com"}); problem != "" {
		t.Errorf("a good row cannot be created: %s", problem)
	}
	if problem := plan.CreateProblem(ExportCustomer{TenantID: unknown, Name: "", Domain: "not a domain"}); !strings.Contains(problem, "company name") {
		t.Errorf("a row without a name: %q, want the name's problem first", problem)
	}
	if problem := (VerificationPlan{}).CreateProblem(ExportCustomer{TenantID: unknown, Name: "Relecloud", Domain: "relecloud.onmicrosoft.com"}); problem == "" {
		t.Error("a row without the partner's country can be created")
	}
	// The fingerprint changes when a request the plan verifies changed.
	before := plan.Fingerprint(export)
	open[1] = RelationshipRequest{ID: 11, CustomerID: 1, Status: StatusRejected}
	if after := PlanVerification(export, customers, open, "GB", now).Fingerprint(export); after == before {
		t.Error("the fingerprint did not change with the plan")
	}
}
