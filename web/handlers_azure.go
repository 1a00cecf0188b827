package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/azure"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// azureForms carries what was typed into the form of one step when it must
// be shown again with its errors.
type azureForms struct {
	customerID     int64
	subscriptionID int64
	step           int // the step of the form refused; 0 when none was
	csp            *views.CSPForm
	moved          *views.MovedForm
	cancel         *views.CancelForm
}

// cspForm is the form of step 2 with these values.
func cspForm(id, name, createdOn, createdBy string) views.CSPForm {
	return views.CSPForm{ID: id, DisplayName: name, CreatedOn: createdOn,
		CreatedBy: choices(domain.CSPCreators, domain.CSPCreatorLabel, []string{createdBy})}
}

// cancelForm is the form of step 4 with these values.
func cancelForm(scope, services, on, by, reference string) views.CancelForm {
	return views.CancelForm{Services: services, On: on, Reference: reference,
		Scopes: choices(domain.CancelScopes, domain.CancelScope.Label, []string{scope}),
		By:     choices(domain.Cancellers, domain.Canceller.Label, []string{by})}
}

// azureChecklists reads the customer of the path's checklists as the
// signed-in user sees them.
func (s *Server) azureChecklists(c echo.Context) (domain.AzureChecklists, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return domain.AzureChecklists{}, err
	}
	user, _ := currentUser(c)
	return s.svc.Azure.Checklists(c.Request().Context(), id, user.Role)
}

// showAzure lists the customer's checklists, each with where it stands.
func (s *Server) showAzure(c echo.Context) error {
	ac, err := s.azureChecklists(c)
	if err != nil {
		return err
	}
	id := ac.Overview.Customer.ID
	page := views.AzurePage{Header: headerView(ac.Overview, stepUsage), RelationshipActive: ac.RelationshipActive,
		Transfers: ac.Transfers, BillingTransfers: ac.BillingTransfers, RoleNote: roleNote(c, domain.PermUsageWorkflow)}
	for _, cl := range ac.Checklists {
		page.Items = append(page.Items, azureItem(id, cl, ac.RelationshipActive, azureForms{}))
	}
	return s.render(c, http.StatusOK, views.AzureStepPage(s.chrome(c, ac.Overview.Customer.Name+": Azure"), page))
}

func (s *Server) showAzureChecklist(c echo.Context) error {
	return s.renderAzureChecklist(c, http.StatusOK, azureForms{})
}

// toAzureChecklist answers a GET on the address a step's form posts to,
// which the browser shows after a refused form: reloading it, or opening it
// again, leads to the checklist rather than to a "method not allowed".
func (s *Server) toAzureChecklist(c echo.Context) error {
	customerID, id, err := subscriptionParams(c)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(customerID, "azure", strconv.FormatInt(id, 10)))
}

// renderAzureChecklist shows the checklist of the path's subscription, with
// typed values and errors in place of the recorded ones for the form of
// step typed.step when it was refused. htmx, which sent that form, gets the
// form alone to swap in place of the one sent. A subscription without a
// checklist is not found.
func (s *Server) renderAzureChecklist(c echo.Context, status int, typed azureForms) error {
	ac, err := s.azureChecklists(c)
	if err != nil {
		return err
	}
	_, sid, err := subscriptionParams(c)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ac.Checklists, func(cl domain.AzureChecklist) bool { return cl.Subscription.ID == sid })
	if i < 0 {
		return echo.ErrNotFound
	}
	typed.subscriptionID = sid
	item := azureItem(ac.Overview.Customer.ID, ac.Checklists[i], ac.RelationshipActive, typed)
	page := views.AzureChecklistPage(s.chrome(c, ac.Overview.Customer.Name+": Azure: "+item.Product), views.AzureChecklist{
		Header: headerView(ac.Overview, stepUsage), RelationshipActive: ac.RelationshipActive, CanAct: ac.MayAct,
		RoleNote: roleNote(c, domain.PermUsageWorkflow), Item: item})
	if typed.step != 0 {
		return s.renderForm(c, status, page, item.FormID(typed.step))
	}
	return s.render(c, status, page)
}

