package domain

import (
	"strings"
	"testing"
)

func validSettings() PartnerSettings {
	return PartnerSettings{
		Partner:           Partner{Name: "Wingtip Cloud Partners", PartnerID: "5139005", CSPModel: CSPDirectBill, Cloud: CloudCommercial},
		DefaultInviteDays: 30,
		Invitation: InvitationTemplate{Subject: "{{partner}} invites {{customer}}",
			Body: "Dear {{recipient}},\n\nOpen {{link}}.\n\nIt works until {{expires}}.\n{{partner}} ({{partner_id}})"},
	}
}

func TestInvitationTemplateValidation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tmpl  InvitationTemplate
		field string // the field in error; empty for a valid template
		says  string
	}{
		{"empty means built-in", InvitationTemplate{}, "", ""},
		{"every placeholder", validSettings().Invitation, "", ""},
		{"link followed by punctuation", InvitationTemplate{Subject: "Hi", Body: "Open ({{link}})."}, "", ""},
		{"missing link", InvitationTemplate{Subject: "Hi", Body: "Dear {{recipient}}, please answer."}, "invite_body", "Put {{link}} in the message"},
		{"unknown placeholder in the body", InvitationTemplate{Subject: "Hi", Body: "{{link}} for {{tenant}}"}, "invite_body",
			"Unknown placeholder {{tenant}}. Use only {{customer}}, {{partner}}, {{partner_id}}, {{recipient}}, {{link}}, {{expires}}."},
		{"spaces make a placeholder unknown", InvitationTemplate{Subject: "Hi", Body: "{{ link }} {{link}}"}, "invite_body", "Unknown placeholder {{ link }}"},
		{"unknown placeholder in the subject", InvitationTemplate{Subject: "For {{Customer}}", Body: "{{link}}"}, "invite_subject", "Unknown placeholder {{Customer}}"},
		{"link in the subject", InvitationTemplate{Subject: "{{link}}", Body: "{{link}}"}, "invite_subject", "not the subject"},
		{"subject without body", InvitationTemplate{Subject: "Hi"}, "invite_body", "Enter the message"},
		{"body without subject", InvitationTemplate{Body: "{{link}}"}, "invite_subject", "Enter a subject"},
		{"two-line subject", InvitationTemplate{Subject: "Hi\nBcc: x@example.com", Body: "{{link}}"}, "invite_subject", "one line"},
		{"long subject", InvitationTemplate{Subject: strings.Repeat("s", 201), Body: "{{link}}"}, "invite_subject", "200"},
		{"long body", InvitationTemplate{Subject: "Hi", Body: "{{link}} " + strings.Repeat("b", 20000)}, "invite_body", "20,000"},
		{"link glued to text", InvitationTemplate{Subject: "Hi", Body: "Open {{link}}now"}, "invite_body", "after {{link}}"},
	} {
		errs := tc.tmpl.Normalize().Validate()
		if tc.field == "" {
			if errs.Any() {
				t.Errorf("%s: %v", tc.name, errs)
			}
			continue
		}
		if len(errs) != 1 || !strings.Contains(errs[tc.field], tc.says) {
			t.Errorf("%s: errors %v, want %s to say %q", tc.name, errs, tc.field, tc.says)
		}
	}
}

func TestInvitationTemplateRendersEveryPlaceholder(t *testing.T) {
	tmpl := validSettings().Invitation
	v := InvitationValues{Customer: "Litware, Inc.", Partner: "Wingtip Cloud Partners", PartnerID: "5139005", Recipient: "Patti Fernandez",
		Link: "https://partner.example/invite/abc", Expires: "1 May 2026"}
	subject, body := tmpl.Render(v)
	if subject != "Wingtip Cloud Partners invites Litware, Inc." {
		t.Errorf("subject = %q", subject)
	}
	want := "Dear Patti Fernandez,\n\nOpen https://partner.example/invite/abc.\n\nIt works until 1 May 2026.\nWingtip Cloud Partners (5139005)"
	if body != want {
		t.Errorf("body = %q, want %q", body, want)
	}
	// Every known placeholder is filled, in the subject as in the body.
	var all []string
	for _, p := range InvitationPlaceholders {
		all = append(all, p.Text())
	}
	subject, body = InvitationTemplate{Subject: strings.Join(all, " "), Body: strings.Join(all, "\n")}.Render(v)
	if strings.Contains(subject+body, "{{") {
		t.Errorf("placeholders left: %q / %q", subject, body)
	}
	// Values are not read as placeholders, and cannot break the subject's line.
	subject, body = InvitationTemplate{Subject: "For {{customer}}", Body: "{{customer}} {{link}}"}.Render(
		InvitationValues{Customer: "{{link}}\r\nBcc: x@example.com", Link: "L"})
	if subject != "For {{link}} Bcc: x@example.com" || body != "{{link}}\r\nBcc: x@example.com L" {
		t.Errorf("values were substituted again or kept their line breaks: %q / %q", subject, body)
	}
}

