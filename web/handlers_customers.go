package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

var customerSorts = []struct {
	sort  domain.CustomerSort
	label string
}{
	{domain.SortByName, "Name A–Z"},
	{domain.SortByNameDesc, "Name Z–A"},
	{domain.SortByChanged, "Recently changed"},
	{domain.SortByChangedOldest, "Least recently changed"},
}

func (s *Server) listCustomers(c echo.Context) error {
	query := strings.TrimSpace(c.QueryParam("q"))
	sort := domain.SortByName
	for _, o := range customerSorts {
		if string(o.sort) == c.QueryParam("sort") {
			sort = o.sort
		}
	}
	page := pageParam(c)
	q := domain.CustomerQuery{Search: query, Sort: sort, Page: page}
	keep := url.Values{}
	switch filter := domain.CustomerFilter(c.QueryParam("needs")); filter {
	case domain.FilterToClassify:
		q.Having = domain.PairsIn(domain.WorkflowNeedsClassification)
		keep.Set("needs", string(filter))
	case domain.FilterUsageInProgress:
		q.UsageInProgress = true
		keep.Set("needs", string(filter))
	}
	items, total, err := s.store.ListCustomers(c.Request().Context(), q)
	if err != nil {
		return err
	}
	if query != "" {
		keep.Set("q", query)
	}
	if sort != domain.SortByName {
		keep.Set("sort", string(sort))
	}
	list := views.CustomerList{Query: query, Needs: keep.Get("needs"), Sort: string(sort), Total: total, Pager: pager("/customers", keep, page, total)}
	switch domain.CustomerFilter(list.Needs) {
	case domain.FilterToClassify:
		list.Filter = "with subscriptions to classify"
	case domain.FilterUsageInProgress:
		list.Filter = "with Azure checklists or transfers in progress"
	}
	for _, o := range customerSorts {
		v := url.Values{"sort": {string(o.sort)}}
		if query != "" {
			v.Set("q", query)
		}
		if needs := keep.Get("needs"); needs != "" {
			v.Set("needs", needs)
		}
		list.SortLinks = append(list.SortLinks, views.SortLink{Label: o.label, Href: "/customers?" + v.Encode(), Current: o.sort == sort})
	}
	for _, item := range items {
		cu := item.Customer
		sum := domain.Summarize(cu, item.Counts)
		list.Rows = append(list.Rows, views.CustomerRow{ID: cu.ID, Name: cu.Name, Domain: cu.Domain, Country: domain.CountryName(cu.Country),
			Subscriptions: sum.Total, Unclassified: sum.Unclassified, Changed: cu.UpdatedAt.Format(dateTimeShown)})
	}
	if isPartial(c) {
		return s.render(c, http.StatusOK, views.CustomerResults(list))
	}
	return s.render(c, http.StatusOK, views.CustomersPage(s.chrome(c, "Customers"), list))
}

func (s *Server) showCustomer(c echo.Context) error {
	cu, h, err := s.customerHeader(c, stepCustomer)
	if err != nil {
		return err
	}
	d := views.CustomerDetails{Header: h, Domain: cu.Domain, TenantID: cu.TenantID, Country: domain.CountryName(cu.Country),
		AdminName: cu.AdminName, AdminEmail: cu.AdminEmail, IsCSPPartner: cu.IsCSPPartner,
		Created: cu.CreatedAt.Format(dateTimeShown), Changed: cu.UpdatedAt.Format(dateTimeShown)}
	return s.render(c, http.StatusOK, views.CustomerPage(s.chrome(c, cu.Name), d))
}

var countryOptions = func() []views.Option {
	opts := make([]views.Option, len(domain.Countries))
	for i, co := range domain.Countries {
		opts[i] = views.Option{Value: co.Code, Label: co.Name}
	}
	return opts
}()

func customerValues(cu domain.Customer) views.CustomerValues {
	return views.CustomerValues{Name: cu.Name, Domain: cu.Domain, TenantID: cu.TenantID, Country: cu.Country,
		AdminName: cu.AdminName, AdminEmail: cu.AdminEmail, IsCSPPartner: cu.IsCSPPartner}
}

