package domain

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// This file reads Partner Center's customer list export and plans what it
// verifies (DESIGN §4: a relationship is active once verified by a Global
// admin or Admin agent, or found in a Partner Center export).
//
// Microsoft documents the file in "Manage your customer list"
// (https://learn.microsoft.com/en-us/partner-center/customers/see-your-customer-list):
// "Select Export customers ... as a .csv file. Data columns in the
// Customers.csv file include: Microsoft ID, Company name, Primary domain
// name, Relationship (the partner's business relationship to the customer,
// for example Cloud Reseller)", and today also Tags; "The export always
// provides the full list of customers; search settings or filtered data
// don't apply to the export", which is what makes "missing from the export"
// a sound warning; a partner in both CSP models "may see duplicate
// customers". No sample file is published, so the header is matched by name,
// in any order and case, and columns the app does not read are ignored.

// MaxExportBytes bounds an uploaded export: some 20,000 customers.
const MaxExportBytes = 2 << 20

// The columns of the export the app reads, as Partner Center names them.
const (
	exportColTenant       = "microsoft id"
	exportColName         = "company name"
	exportColDomain       = "primary domain name"
	exportColRelationship = "relationship"
)

var exportColumns = []string{exportColTenant, exportColName, exportColDomain, exportColRelationship}

// ExportCustomer is one customer of a Partner Center export: a tenant, merged
// when it appears on several lines.
type ExportCustomer struct {
	Line         int    // the first line it appears on
	TenantID     string // its Microsoft ID, in canonical form
	Name         string
	Domain       string // lower-case
	Relationship string // as Partner Center writes it, e.g. "Cloud Reseller"
}

// Reseller reports whether the row names a reseller relationship. Microsoft
// documents one value, "Cloud Reseller"; the column is read as open text and
// any value naming a reseller counts, so that wording Microsoft has not
// documented (an indirect reseller's) is not silently dropped. Other values
// are listed in the preview and change nothing.
func (c ExportCustomer) Reseller() bool {
	return strings.Contains(strings.ToLower(c.Relationship), "reseller")
}

// PartnerCenterExport is a parsed export: its customers, one per tenant, in
// the order of the file, and the SHA-256 of the file's bytes, which names it
// in the audit log and binds a preview to its confirmation.
type PartnerCenterExport struct {
	Customers []ExportCustomer
	SHA256    [sha256.Size]byte
}

// ExportProblem is one thing wrong in an export, at its line (1 is the
// header).
type ExportProblem struct {
	Line    int
	Message string
}

// ExportError refuses a malformed export with every problem found, in line
// order; nothing of such a file is used.
type ExportError struct{ Problems []ExportProblem }

// Error lists every problem with its line, for logs and tests.
func (e *ExportError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return "the Partner Center export cannot be read: " + strings.Join(parts, "; ")
}

// maxExportProblems bounds the list of problems: a file that is not an
// export at all would otherwise list every line.
const maxExportProblems = 50

// ParsePartnerCenterExport reads Partner Center's customer export: UTF-8
// with or without a BOM, CRLF or LF line ends, a header naming at least the
// columns Microsoft ID, Company name, Primary domain name and Relationship
// (any case, any order; Tags and unknown columns are ignored), every row
// with as many cells as the header and a GUID as its Microsoft ID. Lines
// with the same Microsoft ID are one customer, a reseller when any of its
// lines says so. A malformed file is an *ExportError with the line numbers.
func ParsePartnerCenterExport(data []byte) (PartnerCenterExport, error) {
	export := PartnerCenterExport{SHA256: sha256.Sum256(data)}
	refuse := func(line int, format string, args ...any) error {
		return &ExportError{Problems: []ExportProblem{{line, fmt.Sprintf(format, args...)}}}
	}
	if len(data) > MaxExportBytes {
		return export, refuse(1, "the file is larger than 2 MB")
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		valid := len(data)
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				valid = i
				break
			}
			i += size
		}
		return export, refuse(1+bytes.Count(data[:valid], []byte("\n")), "the file is not UTF-8 text, as Partner Center writes it")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return export, refuse(1, "the file is empty; export the customer list again from Partner Center (Customers, Export customers)")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // checked here, so that every short row is reported
	header, err := cr.Read()
	if err != nil {
		return export, refuse(1, "the header cannot be read: %v", csvReason(err))
	}
	index := map[string]int{}
	for i, name := range header {
		if key := strings.ToLower(strings.TrimSpace(name)); slices.Contains(exportColumns, key) {
			if _, twice := index[key]; twice {
				return export, refuse(1, "the column %q appears twice", strings.TrimSpace(name))
			}
			index[key] = i
		}
	}
	var missing []string
	for _, col := range []string{"Microsoft ID", "Company name", "Primary domain name", "Relationship"} {
		if _, ok := index[strings.ToLower(col)]; !ok {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		return export, refuse(1, "the header has no column %s; Partner Center's export names the columns Microsoft ID, Company name, Primary domain name, Relationship and Tags",
			strings.Join(missing, ", "))
	}
	var problems []ExportProblem
	byTenant := map[string]int{}
	for len(problems) < maxExportProblems {
		line, _ := cr.FieldPos(0)
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			problems = append(problems, ExportProblem{line, "the line cannot be read: " + csvReason(err)})
			continue
		}
		line, _ = cr.FieldPos(0)
		if len(record) != len(header) {
			problems = append(problems, ExportProblem{line, fmt.Sprintf("%d columns where the header has %d", len(record), len(header))})
			continue
		}
		cell := func(col string) string { return strings.TrimSpace(record[index[col]]) }
		c := ExportCustomer{Line: line, TenantID: NormalizeTenantID(cell(exportColTenant)), Name: cell(exportColName),
			Domain: strings.ToLower(strings.TrimSuffix(cell(exportColDomain), ".")), Relationship: cell(exportColRelationship)}
		if !guidPattern.MatchString(c.TenantID) {
			problems = append(problems, ExportProblem{line, fmt.Sprintf("the Microsoft ID %q is not a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47",
				cell(exportColTenant))})
			continue
		}
		if bad := badExportText(c); bad != "" {
			problems = append(problems, ExportProblem{line, bad})
			continue
		}
		if i, seen := byTenant[c.TenantID]; seen {
			if !export.Customers[i].Reseller() && c.Reseller() {
				export.Customers[i].Relationship = c.Relationship
			}
			continue
		}
		byTenant[c.TenantID] = len(export.Customers)
		export.Customers = append(export.Customers, c)
	}
	if len(problems) > 0 {
		return export, &ExportError{Problems: problems}
	}
	if len(export.Customers) == 0 {
		return export, refuse(2, "the file has a header but no customers under it")
	}
	return export, nil
}

