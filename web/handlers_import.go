package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/customers"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/internal/msexports"
	"github.com/wingtip/multichannel/views"
)

// The inventory as a CSV file: the export, and the import that reads such a
// file back (upload, preview, confirm).

func (s *Server) exportInventory(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.svc.Customers.ExportInventory(c.Request().Context(), id, func(inv domain.InventoryExport) error {
		return s.sendCSV(c, inv.Customer.Domain+"-subscriptions.csv", func(w io.Writer) error {
			return export.InventoryCSV(w, inv.Customer, inv.Rules, inv.Subscriptions)
		})
	})
}

func (s *Server) importForm(c echo.Context) error {
	ov, err := ofPath(c, "id", s.svc.Customers.Overview)
	if err != nil {
		return err
	}
	return s.renderImportUpload(c, ov, http.StatusOK, "")
}

// dateOrderOptions are the upload form's choices of how the file writes
// numeric dates: recognised from the file first.
var dateOrderOptions = append([]views.Option{{Value: string(domain.DateOrderUnknown), Label: domain.DateOrderUnknown.Label()}},
	optionsOf(domain.DateOrders)...)

// renderImportUpload shows the upload form of the customer of ov with what
// was wrong with the file ("" for nothing).
func (s *Server) renderImportUpload(c echo.Context, ov domain.CustomerOverview, status int, problem string) error {
	samples, err := s.importSamples(c, ov.Customer.Domain)
	if err != nil {
		return err
	}
	return s.render(c, status, views.ImportUploadPage(s.chrome(c, ov.Customer.Name+": import"),
		views.ImportUpload{Header: headerView(ov, stepSubscriptions), Error: problem, DateOrders: dateOrderOptions, Samples: samples}))
}

// refuseUpload shows the upload form again, for a request that sent no
// usable file, with the problem.
func (s *Server) refuseUpload(c echo.Context, problem string) error {
	ov, err := ofPath(c, "id", s.svc.Customers.Overview)
	if err != nil {
		return err
	}
	return s.renderImportUpload(c, ov, http.StatusUnprocessableEntity, problem)
}

// importProblem turns a file-level problem into words for the upload form.
func importProblem(err error) (string, bool) {
	var header *inventorycsv.HeaderError
	var notExport *msexports.FileError
	switch {
	case errors.Is(err, inventorycsv.ErrTooLarge), errors.Is(err, inventorycsv.ErrTooManyRows), errors.Is(err, inventorycsv.ErrNotText),
		errors.Is(err, inventorycsv.ErrNotAWorkbook), errors.Is(err, inventorycsv.ErrNoRows):
		return capitalize(err.Error()) + ".", true
	case errors.As(err, &header):
		return capitalize(header.Error()) + ".", true
	case errors.As(err, &notExport):
		return capitalize(notExport.Error()) + ".", true
	}
	return "", false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(bytes.ToUpper([]byte(s[:1]))) + s[1:]
}

// dateNote says how an upload's numeric dates were read, and when the file
// left it open, how to have them read the other way; "" when the file has
// none.
func dateNote(d inventorycsv.DateReading, country string) string {
	var example string
	switch d.Order {
	case domain.DayFirst:
		example = "day first: 03/04/2027 is 3 April 2027"
	case domain.MonthFirst:
		example = "month first: 03/04/2027 is 4 March 2027"
	default:
		return ""
	}
	switch {
	case d.Chosen:
		return "Numeric dates were read " + example + ", as you chose."
	case d.Ambiguous:
		return "Every numeric date in this file fits both orders, so they were read " + example + ", as usual in " +
			domain.CountryName(country) + ". If the file writes them the other way, upload it again and choose the order."
	}
	return "Numeric dates were read " + example + ", as the file shows."
}

