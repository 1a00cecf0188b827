package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/azure"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// azureForms carries what was typed into one step's form when it must be
// shown again with its errors.
type azureForms struct {
	customerID     int64
	subscriptionID int64
	csp            *views.CSPForm
	moved          *views.MovedForm
	cancel         *views.CancelForm
}

func (s *Server) showAzure(c echo.Context) error {
	return s.renderAzure(c, http.StatusOK, azureForms{})
}

// renderAzure shows every checklist of the customer, with typed values and
// errors in place of the recorded ones for the form that was refused.
func (s *Server) renderAzure(c echo.Context, status int, typed azureForms) error {
	cu, h, err := s.customerHeader(c, stepUsage)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	user, _ := currentUser(c)
	active, err := s.svc.Azure.RelationshipActive(ctx, cu.ID)
	if err != nil {
		return err
	}
	migrations, err := s.svc.Azure.Migrations(ctx, cu.ID)
	if err != nil {
		return err
	}
	subs, err := s.store.AllSubscriptions(ctx, cu.ID)
	if err != nil {
		return err
	}
	page := views.AzurePage{Header: h, RelationshipActive: active, CanAct: user.Role.Allows(domain.PermUsageWorkflow)}
	for _, sub := range subs {
		switch domain.Classify(sub.Channel, sub.ServiceType, cu.IsCSPPartner).Workflow {
		case domain.WorkflowAzureTransfer:
			page.Transfers++
		case domain.WorkflowAzureNewSubscription:
			item := azureItem(cu, sub, migrations[sub.ID], active)
			if typed.subscriptionID == sub.ID {
				if typed.csp != nil {
					item.CSP = *typed.csp
				}
				if typed.moved != nil {
					item.Moved = *typed.moved
				}
				if typed.cancel != nil {
					item.Cancel = *typed.cancel
				}
			}
			page.Items = append(page.Items, item)
		}
	}
	return s.render(c, status, views.AzureStepPage(s.chrome(c, cu.Name+": Azure"), page))
}

// azureItem builds one subscription's checklist from what is recorded.
func azureItem(cu domain.Customer, sub domain.Subscription, m domain.AzureMigration, active bool) views.AzureItem {
	m.Step = m.At()
	action := func(step string) string { return views.CustomerPath(cu.ID, "azure", fmt.Sprint(sub.ID), step) }
	item := views.AzureItem{SubscriptionID: sub.ID, Step: m.Step, Product: sub.Product, Channel: sub.Channel.Label(), Reference: sub.Reference,
		Stage: domain.MigrationStage(m, sub.Channel, active),
		CSP: views.CSPForm{ID: m.CSPSubscriptionID, DisplayName: m.DisplayName, CreatedOn: domain.FormatDate(m.CreatedOn),
			CreatedBy: string(m.CreatedByRole)},
		Moved: views.MovedForm{Note: m.MovedNote, On: domain.FormatDate(m.MovedOn)},
		Cancel: views.CancelForm{Scope: string(m.CancelScope), Services: strings.Join(m.CancelledServices, "\n"),
			On: domain.FormatDate(m.CancelledOn), By: string(m.CancelledBy), Reference: m.CancelReference}}
	summaries := map[int]string{
		domain.MigrationRelationship:  map[bool]string{true: "Active.", false: "Not active yet."}[active],
		domain.MigrationRecordCSP:     strings.TrimSpace(m.DisplayName + " " + m.CSPSubscriptionID + " " + domain.FormatDate(m.CreatedOn)),
		domain.MigrationMoveWorkloads: strings.TrimSpace(m.MovedNote + " " + domain.FormatDate(m.MovedOn)),
		domain.MigrationCancelOld: strings.TrimSpace(strings.Join(append([]string{string(m.CancelScope)}, m.CancelledServices...), ", ") + " " +
			domain.FormatDate(m.CancelledOn) + " " + string(m.CancelledBy)),
	}
	actions := map[int]string{domain.MigrationRecordCSP: action("csp"), domain.MigrationMoveWorkloads: action("moved"),
		domain.MigrationCancelOld: action("cancelled")}
	for step := domain.MigrationRelationship; step <= domain.MigrationCancelOld; step++ {
		done := step < m.Step
		if step == domain.MigrationRelationship {
			done = active
		}
		st := views.ChecklistStep{Number: step, Label: domain.MigrationStepLabel(step), Done: done,
			Current: step == m.Step && active, Action: actions[step]}
		if done {
			st.Summary = summaries[step]
		}
		item.Steps = append(item.Steps, st)
	}
	item.Steps = append(item.Steps, views.ChecklistStep{Number: domain.MigrationDone, Label: domain.MigrationStepLabel(domain.MigrationDone),
		Done: m.Step == domain.MigrationDone})
	return item
}