// badExportText says which cell of c is not text the app keeps, or "".
func badExportText(c ExportCustomer) string {
	for _, cell := range []struct{ name, value string }{{"Company name", c.Name}, {"Primary domain name", c.Domain},
		{"Relationship", c.Relationship}} {
		if _, err := CleanText(cell.value, false); err != nil {
			return cell.name + " " + err.Error()
		}
	}
	return ""
}

// csvReason is the reader's complaint without its own line prefix.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ExportMatch says how an export customer was found among the app's.
type ExportMatch string

// How an export customer is matched: by tenant id first, then by primary
// domain for a customer the app knows without a tenant id.
const (
	MatchedByTenant ExportMatch = "tenant id"
	MatchedByDomain ExportMatch = "primary domain"
)

// ExportVerification is one request an export makes active.
type ExportVerification struct {
	Export   ExportCustomer
	Customer Customer
	Request  RelationshipRequest // as read for the preview
	Change   RelationshipChange  // RelationshipVerify or RelationshipVerifyPending
	By       ExportMatch
}

// ExportKnown is an export customer the app knows, with nothing to change.
type ExportKnown struct {
	Export   ExportCustomer
	Customer Customer
	By       ExportMatch
	Status   RelationshipStatus // effective state of its open request; empty when none
}

// Note says why nothing changes for k: it is active already, or has no
// open request to verify.
func (k ExportKnown) Note() string {
	if k.Status == StatusActive {
		return "Already active."
	}
	return "No open request to verify: send a new one from the customer's page if needed."
}

// ExportMismatch is an export customer whose primary domain is a customer's
// of the app with another tenant id: neither matched nor offered to create.
type ExportMismatch struct {
	Export   ExportCustomer
	Customer Customer
}

// ExportMissing is a relationship the app thinks active whose customer the
// export does not list as a reseller's.
type ExportMissing struct {
	Customer Customer
	Request  RelationshipRequest
}

// VerificationPlan is what an export would change, decided before anything
// changes: the preview shows it, and the confirmation applies it.
type VerificationPlan struct {
	Verify []ExportVerification
	// Known are reseller customers of the export already active in the app,
	// or with no open request (nothing to verify: a request ended in the
	// app while Microsoft still lists the relationship).
	Known []ExportKnown
	// Unknown are reseller customers of the export the app does not know:
	// offered to create, active from the export.
	Unknown []ExportCustomer
	// NotReseller are export rows whose relationship is not a reseller
	// relationship: listed, nothing changes.
	NotReseller []ExportCustomer
	Mismatched  []ExportMismatch
	// Missing are relationships the app thinks active that the export does
	// not list as a reseller's: a warning, since the export is the full list.
	Missing []ExportMissing
	// Country is what customers created from the export get: the partner's
	// own, since the export has none and Microsoft lets a partner create
	// customers only in its own region.
	Country string
}

