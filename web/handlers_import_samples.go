package web

import (
	"fmt"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/customers"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/msexports"
	"github.com/wingtip/multichannel/views"
)

// The imports of Microsoft's own exports (internal/msexports): the demo's
// sample files to try them and the mapping step with, and what the preview
// says of the format and the guesses.

// importSamplesPath is where the demo's sample files download from.
const importSamplesPath = "/import/samples/"

// importSample downloads one of the demo's sample files.
func (s *Server) importSample(c echo.Context) error {
	data, ok := demo.SampleFile(c.Param("file"))
	if !ok {
		return domain.ErrNotFound
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, c.Param("file")))
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, sampleTypes[path.Ext(c.Param("file"))], data)
}

// sampleTypes are the content types of the samples, by extension.
var sampleTypes = map[string]string{".json": "application/json", ".csv": "text/csv; charset=utf-8",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

// importSamples are the sample files the import page offers while the
// demo partner is the partner, those made for the customer of customerDomain
// first.
func (s *Server) importSamples(c echo.Context, customerDomain string) ([]views.Option, error) {
	isDemo, err := s.demoPartner(c)
	if err != nil || !isDemo {
		return nil, err
	}
	var mine, others []views.Option
	for _, sample := range demo.Samples {
		o := views.Option{Value: importSamplesPath + sample.File, Label: sample.Label + " (" + sample.File + ")"}
		if sample.Customer == customerDomain {
			mine = append(mine, o)
		} else {
			others = append(others, o)
		}
	}
	return append(mine, others...), nil
}

// exportPreview adds to a preview what a Microsoft export's import
// recognised and guessed, with a field for each guess the uploader may
// change while the batch is kept (guessEdits); a CSV's preview is left as
// it is.
func exportPreview(view *views.ImportPreview, preview customers.ImportPreview) {
	if preview.Format == msexports.FormatNone {
		return
	}
	view.Format = preview.Format.Label()
	for n, row := range preview.Rows[view.First : view.First+len(view.Rows)] {
		for _, g := range row.Guesses {
			view.Rows[n].Guesses = append(view.Rows[n].Guesses, views.GuessNote{ID: guessField(domain.GuessKey{Row: view.First + n + 1, Field: g.Field}) + "-basis",
				Text: g.String()})
			view.Rows[n].Guessed = append(view.Rows[n].Guessed, g.Field)
		}
	}
	if preview.BatchID != 0 {
		guessEdits(view, preview)
	}
}
