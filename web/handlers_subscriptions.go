package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

var (
	// The choices of a row's classification, and of the add and edit forms,
	// each led by the choice to leave it unknown.
	rowChannelOptions  = append([]views.Option{{Value: string(domain.ChannelUnknown), Label: "Channel not yet known"}}, optionsOf(domain.Channels)...)
	rowServiceOptions  = append([]views.Option{{Value: string(domain.ServiceUnknown), Label: "Service type not yet known"}}, optionsOf(domain.ServiceTypes)...)
	formChannelOptions = append([]views.Option{{Value: string(domain.ChannelUnknown), Label: "Not yet known"}}, optionsOf(domain.Channels)...)
	formServiceOptions = append([]views.Option{{Value: string(domain.ServiceUnknown), Label: "Not yet known"}}, optionsOf(domain.ServiceTypes)...)
	// termChoices are the choices of a licence's terms, each led by the
	// domain's "not known".
	termChoices = views.TermChoices{
		Commerces:          optionsOf(append([]domain.Commerce{domain.CommerceUnknown}, domain.Commerces...)),
		TermLengths:        optionsOf(append([]domain.TermLength{domain.TermUnknown}, domain.TermLengths...)),
		BillingFrequencies: optionsOf(append([]domain.BillingFrequency{domain.BillingUnknown}, domain.BillingFrequencies...)),
		AutoRenews:         optionsOf(append([]domain.AutoRenew{domain.AutoRenewUnknown}, domain.AutoRenews...)),
	}
	// azureOffers suggest the offer ids people meet most, with the names
	// Microsoft gives them in "Understand Cost Management data"
	// (https://learn.microsoft.com/azure/cost-management-billing/costs/understand-cost-mgt-data);
	// any other offer or quota id may be typed.
	azureOffers = []views.Option{
		{Value: "MS-AZR-0003P", Label: "Pay-as-you-go"},
		{Value: "MS-AZR-0017P", Label: "Enterprise Agreement"},
		{Value: "MS-AZR-0148P", Label: "Enterprise Dev/Test"},
		{Value: "MS-AZR-0023P", Label: "Pay-as-you-go Dev/Test"},
		{Value: "MS-AZR-0145P", Label: "Previous Azure offer in CSP"},
		{Value: "MS-AZR-0063P", Label: "Visual Studio Enterprise"},
		{Value: "MS-AZR-0059P", Label: "Visual Studio Professional"},
		{Value: "MS-AZR-0062P", Label: "MSDN Platforms"},
		{Value: "MS-AZR-0025P", Label: "Microsoft Cloud Partner Program (MPN)"},
		{Value: "MS-AZR-0036P", Label: "Sponsorship"},
		{Value: "MS-AZR-0044P", Label: "Free trial"},
		{Value: "MS-AZR-0120P", Label: "Azure Pass"},
		{Value: "MS-AZR-0170P", Label: "Azure for Students"},
		{Value: "MS-AZR-0111P", Label: "Azure in Open"},
	}
	catalogueOptions = func() []views.CatalogueEntry {
		entries := make([]views.CatalogueEntry, len(domain.Catalogue))
		for i, p := range domain.Catalogue {
			entries[i] = views.CatalogueEntry{Name: p.Name, ServiceType: string(p.ServiceType)}
		}
		return entries
	}()
)

// subscriptionRow builds the inventory row of a subscription of customer
// customerID, with the workflow the domain's rules gave it.
func subscriptionRow(customerID int64, item domain.ClassifiedSubscription) views.SubscriptionRow {
	sub, cl := item.Subscription, item.Classification
	return views.SubscriptionRow{CustomerID: customerID, ID: sub.ID, Product: sub.Product, ServiceType: string(sub.ServiceType),
		Channel: string(sub.Channel), Quantity: domain.FormatQuantity(sub.Seats()), TermEnd: domain.FormatDate(sub.Term()),
		Terms: termsOf(sub), OfferID: sub.OfferID, ReferenceLabel: domain.ReferenceLabel(sub.Channel, sub.ServiceType),
		Reference: sub.Reference, Notes: sub.Notes, Workflow: string(cl.Workflow), WorkflowLabel: cl.Workflow.Label(), Reason: cl.Reason,
		HelpHref: reasonHelp(sub, cl), Channels: rowChannelOptions, ServiceTypes: rowServiceOptions, Version: int64(sub.Version)}
}

