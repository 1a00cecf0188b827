package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestCustomerListAppliesOnce applies a list that creates one customer and
// fills the tenant id of another: both are written with their audit
// entries, a second confirmation is a conflict, and the upload stays the
// sender's only.
func TestCustomerListAppliesOnce(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	other := ctActor(t, s, "blake@wingtip.example")
	ctUseClock(s, time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	contoso := ctCreate(t, s, actor, ctCustomer(t, "Contoso Ltd", "contoso.onmicrosoft.com"))
	// A customer without a tenant id does not keep one without a tenant
	// id from being created.
	ctCreate(t, s, actor, ctCustomer(t, "Fabrikam", "fabrikam.onmicrosoft.com"))
	const tenant = "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607"

	u := domain.CustomerUpload{Filename: "customers.csv", Data: []byte("name,domain\n"), Country: "GB"}
	id, err := s.CreateCustomerUpload(ctx, actor, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CustomerUpload(ctx, other, id); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another user's read: %v; want ErrNotFound", err)
	}
	m := domain.ImportMapping{Key: "customers:name|domain", Fields: []string{"name", "domain"}}
	if err := s.SetCustomerUploadMapping(ctx, actor, id, m); err != nil {
		t.Fatal(err)
	}
	if remembered, err := s.ImportMapping(ctx, m.Key); err != nil || len(remembered.Fields) != 2 {
		t.Fatalf("remembered mapping: %+v, %v", remembered, err)
	}
	if u, err = s.CustomerUpload(ctx, actor, id); err != nil || u.Mapping == nil || u.Used || u.Country != "GB" {
		t.Fatalf("CustomerUpload = %+v, %v", u, err)
	}

	matched, err := s.CustomersMatching(ctx, []string{tenant}, []string{"contoso.onmicrosoft.com", "relecloud.com"})
	if err != nil || len(matched) != 1 || matched[0].ID != contoso {
		t.Fatalf("CustomersMatching = %+v, %v", matched, err)
	}
	plan := domain.PlanCustomerList([]domain.ListedCustomer{
		{Line: 2, Customer: domain.Customer{Name: "Contoso", Domain: "contoso.onmicrosoft.com", TenantID: tenant, Country: "GB"}},
		{Line: 3, Customer: domain.Customer{Name: "Relecloud", Domain: "relecloud.com", Country: "GB"}},
	}, matched)
	res, err := s.ApplyCustomerList(ctx, actor, u, plan)
	if err != nil || res != (domain.CustomerListResult{Created: 1, Filled: 1}) {
		t.Fatalf("ApplyCustomerList = %+v, %v", res, err)
	}
	c, err := s.Customer(ctx, contoso)
	if err != nil || c.TenantID != tenant || c.Name != "Contoso Ltd" || c.Version != matched[0].Version+1 {
		t.Errorf("Contoso after the list = %+v, %v", c, err)
	}
	if _, err := s.ApplyCustomerList(ctx, actor, u, plan); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("second ApplyCustomerList: %v; want ErrConflict", err)
	}
	if u, _ := s.CustomerUpload(ctx, actor, id); !u.Used {
		t.Error("the upload is not marked used")
	}
	var imported, created int
	if err := s.read.QueryRow(`SELECT COUNT(*) FILTER (WHERE action = ?), COUNT(*) FILTER (WHERE action = ? AND detail = 'from the list customers.csv')
		FROM audit_log`, domain.AuditCustomersImported, domain.AuditCustomerCreated).Scan(&imported, &created); err != nil || imported != 1 || created != 1 {
		t.Errorf("audit: %d imports, %d customers created from the list, %v", imported, created, err)
	}
}

// TestCustomerListStalePlanWritesNothing refuses a plan whose matched
// customer was saved since, and leaves the new customer of the same plan
// uncreated.
func TestCustomerListStalePlanWritesNothing(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	contoso := ctCreate(t, s, actor, ctCustomer(t, "Contoso Ltd", "contoso.onmicrosoft.com"))
	id, err := s.CreateCustomerUpload(ctx, actor, domain.CustomerUpload{Filename: "pc.csv", Data: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	matched, _ := s.CustomersMatching(ctx, nil, []string{"contoso.onmicrosoft.com"})
	plan := domain.PlanCustomerList([]domain.ListedCustomer{
		{Line: 2, Customer: domain.Customer{Name: "Relecloud", Domain: "relecloud.com", Country: "GB"}},
		{Line: 3, Customer: domain.Customer{Name: "Contoso", Domain: "contoso.onmicrosoft.com", TenantID: "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607"}},
	}, matched)
	edited := matched[0]
	edited.AdminName = "Someone Else"
	if err := s.UpdateCustomer(ctx, actor, edited); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyCustomerList(ctx, actor, domain.CustomerUpload{ID: id, Filename: "pc.csv"}, plan); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("ApplyCustomerList over a saved customer: %v; want ErrConflict", err)
	}
	if got, _ := s.CustomersMatching(ctx, nil, []string{"relecloud.com"}); len(got) != 0 {
		t.Errorf("Relecloud was created by a refused list")
	}
	if u, _ := s.CustomerUpload(ctx, actor, id); u.Used {
		t.Errorf("a refused list is marked used")
	}
	if c, _ := s.Customer(ctx, contoso); c.TenantID != "" {
		t.Errorf("Contoso's tenant id was written: %q", c.TenantID)
	}
}
