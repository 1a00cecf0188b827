package msexports

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

var today = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)

const (
	ours  = "0d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d5e6" // the demo partner's
	trey  = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
	other = "11111111-2222-4333-8444-555555555555"
)

func sample(t *testing.T, name string) []byte {
	t.Helper()
	data, ok := demo.SampleFile(name)
	if !ok {
		t.Fatalf("no sample %s", name)
	}
	return data
}

func parse(t *testing.T, data []byte, opts Options) Result {
	t.Helper()
	res, err := Parse(bytes.NewReader(data), opts, today)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("errors: %v", res.Errors)
	}
	return res
}

// guess returns the basis of the guess for field in row, "" when none.
func guess(row Row, field string) string {
	for _, g := range row.Guesses {
		if g.Field == field {
			return g.String()
		}
	}
	return ""
}

// TestEachSampleIsRecognised: each demo sample of an export is recognised
// as its format by its shape, and the customer's own spreadsheets are left
// to inventorycsv.
func TestEachSampleIsRecognised(t *testing.T) {
	want := map[string]Format{
		"contoso-subscribedSkus.json":           SubscribedSkus,
		"fabrikam-directory-subscriptions.json": DirectorySubscriptions,
		"northwind-arm-subscriptions.json":      ARMSubscriptions,
		"alpine-az-account-list.json":           AzAccountList,
		"woodgrove-vl-contracts.csv":            VLContracts,
		"tailspin-licences.csv":                 FormatNone,
		"tailspin-licences.xlsx":                FormatNone,
	}
	if len(want) != len(demo.Samples) {
		t.Fatalf("%d samples, %d expected", len(demo.Samples), len(want))
	}
	for _, s := range demo.Samples {
		data := sample(t, s.File)
		f, ok := Recognise(data)
		if ok != (want[s.File] != FormatNone) || ok && f != want[s.File] || Recognised(data) != ok {
			t.Errorf("%s recognised as %q, %v (Recognised %v); want %q", s.File, f, ok, Recognised(data), want[s.File])
		}
	}
}

// TestSubscribedSkus: products through the catalogue (an unknown part
// number kept), seats from prepaidUnits.enabled, a warning status noted,
// and the channel not known.
func TestSubscribedSkus(t *testing.T) {
	res := parse(t, sample(t, "contoso-subscribedSkus.json"), Options{PartnerTenant: ours})
	if len(res.Rows) != 4 {
		t.Fatalf("%d rows", len(res.Rows))
	}
	e3 := res.Rows[0]
	if s := e3.Subscription; s.Product != "Microsoft 365 E3" || s.ServiceType != domain.ServiceLicence || s.Quantity != 250 ||
		s.Channel != domain.ChannelUnknown || s.Reference != "a1b2c3d4-1111-4a2b-8c3d-0e1f2a3b4c5d" {
		t.Errorf("E3: %+v", s)
	}
	if g := guess(e3, "product"); !strings.Contains(g, "skuPartNumber SPE_E3 is Microsoft 365 E3 in the catalogue") {
		t.Errorf("product guess: %q", g)
	}
	if g := guess(e3, "channel"); !strings.Contains(g, "does not say who sold") {
		t.Errorf("channel guess: %q", g)
	}
	if e3.Line != 4 {
		t.Errorf("the first item is on line %d, want 4", e3.Line)
	}
	if n := res.Rows[2].Subscription.Notes; !strings.Contains(n, "Status Warning (capabilityStatus).") {
		t.Errorf("Visio notes: %q", n)
	}
	unknown := res.Rows[3]
	if unknown.Subscription.Product != "CONTOSO_LAB_ADDON" || !strings.Contains(guess(unknown, "product"), "not in the catalogue") {
		t.Errorf("unknown SKU: %+v %v", unknown.Subscription, unknown.Guesses)
	}
}

