package inventorycsv

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wingtip/multichannel/internal/domain"
)

// FuzzParse feeds the parser arbitrary files. Whatever the bytes, it must
// not panic, must answer either a file-level error or a result, and a
// result must hold its promises: errors and rows point at lines of the
// file in order, every value is valid UTF-8 text, and a file without
// errors holds only subscriptions the domain accepts. `make test` runs it
// for a few seconds, `make fuzz` for longer.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"product,service_type,channel,quantity,term_end,reference,notes\nMicrosoft 365 E3,licence,ea,10,2026-12-31,EA-1,\n",
		"\uFEFFproduct;channel;term_end\nA;Web Direct;31/12/2026\nB;CSP;01/07/2027\n",
		"product\tnotes\r\nA\tCaf\xe9\r\n",
		"\xff\xfep\x00r\x00o\x00d\x00u\x00c\x00t\x00\n\x00A\x00\n\x00",
		"product,term_end,term_start\nA,03/04/2027,46569\nB,\"x\n\"\"y\",1 Jul 2027\n",
		"product,commerce,term_length,billing_frequency,auto_renew,offer_id\nAzure,nce,P1Y,monthly,on,MS-AZR-0063P\n",
		"=cmd,+1\n@SUM(1),2\n",
	} {
		f.Add([]byte(seed))
	}
	today := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, order := range []domain.DateOrder{domain.DateOrderUnknown, domain.DayFirst, domain.MonthFirst} {
			res, err := Parse(bytes.NewReader(data), today, Options{DateOrder: order, Country: "GB"})
			if err != nil {
				if len(res.Rows) != 0 || len(res.Errors) != 0 {
					t.Fatalf("a file-level error %v with a result %+v", err, res)
				}
				continue
			}
			last := 0
			for _, e := range res.Errors {
				if e.Line < 2 || e.Message == "" {
					t.Fatalf("error %+v points at no line of the rows", e)
				}
			}
			for _, r := range res.Rows {
				if r.Line < 2 || r.Line < last {
					t.Fatalf("row at line %d after line %d", r.Line, last)
				}
				last = r.Line
				s := r.Subscription
				for _, v := range []string{s.Product, s.Reference, s.Notes, s.OfferID} {
					if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
						t.Fatalf("row %d keeps %q, not text", r.Line, v)
					}
				}
				if res.OK() {
					if errs := s.Validate(today); errs.Any() {
						t.Fatalf("a file without errors holds an invalid subscription %+v: %v", s, errs)
					}
				}
			}
		}
	})
}

// FuzzParseCustomers holds the customer list's parser on any bytes, with
// the mapping its synonyms propose: it returns a file-level error or a
// result, every row and problem points at a line of the rows, and a list
// without problems holds only customers the app would keep.
func FuzzParseCustomers(f *testing.F) {
	f.Add([]byte("Microsoft ID,Company name,Primary domain name,Relationship,Tags\n" +
		"6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607,Contoso Ltd,contoso.onmicrosoft.com,Cloud Reseller,\n"))
	f.Add([]byte("Client;Primary domain;Country;IT contact;Contact email\nAdatum;adatum.com;France;Isaiah;isaiah@adatum.com\n"))
	f.Add([]byte("name,domain\n\"Fabrikam, Inc.\",fabrikam.com\nFabrikam,FABRIKAM.COM\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := InspectCustomers(data, "")
		if err != nil {
			return
		}
		m := s.Suggest()
		if len(s.Check(m)) > 0 {
			return
		}
		res, err := ParseCustomers(data, CustomerOptions{Country: "GB", Mapping: &m})
		if err != nil {
			return
		}
		for _, e := range res.Errors {
			if e.Line < 2 || e.Message == "" {
				t.Fatalf("error %+v points at no line of the rows", e)
			}
		}
		for _, r := range res.Rows {
			if r.Line < 2 {
				t.Fatalf("row at line %d", r.Line)
			}
			if res.OK() {
				if errs := r.Customer.ValidateListed(); errs.Any() {
					t.Fatalf("a list without problems holds %+v: %v", r.Customer, errs)
				}
			}
		}
	})
}
