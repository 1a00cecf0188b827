package msexports

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// The contracts export of the Microsoft 365 admin center (Billing > Your
// products > Volume licensing > View contracts, then Export), a CSV file
// with one line per License ID. "View volume licensing contracts in the
// Microsoft 365 admin center"
// (https://learn.microsoft.com/microsoft-365/commerce/licenses/view-vl-contracts)
// lists its columns: License ID (the enrollment or agreement orders are
// placed under), Organization (the licensed customer), Location (city and
// country/region), Parent Program (the higher-level agreement: an
// Enterprise Agreement, a Select Plus agreement or an MBSA), End date (of
// the licence and its Software Assurance), Status and Volume licensing
// roles (who may see the contract, not what it licenses, so not read). The
// Contracts FAQ
// (https://learn.microsoft.com/microsoft-365/commerce/licenses/contracts-faq)
// names some of them Licensing ID, Parent Program Details and Roles, so
// those names are read too. The same page says MPSA, CSP and MCA purchases
// are not in the list: an MPSA row is still read, in case a partner's own
// sheet of the same columns has one.

// The columns the import reads, by what they hold.
const (
	vlLicenseID    = "License ID"
	vlOrganization = "Organization"
	vlLocation     = "Location"
	vlParent       = "Parent Program"
	vlEndDate      = "End date"
	vlStatus       = "Status"
	vlRoles        = "Volume licensing roles"
)

// contractNames are the header names of the export by domain.NameKey, and
// contractRequired the columns without which a header is not the export's.
var (
	contractNames = map[string]string{
		"licenseid": vlLicenseID, "licensingid": vlLicenseID, "licenceid": vlLicenseID,
		"organization": vlOrganization, "organisation": vlOrganization,
		"location":      vlLocation,
		"parentprogram": vlParent, "parentprogramdetails": vlParent,
		"enddate":              vlEndDate,
		"status":               vlStatus,
		"volumelicensingroles": vlRoles, "roles": vlRoles,
	}
	contractRequired = []string{vlLicenseID, vlParent, vlEndDate, vlStatus}
)

// contractColumns finds the export's columns in a header, whatever their
// order, case and spacing; ok is false unless it has every required one.
func contractColumns(header []string) (cols map[string]int, ok bool) {
	cols = map[string]int{}
	for i, name := range header {
		if col, known := contractNames[domain.NameKey(name)]; known {
			if _, twice := cols[col]; !twice {
				cols[col] = i
			}
		}
	}
	for _, col := range contractRequired {
		if _, ok := cols[col]; !ok {
			return nil, false
		}
	}
	return cols, true
}

// isContracts reports whether data is CSV text with the export's header.
func isContracts(data []byte) bool {
	header, ok := inventorycsv.TextHeader(data)
	if !ok {
		return false
	}
	_, ok = contractColumns(header)
	return ok
}

// parseContracts is Parse for the contracts export. The export's date
// order is not documented (the page lists the columns only, and the admin
// center writes dates as the signed-in user's settings do), so the End
// dates are read as inventorycsv reads a file's: in the order the uploader
// chose, else the one the dates show, else the customer country's usual
// one, which the preview then says is a proposal.
func parseContracts(data []byte, opts Options, today time.Time) (Result, error) {
	text, err := inventorycsv.ReadText(data)
	if err != nil {
		return Result{}, err
	}
	cols, ok := contractColumns(text.Header)
	if !ok {
		return Result{}, &FileError{Problem: "the file is not JSON, and its header is not the one of the Microsoft 365 admin center's " +
			"Volume Licensing contracts export (" + strings.Join(contractRequired, ", ") + ")"}
	}
	ends := make([]string, len(text.Records))
	for i, r := range text.Records {
		ends[i] = r.Cells[cols[vlEndDate]]
	}
	res := Result{Format: VLContracts, Encoding: text.Encoding, Errors: text.Errors,
		Dates: inventorycsv.ReadDates(ends, opts.DateOrder, opts.Country)}
	for _, r := range text.Records {
		row, errs := contractRow(r, cols, res.Dates.Order)
		row.Subscription = row.Subscription.Normalize()
		res.Rows = append(res.Rows, row)
		res.Errors = append(res.Errors, append(errs, check(row, today)...)...)
	}
	slices.SortStableFunc(res.Errors, func(a, b inventorycsv.RowError) int { return a.Line - b.Line })
	return res, nil
}

