package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/customers"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/views"
)

// Customers in bulk: the upload of a customer list, its mapping step, its
// preview and its confirmation (issue 13).

// customerListPath is where a kept customer list's steps are.
func customerListPath(id int64, rest ...string) string {
	return "/customers/import/" + strings.Join(append([]string{strconv.FormatInt(id, 10)}, rest...), "/")
}

// The demo's sample lists, while the demo partner is the partner.
const (
	demoCustomerListPath = "/customers/import/samples/customer-list.csv"
	demoPartnerListPath  = "/customers/import/samples/Customers.csv"
)

func (s *Server) customerListForm(c echo.Context) error {
	country, err := s.svc.Customers.DefaultCountry(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderCustomerListUpload(c, http.StatusOK, "", customers.CustomerListChoice{Country: country})
}

// renderCustomerListUpload shows the upload form with the problem of the
// file sent ("" for none) and what was chosen on it.
func (s *Server) renderCustomerListUpload(c echo.Context, status int, problem string, choice customers.CustomerListChoice) error {
	u := views.CustomerListUpload{Error: problem, Countries: countryOptions, Country: choice.Country, Sheet: choice.Sheet}
	isDemo, err := s.demoPartner(c)
	if err != nil {
		return err
	}
	if isDemo {
		u.Samples = []views.Option{{Value: demoCustomerListPath, Label: "the partner's own spreadsheet (customer-list.csv)"},
			{Value: demoPartnerListPath, Label: "Partner Center's customer list (Customers.csv)"}}
	}
	return s.render(c, status, views.CustomerListUploadPage(s.chrome(c, "Import customers"), u))
}

// demoPartner reports whether the partner is the demo's, whose sample files
// the pages offer.
func (s *Server) demoPartner(c echo.Context) (bool, error) {
	partner, err := s.svc.Relationships.Partner(c.Request().Context())
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return false, err
	}
	return partner.TenantID == demo.Partner.TenantID, nil
}