// importChoiceOf is what the upload form (or the mapping step, which
// carries it on) chose: the order of numeric dates, or none, and the sheet
// of a workbook.
func importChoiceOf(c echo.Context) customers.ImportChoice {
	choice := customers.ImportChoice{Sheet: strings.TrimSpace(c.FormValue("sheet"))}
	if order := domain.DateOrder(c.FormValue("date_order")); order.Valid() {
		choice.DateOrder = order
	}
	return choice
}

func (s *Server) uploadImport(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.refuseUpload(c, "Choose a CSV file to upload.")
	}
	if fh.Size > inventorycsv.MaxBytes {
		return s.refuseUpload(c, "The file is larger than 5 MB: split it into smaller files.")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	choice := importChoiceOf(c)
	preview, err := s.svc.Customers.PreviewImport(c.Request().Context(), actor(c), id, fh.Filename, file, choice)
	if msg, ok := importProblem(err); ok {
		return s.renderImportUpload(c, preview.Customer, http.StatusUnprocessableEntity, msg)
	}
	if err != nil {
		return err
	}
	return s.previewOrRedirect(c, preview, choice)
}

// batchPath is the address of a kept import batch's preview, which its
// confirm form posts to.
func batchPath(customerID, batchID int64) string {
	return views.CustomerPath(customerID, "import", strconv.FormatInt(batchID, 10))
}

// previewOrRedirect answers an upload or a mapping step: a file kept as a
// batch redirects to the batch's preview (post-redirect-get, so that going
// back after the import asks nothing); the mapping step, or a file with
// errors, which keeps nothing, is shown as the answer.
func (s *Server) previewOrRedirect(c echo.Context, preview customers.ImportPreview, choice customers.ImportChoice) error {
	if preview.Mapping == nil && preview.BatchID != 0 {
		return c.Redirect(http.StatusSeeOther, batchPath(preview.Customer.Customer.ID, preview.BatchID))
	}
	return s.renderPreview(c, preview, choice)
}

// renderPreview shows what an upload would import, or its mapping step.
func (s *Server) renderPreview(c echo.Context, preview customers.ImportPreview, choice customers.ImportChoice) error {
	if preview.Mapping != nil {
		return s.renderMapping(c, preview, choice)
	}
	cu := preview.Customer.Customer
	view := views.ImportPreview{Header: headerView(preview.Customer, stepSubscriptions), Filename: preview.Filename,
		DateNote: dateNote(preview.Dates, cu.Country), Encoding: string(preview.Encoding), Sheet: preview.Sheet,
		OtherSheets: slices.DeleteFunc(slices.Clone(preview.Sheets), func(s string) bool { return s == preview.Sheet })}
	if preview.Remembered {
		view.Notes = append(view.Notes, "Read with the mapping remembered for files with these columns.")
	}
	for _, name := range preview.Ignored {
		view.Notes = append(view.Notes, fmt.Sprintf("The column %q is not one of ours and was ignored.", name))
	}
	page := previewPage(c, len(preview.Rows))
	first := min(page.Offset(), len(preview.Rows))
	view.Total, view.First, view.Page = len(preview.Rows), first, page.Number
	for _, row := range preview.Rows[first:min(first+page.Size, len(preview.Rows))] {
		sub, cl := row.Subscription, row.Classification
		view.Rows = append(view.Rows, views.ImportRow{Line: row.Line, Product: sub.Product, ServiceType: sub.ServiceType.Label(),
			Channel: sub.Channel.Label(), Quantity: domain.FormatQuantity(sub.Seats()), TermEnd: domain.FormatDate(sub.Term()), Terms: termsOf(sub),
			OfferID: sub.OfferID, Reference: sub.Reference, Workflow: string(cl.Workflow), WorkflowLabel: cl.Workflow.Label(), Reason: cl.Reason})
	}
	exportPreview(&view, preview)
	for _, e := range preview.Errors {
		view.Errors = append(view.Errors, views.ImportError{Line: e.Line, Column: e.Column, Message: e.Message})
	}
	status := http.StatusOK
	if len(view.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		view.Confirm = batchPath(cu.ID, preview.BatchID)
		// With fields of guesses on the page, its pages are the form's
		// buttons, which keep what was changed before moving on.
		if view.Revise == "" {
			view.Pager = pager(view.Confirm, nil, page, len(preview.Rows))
		} else {
			view.Pager = pager(view.Revise, nil, page, len(preview.Rows))
			view.Pager.InForm = true
		}
	}
	if view.Refused > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, views.ImportPreviewPage(s.chrome(c, cu.Name+": import preview"), view))
}

