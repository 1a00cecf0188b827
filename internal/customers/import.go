package customers

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/internal/msexports"
)

// ImportPreview is what an uploaded file would import, for the preview page:
// the customer, every row read with its line and its workflow, the problems
// found, and, when there are none, the batch to confirm.
type ImportPreview struct {
	Customer domain.CustomerOverview
	Filename string
	Rows     []ImportRow
	Errors   []inventorycsv.RowError // in line order; none when the file can be imported
	BatchID  int64                   // 0 when the file has errors and nothing was kept
	Dates    inventorycsv.DateReading
	Encoding inventorycsv.Encoding
	Sheet    string   // of a workbook: the sheet read
	Sheets   []string // of a workbook: every sheet
	// Mapping is set when the file's header is not ours and the uploader
	// is to say what its columns and values stand for before any preview.
	Mapping *MappingStep
	// Ignored are the file's columns its mapping leaves out, and
	// Remembered tells that the mapping was the one kept for its header.
	Ignored    []string
	Remembered bool
	// Format is the Microsoft export a JSON upload was recognised as;
	// msexports.FormatNone for a CSV.
	Format msexports.Format
}

// ImportRow is one row of an uploaded file with how the rules classify its
// subscription for the customer.
type ImportRow struct {
	inventorycsv.Row
	Classification domain.Classification
	Guesses        []msexports.Guess // what a Microsoft export's row was guessed from; none for a CSV
}

// ImportChoice is what the uploader chose on the upload form: the order of
// the file's numeric dates (DateOrderUnknown to recognise it) and the
// sheet of a workbook ("" for the first). The mapping step carries them on.
type ImportChoice struct {
	DateOrder domain.DateOrder
	Sheet     string
}

// MappingStep is the step of an upload whose header is not ours: the file
// is kept (UploadID) until the uploader confirms which field each column
// fills and what its unknown channel and service-type values stand for.
type MappingStep struct {
	UploadID int64
	Filename string
	Shape    inventorycsv.Shape
	Mapping  domain.ImportMapping // proposed, remembered or as chosen
	Values   []inventorycsv.Value // the values of Mapping's channel and service-type columns the aliases do not know
	Problems []inventorycsv.MappingProblem
}

// PreviewImport reads an uploaded CSV or workbook for a customer (or, when
// the upload is one of Microsoft's exports, as JSON or the Volume Licensing
// contracts CSV, the export it is: see previewExport), its
// numeric dates in
// order when the uploader chose one (otherwise as the file shows, or as
// usual in the customer's country when it leaves it open). A file whose
// header is not ours, and whose header set has no remembered mapping that
// reads it whole, goes to the mapping step (preview.Mapping): the file is
// kept for MapImport, and nothing else. A file with errors keeps nothing; a
// good one is kept as a batch until ConfirmImport. File-level problems (too
// large, too many rows, a wrong header, not text) are returned as errors,
// with the preview's Customer still set so that the upload form can be
// shown again; an unknown customer is domain.ErrNotFound.
func (s *Service) PreviewImport(ctx context.Context, actor domain.Actor, customerID int64, filename string, file io.Reader,
	choice ImportChoice) (ImportPreview, error) {
	ov, err := s.Overview(ctx, customerID)
	if err != nil {
		return ImportPreview{}, err
	}
	preview := ImportPreview{Customer: ov, Filename: filename}
	data, err := inventorycsv.ReadFile(file)
	if err != nil {
		return preview, err
	}
	if msexports.Recognised(data) {
		return s.previewExport(ctx, actor, preview, filename, data, choice)
	}
	shape, err := inventorycsv.Inspect(data, choice.Sheet)
	if err != nil {
		return preview, err
	}
	if shape.Own {
		return s.previewFile(ctx, actor, preview, filename, data, nil, choice)
	}
	m, err := s.store.ImportMapping(ctx, shape.Key)
	switch {
	case err == nil && len(shape.Check(m)) == 0:
		preview.Remembered = true
		return s.previewFile(ctx, actor, preview, filename, data, &m, choice)
	case errors.Is(err, domain.ErrNotFound):
		m = shape.Suggest()
	case err != nil:
		return preview, err
	default:
		m = shape.Fill(m)
	}
	id, err := s.store.CreatePendingUpload(ctx, actor, customerID, filename, data)
	preview.Mapping = &MappingStep{UploadID: id, Filename: filename, Shape: shape, Mapping: m, Values: shape.Values(m)}
	return preview, err
}

