package msexports

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wingtip/multichannel/internal/domain"
)

const contractsHeader = "License ID,Organization,Location,Parent Program,End date,Status,Volume licensing roles\n"

// utf16LE is text as Excel's "Unicode Text" saves it: UTF-16
// little-endian after its byte order mark.
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// TestContractsHeaderVariants: the export's header is recognised whatever
// its case, spacing, order, delimiter, byte order mark or encoding, and by
// the names the Contracts FAQ gives; a header without one of the columns
// read, a spreadsheet of the customer's and a workbook are not.
func TestContractsHeaderVariants(t *testing.T) {
	const row = `62345678,Woodgrove Bank,"New York, United States",Enterprise Agreement,2027-06-30,Active,Administrator` + "\n"
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"as documented", []byte(contractsHeader + row), true},
		{"case and spaces", []byte(" LICENSE ID , organization,LOCATION, parent  program ,END DATE, status ,Volume Licensing Roles\n" + row), true},
		{"semicolons", []byte("License ID;Organization;Location;Parent Program;End date;Status;Volume licensing roles\n" +
			"62345678;Woodgrove Bank;New York, United States;Enterprise Agreement;2027-06-30;Active;Administrator\n"), true},
		{"UTF-8 BOM", []byte("\uFEFF" + contractsHeader + row), true},
		{"UTF-16", utf16LE(contractsHeader + row), true},
		{"the FAQ's names, reordered", []byte("Licensing ID,Parent Program Details,Status,End date,Roles,Organization,Location\n" +
			`62345678,Enterprise Agreement,Active,2027-06-30,Administrator,Woodgrove Bank,"New York, United States"` + "\n"), true},
		{"no Status", []byte("License ID,Organization,Location,Parent Program,End date\n62345678,Woodgrove Bank,NY,Enterprise Agreement,2027-06-30\n"), false},
		{"a customer's sheet", []byte("Subscription,Type,Purchased from,Licences,Renewal date,Agreement / ID,Comments\nE3,Licence,EA,5,,,\n"), false},
		{"a workbook", []byte("PK\x03\x04" + contractsHeader), false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		f, ok := Recognise(tt.data)
		if ok != tt.ok || Recognised(tt.data) != tt.ok || !ok && f != FormatNone {
			t.Errorf("%s: recognised %q, %v (Recognised %v); want %v", tt.name, f, ok, Recognised(tt.data), tt.ok)
			continue
		}
		if !tt.ok {
			continue
		}
		res := parse(t, tt.data, Options{})
		if len(res.Rows) != 1 || res.Format != VLContracts {
			t.Fatalf("%s: %+v", tt.name, res)
		}
		s := res.Rows[0].Subscription
		if s.Reference != "62345678" || domain.FormatDate(s.TermEnd) != "2027-06-30" || s.Channel != domain.ChannelEA ||
			s.ServiceType != domain.ServiceLicence || s.Product != "Volume Licensing agreement (Enterprise Agreement)" ||
			!strings.Contains(s.Notes, "Location: New York, United States.") || !strings.Contains(s.Notes, "Organization on the contract: Woodgrove Bank.") {
			t.Errorf("%s: %+v", tt.name, s)
		}
	}
}

// TestProgramChannel holds the channel of each Parent Program family and
// the basis said; a programme it does not know, and none, are not known.
func TestProgramChannel(t *testing.T) {
	tests := []struct {
		parent  string
		channel domain.Channel
		basis   string
	}{
		{"Enterprise Agreement", domain.ChannelEA, "Enterprise Agreement's"},
		{"Enterprise Enrollment", domain.ChannelEA, "Enterprise Agreement's"},
		{"Enterprise Subscription", domain.ChannelEA, "Enterprise Subscription"},
		{"Server and Cloud Enrollment", domain.ChannelEA, "Server and Cloud Enrollment"},
		{"Select", domain.ChannelOpen, "Select Plus"},
		{"Select Plus Agreement", domain.ChannelOpen, "Select Plus"},
		{"MPSA", domain.ChannelOpen, "MPSA"},
		{"Microsoft Products and Services Agreement", domain.ChannelOpen, "MPSA"},
		{"Open Value", domain.ChannelOpen, "Open Value"},
		{"Open Value Subscription", domain.ChannelOpen, "Open Value"},
		{"Open License", domain.ChannelOpen, "Open License"},
		{"MBSA", domain.ChannelOpen, "confirm the programme"},
		{"Microsoft Business and Services Agreement (MBSA)", domain.ChannelOpen, "confirm the programme"},
		{"Campus and School Agreement", domain.ChannelUnknown, "not a programme the import knows"},
		{"", domain.ChannelUnknown, "no Parent Program"},
	}
	for _, tt := range tests {
		channel, g := programChannel(tt.parent)
		if channel != tt.channel || g.Field != "channel" || g.Value != channel.Label() || !strings.Contains(g.Basis, tt.basis) ||
			tt.parent != "" && !strings.Contains(g.Basis, `"`+tt.parent+`"`) {
			t.Errorf("%q: %s, %+v", tt.parent, channel, g)
		}
	}
}

