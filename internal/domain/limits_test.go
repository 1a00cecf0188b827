package domain

import (
	"strings"
	"testing"
	"time"
)

// Limits count characters, not bytes: 200 characters of a three-byte script
// fit where 200 are allowed, 201 do not.
func TestLimitsCountCharacters(t *testing.T) {
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	at := func(n int) string { return strings.Repeat("日", n) }
	sub := Subscription{Product: at(200), Reference: at(200), Notes: strings.Repeat("é", 2000)}
	if errs := sub.Validate(today); errs.Any() {
		t.Errorf("200 characters refused: %v", errs)
	}
	sub = Subscription{Product: at(201), Reference: at(201), Notes: strings.Repeat("é", 2001)}
	if errs := sub.Validate(today); errs["product"] == "" || errs["reference"] == "" || errs["notes"] == "" {
		t.Errorf("201 characters accepted: %v", errs)
	}
	cu := Customer{Name: at(200), Domain: "contoso.com", Country: "JP", AdminName: at(200), AdminEmail: "a@contoso.com"}
	if errs := cu.Validate(); errs.Any() {
		t.Errorf("customer with 200 characters refused: %v", errs)
	}
	cu.Name, cu.AdminName = at(201), at(201)
	if errs := cu.Validate(); errs["name"] == "" || errs["admin_name"] == "" {
		t.Errorf("customer with 201 characters accepted: %v", errs)
	}
	p := Partner{Name: at(200), PartnerID: "1234567", CSPModel: CSPDirectBill, Cloud: CloudCommercial}
	if errs := p.Validate(); errs.Any() {
		t.Errorf("partner with 200 characters refused: %v", errs)
	}
	p.Name = at(201)
	if errs := p.Validate(); errs["name"] == "" {
		t.Error("partner with 201 characters accepted")
	}
	u := NewUser{Name: at(200), Email: "kim@example.com", Role: RoleSalesAgent}
	if errs := u.ValidateProfile(); errs.Any() {
		t.Errorf("user with 200 characters refused: %v", errs)
	}
	u.Name = at(201)
	if errs := u.ValidateProfile(); errs["name"] == "" {
		t.Error("user with 201 characters accepted")
	}
	tr := NewTransfer{OtherPartnerName: at(200), LineItems: strings.Repeat("é", 4000)}
	if errs := tr.Validate(CSPDirectBill); errs["other_partner_name"] != "" || errs["line_items"] != "" {
		t.Errorf("transfer with 200 and 4,000 characters refused: %v", errs)
	}
	tr = NewTransfer{OtherPartnerName: at(201), LineItems: strings.Repeat("é", 4001)}
	if errs := tr.Validate(CSPDirectBill); errs["other_partner_name"] == "" || errs["line_items"] == "" {
		t.Errorf("transfer with 201 and 4,001 characters accepted: %v", errs)
	}
	if errs := ValidCSPSubscription("4f1c2e8a-0b6d-4c1e-9a57-3d2b8e6f0c11", at(200), &today, RoleAdminAgent, today); errs.Any() {
		t.Errorf("display name of 200 characters refused: %v", errs)
	}
	if errs := ValidCSPSubscription("4f1c2e8a-0b6d-4c1e-9a57-3d2b8e6f0c11", at(201), &today, RoleAdminAgent, today); errs["display_name"] == "" {
		t.Error("display name of 201 characters accepted")
	}
}
