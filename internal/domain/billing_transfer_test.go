package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// allMet are prerequisites that let a request go.
var allMet = BillingPrerequisites{MCAAccepted: true, AzurePlan: true, Agreement: AgreementDirectEA, SameTenant: true,
	MarketplaceEligible: true, NoneDisabled: true}

// TestBillingTransferNext holds the state machine: every change from every
// state, allowed exactly from the states Microsoft's flow allows, and
// refused with a conflict naming the state otherwise.
func TestBillingTransferNext(t *testing.T) {
	allowed := map[BillingChange]map[BillingTransferStatus]BillingTransferStatus{
		BillingPrerequisitesSaved: {BillingPreparing: BillingPreparing},
		BillingRequestSent:        {BillingPreparing: BillingSent},
		BillingApproval:           {BillingSent: BillingApproved},
		BillingCompletion:         {BillingApproved: BillingCompleted},
		BillingDecline:            {BillingSent: BillingDeclined},
		BillingExpiry:             {BillingSent: BillingExpired},
		BillingCancellation:       {BillingPreparing: BillingCancelled, BillingSent: BillingCancelled},
	}
	for _, c := range BillingChanges {
		for _, from := range BillingTransferStatuses {
			bt := BillingTransfer{Status: from, Prerequisites: allMet}
			got, err := bt.Next(c, true)
			want, ok := allowed[c][from]
			var ce *ConflictError
			switch {
			case ok && (err != nil || got != want):
				t.Errorf("change %d from %s: got %q, %v; want %s", c, from, got, err, want)
			case !ok && (!errors.As(err, &ce) || got != "" || !strings.Contains(ce.Reason, strings.ToLower(from.Label()))):
				t.Errorf("change %d from %s: got %q, %v; want a conflict naming the state", c, from, got, err)
			}
			if c.Offered(from, true) != ok || c.Offered(from, false) {
				t.Errorf("change %d from %s: offered %v, want %v (and never without the role)", c, from, c.Offered(from, true), ok)
			}
		}
	}
}

// TestBillingTransferCancelOnlyUntilAnswered: Microsoft lets the partner
// cancel "until the request is approved or declined".
func TestBillingTransferCancelOnlyUntilAnswered(t *testing.T) {
	for _, st := range []BillingTransferStatus{BillingApproved, BillingDeclined, BillingCompleted, BillingExpired, BillingCancelled} {
		if _, err := (BillingTransfer{Status: st}).Next(BillingCancellation, true); err == nil {
			t.Errorf("a %s billing transfer could be cancelled", st)
		}
	}
}

// TestBillingPrerequisites: the request waits for every prerequisite,
// the relationship computed, and says which are missing.
func TestBillingPrerequisites(t *testing.T) {
	if unmet := allMet.Unmet(true); len(unmet) != 0 {
		t.Fatalf("all met, yet unmet: %v", unmet)
	}
	cases := []struct {
		name   string
		change func(*BillingPrerequisites)
		active bool
		want   string
	}{
		{"relationship", func(*BillingPrerequisites) {}, false, "The reseller relationship is active"},
		{"mca", func(p *BillingPrerequisites) { p.MCAAccepted = false }, true, "Microsoft Customer Agreement"},
		{"plan", func(p *BillingPrerequisites) { p.AzurePlan = false }, true, "An Azure plan exists"},
		{"agreement unknown", func(p *BillingPrerequisites) { p.Agreement = AgreementUnknown }, true, "direct EA or an enterprise MCA"},
		{"indirect EA", func(p *BillingPrerequisites) { p.Agreement = AgreementIndirectEA }, true, "direct EA or an enterprise MCA"},
		{"EA Government", func(p *BillingPrerequisites) { p.Agreement = AgreementEAGovernment }, true, "direct EA or an enterprise MCA"},
		{"tenant", func(p *BillingPrerequisites) { p.SameTenant = false }, true, "Entra tenant"},
		{"marketplace", func(p *BillingPrerequisites) { p.MarketplaceEligible = false }, true, "Marketplace"},
		{"disabled", func(p *BillingPrerequisites) { p.NoneDisabled = false }, true, "disabled"},
	}
	for _, tc := range cases {
		p := allMet
		tc.change(&p)
		unmet := p.Unmet(tc.active)
		if len(unmet) != 1 || !strings.Contains(unmet[0], tc.want) {
			t.Errorf("%s: unmet %v, want only %q", tc.name, unmet, tc.want)
		}
		_, err := BillingTransfer{Status: BillingPreparing, Prerequisites: p}.Next(BillingRequestSent, tc.active)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: sending gave %v", tc.name, err)
		}
	}
	mca := allMet
	mca.Agreement = AgreementMCAEnterprise
	if len(mca.Unmet(true)) != 0 {
		t.Error("an enterprise MCA is refused")
	}
}