// contractRow is one License ID as a subscription: a licence whose
// reference is the License ID, whose term ends on the End date and whose
// channel the Parent Program suggests, with its status, organization and
// location in the notes.
func contractRow(r inventorycsv.TextRecord, cols map[string]int, order domain.DateOrder) (Row, []inventorycsv.RowError) {
	get := func(col string) string {
		if i, ok := cols[col]; ok {
			return strings.TrimSpace(r.Cells[i])
		}
		return ""
	}
	row := Row{Row: inventorycsv.Row{Line: r.Line}}
	sub := &row.Subscription
	var errs []inventorycsv.RowError
	problem := func(col, msg string) {
		errs = append(errs, inventorycsv.RowError{Line: r.Line, Column: col, Message: msg})
	}
	parent := get(vlParent)
	sub.Product = "Volume Licensing agreement (" + cmp.Or(parent, "no parent program") + ")"
	sub.ServiceType = domain.ServiceLicence
	row.Guesses = append(row.Guesses, Guess{Field: "service_type", Value: sub.ServiceType.Label(),
		Basis: "the contracts export lists agreements, not the products on them: the License ID's order details list those"})
	var channel Guess
	sub.Channel, channel = programChannel(parent)
	row.Guesses = append(row.Guesses, channel)

	if sub.Reference = get(vlLicenseID); sub.Reference == "" {
		problem("reference", "the License ID is empty; every contract of the export has one")
	}
	if end, ok := domain.ParseLooseDate(get(vlEndDate), order); ok {
		sub.TermEnd = end
	} else {
		msg := vlEndDate + " " + strconv.Quote(get(vlEndDate)) + " is not a date; write it as 2027-06-30 or 30 Jun 2027"
		if order.Valid() {
			msg += ", or " + strings.ToLower(order.Label()) + " as the file's other dates are"
		}
		problem("term_end", msg)
	}
	status := get(vlStatus)
	var statusNote string
	if status != "" {
		statusNote = "Status: " + status + "."
	}
	if strings.Contains(strings.ToLower(status), "expired") {
		statusNote = "Status: " + status + ", so the agreement has ended; kept for the customer's history."
		row.Guesses = append(row.Guesses, Guess{Field: "notes", Value: "expired",
			Basis: "Status " + strconv.Quote(status) + " says the agreement has ended: nothing on it is left to move"})
	}
	var place, org string
	if v := get(vlLocation); v != "" {
		place = "Location: " + v + "."
	}
	if v := get(vlOrganization); v != "" {
		org = "Organization on the contract: " + v + "."
	}
	sub.Notes = notes(statusNote, org, place)
	return row, errs
}

// programFamily is a Volume Licensing programme as Parent Program names
// it: the names it goes by (by domain.NameKey, matched as parts of the
// value, so "Select Plus Agreement" is Select Plus) and the channel.
type programFamily struct {
	names   []string
	channel domain.Channel
	basis   string
}

// programFamilies are tried in order. The admin center's licensing pages
// name the programmes Open License, Open Value, Open Value Subscription,
// Select, Select Plus, Enterprise and Enterprise Subscription
// (https://learn.microsoft.com/microsoft-365/commerce/licenses/view-vl-contracts,
// "View the license summary"); an Enterprise Enrollment, like the Server
// and Cloud Enrollment, is a License ID under an Enterprise Agreement. An MBSA is a master agreement that License
// IDs of several programmes sit under (the same page, "Before you begin"),
// so its channel is a proposal to confirm.
var programFamilies = []programFamily{
	{[]string{"enterprise", "serverandcloud"}, domain.ChannelEA,
		"is an Enterprise Agreement's (an enrollment, such as the Server and Cloud Enrollment, or an Enterprise Subscription)"},
	{[]string{"select"}, domain.ChannelOpen, "is Select or Select Plus, a Volume Licensing programme"},
	{[]string{"mpsa", "microsoftproductsandservices"}, domain.ChannelOpen, "is the MPSA, a Volume Licensing programme"},
	{[]string{"open"}, domain.ChannelOpen, "is Open License or Open Value, Volume Licensing for smaller organisations"},
	{[]string{"mbsa", "microsoftbusinessandservices"}, domain.ChannelOpen,
		"is an MBSA, the master agreement of Select Plus and the MPSA among others: confirm the programme"},
}

// programChannel is the channel a Parent Program suggests, with its basis;
// a programme none of the families names is not known.
func programChannel(parent string) (domain.Channel, Guess) {
	g := Guess{Field: "channel", Value: domain.ChannelUnknown.Label()}
	key := domain.NameKey(parent)
	if key == "" {
		g.Basis = "the contract has no Parent Program: to classify"
		return domain.ChannelUnknown, g
	}
	for _, f := range programFamilies {
		for _, name := range f.names {
			if strings.Contains(key, name) {
				g.Value, g.Basis = f.channel.Label(), "Parent Program "+strconv.Quote(parent)+" "+f.basis
				return f.channel, g
			}
		}
	}
	g.Basis = "Parent Program " + strconv.Quote(parent) + " is not a programme the import knows: to classify"
	return domain.ChannelUnknown, g
}