// PlanVerification decides what export verifies among the app's customers
// and their open requests (by customer id, as read, each in its stored
// state) at now. A customer is matched by tenant id, then by primary domain
// (case-insensitive) when the app has no tenant id for it. A pending
// request past its expiry is not verified: it is listed as known with its
// effective state. partnerCountry is the country customers created from the
// export get.
func PlanVerification(export PartnerCenterExport, customers []Customer, open map[int64]RelationshipRequest, partnerCountry string,
	now time.Time) VerificationPlan {
	plan := VerificationPlan{Country: partnerCountry}
	byTenant, byDomain := map[string]Customer{}, map[string]Customer{}
	for _, c := range customers {
		if c.TenantID != "" {
			byTenant[c.TenantID] = c
		}
		byDomain[c.Domain] = c
	}
	found := map[int64]bool{}
	for _, row := range export.Customers {
		if !row.Reseller() {
			plan.NotReseller = append(plan.NotReseller, row)
			continue
		}
		c, ok := byTenant[row.TenantID]
		by := MatchedByTenant
		if !ok {
			if c, ok = byDomain[row.Domain]; ok && c.TenantID != "" {
				plan.Mismatched = append(plan.Mismatched, ExportMismatch{Export: row, Customer: c})
				continue
			}
			by = MatchedByDomain
		}
		if !ok {
			plan.Unknown = append(plan.Unknown, row)
			continue
		}
		found[c.ID] = true
		r, hasOpen := open[c.ID]
		known := ExportKnown{Export: row, Customer: c, By: by}
		if hasOpen {
			known.Status = r.Effective(now)
			for _, change := range []RelationshipChange{RelationshipVerify, RelationshipVerifyPending} {
				if _, err := r.Transition(change, now); err == nil {
					plan.Verify = append(plan.Verify, ExportVerification{Export: row, Customer: c, Request: r, Change: change, By: by})
					hasOpen = false
					break
				}
			}
			if !hasOpen {
				continue
			}
		}
		plan.Known = append(plan.Known, known)
	}
	for _, c := range customers {
		if r, ok := open[c.ID]; ok && r.Status == StatusActive && !found[c.ID] {
			plan.Missing = append(plan.Missing, ExportMissing{Customer: c, Request: r})
		}
	}
	return plan
}

// NewCustomer is the customer the app creates from an export row: its
// Microsoft ID, name and primary domain, in the plan's country. The export
// has no Global admin, so none is filled: the customer's page asks for one
// when it is edited.
func (p VerificationPlan) NewCustomer(row ExportCustomer) Customer {
	return Customer{Name: row.Name, Domain: row.Domain, TenantID: row.TenantID, Country: p.Country}.Normalize()
}

// CreateProblem says why the customer of export row cannot be created from
// the export, "" when it can: the first problem of its name, primary domain,
// Microsoft ID and country (ValidateFromExport). The preview shows it, and
// the confirmation creates only rows without one.
func (p VerificationPlan) CreateProblem(row ExportCustomer) string {
	errs := p.NewCustomer(row).ValidateFromExport()
	for _, field := range []string{"name", "domain", "tenant_id", "country"} {
		if problem, bad := errs[field]; bad {
			return problem
		}
	}
	for _, field := range slices.Sorted(maps.Keys(errs)) {
		return errs[field]
	}
	return ""
}

// ValidateFromExport checks a customer made from an export row: the rules of
// Validate but the Global admin, which the export does not hold.
func (c Customer) ValidateFromExport() FieldErrors {
	errs := c.Validate()
	delete(errs, "admin_name")
	delete(errs, "admin_email")
	return errs
}

// Fingerprint names the plan's decisions and the file they came from, so a
// confirmation can tell that it applies what the preview showed: a request
// changed, a customer created or a relationship ended since then changes
// the fingerprint.
func (p VerificationPlan) Fingerprint(export PartnerCenterExport) string {
	h := sha256.New()
	h.Write(export.SHA256[:])
	for _, v := range p.Verify {
		fmt.Fprintf(h, "v%d:%s:%d;", v.Request.ID, v.Request.Status, v.Customer.ID)
	}
	for _, k := range p.Known {
		fmt.Fprintf(h, "k%d:%s;", k.Customer.ID, k.Status)
	}
	for _, u := range p.Unknown {
		fmt.Fprintf(h, "u%s;", u.TenantID)
	}
	for _, m := range p.Mismatched {
		fmt.Fprintf(h, "m%s:%d;", m.Export.TenantID, m.Customer.ID)
	}
	for _, m := range p.Missing {
		fmt.Fprintf(h, "x%d;", m.Request.ID)
	}
	fmt.Fprintf(h, "c%s", p.Country)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// ExportApplication is a confirmed plan and what the audit keeps of its
// file: the plan as the confirmation recomputed it, the unknown customers
// chosen to be created, and the file's name, day and hash.
type ExportApplication struct {
	Plan       VerificationPlan
	Create     []ExportCustomer
	FileName   string
	ExportedOn time.Time // the day Partner Center exported the file, at midnight UTC
	Export     PartnerCenterExport
}

// Detail is the sentence each change the export makes records.
func (a ExportApplication) Detail() string {
	return "From the Partner Center export of " + a.ExportedOn.Format(DateLayout)
}

// ExportResult is what applying an export did: the requests verified, those
// skipped because they changed after the preview, the customers created
// and those not created because a customer with their domain or Microsoft
// ID appeared after the preview.
type ExportResult struct {
	ID         int64
	Verified   []ExportVerification
	Skipped    []ExportVerification
	Created    []Customer
	NotCreated []ExportCustomer
}
