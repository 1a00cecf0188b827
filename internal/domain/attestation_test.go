package domain

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAttestationValidate(t *testing.T) {
	good := Attestation{FirstName: "Patti", LastName: "Fernandez", Email: "Patti@Litware.example", CompanyName: "Litware, Inc."}
	for _, tc := range []struct {
		name   string
		change func(*Attestation)
		field  string // the field in error; "" for none
	}{
		{"complete, no phone", func(*Attestation) {}, ""},
		{"phone in international form", func(a *Attestation) { a.Phone = "+44 20 7946 0000" }, ""},
		{"phone with brackets and hyphens", func(a *Attestation) { a.Phone = "(425) 555-0100" }, ""},
		{"phone with letters", func(a *Attestation) { a.Phone = "call me" }, "phone"},
		{"phone too short", func(a *Attestation) { a.Phone = "12345" }, "phone"},
		{"phone too long", func(a *Attestation) { a.Phone = "+1234567890123456" }, "phone"},
		{"phone ending in a hyphen", func(a *Attestation) { a.Phone = "425-555-" }, "phone"},
		{"no first name", func(a *Attestation) { a.FirstName = "  " }, "first_name"},
		{"no last name", func(a *Attestation) { a.LastName = "" }, "last_name"},
		{"name too long", func(a *Attestation) { a.LastName = strings.Repeat("x", 101) }, "last_name"},
		{"control character", func(a *Attestation) { a.FirstName = "Pat\x00ti" }, "first_name"},
		{"no company", func(a *Attestation) { a.CompanyName = "" }, "company_name"},
		{"no e-mail", func(a *Attestation) { a.Email = "" }, "email"},
		{"not an e-mail", func(a *Attestation) { a.Email = "patti at litware" }, "email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := good
			tc.change(&a)
			errs := a.Normalize().Validate()
			if tc.field == "" && errs.Any() || tc.field != "" && (len(errs) != 1 || errs[tc.field] == "") {
				t.Fatalf("errors %v, want one for %q", errs, tc.field)
			}
		})
	}
	if a := good.Normalize(); a.Email != "patti@litware.example" {
		t.Errorf("Normalize kept the e-mail as %q", a.Email)
	}
}

// TestCheckAttestationByCloud holds the rule: required in the commercial
// cloud, absent in US Government.
func TestCheckAttestationByCloud(t *testing.T) {
	valid := Attestation{FirstName: "Patti", LastName: "Fernandez", Email: "patti@litware.example", CompanyName: "Litware"}
	person := Attestation{FirstName: "Patti", LastName: "Fernandez", Email: "patti@litware.example"}
	for _, tc := range []struct {
		name   string
		cloud  Cloud
		a      Attestation
		ticked bool
		fields string // the fields in error, sorted
		stored bool
	}{
		{"commercial, complete", CloudCommercial, valid, true, "", true},
		{"commercial, the box not ticked", CloudCommercial, valid, false, "mca", true},
		{"commercial, no company", CloudCommercial, person, true, "company_name", true},
		{"commercial, nothing", CloudCommercial, Attestation{}, false, "company_name email first_name last_name mca", true},
		{"US Government: the person only", CloudUSGovernment, person, false, "", false},
		{"US Government: a company given is not stored", CloudUSGovernment, valid, true, "", false},
		{"US Government, no name", CloudUSGovernment, Attestation{Email: "patti@litware.example"}, false, "first_name last_name", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stored, errs := CheckAttestation(tc.cloud, tc.a, tc.ticked)
			if got := strings.Join(slices.Sorted(maps.Keys(errs)), " "); got != tc.fields {
				t.Errorf("errors %v, want %q", errs, tc.fields)
			}
			if (stored != nil) != tc.stored {
				t.Errorf("stored %v, want one: %v", stored, tc.stored)
			}
		})
	}
	if !AttestationAsked(CloudCommercial) || AttestationAsked(CloudUSGovernment) {
		t.Error("AttestationAsked: want commercial only")
	}
}

// TestAttestationAPIRecord checks the copy in the fields Microsoft's
// agreement API takes.
func TestAttestationAPIRecord(t *testing.T) {
	a := Attestation{FirstName: "Patti", LastName: "Fernandez", Email: "patti@litware.example", Phone: "+1 425 555 0100",
		CompanyName: "Litware, Inc.", AcceptedAt: time.Date(2026, 12, 2, 9, 30, 0, 0, time.FixedZone("CET", 3600))}
	var got map[string]any
	if err := json.Unmarshal([]byte(a.APIRecord()), &got); err != nil {
		t.Fatal(err)
	}
	contact, _ := got["primaryContact"].(map[string]any)
	if contact["firstName"] != "Patti" || contact["lastName"] != "Fernandez" || contact["email"] != "patti@litware.example" ||
		contact["phoneNumber"] != "+1 425 555 0100" || got["companyName"] != "Litware, Inc." ||
		got["dateAgreed"] != "2026-12-02T08:30:00.000Z" || got["type"] != "MicrosoftCustomerAgreement" {
		t.Errorf("APIRecord = %s", a.APIRecord())
	}
	a.Phone = ""
	if strings.Contains(a.APIRecord(), "phoneNumber") {
		t.Error("an empty phone is copied")
	}
}

// TestAttestationRecordFor checks who attests: the partner itself, or for an
// indirect reseller its indirect provider.
func TestAttestationRecordFor(t *testing.T) {
	a := Attestation{FirstName: "Patti"}
	for _, tc := range []struct {
		model      CSPModel
		byProvider bool
	}{{CSPDirectBill, false}, {CSPIndirectProvider, false}, {CSPIndirectReseller, true}} {
		r := a.RecordFor(Partner{CSPModel: tc.model, ProviderName: "Contoso Distribution"})
		if r.ByProvider != tc.byProvider || r.FirstName != "Patti" || tc.byProvider && r.Provider != "Contoso Distribution" {
			t.Errorf("%s: %+v", tc.model, r)
		}
	}
}

func TestSplitName(t *testing.T) {
	for full, want := range map[string][2]string{
		"Megan Bowen":          {"Megan", "Bowen"},
		"  Mary Ann  Smith ":   {"Mary Ann", "Smith"},
		"Cher":                 {"Cher", ""},
		"":                     {"", ""},
		"Jean-Luc de la Croix": {"Jean-Luc de la", "Croix"},
	} {
		if first, last := SplitName(full); first != want[0] || last != want[1] {
			t.Errorf("SplitName(%q) = %q, %q; want %q, %q", full, first, last, want[0], want[1])
		}
	}
}