// termsOf says in a few words what is known of a subscription's terms,
// "" when nothing is: the row and the record show it beside the term end.
func termsOf(sub domain.Subscription) string {
	var parts []string
	if sub.Commerce.Valid() {
		parts = append(parts, sub.Commerce.Label())
	}
	if sub.TermLength.Valid() {
		parts = append(parts, "term "+strings.ToLower(sub.TermLength.Label()))
	}
	if sub.BillingFrequency.Valid() {
		parts = append(parts, "billed "+strings.ToLower(sub.BillingFrequency.Label()))
	}
	if sub.AutoRenew.Valid() {
		parts = append(parts, "auto-renew "+strings.ToLower(sub.AutoRenew.Label()))
	}
	if sub.TermStart != nil {
		parts = append(parts, "from "+domain.FormatDate(sub.TermStart))
	}
	return strings.Join(parts, " · ")
}

// subscriptionValues fills the edit form with what is stored, seats and
// terms included even where they do not apply, so nothing is lost.
func subscriptionValues(sub domain.Subscription) views.SubscriptionValues {
	return views.SubscriptionValues{Product: sub.Product, ServiceType: string(sub.ServiceType), Channel: string(sub.Channel),
		Quantity: domain.FormatQuantity(sub.Quantity), TermEnd: domain.FormatDate(sub.TermEnd), Reference: sub.Reference, Notes: sub.Notes,
		Commerce: string(sub.Commerce), TermLength: string(sub.TermLength), BillingFrequency: string(sub.BillingFrequency),
		AutoRenew: string(sub.AutoRenew), TermStart: domain.FormatDate(sub.TermStart), OfferID: sub.OfferID}
}

// subscriptionFields labels the values of the subscription form, for the
// notice of a stale save.
func subscriptionFields(v views.SubscriptionValues) []field {
	return []field{{"Product", v.Product}, {"Service type", optionLabel(formServiceOptions, v.ServiceType)},
		{"Channel", optionLabel(formChannelOptions, v.Channel)}, {"Seats", v.Quantity}, {"Term end", v.TermEnd},
		{"Reference", v.Reference}, {"Notes", v.Notes},
		{"Commerce experience", optionLabel(termChoices.Commerces, v.Commerce)},
		{"Term length", optionLabel(termChoices.TermLengths, v.TermLength)},
		{"Billing frequency", optionLabel(termChoices.BillingFrequencies, v.BillingFrequency)},
		{"Auto-renew", optionLabel(termChoices.AutoRenews, v.AutoRenew)}, {"Term start", v.TermStart}, {"Azure offer id", v.OfferID}}
}

// storedSubscriptionFields labels the values of a stored subscription as
// subscriptionFields labels the form's.
func storedSubscriptionFields(sub domain.Subscription) []field {
	return subscriptionFields(subscriptionValues(sub))
}

// parseSubscriptionForm reads the subscription form. Values that cannot even
// be parsed are reported here; the rest is validated by the domain.
func parseSubscriptionForm(c echo.Context) (domain.Subscription, views.SubscriptionValues, domain.FieldErrors) {
	v := views.SubscriptionValues{Product: postValue(c, "product"), ServiceType: postValue(c, "service_type"), Channel: postValue(c, "channel"),
		Quantity: postValue(c, "quantity"), TermEnd: postValue(c, "term_end"), Reference: postValue(c, "reference"), Notes: postValue(c, "notes"),
		Commerce: postValue(c, "commerce"), TermLength: postValue(c, "term_length"), BillingFrequency: postValue(c, "billing_frequency"),
		AutoRenew: postValue(c, "auto_renew"), TermStart: postValue(c, "term_start"), OfferID: postValue(c, "offer_id")}
	// A term that does not parse is kept as typed, for the domain's
	// validation to refuse with its message.
	sub := domain.Subscription{Product: v.Product, Reference: v.Reference, Notes: v.Notes, OfferID: v.OfferID,
		Commerce: orTyped(v.Commerce, domain.ParseCommerce), TermLength: orTyped(v.TermLength, domain.ParseTermLength),
		BillingFrequency: orTyped(v.BillingFrequency, domain.ParseBillingFrequency), AutoRenew: orTyped(v.AutoRenew, domain.ParseAutoRenew)}
	errs := domain.FieldErrors{}
	var ok bool
	if sub.Channel, ok = domain.ParseChannel(v.Channel); !ok {
		errs["channel"] = "Choose one of the channels, or leave it unknown."
	}
	if sub.ServiceType, ok = domain.ParseServiceType(v.ServiceType); !ok {
		errs["service_type"] = "Choose licence-based or usage-based, or leave it unknown."
	}
	if sub.Quantity, ok = domain.ParseQuantity(v.Quantity); !ok {
		errs["quantity"] = "Enter a number of seats from 0 to 1,000,000."
	}
	if sub.TermEnd, ok = domain.ParseDate(v.TermEnd); !ok {
		errs["term_end"] = "Enter the date as YYYY-MM-DD."
	}
	if sub.TermStart, ok = domain.ParseDate(v.TermStart); !ok {
		errs["term_start"] = "Enter the date as YYYY-MM-DD."
	}
	return sub, v, errs
}