// parseCustomerForm reads the customer form as typed.
func parseCustomerForm(c echo.Context) domain.Customer {
	return domain.Customer{Name: postValue(c, "name"), Domain: postValue(c, "domain"), TenantID: postValue(c, "tenant_id"),
		Country: postValue(c, "country"), AdminName: postValue(c, "admin_name"), AdminEmail: postValue(c, "admin_email"),
		IsCSPPartner: postValue(c, "is_csp_partner") == "1"}
}

func (s *Server) renderCustomerForm(c echo.Context, status int, f views.CustomerForm) error {
	f.Countries = countryOptions
	return s.render(c, status, views.CustomerFormPage(s.chrome(c, f.Title), f))
}

func (s *Server) newCustomerForm(c echo.Context) error {
	return s.renderCustomerForm(c, http.StatusOK, views.CustomerForm{Title: "New customer", Action: "/customers", Cancel: "/customers"})
}

func (s *Server) createCustomer(c echo.Context) error {
	cu := parseCustomerForm(c)
	id, err := s.svc.Customers.CreateCustomer(c.Request().Context(), actor(c), cu)
	if errs, ok := fieldErrors(err); ok {
		return s.renderCustomerForm(c, http.StatusUnprocessableEntity,
			views.CustomerForm{Title: "New customer", Action: "/customers", Cancel: "/customers", Values: customerValues(cu), Errors: errs})
	}
	if err != nil {
		return err
	}
	s.flash(c, "Customer created. Next, take stock of the subscriptions it bought elsewhere.")
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id))
}

func (s *Server) editCustomerForm(c echo.Context) error {
	cu, h, err := s.customerHeader(c, stepCustomer)
	if err != nil {
		return err
	}
	return s.renderCustomerForm(c, http.StatusOK, views.CustomerForm{Header: &h, Title: "Edit " + cu.Name, Action: views.CustomerPath(cu.ID),
		Cancel: views.CustomerPath(cu.ID), Values: customerValues(cu)})
}

func (s *Server) updateCustomer(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cu := parseCustomerForm(c)
	cu.ID = id
	err = s.svc.Customers.UpdateCustomer(c.Request().Context(), actor(c), cu)
	if errs, ok := fieldErrors(err); ok {
		_, h, herr := s.customerHeader(c, stepCustomer)
		if herr != nil {
			return herr
		}
		return s.renderCustomerForm(c, http.StatusUnprocessableEntity, views.CustomerForm{Header: &h, Title: "Edit customer",
			Action: views.CustomerPath(id), Cancel: views.CustomerPath(id), Values: customerValues(cu), Errors: errs})
	}
	if err != nil {
		return err
	}
	s.flash(c, "Customer saved.")
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id))
}

func optionsOf[T interface {
	~string
	Label() string
}](values []T) []views.Option {
	opts := make([]views.Option, len(values))
	for i, v := range values {
		opts[i] = views.Option{Value: string(v), Label: v.Label()}
	}
	return opts
}

var (
	channelOptions   = optionsOf(domain.Channels)
	serviceOptions   = optionsOf(domain.ServiceTypes)
	catalogueOptions = func() []views.CatalogueEntry {
		entries := make([]views.CatalogueEntry, len(domain.Catalogue))
		for i, p := range domain.Catalogue {
			entries[i] = views.CatalogueEntry{Name: p.Name, ServiceType: string(p.ServiceType)}
		}
		return entries
	}()
)

// subscriptionRow builds the inventory row of a subscription. Its workflow
// comes from the domain's rules, never from the view.
func subscriptionRow(cu domain.Customer, sub domain.Subscription) views.SubscriptionRow {
	cl := domain.Classify(sub.Channel, sub.ServiceType, cu.IsCSPPartner)
	return views.SubscriptionRow{CustomerID: cu.ID, ID: sub.ID, Product: sub.Product, ServiceType: string(sub.ServiceType),
		Channel: string(sub.Channel), Quantity: domain.FormatQuantity(sub.Seats()), TermEnd: domain.FormatDate(sub.Term()),
		ReferenceLabel: domain.ReferenceLabel(sub.Channel, sub.ServiceType),
		Reference:      sub.Reference, Notes: sub.Notes, Workflow: string(cl.Workflow), WorkflowLabel: cl.Workflow.Label(), Reason: cl.Reason,
		Channels: channelOptions, ServiceTypes: serviceOptions}
}

