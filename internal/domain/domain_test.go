package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRoleMatrix(t *testing.T) {
	for _, tc := range []struct {
		perm   Permission
		global bool
		admin  bool
		sales  bool
	}{
		{PermView, true, true, true},
		{PermEditCustomers, true, true, true},
		{PermInvite, true, true, true},
		{PermReviewRelationships, true, true, false},
		{PermUsageWorkflow, true, true, false},
		{PermTransfers, true, true, false},
		{PermRemoveRelationship, true, false, false},
		{PermManageUsers, true, false, false},
		{PermReadAudit, true, false, false},
		{PermOutbox, true, true, false},
	} {
		got := [3]bool{RoleGlobalAdmin.Allows(tc.perm), RoleAdminAgent.Allows(tc.perm), RoleSalesAgent.Allows(tc.perm)}
		if want := [3]bool{tc.global, tc.admin, tc.sales}; got != want {
			t.Errorf("%s: global/admin/sales = %v, want %v", tc.perm, got, want)
		}
	}
	if Role("owner").Allows(PermView) {
		t.Error("an unknown role is allowed to view")
	}
	if n := len(RoleSalesAgent.Capabilities()); n != 3 {
		t.Errorf("a Sales agent has %d capabilities, want 3", n)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Avery@Wingtip.Example", "avery@wingtip.example", true},
		{"  sam@wingtip.example ", "sam@wingtip.example", true},
		{"not-an-address", "", false},
		{"Avery <avery@wingtip.example>", "", false},
		{"", "", false},
	} {
		got, err := NormalizeEmail(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestNewUserValidate(t *testing.T) {
	valid := NewUser{Email: "a@b.example", Name: "A", Role: RoleSalesAgent, Password: "12345678"}
	if errs := valid.Validate(); errs.Any() {
		t.Fatalf("valid user refused: %v", errs)
	}
	for _, tc := range []struct {
		field  string
		mutate func(*NewUser)
	}{
		{"name", func(u *NewUser) { u.Name = " " }},
		{"email", func(u *NewUser) { u.Email = "nope" }},
		{"role", func(u *NewUser) { u.Role = "owner" }},
		{"password", func(u *NewUser) { u.Password = "1234567" }},
		{"password", func(u *NewUser) { u.Password = string(make([]rune, 129)) }},
	} {
		u := valid
		tc.mutate(&u)
		if errs := u.Validate(); errs[tc.field] == "" {
			t.Errorf("no error on %s for %+v", tc.field, u)
		}
	}
}

func TestPartnerValidate(t *testing.T) {
	p := Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: CSPDirectBill, Cloud: CloudCommercial}
	if errs := p.Validate(); errs.Any() {
		t.Fatalf("valid partner refused: %v", errs)
	}
	p.PartnerID = "51a"
	p.Cloud = "moon"
	errs := p.Validate()
	if errs["partner_id"] == "" || errs["cloud"] == "" {
		t.Fatalf("invalid partner accepted: %v", errs)
	}
}

func TestSessionExpiry(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	revoked := t0
	for _, tc := range []struct {
		name string
		s    Session
		at   time.Time
		want bool
	}{
		{"fresh", Session{CreatedAt: t0, LastSeenAt: t0}, t0.Add(time.Minute), false},
		{"idle 30 min", Session{CreatedAt: t0, LastSeenAt: t0}, t0.Add(30 * time.Minute), true},
		{"active but 12 h old", Session{CreatedAt: t0, LastSeenAt: t0.Add(12*time.Hour - time.Minute)}, t0.Add(12 * time.Hour), true},
		{"revoked", Session{CreatedAt: t0, LastSeenAt: t0, RevokedAt: &revoked}, t0, true},
	} {
		if got := tc.s.Expired(tc.at); got != tc.want {
			t.Errorf("%s: Expired = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPage(t *testing.T) {
	p := Page{Number: 3, Size: 50}
	if p.Offset() != 100 || p.PageCount(101) != 3 || p.PageCount(0) != 1 || (Page{Size: 50}).Offset() != 0 {
		t.Fatal("paging arithmetic is wrong")
	}
}

func TestValidateNewPassword(t *testing.T) {
	cases := []struct {
		name, password, confirm string
		want                    []string // fields in error
	}{
		{"good", "a-good-password", "a-good-password", nil},
		{"too short", "short", "short", []string{"password"}},
		{"too long", strings.Repeat("x", MaxPasswordLength+1), strings.Repeat("x", MaxPasswordLength+1), []string{"password"}},
		{"eight runes of two bytes", "éééééééé", "éééééééé", nil},
		{"differs", "a-good-password", "another-password", []string{"confirm"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := ValidateNewPassword(tc.password, tc.confirm)
			var got []string
			for field := range errs {
				got = append(got, field)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("fields in error %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFormatCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {10_000, "10,000"}, {123456, "123,456"}, {1_000_000, "1,000,000"}, {-4500, "-4,500"}} {
		if got := FormatCount(tc.n); got != tc.want {
			t.Errorf("FormatCount(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
