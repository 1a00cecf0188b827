package customers

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// Customers in bulk (issue 13): a list of customers, as a CSV file or a
// workbook, Partner Center's customer list export among them, is kept on
// upload, mapped when its header is not ours, previewed with what each row
// does, and applied once, all of it or nothing.

// CustomerListChoice is what the uploader said of a list on the upload
// form: the sheet of a workbook ("" for the first) and the country of the
// customers whose row has none.
type CustomerListChoice struct {
	Sheet   string
	Country string
}

// CustomerList is a kept list as the next step shows it: its mapping step
// (Mapping set), or its preview, with the plan and the fingerprint the
// confirmation must carry when the list has no problems.
type CustomerList struct {
	Upload  domain.CustomerUpload
	Mapping *CustomerListMapping
	Result  inventorycsv.CustomerResult
	Plan    domain.CustomerListPlan
	// Fingerprint is "" while the list has problems and cannot be applied.
	Fingerprint string
	Remembered  bool // read with the mapping remembered for its header set
}

// CustomerListMapping is the mapping step of a list whose header is not
// ours: the proposed, remembered or chosen mapping and what is wrong with
// it.
type CustomerListMapping struct {
	Shape    inventorycsv.Shape
	Mapping  domain.ImportMapping
	Problems []inventorycsv.MappingProblem
}

// The refusals of a confirmation, their messages meant for people.
var (
	// ErrCustomerListChanged: a customer the list matches or would create
	// was created or saved since the preview was shown.
	ErrCustomerListChanged = domain.Conflict("Customers changed since this preview was shown: check the new preview and import again.")
	// ErrCustomerListApplied: the list was imported already.
	ErrCustomerListApplied = domain.Conflict("This list was imported already.")
	// ErrCustomerListNotReady: the list has problems, or no mapping yet.
	ErrCustomerListNotReady = domain.Conflict("This list has problems to fix first: correct the file and upload it again.")
)

// UploadCustomerList reads an uploaded list with the limits of an
// inventory and keeps it for its next step; a file that cannot be a list
// at all (too large, not text, no header, no rows) is returned as an error
// and nothing is kept. The returned id is that of the kept upload.
func (s *Service) UploadCustomerList(ctx context.Context, actor domain.Actor, filename string, file io.Reader, choice CustomerListChoice) (int64, error) {
	data, err := inventorycsv.ReadFile(file)
	if err != nil {
		return 0, err
	}
	if _, err := inventorycsv.InspectCustomers(data, choice.Sheet); err != nil {
		return 0, err
	}
	if !domain.IsCountryCode(choice.Country) {
		choice.Country = ""
	}
	return s.store.CreateCustomerUpload(ctx, actor, domain.CustomerUpload{Filename: filename, Data: data, Sheet: choice.Sheet,
		Country: choice.Country})
}

// DefaultCountry is the country the upload form proposes for customers
// whose row has none: the partner's, which customers created from Partner
// Center's export get too ("" before it is set).
func (s *Service) DefaultCountry(ctx context.Context) (string, error) {
	p, err := s.store.Partner(ctx)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	return p.Country, err
}

// ShowCustomerList is the next step of a kept list: the mapping step when
// its header is not ours and neither a chosen nor a remembered mapping
// reads it, else the preview of what it does. A list that is not this
// user's is domain.ErrNotFound, and one imported already
// ErrCustomerListApplied.
func (s *Service) ShowCustomerList(ctx context.Context, actor domain.Actor, id int64) (CustomerList, error) {
	u, err := s.unusedUpload(ctx, actor, id)
	if err != nil {
		return CustomerList{Upload: u}, err
	}
	return s.customerList(ctx, u)
}

// unusedUpload is the kept list id of actor, ErrCustomerListApplied once
// it was imported.
func (s *Service) unusedUpload(ctx context.Context, actor domain.Actor, id int64) (domain.CustomerUpload, error) {
	u, err := s.store.CustomerUpload(ctx, actor, id)
	if err == nil && u.Used {
		err = ErrCustomerListApplied
	}
	return u, err
}

