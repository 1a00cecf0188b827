package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/views"
)

// sendCSV writes a CSV download named filename.
func sendCSV(c echo.Context, filename string, write func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func (s *Server) exportInventory(c echo.Context) error {
	cu, err := s.customerOfPath(c)
	if err != nil {
		return err
	}
	subs, err := s.store.AllSubscriptions(c.Request().Context(), cu.ID)
	if err != nil {
		return err
	}
	classify := func(sub domain.Subscription) domain.Classification {
		return domain.Classify(sub.Channel, sub.ServiceType, cu.IsCSPPartner)
	}
	return sendCSV(c, cu.Domain+"-subscriptions.csv", func(buf *bytes.Buffer) error { return inventorycsv.Write(buf, subs, classify) })
}

func (s *Server) customerOfPath(c echo.Context) (domain.Customer, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return domain.Customer{}, err
	}
	return s.store.Customer(c.Request().Context(), id)
}

func (s *Server) importForm(c echo.Context) error {
	return s.renderImportUpload(c, http.StatusOK, "")
}

func (s *Server) renderImportUpload(c echo.Context, status int, problem string) error {
	cu, h, err := s.customerHeader(c, stepSubscriptions)
	if err != nil {
		return err
	}
	return s.render(c, status, views.ImportUploadPage(s.chrome(c, cu.Name+": import"), views.ImportUpload{Header: h, Error: problem}))
}

// importProblem turns a file-level problem into words for the upload form.
func importProblem(err error) (string, bool) {
	var header *inventorycsv.HeaderError
	switch {
	case errors.Is(err, inventorycsv.ErrTooLarge), errors.Is(err, inventorycsv.ErrTooManyRows), errors.Is(err, inventorycsv.ErrNotUTF8),
		errors.Is(err, inventorycsv.ErrNoRows):
		return capitalize(err.Error()) + ".", true
	case errors.As(err, &header):
		return capitalize(header.Error()) + ".", true
	}
	return "", false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(bytes.ToUpper([]byte(s[:1]))) + s[1:]
}

func (s *Server) uploadImport(c echo.Context) error {
	cu, h, err := s.customerHeader(c, stepSubscriptions)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.renderImportUpload(c, http.StatusUnprocessableEntity, "Choose a CSV file to upload.")
	}
	if fh.Size > inventorycsv.MaxBytes {
		return s.renderImportUpload(c, http.StatusUnprocessableEntity, "The file is larger than 5 MB: split it into smaller files.")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	preview, err := s.svc.Customers.PreviewImport(c.Request().Context(), actor(c), cu.ID, fh.Filename, file)
	if msg, ok := importProblem(err); ok {
		return s.renderImportUpload(c, http.StatusUnprocessableEntity, msg)
	}
	if err != nil {
		return err
	}
	view := views.ImportPreview{Header: h, Filename: fh.Filename}
	for _, row := range preview.Result.Rows {
		sub := row.Subscription
		cl := domain.Classify(sub.Channel, sub.ServiceType, cu.IsCSPPartner)
		view.Rows = append(view.Rows, views.ImportRow{Line: row.Line, Product: sub.Product, ServiceType: sub.ServiceType.Label(),
			Channel: sub.Channel.Label(), Quantity: domain.FormatQuantity(sub.Seats()), TermEnd: domain.FormatDate(sub.Term()), Reference: sub.Reference,
			Workflow: string(cl.Workflow), WorkflowLabel: cl.Workflow.Label(), Reason: cl.Reason})
	}
	for _, e := range preview.Result.Errors {
		view.Errors = append(view.Errors, views.ImportError{Line: e.Line, Column: e.Column, Message: e.Message})
	}
	status := http.StatusOK
	if len(view.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		view.Confirm = views.CustomerPath(cu.ID, "import", strconv.FormatInt(preview.BatchID, 10))
	}
	return s.render(c, status, views.ImportPreviewPage(s.chrome(c, cu.Name+": import preview"), view))
}

func (s *Server) confirmImport(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	batch, err := idParam(c, "batch")
	if err != nil {
		return err
	}
	n, err := s.svc.Customers.ConfirmImport(c.Request().Context(), actor(c), id, batch)
	if errors.Is(err, domain.ErrConflict) {
		return echo.NewHTTPError(http.StatusConflict, "This file was already imported; importing it again would add its subscriptions twice.")
	}
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Imported %d %s.", n, views.Plural(n, "subscription", "subscriptions")))
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "subscriptions"))
}