// previewPageSize is how many rows of a file its preview shows at a time:
// a file of 10,000 rows is a hundred pages of 100 rather than one page of
// 4 MB, and its import still takes every row.
const previewPageSize = 100

// previewPage is the page of a preview's rows the request asks for: ?page=N,
// or the page field of the preview's form sent back, within the rows.
func previewPage(c echo.Context, rows int) domain.Page {
	n, err := strconv.Atoi(c.FormValue("page"))
	if err != nil || n < 1 {
		n = 1
	}
	page := domain.Page{Number: n, Size: previewPageSize}
	page.Number = max(min(page.Number, page.PageCount(rows)), 1)
	return page
}

// guessPrefix begins the name of the preview's field of a guessed value,
// followed by the row's place in the batch and the field: guess-3-channel.
const guessPrefix = "guess-"

// guessField is the name of the preview's field of a guessed value.
func guessField(k domain.GuessKey) string {
	return guessPrefix + strconv.Itoa(k.Row) + "-" + k.Field
}

// guessEdits makes each guessed value of a kept batch that the uploader may
// change a field of the confirm form, as guessed or as typed, with the
// refusal of its change beside it; the form's other button applies the
// changes.
func guessEdits(view *views.ImportPreview, preview customers.ImportPreview) {
	placed := map[domain.GuessKey]bool{}
	for n, row := range preview.Rows[view.First : view.First+len(view.Rows)] {
		i, sub := view.First+n, row.Subscription
		for _, g := range row.Guesses {
			if !g.Correctable() {
				continue
			}
			key := domain.GuessKey{Row: i + 1, Field: g.Field}
			placed[key] = true
			e := views.GuessEdit{Column: g.Field, Name: guessField(key), Basis: guessField(key) + "-basis", Changed: row.Changed(g),
				Label: inventorycsv.FieldLabel(g.Field) + " of line " + strconv.Itoa(row.Line) + ", guessed", Error: preview.Refused[key]}
			switch g.Field {
			case domain.GuessProduct:
				e.Value = sub.Product
			case domain.GuessChannel:
				e.Value, e.Options = string(sub.Channel), channelValueOptions
			case domain.GuessServiceType:
				e.Value, e.Options = string(sub.ServiceType), serviceValueOptions
			}
			view.Rows[n].Edits = append(view.Rows[n].Edits, e)
		}
	}
	if len(placed) > 0 {
		view.Revise = batchPath(preview.Customer.Customer.ID, preview.BatchID) + "/guesses"
	}
	view.Refused = len(preview.Refused)
	for key, msg := range preview.Refused {
		if !placed[key] {
			view.Problems = append(view.Problems, fmt.Sprintf("Row %d, %s: %s", key.Row, key.Field, msg))
		}
	}
	slices.Sort(view.Problems)
}

// The form fields of the mapping step: one per column of the file, and one
// per value to map, named after the column it is in and the value's key.
const (
	columnField  = "column_"
	channelField = "channel:"
	serviceField = "service_type:"
)

// fieldOptions are the choices of a column on the mapping step.
var fieldOptions = func() []views.Option {
	opts := []views.Option{{Value: "", Label: "Ignore this column"}}
	for _, f := range inventorycsv.Fields() {
		opts = append(opts, views.Option{Value: f, Label: inventorycsv.FieldLabel(f)})
	}
	return opts
}()

