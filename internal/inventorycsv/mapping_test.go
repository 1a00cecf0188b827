package inventorycsv

import (
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestSuggestField is the synonym table: the names partners' spreadsheets
// give the fields, however they are spelt.
func TestSuggestField(t *testing.T) {
	for name, want := range map[string]string{
		"Product": colProduct, "Subscription": colProduct, "SKU": colProduct, "Licence name": colProduct, "Product name": colProduct,
		"Type": colServiceType, "Service type": colServiceType, "service_type": colServiceType,
		"Channel": colChannel, "Purchased from": colChannel, "Source": colChannel, "Agreement type": colChannel, "Bought from": colChannel,
		"Seats": colQuantity, "Quantity": colQuantity, "Licences": colQuantity, "Licenses": colQuantity, "Total licenses": colQuantity, "Units": colQuantity,
		"Term end": colTermEnd, "Renewal date": colTermEnd, "Expiry": colTermEnd, "Expiration date": colTermEnd, "End date": colTermEnd,
		"Next lifecycle date": colTermEnd, "nextLifecycleDateTime": colTermEnd,
		"Reference": colReference, "Agreement": colReference, "Agreement / ID": colReference, "Licence ID": colReference,
		"License id": colReference, "Enrollment": colReference, "Subscription ID": colReference,
		"Notes": colNotes, "Comments": colNotes, "Remarks": colNotes,
		"Commerce experience": colCommerce, "Term duration": colTermLength, "Billing cycle": colBilling, "Auto-renew": colAutoRenew,
		"Start date": colTermStart, "Offer ID": colOfferID,
		"Cost centre": "", "": "", "Workflow": "",
	} {
		if got := SuggestField(name); got != want {
			t.Errorf("SuggestField(%q) = %q; want %q", name, got, want)
		}
	}
}

const natural = "Subscription,Type,Purchased from,Licences,Renewal date,Agreement / ID,Comments,Cost centre\n" +
	"Microsoft 365 E3,Licence,Pay-as-you-go,25,31/12/2026,,,1\n" +
	"Power BI Pro,licence,pay-as-you-go,10,15/01/2027,,,1\n" +
	"Visio Plan 2,Licence,Pay-as-you-go ,3,28/02/2027,,,2\n" +
	"Project Plan 3,Licence,PAY-AS-YOU-GO,2,30/06/2027,,,2\n" +
	"Microsoft 365 Business Premium,Licence,Reseller (Pinnacle IT),40,31/03/2027,,,3\n" +
	"Exchange Online Plan 1,Per-user plan,Reseller (Pinnacle IT),5,30/04/2027,PIN-778,,3\n" +
	"Azure,Azure,Enterprise Agreement,,30/04/2027,,,3\n"

// TestInspectAndMapping holds the mapping step's rules: a header not ours
// needs a mapping and a header of ours does not; the proposal follows the
// synonyms; unknown values are listed once with their count and a
// suggestion; a field mapped twice and a missing product are problems; the
// file parsed with the mapping reads the values as mapped, carries the
// seller into an empty reference and leaves the unknown column out.
func TestInspectAndMapping(t *testing.T) {
	if s, err := Inspect([]byte("product,channel,subscription_id\nE3,ea,x\n"), ""); err != nil || !s.Own {
		t.Errorf("our own header: %+v, %v; want Own", s, err)
	}
	s, err := Inspect([]byte(natural), "")
	if err != nil || s.Own {
		t.Fatalf("Inspect: %+v, %v", s, err)
	}
	if s.Key != "subscription|type|purchasedfrom|licences|renewaldate|agreementid|comments|costcentre" {
		t.Errorf("Key = %q", s.Key)
	}
	if got := s.Samples(0); strings.Join(got, ";") != "Microsoft 365 E3;Power BI Pro;Visio Plan 2" {
		t.Errorf("Samples(0) = %q", got)
	}
	m := s.Suggest()
	if got := strings.Join(m.Fields, ","); got != "product,service_type,channel,quantity,term_end,reference,notes," {
		t.Errorf("suggested fields %s", got)
	}
	values := s.Values(m)
	want := []Value{
		{Field: colChannel, Value: "Pay-as-you-go", Key: "pay-as-you-go", Count: 4, Mapped: true},
		{Field: colChannel, Value: "Reseller (Pinnacle IT)", Key: "reseller (pinnacle it)", Count: 2, Mapped: true},
		{Field: colServiceType, Value: "Per-user plan", Key: "per-user plan", Count: 1, Mapped: true},
	}
	if len(values) != len(want) {
		t.Fatalf("Values = %+v", values)
	}
	for i := range want {
		if values[i] != want[i] {
			t.Errorf("Values[%d] = %+v; want %+v", i, values[i], want[i])
		}
	}
	if m.Channels["pay-as-you-go"] != domain.ChannelMicrosoftDirect || m.Channels["reseller (pinnacle it)"] != domain.ChannelThirdParty ||
		m.ServiceTypes["per-user plan"] != domain.ServiceLicence {
		t.Errorf("suggested values %+v %+v", m.Channels, m.ServiceTypes)
	}
	if p := s.Check(m); len(p) != 0 {
		t.Errorf("Check(suggested) = %+v", p)
	}
	twice := m
	twice.Fields = append([]string(nil), m.Fields...)
	twice.Fields[6] = colProduct
	if p := s.Check(twice); len(p) != 1 || p[0].Column != 6 || !strings.Contains(p[0].Message, `already filled from the column "Subscription"`) {
		t.Errorf("Check(product twice) = %+v", p)
	}
	none := m
	none.Fields = make([]string, len(m.Fields))
	if p := s.Check(none); len(p) != 1 || p[0].Column != -1 || !strings.Contains(p[0].Message, "product") {
		t.Errorf("Check(all ignored) = %+v", p)
	}
	short := domain.ImportMapping{Fields: []string{colProduct}}
	if p := s.Check(short); len(p) != 1 || p[0].Column != -1 {
		t.Errorf("Check(a short mapping) = %+v", p)
	}
	if filled := s.Fill(short); len(filled.Fields) != len(s.Header) || filled.Channels["pay-as-you-go"] != domain.ChannelMicrosoftDirect {
		t.Errorf("Fill(a short mapping) = %+v", filled)
	}
	unmapped := m
	unmapped.Channels = map[string]domain.Channel{"pay-as-you-go": domain.ChannelMicrosoftDirect}
	if p := s.Check(unmapped); len(p) != 1 || !strings.Contains(p[0].Message, "Reseller (Pinnacle IT)") {
		t.Errorf("Check(a value without a choice) = %+v", p)
	}

	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	res, err := Parse(strings.NewReader(natural), today, Options{Country: "GB", Mapping: &m})
	if err != nil || !res.OK() || len(res.Rows) != 7 {
		t.Fatalf("Parse with the mapping: %+v, %v", res, err)
	}
	first, premium, exchange := res.Rows[0].Subscription, res.Rows[4].Subscription, res.Rows[5].Subscription
	if first.Channel != domain.ChannelMicrosoftDirect || first.Quantity != 25 ||
		domain.FormatDate(first.TermEnd) != "2026-12-31" || first.Reference != "" {
		t.Errorf("first row %+v", first)
	}
	if premium.Channel != domain.ChannelThirdParty || premium.Reference != "Pinnacle IT" {
		t.Errorf("a reseller's row without a reference: %+v", premium)
	}
	if exchange.Reference != "PIN-778" || exchange.ServiceType != domain.ServiceLicence {
		t.Errorf("a reseller's row with its own reference: %+v", exchange)
	}
	if res.Rows[6].Subscription.Channel != domain.ChannelEA {
		t.Errorf("a value the aliases know: %+v", res.Rows[6].Subscription)
	}
}

// FuzzInspectAndMap: whatever the file, Inspect and the mapping's rules do
// not panic, the proposal never maps a field twice, and a file whose
// proposal passes Check parses with it without a file-level error.
func FuzzInspectAndMap(f *testing.F) {
	f.Add([]byte(natural))
	f.Add([]byte("Product;Type;Source\nE3;Azure;CSP (Northwind)\n"))
	f.Add([]byte("a,b\n\"x,y\n"))
	f.Add([]byte("Subscription,Subscription\nE3,E5\n"))
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Inspect(data, "")
		if err != nil || s.Own {
			return
		}
		m := s.Suggest()
		seen := map[string]bool{}
		for _, field := range m.Fields {
			if field != "" && seen[field] {
				t.Fatalf("the proposal maps %s twice: %q", field, m.Fields)
			}
			seen[field] = true
		}
		for i := range s.Header {
			if len(s.Samples(i)) > SampleRows {
				t.Fatalf("more than %d samples", SampleRows)
			}
		}
		if len(s.Check(m)) > 0 {
			return
		}
		if _, err := Parse(strings.NewReader(string(data)), today, Options{Mapping: &m}); err != nil {
			t.Fatalf("Parse with a mapping that passed Check: %v", err)
		}
	})
}