// TestDirectorySubscriptionsOwner holds the channel from ownerTenantId:
// another partner's tenant is another CSP partner with the tenant kept; ours
// is said and left to confirm; none is not known; and the trial is marked.
func TestDirectorySubscriptionsOwner(t *testing.T) {
	res := parse(t, sample(t, "fabrikam-directory-subscriptions.json"), Options{PartnerTenant: ours})
	if len(res.Rows) != 3 {
		t.Fatalf("%d rows", len(res.Rows))
	}
	otherCSP, ourRow, none := res.Rows[0], res.Rows[1], res.Rows[2]
	if s := otherCSP.Subscription; s.Channel != domain.ChannelOtherCSP || !strings.Contains(s.Notes, trey) || s.Product != "Microsoft 365 Business Premium" ||
		s.Quantity != 85 || domain.FormatDate(s.TermEnd) != "2027-08-31" || s.Reference != "b2c3d4e5-1111-4b3c-9d4e-1f2a3b4c5d6e" {
		t.Errorf("another partner's: %+v", s)
	}
	if g := guess(otherCSP, "channel"); !strings.Contains(g, "Another CSP partner, because ownerTenantId "+trey+" is another partner's tenant") {
		t.Errorf("another partner's guess: %q", g)
	}
	if s := ourRow.Subscription; s.Channel != domain.ChannelUnknown || !strings.Contains(s.Notes, "Bought through us") {
		t.Errorf("ours: %+v", s)
	}
	if g := guess(ourRow, "channel"); !strings.Contains(g, "bought through us, to confirm, because ownerTenantId "+ours+" is our tenant") {
		t.Errorf("ours guess: %q", g)
	}
	if s := none.Subscription; s.Channel != domain.ChannelUnknown || !strings.Contains(s.Notes, "Trial") || s.Product != "Microsoft 365 Copilot" {
		t.Errorf("no owner: %+v", s)
	}
	if !strings.Contains(guess(none, "channel"), "no ownerTenantId") || guess(none, "notes") == "" {
		t.Errorf("no owner guesses: %v", none.Guesses)
	}
}

// TestQuotaIDFamilies holds the channel of each quota id family, the
// benefit read from the offer id, states noted, and az account list's
// missing quota id said.
func TestQuotaIDFamilies(t *testing.T) {
	res := parse(t, sample(t, "northwind-arm-subscriptions.json"), Options{PartnerTenant: ours, CustomerTenant: "8b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"})
	tests := []struct {
		channel domain.Channel
		offer   domain.OfferKind
		basis   string
		notes   string
	}{
		{domain.ChannelEA, domain.OfferOrdinary, "Microsoft Customer Agreement's Azure plan: confirm which", ""},
		{domain.ChannelMicrosoftDirect, domain.OfferOrdinary, "pay-as-you-go", ""},
		{domain.ChannelOtherCSP, domain.OfferOrdinary, "is a CSP partner's", "Status Warned (state)."},
		{domain.ChannelUnknown, domain.OfferBenefit, "Visual Studio offer", "Spending limit on"},
		{domain.ChannelOpen, domain.OfferOrdinary, "Azure in Open", "Status Disabled (state)."},
	}
	if len(res.Rows) != len(tests) {
		t.Fatalf("%d rows", len(res.Rows))
	}
	for i, tt := range tests {
		row := res.Rows[i]
		s := row.Subscription
		if s.Channel != tt.channel || s.OfferKind != tt.offer || s.ServiceType != domain.ServiceUsage || !strings.HasPrefix(s.Product, "Azure subscription (") ||
			!strings.Contains(guess(row, "channel"), tt.basis) || !strings.Contains(s.Notes, tt.notes) || s.Reference == "" {
			t.Errorf("row %d: %+v, %v", i, s, row.Guesses)
		}
	}
	// A CSP subscription our tenant manages is probably ours: not another partner's.
	managed := bytes.ReplaceAll(sample(t, "northwind-arm-subscriptions.json"), []byte(trey), []byte(ours))
	if s := parse(t, managed, Options{PartnerTenant: ours}).Rows[2]; s.Subscription.Channel != domain.ChannelUnknown || !strings.Contains(s.Subscription.Notes, "probably ours") {
		t.Errorf("CSP managed by us: %+v", s.Subscription)
	}

	az := parse(t, sample(t, "alpine-az-account-list.json"), Options{PartnerTenant: ours, CustomerTenant: other})
	if s := az.Rows[0].Subscription; s.Product != "Azure subscription (Alpine Ski House bookings)" || s.Channel != domain.ChannelUnknown ||
		s.Reference != "e5f6a7b8-1111-4e6f-8a7b-4c5d6e7f8091" || !strings.Contains(s.Notes, "not the customer's") {
		t.Errorf("az account list: %+v", s)
	}
	if !strings.Contains(guess(az.Rows[0], "channel"), "does not give the quota id") || !strings.Contains(az.Rows[1].Subscription.Notes, "Warned") {
		t.Errorf("az account list guesses: %v, %q", az.Rows[0].Guesses, az.Rows[1].Subscription.Notes)
	}
}