// subscriptionValues fills the edit form with what is stored, seats and
// term end included even where they do not apply, so nothing is lost.
func subscriptionValues(sub domain.Subscription) views.SubscriptionValues {
	return views.SubscriptionValues{Product: sub.Product, ServiceType: string(sub.ServiceType), Channel: string(sub.Channel),
		Quantity: domain.FormatQuantity(sub.Quantity), TermEnd: domain.FormatDate(sub.TermEnd), Reference: sub.Reference, Notes: sub.Notes}
}

// parseSubscriptionForm reads the subscription form. Values that cannot even
// be parsed are reported here; the rest is validated by the domain.
func parseSubscriptionForm(c echo.Context) (domain.Subscription, views.SubscriptionValues, domain.FieldErrors) {
	v := views.SubscriptionValues{Product: postValue(c, "product"), ServiceType: postValue(c, "service_type"), Channel: postValue(c, "channel"),
		Quantity: postValue(c, "quantity"), TermEnd: postValue(c, "term_end"), Reference: postValue(c, "reference"), Notes: postValue(c, "notes")}
	sub := domain.Subscription{Product: v.Product, Reference: v.Reference, Notes: v.Notes}
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
	return sub, v, errs
}

func (s *Server) inventory(c echo.Context, status int, add views.SubscriptionForm) error {
	cu, h, err := s.customerHeader(c, stepSubscriptions)
	if err != nil {
		return err
	}
	page := pageParam(c)
	subs, total, err := s.store.ListSubscriptions(c.Request().Context(), cu.ID, page)
	if err != nil {
		return err
	}
	add.CustomerID, add.Action = cu.ID, views.CustomerPath(cu.ID, "subscriptions")
	add.Channels, add.ServiceTypes = channelOptions, serviceOptions
	inv := views.Inventory{Header: h, Total: total, Pager: pager(views.CustomerPath(cu.ID, "subscriptions"), nil, page, total),
		Add: add, Catalogue: catalogueOptions}
	for _, sub := range subs {
		inv.Rows = append(inv.Rows, subscriptionRow(cu, sub))
	}
	return s.render(c, status, views.InventoryPage(s.chrome(c, cu.Name+": subscriptions"), inv))
}

func (s *Server) showInventory(c echo.Context) error {
	return s.inventory(c, http.StatusOK, views.SubscriptionForm{})
}

func (s *Server) addSubscription(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sub, values, parsed := parseSubscriptionForm(c)
	sub.CustomerID = id
	var subID int64
	if !parsed.Any() {
		subID, err = s.svc.Customers.AddSubscription(c.Request().Context(), actor(c), sub)
	}
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		return s.inventory(c, http.StatusUnprocessableEntity, views.SubscriptionForm{Values: values, Errors: errs})
	}
	cu, err := s.store.Customer(c.Request().Context(), id)
	if err != nil {
		return err
	}
	sum, err := s.svc.Customers.Summary(c.Request().Context(), cu)
	if err != nil {
		return err
	}
	last := domain.Page{Size: listPageSize}.PageCount(sum.Total)
	s.flash(c, "Added "+strings.TrimSpace(sub.Product)+".")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?page=%d#sub-%d", views.CustomerPath(id, "subscriptions"), last, subID))
}

// loadSubscription loads the customer and the subscription of the path.
func (s *Server) loadSubscription(c echo.Context) (domain.Customer, domain.Subscription, error) {
	customerID, id, err := subscriptionParams(c)
	if err != nil {
		return domain.Customer{}, domain.Subscription{}, err
	}
	cu, err := s.store.Customer(c.Request().Context(), customerID)
	if err != nil {
		return cu, domain.Subscription{}, err
	}
	sub, err := s.store.Subscription(c.Request().Context(), customerID, id)
	return cu, sub, err
}

func editForm(cu domain.Customer, id int64, values views.SubscriptionValues, errs domain.FieldErrors) views.SubscriptionForm {
	channel, _ := domain.ParseChannel(values.Channel)
	service, _ := domain.ParseServiceType(values.ServiceType)
	return views.SubscriptionForm{CustomerID: cu.ID, ID: id, Action: views.SubscriptionPath(cu.ID, id), Values: values, Errors: errs,
		Channels: channelOptions, ServiceTypes: serviceOptions, ReferenceLabel: domain.ReferenceLabel(channel, service)}
}