// mappingColumns are the columns of a file on a mapping step: each with its
// first values, the field m maps it to among options, and its problem.
func mappingColumns(shape inventorycsv.Shape, m domain.ImportMapping, problems []inventorycsv.MappingProblem, options []views.Option) []views.MappingColumn {
	var out []views.MappingColumn
	for i, name := range shape.Header {
		col := views.MappingColumn{Name: columnField + strconv.Itoa(i), Title: name, Samples: shape.Samples(i), Options: options, Selected: m.Fields[i]}
		for _, p := range problems {
			if p.Column == i {
				col.Error = capitalize(p.Message) + "."
			}
		}
		out = append(out, col)
	}
	return out
}

// The choices of a channel or a service-type value, "not known" first.
var (
	channelValueOptions = append([]views.Option{{Value: "", Label: "Not known: classify later"}}, optionsOf(domain.Channels)...)
	serviceValueOptions = append([]views.Option{{Value: "", Label: "Not known: classify later"}}, optionsOf(domain.ServiceTypes)...)
)

// renderMapping shows the mapping step of an upload, with its problems and
// status 422 when a choice was refused.
func (s *Server) renderMapping(c echo.Context, preview customers.ImportPreview, choice customers.ImportChoice) error {
	step, ov := preview.Mapping, preview.Customer
	view := views.ImportMapping{Header: headerView(ov, stepSubscriptions), Filename: step.Filename, DateOrder: string(choice.DateOrder),
		Sheet:  choice.Sheet,
		Action: views.CustomerPath(ov.Customer.ID, "import", "uploads", strconv.FormatInt(step.UploadID, 10))}
	status := http.StatusOK
	for _, p := range step.Problems {
		if p.Column < 0 {
			view.Problems = append(view.Problems, capitalize(p.Message)+".")
		}
		status = http.StatusUnprocessableEntity
	}
	view.Columns = mappingColumns(step.Shape, step.Mapping, step.Problems, fieldOptions)
	for i, v := range step.Values {
		mv := views.MappingValue{ID: "value-" + strconv.Itoa(i), Column: inventorycsv.FieldLabel(v.Field), Value: v.Value, Count: v.Count}
		if v.Field == inventorycsv.FieldChannel {
			mv.Name, mv.Options, mv.Selected = channelField+v.Key, channelValueOptions, string(step.Mapping.Channels[v.Key])
			if seller := domain.SellerName(v.Value); seller != "" {
				mv.Note = fmt.Sprintf("As another CSP partner or a third-party reseller, %q becomes the reference of its rows that have none.", seller)
			}
		} else {
			mv.Name, mv.Options, mv.Selected = serviceField+v.Key, serviceValueOptions, string(step.Mapping.ServiceTypes[v.Key])
		}
		view.Values = append(view.Values, mv)
	}
	return s.render(c, status, views.ImportMappingPage(s.chrome(c, ov.Customer.Name+": map the columns"), view))
}

// mappingForm reads the mapping step's form.
func mappingForm(c echo.Context) (domain.ImportMapping, error) {
	form, err := c.FormParams()
	if err != nil {
		return domain.ImportMapping{}, err
	}
	m := domain.ImportMapping{Channels: map[string]domain.Channel{}, ServiceTypes: map[string]domain.ServiceType{}}
	for i := 0; ; i++ {
		v, ok := form[columnField+strconv.Itoa(i)]
		if !ok {
			break
		}
		m.Fields = append(m.Fields, v[0])
	}
	for name, v := range form {
		if key, ok := strings.CutPrefix(name, channelField); ok {
			m.Channels[key] = domain.Channel(v[0])
		} else if key, ok := strings.CutPrefix(name, serviceField); ok {
			m.ServiceTypes[key] = domain.ServiceType(v[0])
		}
	}
	return m, nil
}

