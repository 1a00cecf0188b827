package inventorycsv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file reads a list of customers (/customers/import, issue 13): a CSV
// file or workbook with the same limits, decoding and mapping step as an
// inventory, whose rows are customers rather than subscriptions.

// The columns of a customer list, named as the customer form's fields, so
// that a problem of domain.Customer.Validate points at its column.
const (
	colName       = "name"
	colDomain     = "domain"
	colTenantID   = "tenant_id"
	colCountry    = "country"
	colAdminName  = "admin_name"
	colAdminEmail = "admin_email"
)

// customerFields are the columns of the app's own customer list, in order.
var customerFields = []string{colName, colDomain, colTenantID, colCountry, colAdminName, colAdminEmail}

// customerSynonyms are the names spreadsheets give the customer fields, by
// domain.NameKey. "Microsoft ID", "Company name" and "Primary domain name"
// are the columns of Partner Center's customer list export ("Manage your
// customer list",
// https://learn.microsoft.com/partner-center/customers/see-your-customer-list),
// whose Microsoft ID is the customer's tenant id; its other columns,
// Relationship and Tags, are known and not read (customerIgnored).
var customerSynonyms = map[string]string{
	"name": colName, "company": colName, "companyname": colName, "customer": colName, "customername": colName,
	"organization": colName, "organisation": colName, "organizationname": colName, "client": colName, "clientname": colName,
	"account": colName, "accountname": colName,

	"domain": colDomain, "primarydomain": colDomain, "primarydomainname": colDomain, "defaultdomain": colDomain,
	"tenantdomain": colDomain, "domainname": colDomain,

	"tenantid": colTenantID, "tenant": colTenantID, "microsoftid": colTenantID, "directoryid": colTenantID,
	"entratenantid": colTenantID, "azureadtenantid": colTenantID, "customertenantid": colTenantID,

	"country": colCountry, "countryregion": colCountry, "countrycode": colCountry, "region": colCountry,

	"adminname": colAdminName, "admin": colAdminName, "globaladmin": colAdminName, "globaladminname": colAdminName,
	"contact": colAdminName, "contactname": colAdminName, "itcontact": colAdminName, "primarycontact": colAdminName,

	"adminemail": colAdminEmail, "email": colAdminEmail, "emailaddress": colAdminEmail, "contactemail": colAdminEmail,
	"globaladminemail": colAdminEmail, "adminmail": colAdminEmail, "mail": colAdminEmail,
}

// partnerCenterColumns are the columns of Partner Center's export the list
// reads, by domain.NameKey: a header with them is that export.
var partnerCenterColumns = []string{"microsoftid", "companyname", "primarydomainname"}

// customerIgnored are the columns of Partner Center's export the list reads
// past: what partner the customer has (the verification of relationships
// reads it, on /relationships/verify) and the partner's own tags.
var customerIgnored = []string{"relationship", "tags"}

// customerFieldLabels name the customer fields for people.
var customerFieldLabels = map[string]string{
	colName: "Company name", colDomain: "Domain", colTenantID: "Tenant id (Microsoft ID)", colCountry: "Country",
	colAdminName: "Global admin's name", colAdminEmail: "Global admin's e-mail",
}

// customers is the schema of a customer list.
var customers = schema{kind: "customers:", fields: customerFields, required: []string{colName, colDomain},
	synonyms: customerSynonyms, canonical: customerColumn, noRows: ErrNoCustomers,
	own: func(name string) bool {
		return slices.Contains(customerFields, name) || slices.Contains(customerIgnored, name)
	}}

// customerColumn reduces a header cell to the customer column it names:
// one of ours by its name, or one of Partner Center's export.
func customerColumn(s string) string {
	key := domain.NameKey(s)
	if f, ok := customerSynonyms[key]; ok && slices.Contains(partnerCenterColumns, key) {
		return f
	}
	return canonicalColumn(s)
}

// InspectCustomers is Inspect for a customer list.
func InspectCustomers(data []byte, sheet string) (Shape, error) {
	t, err := Open(data, sheet)
	if err != nil {
		return Shape{}, err
	}
	return InspectCustomersTable(t)
}

// InspectCustomersTable is InspectCustomers for a list opened already.
func InspectCustomersTable(t *Table) (Shape, error) { return inspect(t, &customers) }

// CustomerFields are the fields a column of a customer list may be mapped to.
func CustomerFields() []string { return slices.Clone(customerFields) }

// FormatPartnerCenter names Partner Center's customer list export, the one
// customer list the app recognises by its header.
const FormatPartnerCenter = "Partner Center customer list (Customers, Export customers)"

// CustomerOptions are what the uploader says of a customer list: the sheet
// of a workbook, the country of the customers whose row has none (Partner
// Center's export has no country), and the mapping of a file whose header
// is not ours (nil for one that is).
type CustomerOptions struct {
	Sheet   string
	Country string
	Mapping *domain.ImportMapping
}

// CustomerResult is everything a customer list held: Rows even when there
// are errors, so that the preview shows what would be imported.
type CustomerResult struct {
	Rows     []domain.ListedCustomer
	Errors   []RowError
	Encoding Encoding
	Ignored  []string // the columns read past, by their names in the file
	// Sheet is the sheet of a workbook that was read, and Sheets all of
	// its sheets; empty for a CSV file.
	Sheet  string
	Sheets []string
	Format string // FormatPartnerCenter, or "" for any other list
}

// OK reports whether the list may be imported: all or nothing.
func (r CustomerResult) OK() bool { return len(r.Errors) == 0 }