// orTyped is what parse reads of raw, or raw itself when it cannot.
func orTyped[T ~string](raw string, parse func(string) (T, bool)) T {
	if v, ok := parse(raw); ok {
		return v
	}
	return T(raw)
}

// rowProblem is why a change of one subscription was refused, to show in
// its row of the inventory.
type rowProblem struct {
	id      int64
	message string
}

// inventory shows a customer's inventory with the add form as typed and a
// change refused in its subscription's row.
func (s *Server) inventory(c echo.Context, status int, add views.SubscriptionForm, refused *rowProblem) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	page := pageParam(c)
	inv, err := s.svc.Customers.Inventory(c.Request().Context(), id, page)
	if err != nil {
		return err
	}
	cu := inv.Overview.Customer
	add.CustomerID, add.Action = cu.ID, views.CustomerPath(cu.ID, "subscriptions")
	add.Channels, add.ServiceTypes, add.Terms = formChannelOptions, formServiceOptions, termChoices
	v := views.Inventory{Header: headerView(inv.Overview, stepSubscriptions), Total: inv.Total,
		Pager: pager(views.CustomerPath(cu.ID, "subscriptions"), nil, page, inv.Total), Add: add, Catalogue: catalogueOptions, Offers: azureOffers}
	shown := refused == nil
	for _, item := range inv.Items {
		row := subscriptionRow(cu.ID, item)
		if refused != nil && refused.id == row.ID {
			row.Error, shown = refused.message, true
		}
		v.Rows = append(v.Rows, row)
	}
	if !shown {
		// The row is on another page of the list: the error page says it.
		return domain.Conflict(refused.message)
	}
	return s.render(c, status, views.InventoryPage(s.chrome(c, cu.Name+": subscriptions"), v))
}

func (s *Server) showInventory(c echo.Context) error {
	return s.inventory(c, http.StatusOK, views.SubscriptionForm{}, nil)
}

func (s *Server) addSubscription(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sub, values, parsed := parseSubscriptionForm(c)
	sub.CustomerID = id
	var added domain.CustomerSubscription
	if !parsed.Any() {
		added, err = s.svc.Customers.AddSubscription(c.Request().Context(), actor(c), sub)
	}
	status := formStatus(err)
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		return s.inventory(c, status, views.SubscriptionForm{Values: values, Errors: errs}, nil)
	}
	last := domain.Page{Size: listPageSize}.PageCount(added.Overview.Summary.Total)
	s.flash(c, "Added "+strings.TrimSpace(sub.Product)+".")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?page=%d#sub-%d", views.CustomerPath(id, "subscriptions"), last, added.Item.Subscription.ID))
}

// subscriptionOfPath reads the subscription of the path, classified, with
// its customer's overview.
func (s *Server) subscriptionOfPath(c echo.Context) (domain.CustomerSubscription, error) {
	customerID, id, err := subscriptionParams(c)
	if err != nil {
		return domain.CustomerSubscription{}, err
	}
	return s.svc.Customers.Subscription(c.Request().Context(), customerID, id)
}

func editForm(customerID, id int64, values views.SubscriptionValues, errs domain.FieldErrors) views.SubscriptionForm {
	channel, _ := domain.ParseChannel(values.Channel)
	service, _ := domain.ParseServiceType(values.ServiceType)
	return views.SubscriptionForm{CustomerID: customerID, ID: id, Action: views.SubscriptionPath(customerID, id), Values: values, Errors: errs,
		Channels: formChannelOptions, ServiceTypes: formServiceOptions, Terms: termChoices, ReferenceLabel: domain.ReferenceLabel(channel, service)}
}