// renderEdit shows the edit form: a row to swap in for htmx, a page otherwise.
func (s *Server) renderEdit(c echo.Context, status int, cu domain.Customer, form views.SubscriptionForm) error {
	if isPartial(c) {
		return s.render(c, status, views.SubscriptionEditRow(form))
	}
	h, err := s.headerOf(c, cu, stepSubscriptions)
	if err != nil {
		return err
	}
	return s.render(c, status, views.SubscriptionEditPage(s.chrome(c, "Edit "+form.Values.Product), views.SubscriptionEdit{Header: h, Form: form, Catalogue: catalogueOptions}))
}

func (s *Server) editSubscription(c echo.Context) error {
	cu, sub, err := s.loadSubscription(c)
	if err != nil {
		return err
	}
	return s.renderEdit(c, http.StatusOK, cu, editForm(cu, sub.ID, subscriptionValues(sub), nil))
}

// afterSubscriptionChange answers a change: for htmx the updated row (none
// when it was removed) with the stepper and count it changed; otherwise back
// to the inventory with a message.
func (s *Server) afterSubscriptionChange(c echo.Context, cu domain.Customer, sub *domain.Subscription, message string) error {
	if isPartial(c) {
		h, err := s.headerOf(c, cu, stepSubscriptions)
		if err != nil {
			return err
		}
		change := views.RowChange{Header: h}
		if sub != nil {
			row := subscriptionRow(cu, *sub)
			change.Row = &row
		}
		return s.render(c, http.StatusOK, views.RowChangeView(change))
	}
	if sub == nil {
		s.flash(c, message)
		return c.Redirect(http.StatusSeeOther, views.CustomerPath(cu.ID, "subscriptions"))
	}
	s.flash(c, message)
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(cu.ID, "subscriptions")+fmt.Sprintf("#sub-%d", sub.ID))
}

func (s *Server) showSubscriptionRow(c echo.Context) error {
	cu, sub, err := s.loadSubscription(c)
	if err != nil {
		return err
	}
	if !isPartial(c) {
		return c.Redirect(http.StatusSeeOther, views.CustomerPath(cu.ID, "subscriptions")+fmt.Sprintf("#sub-%d", sub.ID))
	}
	return s.render(c, http.StatusOK, views.SubscriptionRowView(subscriptionRow(cu, sub)))
}

func (s *Server) updateSubscription(c echo.Context) error {
	cu, current, err := s.loadSubscription(c)
	if err != nil {
		return err
	}
	sub, values, parsed := parseSubscriptionForm(c)
	sub.ID, sub.CustomerID = current.ID, cu.ID
	if !parsed.Any() {
		sub, err = s.svc.Customers.UpdateSubscription(c.Request().Context(), actor(c), sub)
	}
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		return s.renderEdit(c, http.StatusUnprocessableEntity, cu, editForm(cu, current.ID, values, errs))
	}
	return s.afterSubscriptionChange(c, cu, &sub, "Saved "+sub.Product+".")
}

func (s *Server) classifySubscription(c echo.Context) error {
	cu, current, err := s.loadSubscription(c)
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
		// htmx swaps the answer into the row: the row comes back as it was,
		// saying why the change was refused.
		row := subscriptionRow(cu, current)
		row.Error = refused
		return s.render(c, http.StatusUnprocessableEntity, views.SubscriptionRowView(row))
	}
	sub, err := s.svc.Customers.Classify(c.Request().Context(), actor(c), cu.ID, current.ID, channel, service)
	if err != nil {
		return err
	}
	return s.afterSubscriptionChange(c, cu, &sub, fmt.Sprintf("%s: %s.", sub.Product, domain.Classify(sub.Channel, sub.ServiceType, cu.IsCSPPartner).Workflow.Label()))
}

func (s *Server) removeSubscription(c echo.Context) error {
	cu, sub, err := s.loadSubscription(c)
	if err != nil {
		return err
	}
	if err := s.svc.Customers.RemoveSubscription(c.Request().Context(), actor(c), cu.ID, sub.ID); err != nil {
		return err
	}
	return s.afterSubscriptionChange(c, cu, nil, "Removed "+sub.Product+" from the inventory.")
}