// ErrNoCustomers says a list has a header and nothing under it.
var ErrNoCustomers = errors.New("the file has a header but no customers under it")

// ParseCustomers reads a customer list with the limits of Parse: every row
// a customer, normalised and checked by domain.Customer.ValidateListed,
// its country read by domain.CountryCode or, when empty, the uploader's;
// two rows with the same domain or tenant id are an error on the second.
// File-level problems are returned as errors, row problems in the result.
func ParseCustomers(data []byte, opts CustomerOptions) (CustomerResult, error) {
	t, err := Open(data, opts.Sheet)
	if err != nil {
		return CustomerResult{}, err
	}
	return ParseCustomersTable(t, opts)
}

// ParseCustomersTable is ParseCustomers for a list opened already;
// opts.Sheet is the sheet Open read. The table's cells are left as they
// are.
func ParseCustomersTable(t *Table, opts CustomerOptions) (CustomerResult, error) {
	m := opts.Mapping
	if m == nil {
		own := ownMapping(t.header)
		m = &own
	}
	if problems := (Shape{Header: t.header, schema: &customers}).Check(*m); len(problems) > 0 {
		return CustomerResult{}, &HeaderError{Problem: problems[0].Message}
	}
	if len(t.rows) == 0 {
		return CustomerResult{}, ErrNoCustomers
	}
	res := CustomerResult{Encoding: t.encoding, Sheet: t.sheet, Sheets: t.sheets}
	header := cleanHeader(t.header)
	if partnerCenterHeader(t.header) {
		res.Format = FormatPartnerCenter
	}
	names := make([]string, len(t.header))
	for i, f := range m.Fields {
		names[i] = f
		if f == "" {
			names[i] = customerColumn(t.header[i])
			res.Ignored = append(res.Ignored, header[i])
		}
	}
	firstLine := map[string]int{}
	for _, r := range t.rows {
		if r.err != nil {
			res.Errors = append(res.Errors, *r.err)
			continue
		}
		line, record := r.line, slices.Clone(r.record)
		errs := cleanCells(record, names, line)
		listed, more := customerOf(record, m.Fields, line, opts.Country)
		errs = append(errs, more...)
		for _, key := range []string{colDomain + "\x00" + listed.Customer.Domain, colTenantID + "\x00" + listed.Customer.TenantID} {
			col, value, _ := strings.Cut(key, "\x00")
			if value == "" {
				continue
			}
			if first, dup := firstLine[key]; dup {
				errs = append(errs, RowError{Line: line, Column: col, Message: fmt.Sprintf("%s is on line %d too; a customer is listed once", value, first)})
			} else {
				firstLine[key] = line
			}
		}
		res.Rows = append(res.Rows, listed)
		res.Errors = append(res.Errors, firstPerColumn(errs)...)
	}
	return res, nil
}

// ownMapping maps each column of a header of ours to its field, and the
// columns it reads past to none.
func ownMapping(header []string) domain.ImportMapping {
	m := domain.ImportMapping{Key: customers.kind + domain.HeaderKey(header), Fields: make([]string, len(header))}
	for i, cell := range header {
		if c := customerColumn(cell); slices.Contains(customerFields, c) {
			m.Fields[i] = c
		}
	}
	return m
}

// partnerCenterHeader reports whether a header has the columns of Partner
// Center's customer list export that the app reads.
func partnerCenterHeader(header []string) bool {
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = domain.NameKey(h)
	}
	for _, want := range partnerCenterColumns {
		if !slices.Contains(keys, want) {
			return false
		}
	}
	return true
}

// customerOf builds the customer of one row whose cells fields name, and
// the problems with it by column.
func customerOf(record, fields []string, line int, country string) (domain.ListedCustomer, []RowError) {
	cell := func(f string) string {
		if i := slices.Index(fields, f); i >= 0 {
			return unguard(record[i])
		}
		return ""
	}
	c := domain.Customer{Name: cell(colName), Domain: cell(colDomain), TenantID: cell(colTenantID),
		AdminName: cell(colAdminName), AdminEmail: cell(colAdminEmail)}
	var errs []RowError
	switch raw := strings.TrimSpace(cell(colCountry)); {
	case raw == "":
		c.Country = country
	default:
		code, ok := domain.CountryCode(raw)
		if !ok {
			errs = append(errs, RowError{Line: line, Column: colCountry,
				Message: fmt.Sprintf("%q is not a country; write its two-letter code, such as GB or US, or its name", raw)})
		}
		c.Country = code
	}
	c = c.Normalize()
	fieldErrs := c.ValidateListed()
	if _, noCountry := fieldErrs[colCountry]; noCountry && cell(colCountry) == "" {
		fieldErrs[colCountry] = "the row has no country; choose one on the upload form for the customers whose row has none"
	}
	for _, f := range customerFields {
		if msg, bad := fieldErrs[f]; bad {
			errs = append(errs, RowError{Line: line, Column: f, Message: msg})
		}
	}
	return domain.ListedCustomer{Line: line, Customer: c}, errs
}

// firstPerColumn keeps the first problem of each column, in column order:
// a second message for the same cell would only repeat the first.
func firstPerColumn(errs []RowError) []RowError {
	var out []RowError
	for _, e := range errs {
		if !slices.ContainsFunc(out, func(o RowError) bool { return o.Column == e.Column }) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b RowError) int {
		return customerRank(a.Column) - customerRank(b.Column)
	})
	return out
}

// customerRank orders a customer list's problems by column.
func customerRank(col string) int {
	if i := slices.Index(customerFields, col); i >= 0 {
		return i
	}
	return len(customerFields)
}
