package customers

import (
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
	// Refused are the uploader's corrections of guessed values that cannot
	// be used, each under the value it would have changed; the rows show
	// them as typed.
	Refused domain.CorrectionErrors
}

// ImportRow is one row of an uploaded file, with what a Microsoft export's
// row was guessed from (none for a file of ours), and how the rules
// classify its subscription for the customer.
type ImportRow struct {
	domain.BatchRow
	Classification domain.Classification
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
// the upload is one of Microsoft's exports msexports recognises, that
// export: see previewExport), its numeric dates in order when the uploader
// chose one (otherwise as the file shows, or as
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
		return s.previewExport(ctx, actor, preview, data, choice)
	}
	table, err := inventorycsv.Open(data, choice.Sheet)
	if err != nil {
		return preview, err
	}
	shape, err := inventorycsv.InspectTable(table)
	if err != nil {
		return preview, err
	}
	if shape.Own {
		return s.previewFile(ctx, actor, preview, filename, table, nil, choice)
	}
	m, remembered, err := s.mappingFor(ctx, shape)
	if err != nil {
		return preview, err
	}
	if remembered {
		preview.Remembered = true
		return s.previewFile(ctx, actor, preview, filename, table, &m, choice)
	}
	id, err := s.store.CreatePendingUpload(ctx, actor, customerID, filename, data)
	preview.Mapping = &MappingStep{UploadID: id, Filename: filename, Shape: shape, Mapping: m, Values: shape.Values(m)}
	return preview, err
}

// mappingFor is the mapping a file of shape is read with or proposed: the
// one remembered for its header set, and whether it reads the file whole
// (remembered: use it as it is); otherwise the remembered one completed
// with suggestions, or with none remembered the synonyms' proposal, for
// the mapping step.
func (s *Service) mappingFor(ctx context.Context, shape inventorycsv.Shape) (m domain.ImportMapping, remembered bool, err error) {
	m, err = s.store.ImportMapping(ctx, shape.Key)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return shape.Suggest(), false, nil
	case err != nil:
		return m, false, err
	case len(shape.Check(m)) == 0:
		return m, true, nil
	}
	return shape.Fill(m), false, nil
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
	table, err := inventorycsv.Open(u.Data, choice.Sheet)
	if err != nil {
		return preview, err
	}
	shape, err := inventorycsv.InspectTable(table)
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
	return s.previewFile(ctx, actor, preview, u.Filename, table, &m, choice)
}