func (s *Server) mapImport(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	upload, err := idParam(c, "upload")
	if err != nil {
		return err
	}
	m, err := mappingForm(c)
	if err != nil {
		return err
	}
	choice := importChoiceOf(c)
	preview, err := s.svc.Customers.MapImport(c.Request().Context(), actor(c), id, upload, m, choice)
	if msg, ok := importProblem(err); ok {
		return s.renderImportUpload(c, preview.Customer, http.StatusUnprocessableEntity, msg)
	}
	if err != nil {
		return err
	}
	return s.previewOrRedirect(c, preview, choice)
}

// batchForm reads a request about a kept batch: the customer's and the
// batch's ids from the path, and the guessed values as the preview's form
// sends them. A field's name that names no row reaches the domain as row
// 0, which refuses it.
func batchForm(c echo.Context) (customerID, batchID int64, corrections []domain.GuessCorrection, err error) {
	if customerID, err = idParam(c, "id"); err != nil {
		return
	}
	if batchID, err = idParam(c, "batch"); err != nil {
		return
	}
	form, err := c.FormParams()
	if err != nil {
		return
	}
	for name, v := range form {
		rest, ok := strings.CutPrefix(name, guessPrefix)
		if !ok {
			continue
		}
		rowText, field, _ := strings.Cut(rest, "-")
		row, _ := strconv.Atoi(rowText)
		corrections = append(corrections, domain.GuessCorrection{GuessKey: domain.GuessKey{Row: row, Field: field}, Value: v[0]})
	}
	return
}

// showBatch shows the preview of a kept batch, with the changes of
// guessed values as typed (none for the batch as kept) and why those
// refused cannot be used.
func (s *Server) showBatch(c echo.Context, customerID, batchID int64, corrections []domain.GuessCorrection) error {
	preview, err := s.svc.Customers.BatchPreview(c.Request().Context(), actor(c), customerID, batchID, corrections)
	if err != nil {
		return err
	}
	return s.renderPreview(c, preview, customers.ImportChoice{})
}

// showImportBatch shows the preview of a kept batch. Once it is imported,
// the address leads to the inventory, which is where going back after the
// import should land.
func (s *Server) showImportBatch(c echo.Context) error {
	id, batch, _, err := batchForm(c)
	if err != nil {
		return err
	}
	err = s.showBatch(c, id, batch, nil)
	if errors.Is(err, domain.ErrBatchImported) {
		s.flash(c, "This file was imported already: here is the inventory.")
		return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "subscriptions"))
	}
	return err
}

// correctImport keeps the changes of guessed values and shows the preview
// again through a redirect, so that a reload only shows it.
func (s *Server) correctImport(c echo.Context) error {
	id, batch, corrections, err := batchForm(c)
	if err != nil {
		return err
	}
	err = s.svc.Customers.CorrectImport(c.Request().Context(), actor(c), id, batch, corrections)
	if errors.As(err, new(domain.CorrectionErrors)) {
		return s.showBatch(c, id, batch, corrections)
	}
	if err != nil {
		return err
	}
	// A pager button names the page to go to; "Apply the changes" stays on
	// the page the form was sent from.
	page := c.QueryParam("page")
	if page == "" {
		page = c.FormValue("page")
	}
	target := batchPath(id, batch)
	if n, err := strconv.Atoi(page); err == nil && n > 1 {
		target += "?page=" + strconv.Itoa(n)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func (s *Server) confirmImport(c echo.Context) error {
	id, batch, corrections, err := batchForm(c)
	if err != nil {
		return err
	}
	n, err := s.svc.Customers.ConfirmImport(c.Request().Context(), actor(c), id, batch, corrections)
	if errors.As(err, new(domain.CorrectionErrors)) {
		return s.showBatch(c, id, batch, corrections)
	}
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Imported %d %s.", n, views.Plural(n, "subscription", "subscriptions")))
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "subscriptions"))
}