// TestContractsSample reads Woodgrove's export: its dates month first (a
// 30th shows it), each row's channel, the expired one kept with a guess
// saying so, and the row without a parent program named as such.
func TestContractsSample(t *testing.T) {
	res := parse(t, sample(t, "woodgrove-vl-contracts.csv"), Options{Country: "US"})
	if res.Dates.Order != domain.MonthFirst || res.Dates.Ambiguous || res.Encoding != "UTF-8" {
		t.Errorf("dates %+v, encoding %q", res.Dates, res.Encoding)
	}
	want := []struct {
		ref, end string
		channel  domain.Channel
		expired  bool
	}{
		{"62345678", "2027-06-30", domain.ChannelEA, false},
		{"4561237", "2028-03-31", domain.ChannelOpen, false},
		{"V8811223", "2025-11-30", domain.ChannelOpen, true},
		{"87001234", "2027-12-31", domain.ChannelOpen, false},
		{"92110045", "2027-01-31", domain.ChannelUnknown, false},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows", len(res.Rows))
	}
	for i, w := range want {
		row := res.Rows[i]
		s := row.Subscription
		if s.Reference != w.ref || domain.FormatDate(s.TermEnd) != w.end || s.Channel != w.channel || row.Line != i+2 {
			t.Errorf("row %d (line %d): %+v", i, row.Line, s)
		}
		if got := guess(row, "notes") != ""; got != w.expired || w.expired != strings.Contains(s.Notes, "the agreement has ended") {
			t.Errorf("row %d: expired guess %v, notes %q", i, got, s.Notes)
		}
		if guess(row, "channel") == "" || guess(row, "service_type") == "" {
			t.Errorf("row %d: guesses %v", i, row.Guesses)
		}
	}
	if g := guess(res.Rows[2], "notes"); !strings.Contains(g, `Status "Expired" says the agreement has ended`) {
		t.Errorf("expired guess: %q", g)
	}
	if p := res.Rows[4].Subscription.Product; p != "Volume Licensing agreement (no parent program)" {
		t.Errorf("no parent program: %q", p)
	}
}

// TestContractsDateOrder: dates that fit either order are read in the
// order the uploader chose, else the customer's country's, and said to be
// a proposal.
func TestContractsDateOrder(t *testing.T) {
	data := []byte(contractsHeader + "62345678,Woodgrove Bank,New York,Enterprise Agreement,03/04/2027,Active,Administrator\n")
	tests := []struct {
		opts   Options
		end    string
		chosen bool
	}{
		{Options{Country: "GB"}, "2027-04-03", false},
		{Options{Country: "US"}, "2027-03-04", false},
		{Options{Country: "US", DateOrder: domain.DayFirst}, "2027-04-03", true},
	}
	for _, tt := range tests {
		res := parse(t, data, tt.opts)
		if got := domain.FormatDate(res.Rows[0].Subscription.TermEnd); got != tt.end || !res.Dates.Ambiguous || res.Dates.Chosen != tt.chosen {
			t.Errorf("%+v: %s, %+v", tt.opts, got, res.Dates)
		}
	}
}

// TestContractsErrors: a bad date is an error on its line and column, so
// is an empty License ID, and a row of the wrong width is one on its line;
// the file is then not importable, its good rows still shown.
func TestContractsErrors(t *testing.T) {
	data := contractsHeader +
		"62345678,Woodgrove Bank,New York,Enterprise Agreement,6/30/2027,Active,Administrator\n" +
		"4561237,Woodgrove Bank,London,Select Plus,31/31/2027,Active,Administrator\n" +
		",Woodgrove Bank,London,Open Value,1/31/2027,Active,Administrator\n" +
		"V8811223,Woodgrove Bank,London,Open Value\n"
	res, err := Parse(strings.NewReader(data), Options{Country: "US"}, today)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line   int
		column string
		text   string
	}{
		{3, "term_end", `End date "31/31/2027" is not a date`},
		{4, "reference", "the License ID is empty"},
		{5, "", "this row has 4 values but the header has 7 columns"},
	}
	if res.OK() || len(res.Errors) != len(want) || len(res.Rows) != 3 {
		t.Fatalf("%d rows, errors %v", len(res.Rows), res.Errors)
	}
	for i, w := range want {
		if e := res.Errors[i]; e.Line != w.line || e.Column != w.column || !strings.Contains(e.Message, w.text) {
			t.Errorf("error %d: %+v; want line %d, column %q, %q", i, e, w.line, w.column, w.text)
		}
	}
	if !strings.Contains(res.Errors[0].Message, "month first") {
		t.Errorf("the date error does not say the file's order: %q", res.Errors[0].Message)
	}
}
