package web

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/views"
)

// Verification of accepted requests in Partner Center (DESIGN §4): by hand
// from the review queue, or from Partner Center's customer export: upload,
// a preview that changes nothing, and a confirmation that applies exactly
// what was previewed. The preview posts the file back with the fingerprint
// of its plan, so nothing is kept between the two steps.

// demoExportPath is where the demo export downloads from.
const demoExportPath = "/relationships/verify/demo.csv"

func (s *Server) verifyRelationship(c echo.Context) error {
	seen := postValue(c, "seen") == "1"
	return s.relationshipInput(c, "verify", func(ctx context.Context, id int64) error {
		return s.svc.Relationships.Verify(ctx, actor(c), id, seen)
	}, "Verified: the reseller relationship is active.")
}

func (s *Server) verifyUploadForm(c echo.Context) error {
	return s.renderVerifyUpload(c, http.StatusOK, views.VerifyUpload{})
}

// renderVerifyUpload shows the upload form with u's problems, today as the
// export's day unless one was typed, and the demo export while the demo
// partner is the partner.
func (s *Server) renderVerifyUpload(c echo.Context, status int, u views.VerifyUpload) error {
	if u.ExportedOn == "" {
		u.ExportedOn = s.svc.Now().Format(domain.DateLayout)
	}
	isDemo, err := s.demoPartner(c)
	if err != nil {
		return err
	}
	if isDemo {
		u.DemoFile = demoExportPath
	}
	return s.render(c, status, views.VerifyUploadPage(s.chrome(c, "Verify with Partner Center's export"), u))
}

// demoExport downloads the demo partner's Partner Center export, for a
// newcomer to try the verification on the demo data.
func (s *Server) demoExport(c echo.Context) error {
	return s.sendCSV(c, "Customers.csv", func(w io.Writer) error {
		_, err := w.Write(demo.PartnerCenterExport)
		return err
	})
}

// exportUpload reads the export's day as the form gives it, today when left
// empty, with the file; a day that is not a date stays zero, for the
// service to refuse.
func (s *Server) exportUpload(c echo.Context, name string, data []byte) relationships.ExportUpload {
	u := relationships.ExportUpload{FileName: name, Data: data}
	switch day, ok := domain.ParseDate(postValue(c, "exported_on")); {
	case ok && day != nil:
		u.ExportedOn = *day
	case ok:
		u.ExportedOn = domain.Day(s.svc.Now())
	}
	return u
}

func (s *Server) uploadExport(c echo.Context) error {
	form := views.VerifyUpload{ExportedOn: postValue(c, "exported_on")}
	fh, err := c.FormFile("file")
	if err != nil {
		form.Error = "Choose the Customers.csv file Partner Center exported."
		return s.renderVerifyUpload(c, http.StatusUnprocessableEntity, form)
	}
	if fh.Size > domain.MaxExportBytes {
		form.Error = "The file is larger than 2 MB: is it Partner Center's customer export?"
		return s.renderVerifyUpload(c, http.StatusUnprocessableEntity, form)
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, domain.MaxExportBytes+1))
	if err != nil {
		return err
	}
	preview, err := s.svc.Relationships.PreviewExport(c.Request().Context(), s.exportUpload(c, fh.Filename, data))
	return s.showExportPreview(c, form, preview, err)
}

// showExportPreview renders the preview, or the upload form with what was
// wrong with the file or the form.
func (s *Server) showExportPreview(c echo.Context, form views.VerifyUpload, p relationships.ExportPreview, err error) error {
	var bad *domain.ExportError
	var invalid domain.FieldErrors
	switch {
	case errors.As(err, &bad):
		for _, pr := range bad.Problems {
			form.Problems = append(form.Problems, views.ExportProblem{Line: pr.Line, Message: pr.Message})
		}
		return s.renderVerifyUpload(c, http.StatusUnprocessableEntity, form)
	case errors.As(err, &invalid):
		form.Error = invalid["exported_on"]
		return s.renderVerifyUpload(c, http.StatusUnprocessableEntity, form)
	case errors.Is(err, relationships.ErrExportChanged):
		return s.render(c, http.StatusConflict, views.VerifyPreviewPage(s.chrome(c, "Partner Center export: preview"), previewView(p, true)))
	case err != nil:
		return err
	}
	return s.render(c, http.StatusOK, views.VerifyPreviewPage(s.chrome(c, "Partner Center export: preview"), previewView(p, false)))
}

