package domain

import (
	"crypto/sha256"
	"strings"
	"testing"
)

// TestPlanCustomerList holds what each row of a customer list does among
// the known customers: create, fill in what the app lacks, leave as it is
// (noting another domain of a customer its tenant id matches), or refuse
// when the domain is a customer's of another tenant.
func TestPlanCustomerList(t *testing.T) {
	const (
		contosoTenant = "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607"
		otherTenant   = "7a2b3c4d-5e6f-4a71-9b82-c3d4e5f60718"
	)
	known := []Customer{
		{ID: 1, Name: "Contoso", Domain: "contoso.com", Country: "GB", Version: 3},
		{ID: 2, Name: "Fabrikam", Domain: "fabrikam.com", TenantID: otherTenant, AdminName: "Ada", AdminEmail: "ada@fabrikam.com", Version: 1},
	}
	for _, tc := range []struct {
		name    string
		listed  Customer
		action  CustomerListAction
		by      ExportMatch
		fills   string
		problem string
	}{
		{"a new customer", Customer{Name: "Relecloud", Domain: "relecloud.com", TenantID: contosoTenant}, ListCreates, "", "", ""},
		{"by domain, the tenant id filled", Customer{Name: "Contoso Ltd", Domain: "contoso.com", TenantID: contosoTenant}, ListFills,
			MatchedByDomain, "tenant_id", ""},
		{"by domain, the admin filled", Customer{Name: "Contoso", Domain: "contoso.com", AdminName: "Bo", AdminEmail: "bo@contoso.com"},
			ListFills, MatchedByDomain, "admin_name,admin_email", ""},
		{"by tenant, nothing to fill", Customer{Name: "Fabrikam Inc", Domain: "fabrikam.com", TenantID: otherTenant, AdminEmail: "x@fabrikam.com"},
			ListKnown, MatchedByTenant, "", ""},
		{"by domain, nothing to fill", Customer{Name: "Fabrikam", Domain: "fabrikam.com"}, ListKnown, MatchedByDomain, "", ""},
		{"the domain is another tenant's", Customer{Name: "Fabrikam", Domain: "fabrikam.com", TenantID: contosoTenant}, ListKnown,
			MatchedByDomain, "", "The domain fabrikam.com is Fabrikam's, whose tenant id is " + otherTenant + ", not " + contosoTenant + "."},
		{"the tenant is under another domain, which is noted", Customer{Name: "Fabrikam", Domain: "fabrikam.onmicrosoft.com", TenantID: otherTenant},
			ListKnown, MatchedByTenant, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := PlanCustomerList([]ListedCustomer{{Line: 2, Customer: tc.listed}}, known)
			r := plan.Rows[0]
			if r.Action != tc.action || r.By != tc.by || strings.Join(r.Fills, ",") != tc.fills || r.Problem != tc.problem {
				t.Errorf("row = action %s by %q fills %q problem %q", r.Action, r.By, r.Fills, r.Problem)
			}
			if noted := r.Note != ""; noted != (r.By == MatchedByTenant && tc.listed.Domain != r.Existing.Domain) {
				t.Errorf("note %q", r.Note)
			}
			if blocked := len(plan.Problems()) > 0; blocked != (tc.problem != "") {
				t.Errorf("Problems() = %d rows", len(plan.Problems()))
			}
			res := r.Result()
			switch r.Action {
			case ListCreates:
				if res != tc.listed {
					t.Errorf("Result() = %+v; want the listed customer", res)
				}
			default:
				if res.ID != r.Existing.ID || res.Name != r.Existing.Name || res.Country != r.Existing.Country {
					t.Errorf("Result() = %+v changes what the app has", res)
				}
				if strings.Contains(tc.fills, "tenant_id") && res.TenantID != tc.listed.TenantID {
					t.Errorf("Result() tenant %q", res.TenantID)
				}
			}
		})
	}
}

// TestCustomerListFingerprint changes when a matched customer changes, and
// when the values read change.
func TestCustomerListFingerprint(t *testing.T) {
	sum := sha256.Sum256([]byte("file"))
	listed := []ListedCustomer{{Line: 2, Customer: Customer{Name: "Contoso", Domain: "contoso.com"}}}
	before := PlanCustomerList(listed, []Customer{{ID: 1, Domain: "contoso.com", Version: 1}}).Fingerprint(sum)
	after := PlanCustomerList(listed, []Customer{{ID: 1, Domain: "contoso.com", Version: 2}}).Fingerprint(sum)
	created := PlanCustomerList(listed, nil).Fingerprint(sum)
	// The same file read through another mapping: the name and the admin
	// swapped.
	remapped := PlanCustomerList([]ListedCustomer{{Line: 2, Customer: Customer{Name: "Bo", Domain: "contoso.com", AdminName: "Contoso"}}},
		nil).Fingerprint(sum)
	if before == after || before == created || created == remapped {
		t.Errorf("fingerprints %s %s %s %s; want them to differ", before, after, created, remapped)
	}
}

// TestValidateListed leaves out the Global admin only when the list has
// none of it.
func TestValidateListed(t *testing.T) {
	c := Customer{Name: "Contoso", Domain: "contoso.com", Country: "GB"}
	if errs := c.ValidateListed(); len(errs) != 0 {
		t.Errorf("without an admin: %v", errs)
	}
	c.AdminName = "Bo"
	if errs := c.ValidateListed(); errs["admin_email"] == "" {
		t.Errorf("an admin without e-mail: %v; want admin_email asked for", errs)
	}
}