// TestEnvelopeAndBareArray: the same items read the same bare or in
// Graph's envelope.
func TestEnvelopeAndBareArray(t *testing.T) {
	items := `[{"skuPartNumber": "ENTERPRISEPACK", "prepaidUnits": {"enabled": 7}, "capabilityStatus": "Enabled"}]`
	for _, data := range []string{items, `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus", "value": ` + items + `}`} {
		res := parse(t, []byte(data), Options{})
		if res.Format != SubscribedSkus || len(res.Rows) != 1 || res.Rows[0].Subscription.Product != "Office 365 E3" || res.Rows[0].Subscription.Quantity != 7 {
			t.Errorf("%s: %+v", data, res)
		}
	}
}

// TestOtherJSONRefused: a JSON that is none of the exports is refused
// with a message naming what was expected.
func TestOtherJSONRefused(t *testing.T) {
	for _, data := range []string{`[{"foo": 1}]`, `{"items": []}`, `[]`, `{"value": [1]}`, `[{"skuPartNumber": "SPB"`} {
		_, err := Parse(strings.NewReader(data), Options{}, today)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "a JSON file must be one of Microsoft Graph subscribedSkus") {
			t.Errorf("%s: %v", data, err)
		}
	}
	if _, ok := Recognise([]byte(`[{"foo": 1}]`)); ok {
		t.Error("an unknown shape is recognised")
	}
	if !isJSON([]byte("\xef\xbb\xbf  \n[")) || isJSON([]byte("product,channel\n")) {
		t.Error("isJSON")
	}
}

// TestAnItemOfAnotherKindIsAnError: an item that is not of the first
// item's kind is an error on its line, and a bad date another.
func TestAnItemOfAnotherKindIsAnError(t *testing.T) {
	data := "[\n{\"skuPartNumber\": \"SPB\", \"totalLicenses\": 3, \"nextLifecycleDateTime\": \"soon\"},\n{\"subscriptionId\": \"x\", \"displayName\": \"y\"}\n]"
	res, err := Parse(strings.NewReader(data), Options{}, today)
	if err != nil || len(res.Errors) != 2 || res.Errors[0].Line != 2 || res.Errors[0].Column != "term_end" || res.Errors[1].Line != 3 {
		t.Errorf("%v %+v", err, res.Errors)
	}
}

// TestQuotaChannel holds every quota id family: its channel, whether the
// rules read a benefit, and the basis said.
func TestQuotaChannel(t *testing.T) {
	tests := []struct {
		quota   string
		managed bool
		channel domain.Channel
		offer   domain.OfferKind
		basis   string
	}{
		{"PayAsYouGo_2014-09-01", false, domain.ChannelMicrosoftDirect, domain.OfferOrdinary, "pay-as-you-go"},
		{"EnterpriseAgreement_2014-09-01", false, domain.ChannelEA, domain.OfferOrdinary, "confirm which"},
		{"CSP_2015-05-01", false, domain.ChannelOtherCSP, domain.OfferOrdinary, "not one our tenant manages"},
		{"CSP_2015-05-01", true, domain.ChannelUnknown, domain.OfferOrdinary, "our tenant manages it"},
		{"AzureInOpen_2014-09-01", false, domain.ChannelOpen, domain.OfferOrdinary, "Volume Licensing"},
		{"MSDN_2014-09-01", false, domain.ChannelUnknown, domain.OfferBenefit, "Visual Studio offer"},
		{"Sponsored_2016-01-01", false, domain.ChannelUnknown, domain.OfferBenefit, "sponsorship offer"},
		{"FreeTrial_2014-09-01", false, domain.ChannelUnknown, domain.OfferBenefit, "free trial offer"},
		{"AzurePass_2014-09-01", false, domain.ChannelUnknown, domain.OfferBenefit, "Azure Pass offer"},
		{"AzureForStudents_2018-01-01", false, domain.ChannelUnknown, domain.OfferBenefit, "Azure for Students offer"},
		{"MPN_2014-09-01", false, domain.ChannelUnknown, domain.OfferBenefit, "partner benefit offer"},
		{"MSDNDevTest_2014-09-01", false, domain.ChannelUnknown, domain.OfferOrdinary, "Dev/Test offer"},
		{"Internal_2014-09-01", false, domain.ChannelUnknown, domain.OfferOrdinary, "not one the import knows"},
		{"", false, domain.ChannelUnknown, domain.OfferOrdinary, "no quotaId"},
	}
	for _, tt := range tests {
		var sub domain.Subscription
		g, _ := quotaChannel(&sub, tt.quota, tt.managed)
		sub = sub.Normalize()
		if sub.Channel != tt.channel || sub.OfferKind != tt.offer || sub.OfferID != tt.quota || !strings.Contains(g.Basis, tt.basis) {
			t.Errorf("%s (managed %v): %s, %q, %q; guess %q", tt.quota, tt.managed, sub.Channel, sub.OfferKind, sub.OfferID, g.Basis)
		}
	}
}