// customerList is ShowCustomerList for a list read.
func (s *Service) customerList(ctx context.Context, u domain.CustomerUpload) (CustomerList, error) {
	list := CustomerList{Upload: u}
	table, err := inventorycsv.Open(u.Data, u.Sheet)
	if err != nil {
		return list, err
	}
	shape, err := inventorycsv.InspectCustomersTable(table)
	if err != nil {
		return list, err
	}
	m := u.Mapping
	if !shape.Own && m == nil {
		proposed, remembered, err := s.mappingFor(ctx, shape)
		switch {
		case err != nil:
			return list, err
		case !remembered:
			list.Mapping = &CustomerListMapping{Shape: shape, Mapping: proposed}
			return list, nil
		}
		m, list.Remembered = &proposed, true
	}
	if list.Result, err = inventorycsv.ParseCustomersTable(table, inventorycsv.CustomerOptions{Sheet: u.Sheet, Country: u.Country, Mapping: m}); err != nil {
		return list, err
	}
	var tenants, domains []string
	for _, r := range list.Result.Rows {
		if r.Customer.TenantID != "" {
			tenants = append(tenants, r.Customer.TenantID)
		}
		domains = append(domains, r.Customer.Domain)
	}
	known, err := s.store.CustomersMatching(ctx, tenants, domains)
	if err != nil {
		return list, err
	}
	list.Plan = domain.PlanCustomerList(list.Result.Rows, known)
	if list.Result.OK() && len(list.Plan.Problems()) == 0 {
		list.Fingerprint = list.Plan.Fingerprint(sha256.Sum256(u.Data))
	}
	return list, nil
}

// MapCustomerList keeps the mapping the uploader chose for a list and
// remembers it for the header set, or returns the mapping step again with
// its problems, keeping the choices.
func (s *Service) MapCustomerList(ctx context.Context, actor domain.Actor, id int64, m domain.ImportMapping) (CustomerList, error) {
	u, err := s.unusedUpload(ctx, actor, id)
	if err != nil {
		return CustomerList{Upload: u}, err
	}
	list := CustomerList{Upload: u}
	shape, err := inventorycsv.InspectCustomers(u.Data, u.Sheet)
	if err != nil {
		return list, err
	}
	m.Key = shape.Key
	if problems := shape.Check(m); len(problems) > 0 {
		list.Mapping = &CustomerListMapping{Shape: shape, Mapping: shape.Fill(m), Problems: problems}
		return list, nil
	}
	return list, s.store.SetCustomerUploadMapping(ctx, actor, id, m)
}

// ConfirmCustomerList applies a kept list as its preview showed it: the
// preview is made again, and a fingerprint other than the one shown (or a
// customer saved in the instant before the transaction) is
// ErrCustomerListChanged with the new preview, changing nothing.
func (s *Service) ConfirmCustomerList(ctx context.Context, actor domain.Actor, id int64, fingerprint string) (CustomerList, domain.CustomerListResult, error) {
	u, err := s.unusedUpload(ctx, actor, id)
	if err != nil {
		return CustomerList{Upload: u}, domain.CustomerListResult{}, err
	}
	list, err := s.customerList(ctx, u)
	switch {
	case err != nil:
		return list, domain.CustomerListResult{}, err
	case list.Fingerprint == "":
		return list, domain.CustomerListResult{}, ErrCustomerListNotReady
	case list.Fingerprint != fingerprint:
		return list, domain.CustomerListResult{}, ErrCustomerListChanged
	}
	res, err := s.store.ApplyCustomerList(ctx, actor, u, list.Plan)
	if errors.Is(err, domain.ErrConflict) {
		// A second confirmation racing this one used the upload, or a
		// customer was saved in between: say which.
		if again, rerr := s.store.CustomerUpload(ctx, actor, id); rerr == nil && again.Used {
			return list, res, ErrCustomerListApplied
		}
		return list, res, ErrCustomerListChanged
	}
	return list, res, err
}

// CustomerListMappingStep is the mapping step of a kept list, to change
// the mapping its preview was read with: the chosen or remembered mapping,
// or the proposal. A list whose header is ours has no mapping step and is
// shown as ShowCustomerList shows it.
func (s *Service) CustomerListMappingStep(ctx context.Context, actor domain.Actor, id int64) (CustomerList, error) {
	u, err := s.unusedUpload(ctx, actor, id)
	if err != nil {
		return CustomerList{Upload: u}, err
	}
	shape, err := inventorycsv.InspectCustomers(u.Data, u.Sheet)
	if err != nil || shape.Own {
		return s.customerList(ctx, u)
	}
	if u.Mapping != nil {
		return CustomerList{Upload: u, Mapping: &CustomerListMapping{Shape: shape, Mapping: shape.Fill(*u.Mapping)}}, nil
	}
	m, _, err := s.mappingFor(ctx, shape)
	return CustomerList{Upload: u, Mapping: &CustomerListMapping{Shape: shape, Mapping: m}}, err
}
