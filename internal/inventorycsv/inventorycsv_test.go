package inventorycsv

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/wingtip/multichannel/internal/domain"
)

// date returns a term end as the domain stores it: midnight UTC.
func date(s string) *time.Time {
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// want is the part of a subscription that the CSV carries.
type want struct {
	Product   string
	Service   domain.ServiceType
	Channel   domain.Channel
	Quantity  int
	TermEnd   string // YYYY-MM-DD or ""
	Reference string
	Notes     string
}

func got(s domain.Subscription) want {
	w := want{s.Product, s.ServiceType, s.Channel, s.Quantity, "", s.Reference, s.Notes}
	if s.TermEnd != nil {
		w.TermEnd = s.TermEnd.Format(domain.DateLayout)
	}
	return w
}

// mustParse parses a file that must have no file-level error.
// today is the day the tests parse on.
var today = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func mustParse(t *testing.T, file string) Result {
	t.Helper()
	res, err := Parse(strings.NewReader(file), today, Options{})
	if err != nil {
		t.Fatalf("Parse: unexpected file error: %v", err)
	}
	return res
}

func TestParseGoodFiles(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		lines []int
		want  []want
	}{
		{
			name: "shuffled columns and aliases",
			file: "Notes,Term End,reference,QUANTITY, Channel ,service-type,Product\n" +
				"first,2026-12-31,EA-123,250,Enterprise Agreement,licence,Microsoft 365 E3\n" +
				",,sub-1,,Web Direct,Azure,Azure plan\n" +
				",,,10,MOSP,license,Visio Plan 2\n" +
				",,Fabrikam,,CSP,usage,Azure\n" +
				",2027-01-31,OL-9,5,Volume Licensing,License,Project Plan 3\n" +
				",,,,,,Power BI Pro\n",
			lines: []int{2, 3, 4, 5, 6, 7},
			want: []want{
				{"Microsoft 365 E3", domain.ServiceLicence, domain.ChannelEA, 250, "2026-12-31", "EA-123", "first"},
				{"Azure plan", domain.ServiceUsage, domain.ChannelMicrosoftDirect, 0, "", "sub-1", ""},
				{"Visio Plan 2", domain.ServiceLicence, domain.ChannelMicrosoftDirect, 10, "", "", ""},
				{"Azure", domain.ServiceUsage, domain.ChannelOtherCSP, 0, "", "Fabrikam", ""},
				{"Project Plan 3", domain.ServiceLicence, domain.ChannelOpen, 5, "2027-01-31", "OL-9", ""},
				// The catalogue fills in the service type of a known product.
				{"Power BI Pro", domain.ServiceLicence, domain.ChannelUnknown, 0, "", "", ""},
			},
		},
		{
			name: "BOM and CRLF",
			file: "\uFEFFproduct,channel,quantity\r\n" +
				"Office 365 E1,advisor,3\r\n" +
				"\r\n" +
				"Microsoft 365 F3,ea,7\r\n",
			lines: []int{2, 4},
			want: []want{
				{"Office 365 E1", domain.ServiceLicence, domain.ChannelAdvisor, 3, "", "", ""},
				{"Microsoft 365 F3", domain.ServiceLicence, domain.ChannelEA, 7, "", "", ""},
			},
		},
		{
			name: "semicolon delimiter",
			file: "product;service type;channel;quantity;notes\n" +
				"Microsoft 365 E5;licence;third party reseller;1,500;seats, not users\n" +
				"\"Dynamics; Sales\";licence;open;2;\n",
			lines: []int{2, 3},
			want: []want{
				{"Microsoft 365 E5", domain.ServiceLicence, domain.ChannelThirdParty, 1500, "", "", "seats, not users"},
				{"Dynamics; Sales", domain.ServiceLicence, domain.ChannelOpen, 2, "", "", ""},
			},
		},
		{
			name: "quoted field with comma and newline",
			file: "product,notes,reference\n" +
				"Microsoft 365 E3,\"renewal, then\nsplit across\nthree lines\",R1\n" +
				"Office 365 E3,\"say \"\"hi\"\"\",R2\n" +
				"\n" +
				"Office 365 E5,,R3\n",
			lines: []int{2, 5, 7},
			want: []want{
				{"Microsoft 365 E3", domain.ServiceLicence, "", 0, "", "R1", "renewal, then\nsplit across\nthree lines"},
				{"Office 365 E3", domain.ServiceLicence, "", 0, "", "R2", `say "hi"`},
				{"Office 365 E5", domain.ServiceLicence, "", 0, "", "R3", ""},
			},
		},
		{
			name: "export columns are accepted and ignored",
			file: "subscription_id,product,workflow,reason\n" +
				"42,Azure plan,azure_transfer,\"Because, reasons\"\n",
			lines: []int{2},
			want:  []want{{"Azure plan", domain.ServiceUsage, "", 0, "", "", ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustParse(t, tt.file)
			if !res.OK() {
				t.Fatalf("unexpected row errors: %v", res.Errors)
			}
			if len(res.Rows) != len(tt.want) {
				t.Fatalf("got %d rows, want %d: %+v", len(res.Rows), len(tt.want), res.Rows)
			}
			for i, row := range res.Rows {
				if row.Line != tt.lines[i] {
					t.Errorf("row %d: line %d, want %d", i, row.Line, tt.lines[i])
				}
				if g := got(row.Subscription); g != tt.want[i] {
					t.Errorf("row %d:\n got %+v\nwant %+v", i, g, tt.want[i])
				}
			}
		})
	}
}

// A quoted newline must not throw off the line numbers of the errors after it.
func TestParseErrorLineAfterQuotedNewline(t *testing.T) {
	res := mustParse(t, "product,notes,channel\n"+
		"A,\"one\ntwo\",ea\n"+
		"B,,Moon\n")
	if len(res.Errors) != 1 || res.Errors[0].Line != 4 || res.Errors[0].Column != "channel" {
		t.Fatalf("errors = %+v, want one channel error on line 4", res.Errors)
	}
	if !strings.Contains(res.Errors[0].Message, `"Moon" is not a known channel; use one of: microsoft_direct, advisor,`) {
		t.Errorf("message = %q", res.Errors[0].Message)
	}
}

func TestParseBadRows(t *testing.T) {
	file := "product,service_type,channel,quantity,term_end,reference\n" + // 1
		"Microsoft 365 E3,licence,ea,10,2026-12-31,EA-1\n" + // 2
		"Microsoft 365 E5,licence,Moon,10,,\n" + // 3 bad channel
		"Office 365 E1,subscription,advisor,5,,\n" + // 4 bad service type
		"Azure plan,usage,ea,,,\n" + // 5
		"Office 365 E3,licence,open,ten,,\n" + // 6 bad quantity
		"Power BI Pro,licence,other_csp,3,31/13/2026,\n" + // 7 bad date: no 13th month
		",licence,ea,1,,EA-2\n" + // 8 empty product
		"Microsoft 365 F3,licence,ea,1,2027-06-30,\n" // 9
	res := mustParse(t, file)
	if res.OK() {
		t.Fatal("OK() = true for a file with bad rows")
	}
	type at struct {
		Line   int
		Column string
	}
	wantErrs := []at{{3, "channel"}, {4, "service_type"}, {6, "quantity"}, {7, "term_end"}, {8, "product"}}
	if len(res.Errors) != len(wantErrs) {
		t.Fatalf("got %d errors, want %d: %+v", len(res.Errors), len(wantErrs), res.Errors)
	}
	for i, e := range res.Errors {
		if (at{e.Line, e.Column}) != wantErrs[i] {
			t.Errorf("error %d at line %d column %q, want %+v", i, e.Line, e.Column, wantErrs[i])
		}
		if e.Message == "" {
			t.Errorf("error %d has no message", i)
		}
	}
	if !strings.Contains(res.Errors[2].Message, `"ten"`) || !strings.Contains(res.Errors[3].Message, `"31/13/2026" is not a date`) {
		t.Errorf("messages do not name the problem: %q, %q", res.Errors[2].Message, res.Errors[3].Message)
	}
	if res.Errors[4].Message != (domain.Subscription{}).Validate(today)["product"] {
		t.Errorf("product message = %q, want the domain's", res.Errors[4].Message)
	}
	if len(res.Rows) != 8 {
		t.Errorf("got %d rows, want all 8 for the preview", len(res.Rows))
	}
}

func TestParseMalformedRows(t *testing.T) {
	res := mustParse(t, "product,channel\n"+
		"A,ea\n"+
		"B,ea,extra\n"+ // 3 too many values
		"C\n"+ // 4 too few
		"D \"x\",ea\n"+ // 5 bare quote
		"E,ea\n")
	wantLines := []int{3, 4, 5}
	if len(res.Errors) != len(wantLines) {
		t.Fatalf("errors = %+v, want lines %v", res.Errors, wantLines)
	}
	for i, e := range res.Errors {
		if e.Line != wantLines[i] || e.Column != "" {
			t.Errorf("error %d = %+v, want a row error on line %d", i, e, wantLines[i])
		}
	}
	if !strings.Contains(res.Errors[0].Message, "3 values but the header has 2 columns") {
		t.Errorf("message = %q", res.Errors[0].Message)
	}
	if n := len(res.Rows); n != 2 || res.Rows[1].Line != 6 {
		t.Errorf("rows = %+v, want A and E (line 6)", res.Rows)
	}
}

func TestParseFileErrors(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		is      error  // sentinel, or nil for a *HeaderError
		mention string // part of the message
	}{
		{"empty file", "", nil, "empty"},
		{"only a BOM and blank lines", "\uFEFF\r\n\r\n", nil, "empty"},
		{"missing product", "channel,quantity\nea,1\n", nil, "product column is missing"},
		{"unknown column", "product,colour\nA,red\n", nil, `"colour" is not known`},
		{"duplicate column", "product,Service Type,service_type\nA,licence,usage\n", nil, "appears twice"},
		{"unnamed column", "product,,channel\nA,,ea\n", nil, "column 2 has no name"},
		{"UTF-16 cut short", "\xff\xfep\x00r\x00o", ErrNotText, "UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(tt.file), today, Options{})
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if tt.is != nil {
				if !errors.Is(err, tt.is) {
					t.Fatalf("err = %v, want %v", err, tt.is)
				}
			} else {
				var he *HeaderError
				if !errors.As(err, &he) {
					t.Fatalf("err = %T %v, want *HeaderError", err, err)
				}
				if !strings.Contains(err.Error(), strings.Join(inputColumns, ", ")) {
					t.Errorf("message %q does not list the expected columns", err)
				}
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("message %q does not mention %q", err, tt.mention)
			}
			if len(res.Rows) != 0 || len(res.Errors) != 0 {
				t.Errorf("result not empty on a file error: %+v", res)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	rows := func(n int) string {
		var b strings.Builder
		b.WriteString("product,quantity\r\n")
		for i := range n {
			fmt.Fprintf(&b, "Microsoft 365 E3,%d\r\n", i+1)
		}
		return b.String()
	}
	exactly := func(size int) string {
		head := "product,notes\nA,"
		return head + strings.Repeat("x", size-len(head))
	}

	t.Run("over 5 MB", func(t *testing.T) {
		_, err := Parse(strings.NewReader(exactly(MaxBytes+1)), today, Options{})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
		if err.Error() != "the file is larger than 5 MB" {
			t.Errorf("message = %q", err)
		}
	})
	t.Run("exactly 5 MB", func(t *testing.T) {
		res, err := Parse(strings.NewReader(exactly(MaxBytes)), today, Options{})
		if err != nil {
			t.Fatalf("err = %v, want none", err)
		}
		// The notes are too long, which is a row error, not a file error.
		if len(res.Errors) != 1 || res.Errors[0].Column != "notes" {
			t.Errorf("errors = %+v, want one notes error", res.Errors)
		}
	})
	t.Run("10,001 rows", func(t *testing.T) {
		_, err := Parse(strings.NewReader(rows(MaxRows+1)), today, Options{})
		if !errors.Is(err, ErrTooManyRows) {
			t.Fatalf("err = %v, want ErrTooManyRows", err)
		}
	})
	t.Run("exactly 10,000 rows", func(t *testing.T) {
		res, err := Parse(strings.NewReader(rows(MaxRows)+",\r\n\r\n"), today, Options{})
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if !res.OK() || len(res.Rows) != MaxRows {
			t.Fatalf("got %d rows and %d errors, want %d rows", len(res.Rows), len(res.Errors), MaxRows)
		}
		last := res.Rows[MaxRows-1]
		if last.Line != MaxRows+1 || last.Subscription.Quantity != MaxRows {
			t.Errorf("last row = line %d quantity %d", last.Line, last.Subscription.Quantity)
		}
	})
}

func TestGuard(t *testing.T) {
	tests := []struct{ in, out string }{
		{"=1+2", "'=1+2"},
		{"+44 20", "'+44 20"},
		{"-5", "'-5"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"}, // a value that looks guarded keeps its own quote
		{"'Contoso'", "'Contoso'"},
		{"plain", "plain"},
		{"", ""},
	}
	for _, tt := range tests {
		if g := Guard(tt.in); g != tt.out {
			t.Errorf("Guard(%q) = %q, want %q", tt.in, g, tt.out)
		}
		if g := unguard(tt.out); g != tt.in {
			t.Errorf("unguard(%q) = %q, want %q", tt.out, g, tt.in)
		}
	}
}

func TestParseHeaderOnly(t *testing.T) {
	for _, content := range []string{"product,channel\n", "product;channel\r\n\r\n;\r\n"} {
		if _, err := Parse(strings.NewReader(content), today, Options{}); !errors.Is(err, ErrNoRows) {
			t.Errorf("Parse(%q) = %v; want ErrNoRows", content, err)
		}
	}
}

// Every cell passes the app's text rule: NUL and control characters are
// refused, with their line and column, and so are line breaks and tabs in a
// one-line column; nothing of a refused cell reaches the preview.
func TestParseRefusesCellsThatAreNotText(t *testing.T) {
	res := mustParse(t, "product,reference,notes,reason\n"+ // 1
		"Microsoft 365 E3,EA-1,fine,\n"+ // 2
		"Office\x00 365 E1,,,\n"+ // 3 NUL
		"Office 365 E3,EA\x1b[2J,,\n"+ // 4 escape
		"\"0\r0\",,,\n"+ // 5 a lone CR in a one-line column
		"Azure plan,\"R\nS\",,\n"+ // 6 a line break in a one-line column
		"Visio Plan 2,R\tS,bell\a,\n"+ // 8 a tab in a one-line column, a bell in notes
		"Project Plan 3,,,because\x7f\n") // 9 DEL in an ignored column
	type at struct {
		Line    int
		Column  string
		Message string
	}
	want := []at{
		{3, "product", "the value holds a NUL character (U+0000)"},
		{4, "reference", "the value holds the control character U+001B"},
		{5, "product", "the value holds a line break, but must be one line"},
		{6, "reference", "the value holds a line break, but must be one line"},
		{8, "reference", "the value holds a tab, but must be one line of text"},
		{8, "notes", "the value holds the control character U+0007"},
		{9, "reason", "the value holds the control character U+007F"},
	}
	if len(res.Errors) != len(want) {
		t.Fatalf("errors = %+v, want %d", res.Errors, len(want))
	}
	for i, e := range res.Errors {
		if (at{e.Line, e.Column, e.Message}) != want[i] {
			t.Errorf("error %d = %+v, want %+v", i, e, want[i])
		}
	}
	for _, row := range res.Rows {
		s := row.Subscription
		for _, v := range []string{s.Product, s.Reference, s.Notes} {
			if _, err := domain.CleanText(v, true); err != nil {
				t.Errorf("line %d: %q reaches the preview", row.Line, v)
			}
		}
	}
}

// The line breaks of a multi-line cell are kept as LF, however the file
// wrote them: a CRLF inside quotes (which encoding/csv already reads as LF),
// a bare LF, or a lone CR, which the export could not write back.
func TestParseKeepsLineBreaksOfNotesAsLF(t *testing.T) {
	res := mustParse(t, "product,notes\r\n"+
		"A,\"one\r\ntwo\"\r\n"+
		"B,\"0\r0\"\r\n"+
		"C,\"x\ny\"\r\n")
	if !res.OK() {
		t.Fatalf("errors: %+v", res.Errors)
	}
	for i, want := range []string{"one\ntwo", "0\n0", "x\ny"} {
		if got := res.Rows[i].Subscription.Notes; got != want {
			t.Errorf("row %d: notes %q, want %q", i, got, want)
		}
	}
}

// terms is the part of a subscription that the columns of issue 12 carry.
type terms struct {
	Commerce  domain.Commerce
	Length    domain.TermLength
	Billing   domain.BillingFrequency
	AutoRenew domain.AutoRenew
	TermStart string
	OfferID   string
	Offer     domain.OfferKind
}

func termsOf(s domain.Subscription) terms {
	return terms{s.Commerce, s.TermLength, s.BillingFrequency, s.AutoRenew, domain.FormatDate(s.TermStart), s.OfferID, s.OfferKind}
}

// A file with the columns of before the term columns, as an export of then
// wrote it, imports as it did: the new fields are not known.
func TestParseTheColumnsOfBefore(t *testing.T) {
	res := mustParse(t, "product,service_type,channel,quantity,term_end,reference,notes,workflow,reason\r\n"+
		"Office 365 E3,licence,other_csp,120,2026-12-06,Litware Cloud Services,,wait_term_end,\"A licence, and why\"\r\n")
	if !res.OK() || len(res.Rows) != 1 {
		t.Fatalf("rows %+v errors %+v", res.Rows, res.Errors)
	}
	s := res.Rows[0].Subscription
	if g := got(s); g != (want{"Office 365 E3", domain.ServiceLicence, domain.ChannelOtherCSP, 120, "2026-12-06", "Litware Cloud Services", ""}) {
		t.Errorf("got %+v", g)
	}
	if g := termsOf(s); g != (terms{}) {
		t.Errorf("the terms of a file without their columns are %+v, want none", g)
	}
}

// The term columns and the offer id are read under their names and their
// aliases, in any case and spelling, with the values as Microsoft and
// people write them.
func TestParseTheTermColumnsAndTheirAliases(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []terms
	}{
		{
			name: "the export's names",
			file: "product,commerce,term_length,billing_frequency,auto_renew,term_start,offer_id\n" +
				"Microsoft 365 E3,nce,annual,monthly,on,2025-12-01,\n" +
				"Azure plan,,,,,,ms-azr-0003p\n",
			want: []terms{
				{domain.CommerceNCE, domain.TermAnnual, domain.BillingMonthly, domain.AutoRenewOn, "2025-12-01", "", ""},
				{OfferID: "MS-AZR-0003P"},
			},
		},
		{
			name: "aliases and Microsoft's values",
			file: "Product,Commerce Experience,Term Duration,Billing Cycle,Auto-renew,Start date,Quota ID\n" +
				"Microsoft 365 E5,New commerce,P1Y,Annual,Yes,2026-01-15,\n" +
				"Visio Plan 2,Legacy,P1M,monthly,No,,\n" +
				"Project Plan 3,,P3Y,triennial,,,\n" +
				"Azure (Visual Studio),,,,,,MSDN_2014-09-01\n",
			want: []terms{
				{domain.CommerceNCE, domain.TermAnnual, domain.BillingAnnual, domain.AutoRenewOn, "2026-01-15", "", ""},
				{domain.CommerceLegacy, domain.TermMonthly, domain.BillingMonthly, domain.AutoRenewOff, "", "", ""},
				{"", domain.TermThreeYears, domain.BillingTriennial, "", "", "", ""},
				{OfferID: "MSDN_2014-09-01", Offer: domain.OfferBenefit},
			},
		},
		{
			name: "more aliases",
			file: "product;NCE;term;billing plan;recurring billing;subscription start date;offer number\n" +
				"Microsoft 365 E3;NCE;1 year;yearly;off;2025-06-30;\n" +
				"Azure plan;;;;;;MS-AZR-0017P\n" +
				// A column named NCE may answer yes or no.
				"Office 365 E1;Yes;;;;;\n" +
				"Office 365 E3;no;;;;;\n",
			want: []terms{
				{domain.CommerceNCE, domain.TermAnnual, domain.BillingAnnual, domain.AutoRenewOff, "2025-06-30", "", ""},
				{OfferID: "MS-AZR-0017P"},
				{Commerce: domain.CommerceNCE},
				{Commerce: domain.CommerceLegacy},
			},
		},
		{
			name: "the last aliases",
			file: "product,autorenew,offer\nAzure plan,,MS-AZR-0044P\nOffice 365 E1,true,\n",
			want: []terms{{OfferID: "MS-AZR-0044P", Offer: domain.OfferBenefit}, {AutoRenew: domain.AutoRenewOn}},
		},
		{
			name: "Partner Center's field names",
			file: "product,termDuration,billingCycle,autoRenewEnabled\nMicrosoft 365 E3,P1M,annual,false\n",
			want: []terms{{Length: domain.TermMonthly, Billing: domain.BillingAnnual, AutoRenew: domain.AutoRenewOff}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustParse(t, tt.file)
			if !res.OK() || len(res.Rows) != len(tt.want) {
				t.Fatalf("rows %+v errors %+v", res.Rows, res.Errors)
			}
			for i, row := range res.Rows {
				if g := termsOf(row.Subscription); g != tt.want[i] {
					t.Errorf("line %d:\n got %+v\nwant %+v", row.Line, g, tt.want[i])
				}
			}
		})
	}
	// An alias and the column it stands for are the same column.
	if _, err := Parse(strings.NewReader("product,commerce,NCE\nA,nce,nce\n"), today, Options{}); err == nil ||
		!strings.Contains(err.Error(), `the column "NCE" appears twice (also as "commerce")`) {
		t.Errorf("a column under two names: %v", err)
	}
}

// A bad value in each of the term columns is a row error naming its column
// and what the value should be; the rest of the file is still checked.
func TestParseBadValuesOfTheTermColumns(t *testing.T) {
	res := mustParse(t, "product,commerce,term_length,billing_frequency,auto_renew,term_start,term_end,offer_id\n"+ // 1
		"Microsoft 365 E3,modern-ish,,,,,,\n"+ // 2
		"Microsoft 365 E3,,P2Y,,,,,\n"+ // 3
		"Microsoft 365 E3,,,weekly,,,,\n"+ // 4
		"Microsoft 365 E3,,,,sometimes,,,\n"+ // 5
		"Microsoft 365 E3,,,,,next week,,\n"+ // 6
		"Microsoft 365 E3,,,,,2027-01-01,2026-12-31,\n"+ // 7 starts after it ends
		"Azure plan,,,,,,,"+strings.Repeat("x", 101)+"\n"+ // 8
		"Microsoft 365 E3,nce,P1Y,monthly,on,2025-12-31,2026-12-31,\n") // 9
	type at struct {
		Line    int
		Column  string
		Mention string
	}
	want := []at{
		{2, "commerce", `"modern-ish" is not a known commerce experience; use NCE or legacy`},
		{3, "term_length", `"P2Y" is not a known term length; use P1M, P1Y or P3Y`},
		{4, "billing_frequency", `"weekly" is not a known billing frequency`},
		{5, "auto_renew", `"sometimes" is not an auto-renew setting; use on or off`},
		{6, "term_start", `"next week" is not a date; write it as 2026-12-31, 31/12/2026`},
		{7, "term_start", "The term must start before it ends."},
		{8, "offer_id", "Use at most 100 characters."},
	}
	if len(res.Errors) != len(want) {
		t.Fatalf("errors = %+v, want %d", res.Errors, len(want))
	}
	for i, e := range res.Errors {
		if e.Line != want[i].Line || e.Column != want[i].Column || !strings.Contains(e.Message, want[i].Mention) {
			t.Errorf("error %d = %+v, want %+v", i, e, want[i])
		}
	}
}

// TestParseTheDatesPartnersWrite: a file's numeric dates are read in the
// order the file shows; when every one fits both orders, in the order the
// uploader chose or else the customer country's, said as ambiguous; dates
// that contradict the order are errors with their line and column; ISO,
// dotted, written-out, date-time and Excel dates need no order.
func TestParseTheDatesPartnersWrite(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   string
		opts   Options
		want   DateReading
		ends   []string
		errors []string // line:column of each error
	}{
		{"a UK customer's file", "product,term_end\nA,31/12/2026\nB,01/07/2027\n", Options{Country: "US"},
			DateReading{Order: domain.DayFirst}, []string{"2026-12-31", "2027-07-01"}, nil},
		{"a US customer's file", "product,term_end\nA,12/31/2026\nB,07/01/2027\n", Options{Country: "GB"},
			DateReading{Order: domain.MonthFirst}, []string{"2026-12-31", "2027-07-01"}, nil},
		{"ambiguous, in Germany", "product,term_end\nA,01/07/2027\nB,03/04/2027\n", Options{Country: "DE"},
			DateReading{Order: domain.DayFirst, Ambiguous: true}, []string{"2027-07-01", "2027-04-03"}, nil},
		{"ambiguous, in the US", "product,term_end\nA,01/07/2027\nB,03/04/2027\n", Options{Country: "US"},
			DateReading{Order: domain.MonthFirst, Ambiguous: true}, []string{"2027-01-07", "2027-03-04"}, nil},
		{"ambiguous, chosen", "product,term_end\nA,01/07/2027\n", Options{Country: "US", DateOrder: domain.DayFirst},
			DateReading{Order: domain.DayFirst, Ambiguous: true, Chosen: true}, []string{"2027-07-01"}, nil},
		{"both orders in one file", "product,term_end,term_start\nA,31/12/2026,\nB,12/31/2026,\nC,2027-07-01,12/13/2026\n", Options{Country: "GB"},
			DateReading{Order: domain.DayFirst}, []string{"2026-12-31", "", "2027-07-01"}, []string{"3:term_end", "4:term_start"}},
		{"no numeric dates", "product,term_end,term_start\nA,2027-07-01T00:00:00Z,1 Jul 2026\nB,46569,01.07.2026\n", Options{},
			DateReading{}, []string{"2027-07-01", "2027-07-01"}, nil},
	} {
		res, err := Parse(strings.NewReader(tc.file), today, tc.opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.Dates != tc.want {
			t.Errorf("%s: dates read %+v, want %+v", tc.name, res.Dates, tc.want)
		}
		var ends []string
		for _, r := range res.Rows {
			ends = append(ends, domain.FormatDate(r.Subscription.TermEnd))
		}
		if !slices.Equal(ends, tc.ends) {
			t.Errorf("%s: term ends %q, want %q", tc.name, ends, tc.ends)
		}
		var errs []string
		for _, e := range res.Errors {
			errs = append(errs, fmt.Sprintf("%d:%s", e.Line, e.Column))
		}
		if !slices.Equal(errs, tc.errors) {
			t.Errorf("%s: errors %q (%+v), want %q", tc.name, errs, res.Errors, tc.errors)
		}
	}
}

// TestParseDecodesWhatExcelSaves: Excel's "CSV UTF-8" (with a BOM), its
// "Unicode Text" (UTF-16 with a BOM, tab-separated) and its plain "CSV" in
// Windows-1252 all read the same, and the result says which it was.
func TestParseDecodesWhatExcelSaves(t *testing.T) {
	utf16le := func(s string, bigEndian bool) string {
		var b strings.Builder
		if bigEndian {
			b.WriteString("\xfe\xff")
		} else {
			b.WriteString("\xff\xfe")
		}
		for _, u := range utf16.Encode([]rune(s)) {
			if bigEndian {
				b.WriteByte(byte(u >> 8))
				b.WriteByte(byte(u))
			} else {
				b.WriteByte(byte(u))
				b.WriteByte(byte(u >> 8))
			}
		}
		return b.String()
	}
	const text = "product,notes\r\nMicrosoft 365 E3,Café – “bis” 31 déc. €\r\n"
	for _, tc := range []struct {
		name string
		file string
		want Encoding
	}{
		{"UTF-8", text, EncodingUTF8},
		{"UTF-8 with a BOM", "\uFEFF" + text, EncodingUTF8},
		{"UTF-16 little-endian", utf16le(text, false), EncodingUTF16LE},
		{"UTF-16 big-endian", utf16le(text, true), EncodingUTF16BE},
		{"UTF-16, tab-separated as Excel's Unicode Text", utf16le(strings.ReplaceAll(text, ",", "\t"), false), EncodingUTF16LE},
		{"Windows-1252", "product,notes\r\nMicrosoft 365 E3,Caf\xe9 \x96 \x93bis\x94 31 d\xe9c. \x80\r\n", EncodingWindows1252},
	} {
		res, err := Parse(strings.NewReader(tc.file), today, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.Encoding != tc.want || len(res.Rows) != 1 || res.Rows[0].Subscription.Notes != "Café – “bis” 31 déc. €" ||
			res.Rows[0].Subscription.Product != "Microsoft 365 E3" {
			t.Errorf("%s: read as %s: %+v %+v", tc.name, res.Encoding, res.Rows, res.Errors)
		}
	}
}