// renderEdit shows the edit form: a row to swap in for htmx, a page
// otherwise, under the heading of the customer of ov.
func (s *Server) renderEdit(c echo.Context, status int, ov domain.CustomerOverview, form views.SubscriptionForm) error {
	if isPartial(c) {
		return s.render(c, status, views.SubscriptionEditRow(form))
	}
	return s.render(c, status, views.SubscriptionEditPage(s.chrome(c, "Edit "+form.Values.Product),
		views.SubscriptionEdit{Header: headerView(ov, stepSubscriptions), Form: form, Catalogue: catalogueOptions, Offers: azureOffers}))
}

func (s *Server) editSubscription(c echo.Context) error {
	cs, err := s.subscriptionOfPath(c)
	if err != nil {
		return err
	}
	sub := cs.Item.Subscription
	form := editForm(sub.CustomerID, sub.ID, subscriptionValues(sub), nil)
	form.Version = int64(sub.Version)
	return s.renderEdit(c, http.StatusOK, cs.Overview, form)
}

// afterSubscriptionChange answers a change: for htmx the updated row (none
// when it was removed) with the stepper and count it changed; otherwise back
// to the inventory with a message.
func (s *Server) afterSubscriptionChange(c echo.Context, changed domain.CustomerSubscription, removed bool, message string) error {
	customerID, id := changed.Overview.Customer.ID, changed.Item.Subscription.ID
	if isPartial(c) {
		change := views.RowChange{Header: headerView(changed.Overview, stepSubscriptions)}
		if !removed {
			row := subscriptionRow(customerID, changed.Item)
			change.Row = &row
		}
		return s.render(c, http.StatusOK, views.RowChangeView(change))
	}
	s.flash(c, message)
	if removed {
		return c.Redirect(http.StatusSeeOther, views.CustomerPath(customerID, "subscriptions"))
	}
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(customerID, "subscriptions")+fmt.Sprintf("#sub-%d", id))
}

func (s *Server) showSubscriptionRow(c echo.Context) error {
	cs, err := s.subscriptionOfPath(c)
	if err != nil {
		return err
	}
	sub := cs.Item.Subscription
	if !isPartial(c) {
		return c.Redirect(http.StatusSeeOther, views.CustomerPath(sub.CustomerID, "subscriptions")+fmt.Sprintf("#sub-%d", sub.ID))
	}
	return s.render(c, http.StatusOK, views.SubscriptionRowView(subscriptionRow(sub.CustomerID, cs.Item)))
}

func (s *Server) updateSubscription(c echo.Context) error {
	customerID, id, err := subscriptionParams(c)
	if err != nil {
		return err
	}
	sub, values, parsed := parseSubscriptionForm(c)
	sub.ID, sub.CustomerID, sub.Version = id, customerID, versionValue(c)
	var saved domain.CustomerSubscription
	if !parsed.Any() {
		saved, err = s.svc.Customers.UpdateSubscription(c.Request().Context(), actor(c), sub)
	}
	form := editForm(customerID, id, values, nil)
	form.Version = int64(sub.Version)
	refused, err := refusalOf(err, storedSubscriptionFields, subscriptionFields(values))
	if err != nil {
		return err
	}
	if parsed.Any() {
		refused = &saveRefusal{errs: parsed, status: http.StatusUnprocessableEntity}
	}
	if refused == nil {
		return s.afterSubscriptionChange(c, saved, false, "Saved "+saved.Item.Subscription.Product+".")
	}
	if form.Errors, form.Stale = refused.errs, refused.stale; refused.stale != nil {
		form.Version = refused.version
	}
	// The form comes back as typed, under the heading as it stands.
	current, err := s.subscriptionOfPath(c)
	if err != nil {
		return err
	}
	return s.renderEdit(c, refused.status, current.Overview, form)
}

func (s *Server) classifySubscription(c echo.Context) error {
	customerID, id, err := subscriptionParams(c)
	if err != nil {
		return err
	}
	channel, okChannel := domain.ParseChannel(postValue(c, "channel"))
	service, okService := domain.ParseServiceType(postValue(c, "service_type"))
	if !okChannel || !okService {
		const refused = "Choose one of the channels and service types offered."
		if !isPartial(c) {
			return domain.FieldErrors{"channel": refused}
		}
		return s.refuseRow(c, http.StatusUnprocessableEntity, refused, nil)
	}
	changed, err := s.svc.Customers.Classify(c.Request().Context(), actor(c), customerID, id, versionValue(c), channel, service)
	var stale *domain.Stale[domain.Subscription]
	switch {
	case errors.As(err, &stale):
		return s.staleClassification(c, stale, channel, service)
	case errors.Is(err, domain.ErrStorageFull) && isPartial(c):
		return s.refuseRow(c, http.StatusServiceUnavailable, "Not saved: the server is out of disk space. Try again in a while.", nil)
	case err != nil:
		return err
	}
	return s.afterSubscriptionChange(c, changed, false, fmt.Sprintf("%s: %s.", changed.Item.Subscription.Product, changed.Item.Classification.Workflow.Label()))
}