// customerListSample downloads one of the demo's sample lists.
func (s *Server) customerListSample(c echo.Context) error {
	data := map[string][]byte{"customer-list.csv": demo.CustomerList, "Customers.csv": demo.PartnerCenterExport}[c.Param("file")]
	if data == nil {
		return domain.ErrNotFound
	}
	return s.sendCSV(c, c.Param("file"), func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func (s *Server) uploadCustomerList(c echo.Context) error {
	choice := customers.CustomerListChoice{Sheet: strings.TrimSpace(c.FormValue("sheet")), Country: c.FormValue("country")}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.renderCustomerListUpload(c, http.StatusUnprocessableEntity, "Choose a CSV file or an Excel workbook to upload.", choice)
	}
	if fh.Size > inventorycsv.MaxBytes {
		return s.renderCustomerListUpload(c, http.StatusUnprocessableEntity, "The file is larger than 5 MB: split it into smaller files.", choice)
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	id, err := s.svc.Customers.UploadCustomerList(c.Request().Context(), actor(c), fh.Filename, file, choice)
	if msg, ok := customerListProblem(err); ok {
		return s.renderCustomerListUpload(c, http.StatusUnprocessableEntity, msg, choice)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, customerListPath(id))
}

// customerListProblem turns a file-level problem of a list into words for
// the upload form.
func customerListProblem(err error) (string, bool) {
	if errors.Is(err, inventorycsv.ErrNoCustomers) {
		return capitalize(err.Error()) + ".", true
	}
	return importProblem(err)
}

func (s *Server) showCustomerList(c echo.Context) error {
	id, err := idParam(c, "upload")
	if err != nil {
		return err
	}
	list, err := s.svc.Customers.ShowCustomerList(c.Request().Context(), actor(c), id)
	return s.renderCustomerList(c, list, err, "")
}

func (s *Server) customerListMapping(c echo.Context) error {
	id, err := idParam(c, "upload")
	if err != nil {
		return err
	}
	list, err := s.svc.Customers.CustomerListMappingStep(c.Request().Context(), actor(c), id)
	return s.renderCustomerList(c, list, err, "")
}

func (s *Server) mapCustomerList(c echo.Context) error {
	id, err := idParam(c, "upload")
	if err != nil {
		return err
	}
	m, err := mappingForm(c)
	if err != nil {
		return err
	}
	list, err := s.svc.Customers.MapCustomerList(c.Request().Context(), actor(c), id, m)
	if err != nil || list.Mapping != nil {
		return s.renderCustomerList(c, list, err, "")
	}
	return c.Redirect(http.StatusSeeOther, customerListPath(id))
}

func (s *Server) confirmCustomerList(c echo.Context) error {
	id, err := idParam(c, "upload")
	if err != nil {
		return err
	}
	list, res, err := s.svc.Customers.ConfirmCustomerList(c.Request().Context(), actor(c), id, postValue(c, "fingerprint"))
	switch {
	case errors.Is(err, customers.ErrCustomerListChanged):
		return s.renderCustomerList(c, list, nil, "Customers changed since the preview you confirmed, so nothing was imported. "+
			"This is the preview as things stand now: check it and import again.")
	case errors.Is(err, customers.ErrCustomerListNotReady):
		return s.renderCustomerList(c, list, nil, "")
	case err != nil:
		return s.renderCustomerList(c, list, err, "")
	}
	s.flash(c, fmt.Sprintf("Imported the list: %d %s created, %d completed, %d already known.", res.Created,
		views.Plural(res.Created, "customer", "customers"), res.Filled, res.Known))
	return c.Redirect(http.StatusSeeOther, "/customers")
}

// customerFieldOptions are the choices of a column on a customer list's
// mapping step.
var customerFieldOptions = func() []views.Option {
	opts := []views.Option{{Value: "", Label: "Ignore this column"}}
	for _, f := range inventorycsv.CustomerFields() {
		opts = append(opts, views.Option{Value: f, Label: inventorycsv.FieldLabel(f)})
	}
	return opts
}()

// renderCustomerList shows the step a kept list is at, as the service read
// it with err: its mapping step, or its preview, with changed saying why a
// confirmation was refused ("" when none was). A file that cannot be read
// any longer goes back to the upload form.
func (s *Server) renderCustomerList(c echo.Context, list customers.CustomerList, err error, changed string) error {
	if errors.Is(err, customers.ErrCustomerListApplied) {
		s.flash(c, "This list was imported already: nothing changed.")
		return c.Redirect(http.StatusSeeOther, "/customers")
	}
	if msg, ok := customerListProblem(err); ok {
		return s.renderCustomerListUpload(c, http.StatusUnprocessableEntity, msg,
			customers.CustomerListChoice{Sheet: list.Upload.Sheet, Country: list.Upload.Country})
	}
	if err != nil {
		return err
	}
	u := list.Upload
	if step := list.Mapping; step != nil {
		view := views.CustomerListMapping{Filename: u.Filename, Action: customerListPath(u.ID, "mapping")}
		status := http.StatusOK
		for _, p := range step.Problems {
			if p.Column < 0 {
				view.Problems = append(view.Problems, capitalize(p.Message)+".")
			}
			status = http.StatusUnprocessableEntity
		}
		view.Columns = mappingColumns(step.Shape, step.Mapping, step.Problems, customerFieldOptions)
		return s.render(c, status, views.CustomerListMappingPage(s.chrome(c, "Map the columns of "+u.Filename), view))
	}
	res := list.Result
	view := views.CustomerListPreview{Filename: u.Filename, Encoding: string(res.Encoding), Format: res.Format, Changed: changed,
		Fingerprint: list.Fingerprint, Sheet: res.Sheet,
		OtherSheets: slices.DeleteFunc(slices.Clone(res.Sheets), func(s string) bool { return s == res.Sheet })}
	if u.Mapping != nil || list.Remembered {
		view.Remap = customerListPath(u.ID, "mapping")
	}
	if list.Remembered {
		view.Notes = append(view.Notes, "Read with the mapping remembered for lists with these columns.")
	}
	for _, name := range res.Ignored {
		view.Notes = append(view.Notes, fmt.Sprintf("The column %q is not read.", name))
	}
	for _, e := range res.Errors {
		view.Errors = append(view.Errors, views.ImportError{Line: e.Line, Column: e.Column, Message: e.Message})
	}
	for _, r := range list.Plan.Rows {
		view.Rows = append(view.Rows, customerListRow(r))
		if r.Problem != "" {
			view.Errors = append(view.Errors, views.ImportError{Line: r.Listed.Line, Message: r.Problem})
		}
	}
	slices.SortStableFunc(view.Errors, func(a, b views.ImportError) int { return a.Line - b.Line })
	creates, fills, known := list.Plan.Counts()
	view.Summary = fmt.Sprintf("%d %s: %d new, %d to complete, %d already known.", len(list.Plan.Rows),
		views.Plural(len(list.Plan.Rows), "customer", "customers"), creates, fills, known)
	status := http.StatusOK
	if changed != "" {
		status = http.StatusConflict
	}
	if len(view.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		view.Confirm = customerListPath(u.ID)
	}
	return s.render(c, status, views.CustomerListPreviewPage(s.chrome(c, "Preview: "+u.Filename), view))
}

// filledLabels name what a row fills in a known customer, within a
// sentence; the admin's e-mail goes with the admin.
var filledLabels = map[string]string{"tenant_id": "tenant id", "admin_name": "Global admin"}

// customerListRow is one row of a list's preview, with what it does in words.
func customerListRow(r domain.CustomerListRow) views.CustomerListRow {
	l := r.Listed.Customer
	row := views.CustomerListRow{Line: r.Listed.Line, Name: l.Name, Domain: l.Domain, TenantID: l.TenantID,
		Country: domain.CountryName(l.Country), Admin: strings.TrimSpace(l.AdminName + " " + l.AdminEmail), Action: string(r.Action)}
	if r.Action == domain.ListCreates {
		row.Label = "New customer"
		return row
	}
	row.Link = views.CustomerPath(r.Existing.ID)
	switch {
	case r.Problem != "":
		row.Label = "Cannot be matched: see the problems above"
	case r.Action == domain.ListFills:
		var filled []string
		for _, f := range r.Fills {
			if what, ok := filledLabels[f]; ok {
				filled = append(filled, what)
			}
		}
		row.Label = fmt.Sprintf("%s, matched by %s: adds its %s", r.Existing.Name, r.By, strings.Join(filled, " and "))
	default:
		row.Label = fmt.Sprintf("%s, matched by %s: nothing to change", r.Existing.Name, r.By)
	}
	if r.Note != "" {
		row.Label += ". " + r.Note
	}
	return row
}