// TestBillingRequestValidate: the approver's e-mail and a role Microsoft
// names for the agreement, and a date neither in the future nor before the
// checklist began.
func TestBillingRequestValidate(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	started := now.AddDate(0, 0, -5)
	day := func(n int) *time.Time { d := Day(now).AddDate(0, 0, n); return &d }
	cases := []struct {
		name  string
		r     BillingRequest
		a     BillingAgreement
		field string
	}{
		{"good EA", BillingRequest{"ea.admin@contoso.example", ApproverEAAdministrator, day(0)}, AgreementDirectEA, ""},
		{"good MCA", BillingRequest{"billing@contoso.example", ApproverMCAContributor, day(-5)}, AgreementMCAEnterprise, ""},
		{"no e-mail", BillingRequest{"", ApproverEAAccountOwner, day(0)}, AgreementDirectEA, "approver_email"},
		{"no role", BillingRequest{"a@contoso.example", "", day(0)}, AgreementDirectEA, "approver_role"},
		{"MCA role for an EA", BillingRequest{"a@contoso.example", ApproverMCAOwner, day(0)}, AgreementDirectEA, "approver_role"},
		{"EA role for an MCA", BillingRequest{"a@contoso.example", ApproverEAAdministrator, day(0)}, AgreementMCAEnterprise, "approver_role"},
		{"no date", BillingRequest{"a@contoso.example", ApproverEAAdministrator, nil}, AgreementDirectEA, "sent_on"},
		{"future", BillingRequest{"a@contoso.example", ApproverEAAdministrator, day(2)}, AgreementDirectEA, "sent_on"},
		{"before start", BillingRequest{"a@contoso.example", ApproverEAAdministrator, day(-6)}, AgreementDirectEA, "sent_on"},
	}
	for _, tc := range cases {
		errs := tc.r.Validate(tc.a, started, now)
		if tc.field == "" && errs.Any() || tc.field != "" && (len(errs) != 1 || errs[tc.field] == "") {
			t.Errorf("%s: %v, want a message for %q only", tc.name, errs, tc.field)
		}
	}
}

// TestBillingPlanStage: a completed billing transfer is done; the stages
// follow the request, the relationship and the open checklist.
func TestBillingPlanStage(t *testing.T) {
	cases := []struct {
		plan   BillingPlan
		active bool
		want   string
	}{
		{BillingPlan{BySubscription: map[int64]BillingTransferStatus{1: BillingCompleted}}, true, "Done"},
		{BillingPlan{BySubscription: map[int64]BillingTransferStatus{1: BillingApproved}, Open: BillingApproved}, true, "Approved by the customer"},
		{BillingPlan{BySubscription: map[int64]BillingTransferStatus{1: BillingSent}, Open: BillingSent}, true, "Request sent"},
		{BillingPlan{}, false, "Needs the reseller relationship"},
		{BillingPlan{Open: BillingPreparing}, true, "Checking the prerequisites"},
		{BillingPlan{BySubscription: map[int64]BillingTransferStatus{1: BillingDeclined}}, true, "declined"},
		{BillingPlan{BySubscription: map[int64]BillingTransferStatus{1: BillingExpired}}, true, "expired"},
		{BillingPlan{}, true, "Ready: start the billing transfer"},
	}
	for _, tc := range cases {
		if got := tc.plan.Stage(1, tc.active); !strings.HasPrefix(got, tc.want) && !strings.Contains(got, tc.want) {
			t.Errorf("%+v active %v: %q, want %q", tc.plan, tc.active, got, tc.want)
		}
	}
}