// previewView shows a preview; changed says it replaces one the app no
// longer matches.
func previewView(p relationships.ExportPreview, changed bool) views.VerifyPreview {
	plan := p.Plan
	v := views.VerifyPreview{FileName: p.Upload.FileName, ExportedOn: p.Upload.ExportedOn.Format(domain.DateLayout),
		Customers: len(p.Export.Customers), File: base64.RawURLEncoding.EncodeToString(p.Upload.Data), Fingerprint: p.Fingerprint,
		Changed: changed, Country: plan.Country, CreateProblem: p.CreateProblem}
	row := func(e domain.ExportCustomer, c domain.Customer, state, note string) views.ExportRowView {
		return views.ExportRowView{Line: e.Line, TenantID: e.TenantID, Name: e.Name, Domain: e.Domain, Relationship: e.Relationship,
			CustomerID: c.ID, CustomerName: c.Name, State: state, Note: note}
	}
	for _, x := range plan.Verify {
		v.Verify = append(v.Verify, row(x.Export, x.Customer, x.Request.Status.Label()+" → Active", "Matched by "+string(x.By)))
	}
	for _, e := range plan.Unknown {
		r := row(e, domain.Customer{}, "", "")
		if problem := plan.CreateProblem(e); problem != "" {
			r.Note = "Cannot be created from the export: " + problem
		}
		r.Creatable = r.Note == ""
		v.Unknown = append(v.Unknown, r)
	}
	for _, k := range plan.Known {
		state := ""
		if k.Status != "" {
			state = k.Status.Label()
		}
		v.Known = append(v.Known, row(k.Export, k.Customer, state, k.Note()))
	}
	for _, e := range plan.NotReseller {
		v.NotReseller = append(v.NotReseller, row(e, domain.Customer{}, "", ""))
	}
	for _, m := range plan.Mismatched {
		v.Mismatched = append(v.Mismatched, row(m.Export, m.Customer, "", "The app's tenant id: "+m.Customer.TenantID))
	}
	for _, m := range plan.Missing {
		v.Missing = append(v.Missing, views.ExportRowView{TenantID: m.Customer.TenantID, Name: m.Customer.Name, Domain: m.Customer.Domain,
			CustomerID: m.Customer.ID, CustomerName: m.Customer.Name, State: m.Request.Status.Label(), Note: m.Request.Verification()})
	}
	return v
}

func (s *Server) confirmExport(c echo.Context) error {
	form := views.VerifyUpload{ExportedOn: postValue(c, "exported_on")}
	data, err := base64.RawURLEncoding.DecodeString(postValue(c, "file"))
	if err != nil || len(data) > domain.MaxExportBytes {
		form.Error = "The preview could not be read back: upload the file again."
		return s.renderVerifyUpload(c, http.StatusUnprocessableEntity, form)
	}
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	u := s.exportUpload(c, postValue(c, "file_name"), data)
	preview, res, err := s.svc.Relationships.ApplyExport(c.Request().Context(), actor(c), u, postValue(c, "fingerprint"),
		c.Request().PostForm["create"])
	if err != nil {
		return s.showExportPreview(c, form, preview, err)
	}
	s.flash(c, exportDone(u, res))
	return c.Redirect(http.StatusSeeOther, "/relationships?status=active")
}

// exportDone says what an applied export did, naming what it skipped.
func exportDone(u relationships.ExportUpload, res domain.ExportResult) string {
	msg := fmt.Sprintf("Verified from the Partner Center export of %s: %d %s active", u.ExportedOn.Format(domain.DateLayout), len(res.Verified),
		views.Plural(len(res.Verified), "request made", "requests made"))
	if len(res.Created) > 0 {
		msg += fmt.Sprintf(", %d %s", len(res.Created), views.Plural(len(res.Created), "customer created", "customers created"))
	}
	msg += "."
	var names []string
	for _, v := range res.Skipped {
		names = append(names, v.Customer.Name)
	}
	for _, e := range res.NotCreated {
		names = append(names, e.Name)
	}
	if len(names) > 0 {
		msg += " Skipped, because they changed since the preview: " + strings.TrimSuffix(strings.Join(names, ", "), ".") + "."
	}
	return msg
}