// previewFile parses an opened file, through mapping m when its header is
// not ours, and keeps it as a batch when it has no errors.
func (s *Service) previewFile(ctx context.Context, actor domain.Actor, preview ImportPreview, filename string, table *inventorycsv.Table,
	m *domain.ImportMapping, choice ImportChoice) (ImportPreview, error) {
	ov := preview.Customer
	preview.Filename = filename
	result, err := inventorycsv.ParseTable(table, s.now(),
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
	preview.Rows = make([]ImportRow, 0, len(result.Rows))
	for _, row := range result.Rows {
		preview.addRow(domain.BatchRow{Line: row.Line, Subscription: row.Subscription})
	}
	if !result.OK() {
		return preview, nil
	}
	preview.BatchID, err = s.keepBatch(ctx, actor, preview)
	return preview, err
}

// addRow adds a row to the preview with its classification for the
// preview's customer.
func (p *ImportPreview) addRow(row domain.BatchRow) {
	p.Rows = append(p.Rows, ImportRow{BatchRow: row, Classification: p.Customer.Rules.Classify(p.Customer.Customer, row.Subscription)})
}

// keepBatch keeps the rows of a preview without errors, with their
// guesses, as an import batch until ConfirmImport.
func (s *Service) keepBatch(ctx context.Context, actor domain.Actor, preview ImportPreview) (int64, error) {
	b := domain.ImportBatch{CustomerID: preview.Customer.Customer.ID, Filename: preview.Filename, Source: string(preview.Format),
		Reading: domain.ImportReading{Encoding: string(preview.Encoding), Sheet: preview.Sheet, Sheets: preview.Sheets,
			DateOrder: preview.Dates.Order, DatesAmbiguous: preview.Dates.Ambiguous, DatesChosen: preview.Dates.Chosen,
			Ignored: preview.Ignored, Remembered: preview.Remembered}}
	b.Rows = make([]domain.BatchRow, 0, len(preview.Rows))
	for _, row := range preview.Rows {
		b.Rows = append(b.Rows, row.BatchRow)
	}
	return s.store.CreateImportBatch(ctx, actor, b)
}

// BatchPreview is the preview of a batch kept from an upload, to show it
// again after the uploader changed guessed values: its rows with
// corrections applied as typed (none for the batch as kept) and classified
// again, their guesses, the format recognised, and the corrections refused
// (preview.Refused), and how the file was read, as the batch keeps it. A
// batch imported already is domain.ErrBatchImported; one that is not the
// customer's, or that another user uploaded, domain.ErrNotFound.
func (s *Service) BatchPreview(ctx context.Context, actor domain.Actor, customerID, batchID int64, corrections []domain.GuessCorrection) (ImportPreview, error) {
	ov, err := s.Overview(ctx, customerID)
	if err != nil {
		return ImportPreview{}, err
	}
	b, err := s.store.ImportBatch(ctx, actor, customerID, batchID)
	if err != nil {
		return ImportPreview{}, err
	}
	if b.Imported {
		return ImportPreview{}, domain.ErrBatchImported
	}
	rows, refused := domain.CorrectGuesses(b.Rows, corrections, s.now())
	r := b.Reading
	preview := ImportPreview{Customer: ov, Filename: b.Filename, BatchID: b.ID, Format: msexports.Format(b.Source), Refused: refused,
		Encoding: inventorycsv.Encoding(r.Encoding), Sheet: r.Sheet, Sheets: r.Sheets, Ignored: r.Ignored, Remembered: r.Remembered,
		Dates: inventorycsv.DateReading{Order: r.DateOrder, Ambiguous: r.DatesAmbiguous, Chosen: r.DatesChosen}}
	preview.Rows = make([]ImportRow, 0, len(rows))
	for _, row := range rows {
		preview.addRow(row)
	}
	return preview, nil
}

// CorrectImport keeps the uploader's corrections of the guessed values of
// a batch in preview, to confirm later. Setting a value twice changes it
// once, so a form sent again changes nothing more. A correction refused
// keeps none and is returned as domain.CorrectionErrors (BatchPreview shows
// them); a batch imported already is domain.ErrBatchImported.
func (s *Service) CorrectImport(ctx context.Context, actor domain.Actor, customerID, batchID int64, corrections []domain.GuessCorrection) error {
	return s.store.CorrectImportBatch(ctx, actor, customerID, batchID, corrections)
}

// ExportInventory hands write a customer, the partner's rules and its
// inventory for the inventory file, which imports back with PreviewImport;
// write reads the subscriptions in the order they were added as it writes
// them, one at a time, within one snapshot of the store. An unknown
// customer is domain.ErrNotFound, before write is called.
func (s *Service) ExportInventory(ctx context.Context, customerID int64, write func(domain.InventoryExport) error) error {
	return s.store.Snapshot(ctx, func(ctx context.Context) error {
		c, err := s.store.Customer(ctx, customerID)
		if err != nil {
			return err
		}
		rules, err := s.rules(ctx)
		if err != nil {
			return err
		}
		return write(domain.InventoryExport{Customer: c, Rules: rules, Subscriptions: func(fn func(domain.Subscription) error) error {
			return s.store.EachSubscription(ctx, customerID, fn)
		}})
	})
}

// ConfirmImport applies the uploader's last corrections of guessed values
// to a previewed batch and adds it to the inventory, all of it or none. A
// correction refused imports nothing and is returned as
// domain.CorrectionErrors, as CorrectImport returns it; a batch imported
// already is domain.ErrBatchImported.
func (s *Service) ConfirmImport(ctx context.Context, actor domain.Actor, customerID, batchID int64, corrections []domain.GuessCorrection) (int, error) {
	return s.store.ConfirmImport(ctx, actor, customerID, batchID, corrections)
}