// azureItem builds one subscription's checklist from what is recorded, with
// what was typed in place of it when typed is about this subscription.
func azureItem(customerID int64, cl domain.AzureChecklist, active bool, typed azureForms) views.AzureItem {
	sub, m := cl.Subscription, cl.Migration
	action := func(step string) string { return views.CustomerPath(customerID, "azure", fmt.Sprint(sub.ID), step) }
	item := views.AzureItem{CustomerID: customerID, SubscriptionID: sub.ID, Step: m.At(), Version: int64(m.Version), Product: sub.Product, Channel: sub.Channel.Label(), Reference: sub.Reference,
		Stage: cl.Stage,
		CSP:   cspForm(m.CSPSubscriptionID, m.DisplayName, domain.FormatDate(m.CreatedOn), string(m.CreatedByRole)),
		Moved: views.MovedForm{Note: m.MovedNote, On: domain.FormatDate(m.MovedOn)},
		Cancel: cancelForm(string(m.CancelScope), strings.Join(m.CancelledServices, "\n"), domain.FormatDate(m.CancelledOn),
			string(m.CancelledBy), m.CancelReference)}
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
	summaries := stepSummaries(m, active)
	actions := map[int]string{domain.MigrationRecordCSP: action("csp"), domain.MigrationMoveWorkloads: action("moved"),
		domain.MigrationCancelOld: action("cancelled")}
	for _, step := range cl.Steps {
		st := views.ChecklistStep{Number: step.Number, Label: step.Label, Done: step.Done, Current: step.Current, Action: actions[step.Number],
			RecordsCSP: step.Number == domain.MigrationRecordCSP, RecordsMove: step.Number == domain.MigrationMoveWorkloads,
			RecordsCancel: step.Number == domain.MigrationCancelOld}
		st.Refused = st.RecordsCSP && (item.CSP.Errors != nil || item.CSP.Stale != nil) ||
			st.RecordsMove && (item.Moved.Errors != nil || item.Moved.Stale != nil) ||
			st.RecordsCancel && (item.Cancel.Errors != nil || item.Cancel.Stale != nil)
		if step.Done {
			st.Summary = summaries[step.Number]
		}
		item.Steps = append(item.Steps, st)
	}
	return item
}

// azureStepRequest reads a checklist route: the customer, the subscription
// and where the user saw the checklist stand.
func azureStepRequest(c echo.Context) (customerID, id int64, seen domain.ChecklistSeen, err error) {
	if customerID, id, err = subscriptionParams(c); err != nil {
		return 0, 0, seen, err
	}
	seen.Step, _ = strconv.Atoi(postValue(c, "expected"))
	seen.Version = versionValue(c)
	return customerID, id, seen, nil
}

// stepForm is how afterAzureStep reaches the form of the step recorded: it
// puts field messages or a stale notice in it, and labels its fields and
// those of the checklist as stored for that notice.
type stepForm struct {
	setErrors func(domain.FieldErrors)
	setStale  func(*views.StaleNotice)
	typed     []field
	stored    func(domain.AzureMigration) []field
}

// afterAzureStep answers a recorded step: on a validation error (422) or a
// checklist saved since the form was filled (409) the page again with what
// was typed in the step's form, otherwise back to the checklist.
func (s *Server) afterAzureStep(c echo.Context, err error, typed azureForms, form stepForm) error {
	refused, err := refusalOf(err, form.stored, form.typed)
	if err != nil {
		return err
	}
	if refused != nil {
		if refused.stale != nil {
			form.setStale(refused.stale)
		} else {
			form.setErrors(refused.errs)
		}
		return s.renderAzureChecklist(c, refused.status, typed)
	}
	s.flash(c, "Saved.")
	return s.redirectAfterSave(c, views.CustomerPath(typed.customerID, "azure", strconv.FormatInt(typed.subscriptionID, 10)))
}

// cspFields labels the values of the form of step 2, for the notice of a
// stale save.
func cspFields(f views.CSPForm) []field {
	by := ""
	for _, ch := range f.CreatedBy {
		if ch.Selected {
			by = ch.Label
		}
	}
	return []field{{"New CSP Azure subscription id", f.ID}, {"Display name", f.DisplayName}, {"Created on", f.CreatedOn}, {"Created by", by}}
}

// storedCSPFields labels step 2 as recorded.
func storedCSPFields(m domain.AzureMigration) []field {
	return cspFields(cspForm(m.CSPSubscriptionID, m.DisplayName, domain.FormatDate(m.CreatedOn), string(m.CreatedByRole)))
}

// movedFields labels the values of the form of step 3.
func movedFields(f views.MovedForm) []field {
	return []field{{"What was moved", f.Note}, {"Moved on", f.On}}
}

// storedMovedFields labels step 3 as recorded.
func storedMovedFields(m domain.AzureMigration) []field {
	return movedFields(views.MovedForm{Note: m.MovedNote, On: domain.FormatDate(m.MovedOn)})
}

// cancelFields labels the values of the form of step 4.
func cancelFields(f views.CancelForm) []field {
	chosen := func(cs []views.Choice) string {
		for _, ch := range cs {
			if ch.Selected {
				return ch.Label
			}
		}
		return ""
	}
	return []field{{"What was cancelled", chosen(f.Scopes)}, {"Services cancelled", f.Services}, {"Cancelled on", f.On},
		{"Cancelled by", chosen(f.By)}, {"Reference", f.Reference}}
}