// MapImport reads a kept upload with the mapping the uploader confirmed.
// A mapping that cannot read the file returns the mapping step again with
// its problems, keeping the choices; a good one uses the upload up, is
// remembered for the header set, and gives the preview as PreviewImport
// does. An upload that is not this user's through this customer, or was
// used already, is domain.ErrNotFound.
func (s *Service) MapImport(ctx context.Context, actor domain.Actor, customerID, uploadID int64, m domain.ImportMapping,
	choice ImportChoice) (ImportPreview, error) {
	ov, err := s.Overview(ctx, customerID)
	if err != nil {
		return ImportPreview{}, err
	}
	preview := ImportPreview{Customer: ov}
	u, err := s.store.PendingUpload(ctx, actor, customerID, uploadID)
	if err != nil {
		return preview, err
	}
	shape, err := inventorycsv.Inspect(u.Data, choice.Sheet)
	if err != nil {
		return preview, err
	}
	m.Key = shape.Key
	if problems := shape.Check(m); len(problems) > 0 {
		m = shape.Fill(m)
		preview.Mapping = &MappingStep{UploadID: uploadID, Filename: u.Filename, Shape: shape, Mapping: m, Values: shape.Values(m), Problems: problems}
		return preview, nil
	}
	if err := s.store.UsePendingUpload(ctx, actor, customerID, uploadID, m); err != nil {
		return preview, err
	}
	return s.previewFile(ctx, actor, preview, u.Filename, u.Data, &m, choice)
}

// previewFile parses a file, through mapping m when its header is not
// ours, and keeps it as a batch when it has no errors.
func (s *Service) previewFile(ctx context.Context, actor domain.Actor, preview ImportPreview, filename string, data []byte,
	m *domain.ImportMapping, choice ImportChoice) (ImportPreview, error) {
	ov, customerID := preview.Customer, preview.Customer.Customer.ID
	preview.Filename = filename
	result, err := inventorycsv.Parse(bytes.NewReader(data), s.now(),
		inventorycsv.Options{DateOrder: choice.DateOrder, Sheet: choice.Sheet, Country: ov.Customer.Country, Mapping: m})
	if err != nil {
		return preview, err
	}
	if m != nil {
		for i, f := range m.Fields {
			if f == "" {
				preview.Ignored = append(preview.Ignored, result.Header[i])
			}
		}
	}
	preview.Errors, preview.Dates, preview.Encoding = result.Errors, result.Dates, result.Encoding
	preview.Sheet, preview.Sheets = result.Sheet, result.Sheets
	for _, row := range result.Rows {
		sub := row.Subscription
		preview.Rows = append(preview.Rows, ImportRow{Row: row, Classification: ov.Rules.Classify(ov.Customer, sub)})
	}
	if !result.OK() {
		return preview, nil
	}
	preview.BatchID, err = s.keepBatch(ctx, actor, customerID, filename, preview.Rows)
	return preview, err
}

// keepBatch keeps the subscriptions of a file without errors as an import
// batch until ConfirmImport.
func (s *Service) keepBatch(ctx context.Context, actor domain.Actor, customerID int64, filename string, rows []ImportRow) (int64, error) {
	subs := make([]domain.Subscription, len(rows))
	for i, row := range rows {
		subs[i] = row.Subscription
		subs[i].CustomerID = customerID
	}
	return s.store.CreateImportBatch(ctx, actor, customerID, filename, subs)
}

// InventoryFile returns a customer and every subscription of its inventory,
// for the inventory file, which imports back with PreviewImport. An unknown
// customer is domain.ErrNotFound.
func (s *Service) InventoryFile(ctx context.Context, customerID int64) (domain.CustomerInventory, error) {
	c, err := s.store.Customer(ctx, customerID)
	if err != nil {
		return domain.CustomerInventory{}, err
	}
	subs, err := s.store.AllSubscriptions(ctx, customerID)
	if err != nil {
		return domain.CustomerInventory{}, err
	}
	rules, err := s.rules(ctx)
	return domain.CustomerInventory{Customer: c, Subscriptions: subs, Rules: rules}, err
}

// ConfirmImport adds a previewed batch to the inventory, all of it or none.
func (s *Service) ConfirmImport(ctx context.Context, actor domain.Actor, customerID, batchID int64) (int, error) {
	return s.store.ConfirmImport(ctx, actor, customerID, batchID)
}
