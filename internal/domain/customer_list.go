package domain

import (
	"crypto/sha256"
	"fmt"
	"slices"
)

// This file decides what a list of customers uploaded on /customers/import
// does (issue 13): each row creates a customer, or matches one the app
// knows and fills in what the app does not know yet, such as its Microsoft
// ID from Partner Center's customer list. The plan is decided before
// anything is written; the preview shows it and the confirmation applies
// it as shown.

// ListedCustomer is one row of an uploaded customer list, as read.
type ListedCustomer struct {
	Line     int
	Customer Customer // normalised
}

// ValidateListed checks a customer read from a list: the rules of Validate,
// but a Global admin that the list leaves out (Partner Center's customer
// list has none) is asked for later, as for a customer created from an
// export. One given must be complete.
func (c Customer) ValidateListed() FieldErrors {
	if c.AdminName == "" && c.AdminEmail == "" {
		return c.ValidateFromExport()
	}
	return c.Validate()
}

// CustomerListAction is what a row of a customer list does.
type CustomerListAction string

// The actions of a customer list's rows.
const (
	ListCreates CustomerListAction = "create" // a customer the app does not know
	ListFills   CustomerListAction = "fill"   // a known customer, with details it lacks
	ListKnown   CustomerListAction = "known"  // a known customer, nothing to change
)

// CustomerListRow is what one row of a list does: the customer it creates,
// or the known customer it matches (By) and the fields it fills there.
type CustomerListRow struct {
	Listed   ListedCustomer
	Action   CustomerListAction
	Existing Customer    // the known customer matched; zero when the row creates one
	By       ExportMatch // how Existing was matched
	Fills    []string    // the fields filled in Existing, by FieldErrors key
	// Note says what the row has that the app keeps otherwise: the domain
	// the list gives a customer matched by tenant id; "" for nothing.
	Note string
	// Problem says why the row can be neither created nor matched; a plan
	// with one is not applied.
	Problem string
}

// Result is the customer as the row leaves it: the new one, or the known
// one with the fields filled.
func (r CustomerListRow) Result() Customer {
	if r.Action == ListCreates {
		return r.Listed.Customer
	}
	c, l := r.Existing, r.Listed.Customer
	for _, f := range r.Fills {
		switch f {
		case "tenant_id":
			c.TenantID = l.TenantID
		case "admin_name":
			c.AdminName = l.AdminName
		case "admin_email":
			c.AdminEmail = l.AdminEmail
		}
	}
	return c
}

// CustomerListPlan is what a customer list does, row by row in file order.
type CustomerListPlan struct {
	Rows []CustomerListRow
}

// Counts are how many rows create a customer, fill one and leave one as it is.
func (p CustomerListPlan) Counts() (creates, fills, known int) {
	for _, r := range p.Rows {
		switch r.Action {
		case ListCreates:
			creates++
		case ListFills:
			fills++
		case ListKnown:
			known++
		}
	}
	return creates, fills, known
}

// Problems are the rows that block the plan.
func (p CustomerListPlan) Problems() []CustomerListRow {
	return slices.DeleteFunc(slices.Clone(p.Rows), func(r CustomerListRow) bool { return r.Problem == "" })
}

// Fingerprint names the plan's decisions, the customers as they would be
// written and the file they came from (fileSum), so that a confirmation
// applies what its preview showed: a customer created or changed since
// then, or the file read through another mapping, changes it.
func (p CustomerListPlan) Fingerprint(fileSum [sha256.Size]byte) string {
	h := sha256.New()
	h.Write(fileSum[:])
	for _, r := range p.Rows {
		c := r.Result()
		fmt.Fprintf(h, "%d:%s:%d:%d:%q:%q:%q:%q:%q:%q;", r.Listed.Line, r.Action, r.Existing.ID, r.Existing.Version,
			c.Name, c.Domain, c.TenantID, c.Country, c.AdminName, c.AdminEmail)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// PlanCustomerList decides what each listed customer does among the known
// customers that share a tenant id or a domain with the list. A row is
// matched by tenant id first, then by domain; a known customer matched by
// domain that has another tenant id is a problem (two tenants cannot be one
// customer). The tenant id is the stronger identity: a customer it matches
// under another domain (Partner Center lists the .onmicrosoft.com domain,
// people often enter the customer's own) is matched, with a note. A match
// fills the tenant id and the Global admin the app lacks, and changes
// nothing it has: the name, the domain and the country stay as people
// entered them.
func PlanCustomerList(listed []ListedCustomer, known []Customer) CustomerListPlan {
	byTenant, byDomain := map[string]Customer{}, map[string]Customer{}
	for _, c := range known {
		if c.TenantID != "" {
			byTenant[c.TenantID] = c
		}
		byDomain[c.Domain] = c
	}
	var plan CustomerListPlan
	for _, l := range listed {
		row := CustomerListRow{Listed: l, Action: ListCreates}
		lc := l.Customer
		c, found := byTenant[lc.TenantID]
		row.By = MatchedByTenant
		switch {
		case found && c.Domain != lc.Domain:
			row.Note = fmt.Sprintf("The list gives the domain %s; the app keeps %s.", lc.Domain, c.Domain)
		case !found:
			c, found = byDomain[lc.Domain]
			row.By = MatchedByDomain
			if found && c.TenantID != "" && lc.TenantID != "" && c.TenantID != lc.TenantID {
				row.Problem = fmt.Sprintf("The domain %s is %s's, whose tenant id is %s, not %s.", lc.Domain, c.Name, c.TenantID, lc.TenantID)
			}
		}
		if !found {
			row.By = ""
			plan.Rows = append(plan.Rows, row)
			continue
		}
		row.Existing, row.Action = c, ListKnown
		if row.Problem == "" {
			row.Fills = fills(c, lc)
			if len(row.Fills) > 0 {
				row.Action = ListFills
			}
		}
		plan.Rows = append(plan.Rows, row)
	}
	return plan
}

// fills are the fields of known customer c that listed customer l fills:
// those c leaves empty and l has.
func fills(c, l Customer) []string {
	var out []string
	if c.TenantID == "" && l.TenantID != "" {
		out = append(out, "tenant_id")
	}
	if c.AdminName == "" && c.AdminEmail == "" && l.AdminEmail != "" {
		out = append(out, "admin_name", "admin_email")
	}
	return out
}

// CustomerUpload is an uploaded customer list, kept for the user who sent
// it from the upload to its confirmation, with what was said of it.
type CustomerUpload struct {
	ID       int64
	Filename string
	Data     []byte
	Sheet    string         // of a workbook, the sheet chosen; "" for the first
	Country  string         // of the customers whose row has none
	Mapping  *ImportMapping // nil until chosen, and for a header of ours
	Used     bool           // applied already
}

// CustomerListResult is what applying a list did.
type CustomerListResult struct {
	Created, Filled, Known int
}