// storedCancelFields labels step 4 as recorded.
func storedCancelFields(m domain.AzureMigration) []field {
	return cancelFields(cancelForm(string(m.CancelScope), strings.Join(m.CancelledServices, "\n"), domain.FormatDate(m.CancelledOn),
		string(m.CancelledBy), m.CancelReference))
}

func (s *Server) recordCSPSubscription(c echo.Context) error {
	customerID, id, seen, err := azureStepRequest(c)
	if err != nil {
		return err
	}
	createdBy := postValue(c, "created_by_role")
	form := cspForm(postValue(c, "csp_subscription_id"), postValue(c, "display_name"), postValue(c, "created_on"), createdBy)
	created, _ := domain.ParseDate(form.CreatedOn)
	err = s.svc.Azure.RecordCSPSubscription(c.Request().Context(), actor(c), customerID, id,
		azure.CSPSubscription{ID: form.ID, DisplayName: form.DisplayName, CreatedOn: created, CreatedBy: domain.Role(createdBy)}, seen)
	return s.afterAzureStep(c, err, azureForms{customerID: customerID, subscriptionID: id, step: domain.MigrationRecordCSP, csp: &form}, stepForm{
		setErrors: func(e domain.FieldErrors) { form.Errors = e }, setStale: func(n *views.StaleNotice) { form.Stale = n },
		typed: cspFields(form), stored: storedCSPFields})
}

func (s *Server) recordMoved(c echo.Context) error {
	customerID, id, seen, err := azureStepRequest(c)
	if err != nil {
		return err
	}
	form := views.MovedForm{Note: postValue(c, "moved_note"), On: postValue(c, "moved_on")}
	on, _ := domain.ParseDate(form.On)
	err = s.svc.Azure.RecordWorkloadsMoved(c.Request().Context(), actor(c), customerID, id, form.Note, on, seen)
	return s.afterAzureStep(c, err, azureForms{customerID: customerID, subscriptionID: id, step: domain.MigrationMoveWorkloads, moved: &form}, stepForm{
		setErrors: func(e domain.FieldErrors) { form.Errors = e }, setStale: func(n *views.StaleNotice) { form.Stale = n },
		typed: movedFields(form), stored: storedMovedFields})
}

func (s *Server) recordCancelled(c echo.Context) error {
	customerID, id, seen, err := azureStepRequest(c)
	if err != nil {
		return err
	}
	scope, by := postValue(c, "scope"), postValue(c, "cancelled_by")
	form := cancelForm(scope, postValue(c, "services"), postValue(c, "cancelled_on"), by, postValue(c, "reference"))
	on, _ := domain.ParseDate(form.On)
	err = s.svc.Azure.RecordOldCancelled(c.Request().Context(), actor(c), customerID, id,
		azure.Cancellation{Scope: domain.CancelScope(scope), Services: form.Services, On: on, By: domain.Canceller(by), Reference: form.Reference}, seen)
	return s.afterAzureStep(c, err, azureForms{customerID: customerID, subscriptionID: id, step: domain.MigrationCancelOld, cancel: &form}, stepForm{
		setErrors: func(e domain.FieldErrors) { form.Errors = e }, setStale: func(n *views.StaleNotice) { form.Stale = n },
		typed: cancelFields(form), stored: storedCancelFields})
}

// stepSummaries say in a labelled sentence what each done step of a
// checklist recorded; a step not recorded yet has none.
func stepSummaries(m domain.AzureMigration, active bool) map[int]string {
	out := map[int]string{domain.MigrationRelationship: map[bool]string{true: "Active.", false: "Not active yet."}[active]}
	if m.CSPSubscriptionID != "" {
		out[domain.MigrationRecordCSP] = fmt.Sprintf("CSP subscription “%s” (%s), created on %s.", m.DisplayName, m.CSPSubscriptionID,
			domain.FormatDate(m.CreatedOn))
	}
	if m.MovedOn != nil {
		out[domain.MigrationMoveWorkloads] = "Workloads moved on " + domain.FormatDate(m.MovedOn) + "."
		if m.MovedNote != "" {
			out[domain.MigrationMoveWorkloads] += " Note: " + m.MovedNote
		}
	}
	if m.CancelledOn != nil {
		what := "the whole old subscription"
		if m.CancelScope == domain.CancelServices {
			what = "these services: " + strings.Join(m.CancelledServices, ", ")
		}
		out[domain.MigrationCancelOld] = fmt.Sprintf("Cancelled on %s by %s: %s.", domain.FormatDate(m.CancelledOn),
			strings.ToLower(m.CancelledBy.Label()), what)
	}
	return out
}