func (s *Server) customerPlan(c echo.Context) (domain.Plan, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return domain.Plan{}, err
	}
	return s.svc.Customers.Plan(c.Request().Context(), id)
}

func (s *Server) showPlan(c echo.Context) error {
	cu, h, err := s.customerHeader(c, stepPlan)
	if err != nil {
		return err
	}
	plan, err := s.svc.Customers.Plan(c.Request().Context(), cu.ID)
	if err != nil {
		return err
	}
	view := views.PlanView{Header: h, Total: plan.Total, JSONHref: views.CustomerPath(cu.ID, "plan.json"),
		CSVHref: views.CustomerPath(cu.ID, "plan.csv"), IsCSPNote: cu.IsCSPPartner}
	for _, g := range plan.Groups {
		group := views.PlanGroupView{Workflow: string(g.Workflow), Label: g.Workflow.Label(), NextAction: g.Workflow.NextAction()}
		for _, item := range g.Items {
			sub := item.Subscription
			v := views.PlanItemView{Product: sub.Product, Channel: sub.Channel.Label(), Service: sub.ServiceType.Label(),
				Reason: item.Classification.Reason, TermEnd: domain.FormatDate(sub.Term()), Stage: item.Stage}
			if item.DaysLeft != nil {
				v.DaysLeft = strconv.Itoa(*item.DaysLeft)
			}
			group.Items = append(group.Items, v)
		}
		view.Groups = append(view.Groups, group)
	}
	return s.render(c, http.StatusOK, views.PlanPage(s.chrome(c, cu.Name+": plan"), view))
}

// planJSON is the plan's JSON: stable field names, workflow codes as in
// DESIGN §2.
type planJSON struct {
	Customer struct {
		ID           int64  `json:"id"`
		Name         string `json:"name"`
		Domain       string `json:"domain"`
		IsCSPPartner bool   `json:"is_csp_partner"`
	} `json:"customer"`
	Relationship domain.RelationshipStatus `json:"relationship,omitempty"`
	Total        int                       `json:"total"`
	Groups       []planGroupJSON           `json:"groups"`
}

type planGroupJSON struct {
	Workflow      domain.Workflow `json:"workflow"`
	Label         string          `json:"label"`
	NextAction    string          `json:"next_action"`
	Count         int             `json:"count"`
	Subscriptions []planItemJSON  `json:"subscriptions"`
}

type planItemJSON struct {
	SubscriptionID int64              `json:"subscription_id"`
	Product        string             `json:"product"`
	Channel        domain.Channel     `json:"channel"`
	ServiceType    domain.ServiceType `json:"service_type"`
	Quantity       int                `json:"quantity,omitempty"`
	Workflow       domain.Workflow    `json:"workflow"`
	Reason         string             `json:"reason"`
	TermEnd        string             `json:"term_end,omitempty"`
	DaysLeft       *int               `json:"days_left,omitempty"`
	Stage          string             `json:"stage,omitempty"`
}

func (s *Server) planJSON(c echo.Context) error {
	plan, err := s.customerPlan(c)
	if err != nil {
		return err
	}
	var out planJSON
	out.Customer.ID, out.Customer.Name, out.Customer.Domain, out.Customer.IsCSPPartner = plan.Customer.ID, plan.Customer.Name, plan.Customer.Domain, plan.Customer.IsCSPPartner
	out.Total, out.Relationship = plan.Total, plan.Relationship
	out.Groups = []planGroupJSON{}
	for _, g := range plan.Groups {
		group := planGroupJSON{Workflow: g.Workflow, Label: g.Workflow.Label(), NextAction: g.Workflow.NextAction(), Count: len(g.Items)}
		for _, item := range g.Items {
			sub := item.Subscription
			group.Subscriptions = append(group.Subscriptions, planItemJSON{SubscriptionID: sub.ID, Product: sub.Product, Channel: sub.Channel,
				ServiceType: sub.ServiceType, Quantity: sub.Seats(), Workflow: g.Workflow, Reason: item.Classification.Reason,
				TermEnd: domain.FormatDate(sub.Term()), DaysLeft: item.DaysLeft, Stage: item.Stage})
		}
		out.Groups = append(out.Groups, group)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}

func (s *Server) planCSV(c echo.Context) error {
	plan, err := s.customerPlan(c)
	if err != nil {
		return err
	}
	return sendCSV(c, plan.Customer.Domain+"-plan.csv", func(buf *bytes.Buffer) error { return inventorycsv.WritePlan(buf, plan) })
}