// staleClassification answers a classification made from a row older than
// the subscription: with htmx the row as stored now, saying who changed it,
// to choose again; without, the edit page with the same notice and the
// channel and service type chosen, to save on top.
func (s *Server) staleClassification(c echo.Context, stale *domain.Stale[domain.Subscription], channel domain.Channel, service domain.ServiceType) error {
	current, err := s.subscriptionOfPath(c)
	if err != nil {
		return err
	}
	sub := current.Item.Subscription
	chosen := subscriptionValues(sub)
	chosen.Channel, chosen.ServiceType = string(channel), string(service)
	notice, version, _ := staleNotice(stale, storedSubscriptionFields, subscriptionFields(chosen))
	if isPartial(c) {
		retry := &views.RowRetry{Channel: chosen.Channel, ServiceType: chosen.ServiceType,
			Label: optionLabel(rowChannelOptions, chosen.Channel) + ", " + optionLabel(rowServiceOptions, chosen.ServiceType)}
		return s.refuseRow(c, http.StatusConflict, staleRowMessage(notice, "It is shown as stored now: choose again, or apply your choice on top."), retry)
	}
	form := editForm(sub.CustomerID, sub.ID, chosen, nil)
	form.Stale, form.Version = notice, version
	return s.renderEdit(c, http.StatusConflict, current.Overview, form)
}

// refuseRow answers an htmx change of a row that was refused: the row as
// stored now, saying why, and offering retry when there is one. htmx swaps
// the answer into the row, so the table keeps its shape.
func (s *Server) refuseRow(c echo.Context, status int, message string, retry *views.RowRetry) error {
	current, err := s.subscriptionOfPath(c)
	if err != nil {
		return err
	}
	row := subscriptionRow(current.Item.Subscription.CustomerID, current.Item)
	row.Error, row.Retry = message, retry
	return s.render(c, status, views.SubscriptionRowView(row))
}

// staleRowMessage says, in a row, that a change was refused because the row
// was stale, who saved it since, and then what to do.
func staleRowMessage(notice *views.StaleNotice, then string) string {
	return strings.Join(slices.DeleteFunc([]string{"Not done: this subscription changed after the page was loaded.", notice.Who(), then},
		func(s string) bool { return s == "" }), " ")
}

func (s *Server) removeSubscription(c echo.Context) error {
	customerID, id, err := subscriptionParams(c)
	if err != nil {
		return err
	}
	if asked, err := s.askFirstOf(c, "sid", func(ctx context.Context, id int64) (views.Confirmation, string, error) {
		cs, err := s.svc.Customers.Subscription(ctx, customerID, id)
		product := cs.Item.Subscription.Product
		return views.Confirmation{Question: "Remove " + product + " from the inventory?", Yes: "Yes, remove " + product,
				Consequence: product + " leaves " + cs.Overview.Customer.Name + "'s inventory and plan. It is kept as removed, and the removal is written to the audit log."},
			views.CustomerPath(customerID, "subscriptions"), err
	}); asked {
		return err
	}
	removed, err := s.svc.Customers.RemoveSubscription(c.Request().Context(), actor(c), customerID, id, versionValue(c))
	var stale *domain.Stale[domain.Subscription]
	if errors.As(err, &stale) {
		notice, _, _ := staleNotice(stale, storedSubscriptionFields, storedSubscriptionFields(stale.Current))
		message := staleRowMessage(notice, "It is shown as stored now: remove it again if it should still go.")
		if isPartial(c) {
			return s.refuseRow(c, http.StatusConflict, message, nil)
		}
		return s.inventory(c, http.StatusConflict, views.SubscriptionForm{}, &rowProblem{id: id, message: message})
	}
	if err != nil {
		return err
	}
	return s.afterSubscriptionChange(c, removed, true, "Removed "+removed.Item.Subscription.Product+" from the inventory.")
}