func TestInvitationTemplateNormalize(t *testing.T) {
	got := InvitationTemplate{Subject: "  Hi  ", Body: "Line one\r\nOpen {{link}}\r\n\r\n  "}.Normalize()
	if got.Subject != "Hi" || got.Body != "Line one\nOpen {{link}}" {
		t.Errorf("normalised = %q / %q", got.Subject, got.Body)
	}
	if !(InvitationTemplate{Subject: " ", Body: "\r\n "}).Normalize().BuiltIn() {
		t.Error("a blank template is not the built-in wording")
	}
}

func TestPartnerSettingsValidation(t *testing.T) {
	if errs := validSettings().Validate(); errs.Any() {
		t.Fatalf("valid settings: %v", errs)
	}
	bad := validSettings()
	bad.Partner.PartnerID = "12345"
	bad.Partner.CSPModel = "reseller"
	bad.DefaultInviteDays = 91
	bad.Invitation.Body = "no link"
	errs := bad.Validate()
	for _, field := range []string{"partner_id", "csp_model", "default_invite_days", "invite_body"} {
		if errs[field] == "" {
			t.Errorf("no error for %s: %v", field, errs)
		}
	}
	bad.DefaultInviteDays = 0
	if bad.Validate()["default_invite_days"] == "" {
		t.Error("0 days accepted")
	}
}

func TestPartnerSettingsChanges(t *testing.T) {
	before := validSettings()
	if got := before.Changes(before); len(got) != 0 {
		t.Errorf("no change listed as %v", got)
	}
	after := before
	after.Partner.Name = "Wingtip Ltd"
	after.DefaultInviteDays = 14
	after.Invitation.Body = "Secret wording that must not be logged: {{link}}"
	got := strings.Join(after.Changes(before), "; ")
	want := `name "Wingtip Cloud Partners" → "Wingtip Ltd"; default_invite_days 30 → 14; invite_body changed (now 48 characters)`
	if got != want {
		t.Errorf("changes = %q, want %q", got, want)
	}
	reset := before
	reset.Invitation = InvitationTemplate{}
	if got := reset.Changes(before); len(got) != 1 || !strings.Contains(got[0], "built-in wording") {
		t.Errorf("reset listed as %v", got)
	}
}

func TestFindInvitationLink(t *testing.T) {
	link := "https://partner.example/invite/" + strings.Repeat("A", 43)
	for _, text := range []string{"Open " + link + ".", "(" + link + ")", link, "x\n" + link + "\ny"} {
		if got := FindInvitationLink(text); got != link {
			t.Errorf("FindInvitationLink(%q) = %q", text, got)
		}
	}
	if got := FindInvitationLink("no link here"); got != "" {
		t.Errorf("found %q in a text without a link", got)
	}
}

// TestSettingsAzureExpertMSP: only a direct-bill partner may hold the
// designation for the billing transfer, and the audit entry names the
// change.
func TestSettingsAzureExpertMSP(t *testing.T) {
	for _, model := range CSPModels {
		s := validSettings()
		s.Partner.CSPModel, s.Partner.AzureExpertMSP = model, true
		if model == CSPIndirectReseller {
			s.Partner.ProviderName = "Contoso Distribution"
		}
		msg := s.Validate()["azure_expert_msp"]
		if (model == CSPDirectBill) != (msg == "") {
			t.Errorf("%s with the designation: %q", model, msg)
		}
	}
	before := validSettings()
	after := before
	after.Partner.AzureExpertMSP = true
	if got := strings.Join(after.Changes(before), "; "); got != "azure_expert_msp false → true" {
		t.Errorf("changes = %q", got)
	}
	if got := strings.Join(before.Changes(after), "; "); got != "azure_expert_msp true → false" {
		t.Errorf("changes back = %q", got)
	}
}