// azureStepRequest reads a checklist route: the customer, the subscription
// and the step the user saw the checklist at.
func azureStepRequest(c echo.Context) (customerID, id int64, expected int, err error) {
	if customerID, id, err = subscriptionParams(c); err != nil {
		return 0, 0, 0, err
	}
	expected, _ = strconv.Atoi(postValue(c, "expected"))
	return customerID, id, expected, nil
}

// afterAzureStep answers a recorded step: on a validation error the page
// again with what was typed (typed after setErrors has put the messages in
// its form), otherwise back to the checklist.
func (s *Server) afterAzureStep(c echo.Context, err error, typed azureForms, setErrors func(domain.FieldErrors)) error {
	if fe, ok := fieldErrors(err); ok {
		setErrors(fe)
		return s.renderAzure(c, http.StatusUnprocessableEntity, typed)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved.")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s#azure-%d", views.CustomerPath(typed.customerID, "azure"), typed.subscriptionID))
}

func (s *Server) recordCSPSubscription(c echo.Context) error {
	customerID, id, expected, err := azureStepRequest(c)
	if err != nil {
		return err
	}
	form := views.CSPForm{ID: postValue(c, "csp_subscription_id"), DisplayName: postValue(c, "display_name"),
		CreatedOn: postValue(c, "created_on"), CreatedBy: postValue(c, "created_by_role")}
	created, _ := domain.ParseDate(form.CreatedOn)
	err = s.svc.Azure.RecordCSPSubscription(c.Request().Context(), actor(c), customerID, id,
		azure.CSPSubscription{ID: form.ID, DisplayName: form.DisplayName, CreatedOn: created, CreatedBy: domain.Role(form.CreatedBy)}, expected)
	return s.afterAzureStep(c, err, azureForms{customerID: customerID, subscriptionID: id, csp: &form},
		func(e domain.FieldErrors) { form.Errors = e })
}

func (s *Server) recordMoved(c echo.Context) error {
	customerID, id, expected, err := azureStepRequest(c)
	if err != nil {
		return err
	}
	form := views.MovedForm{Note: postValue(c, "moved_note"), On: postValue(c, "moved_on")}
	on, _ := domain.ParseDate(form.On)
	err = s.svc.Azure.RecordWorkloadsMoved(c.Request().Context(), actor(c), customerID, id, form.Note, on, expected)
	return s.afterAzureStep(c, err, azureForms{customerID: customerID, subscriptionID: id, moved: &form},
		func(e domain.FieldErrors) { form.Errors = e })
}

func (s *Server) recordCancelled(c echo.Context) error {
	customerID, id, expected, err := azureStepRequest(c)
	if err != nil {
		return err
	}
	form := views.CancelForm{Scope: postValue(c, "scope"), Services: postValue(c, "services"), On: postValue(c, "cancelled_on"),
		By: postValue(c, "cancelled_by"), Reference: postValue(c, "reference")}
	on, _ := domain.ParseDate(form.On)
	err = s.svc.Azure.RecordOldCancelled(c.Request().Context(), actor(c), customerID, id,
		azure.Cancellation{Scope: domain.CancelScope(form.Scope), Services: form.Services, On: on, By: domain.Canceller(form.By), Reference: form.Reference}, expected)
	return s.afterAzureStep(c, err, azureForms{customerID: customerID, subscriptionID: id, cancel: &form},
		func(e domain.FieldErrors) { form.Errors = e })
}
