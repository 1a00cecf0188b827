package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

func (s *Server) listCustomers(c echo.Context) error {
	query := strings.TrimSpace(c.QueryParam("q"))
	sort, filter, page := domain.ParseCustomerSort(c.QueryParam("sort")), domain.ParseCustomerFilter(c.QueryParam("needs")), pageParam(c)
	found, err := s.svc.Customers.List(c.Request().Context(), domain.CustomerQuery{Search: query, Sort: sort, Page: page}, filter)
	if err != nil {
		return err
	}
	keep := url.Values{}
	if filter != "" {
		keep.Set("needs", string(filter))
	}
	if query != "" {
		keep.Set("q", query)
	}
	if sort != domain.SortByName {
		keep.Set("sort", string(sort))
	}
	list := views.CustomerList{Query: query, Needs: string(filter), Sort: string(sort), Total: found.Pageable(), MoreThan: found.MoreThan(),
		Filter: filter.Label(), Pager: pager("/customers", keep, page, found.Pageable())}
	for _, o := range domain.CustomerSorts {
		v := url.Values{"sort": {string(o)}}
		if query != "" {
			v.Set("q", query)
		}
		if filter != "" {
			v.Set("needs", string(filter))
		}
		list.SortLinks = append(list.SortLinks, views.SortLink{Label: o.Label(), Href: "/customers?" + v.Encode(), Current: o == sort})
	}
	for _, row := range found.Rows {
		cu := row.Customer
		list.Rows = append(list.Rows, views.CustomerRow{ID: cu.ID, Name: cu.Name, Domain: cu.Domain, Country: domain.CountryName(cu.Country),
			Subscriptions: row.Summary.Total, Unclassified: row.Summary.Unclassified, Changed: domain.FormatDateTime(cu.UpdatedAt)})
	}
	if isPartial(c) {
		return s.render(c, http.StatusOK, views.CustomerResults(list))
	}
	return s.render(c, http.StatusOK, views.CustomersPage(s.chrome(c, "Customers"), list))
}

func (s *Server) showCustomer(c echo.Context) error {
	ov, err := ofPath(c, "id", s.svc.Customers.Overview)
	if err != nil {
		return err
	}
	cu := ov.Customer
	d := views.CustomerDetails{Header: headerView(ov, stepCustomer), Domain: cu.Domain, TenantID: cu.TenantID, Country: domain.CountryName(cu.Country),
		AdminName: cu.AdminName, AdminEmail: cu.AdminEmail, IsCSPPartner: cu.IsCSPPartner,
		Created: domain.FormatDateTime(cu.CreatedAt), Changed: domain.FormatDateTime(cu.UpdatedAt)}
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
	return s.renderForm(c, status, views.CustomerFormPage(s.chrome(c, f.Title), f), views.CustomerFormID)
}

func (s *Server) newCustomerForm(c echo.Context) error {
	return s.renderCustomerForm(c, http.StatusOK, views.CustomerForm{Title: "New customer", Action: "/customers", Cancel: "/customers"})
}

func (s *Server) createCustomer(c echo.Context) error {
	cu := parseCustomerForm(c)
	id, err := s.svc.Customers.CreateCustomer(c.Request().Context(), actor(c), cu)
	if errs, ok := fieldErrors(err); ok {
		return s.renderCustomerForm(c, formStatus(err),
			views.CustomerForm{Title: "New customer", Action: "/customers", Cancel: "/customers", Values: customerValues(cu), Errors: errs})
	}
	if err != nil {
		return err
	}
	s.flash(c, "Customer created. Next, take stock of the subscriptions it bought elsewhere.")
	return s.redirectAfterSave(c, views.CustomerPath(id))
}

func (s *Server) editCustomerForm(c echo.Context) error {
	ov, err := ofPath(c, "id", s.svc.Customers.Overview)
	if err != nil {
		return err
	}
	cu, h := ov.Customer, headerView(ov, stepCustomer)
	return s.renderCustomerForm(c, http.StatusOK, views.CustomerForm{Header: &h, Title: "Edit " + cu.Name, Action: views.CustomerPath(cu.ID),
		Cancel: views.CustomerPath(cu.ID), Values: customerValues(cu), Version: int64(cu.Version)})
}

func (s *Server) updateCustomer(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cu := parseCustomerForm(c)
	cu.ID, cu.Version = id, versionValue(c)
	err = s.svc.Customers.UpdateCustomer(c.Request().Context(), actor(c), cu)
	form := views.CustomerForm{Title: "Edit customer", Action: views.CustomerPath(id), Cancel: views.CustomerPath(id),
		Values: customerValues(cu), Version: int64(cu.Version)}
	refused, err := refusalOf(err, storedCustomerFields, customerFields(form.Values))
	if err != nil {
		return err
	}
	if refused == nil {
		s.flash(c, "Customer saved.")
		return s.redirectAfterSave(c, views.CustomerPath(id))
	}
	if form.Errors, form.Stale = refused.errs, refused.stale; refused.stale != nil {
		form.Version = refused.version
	}
	ov, err := ofPath(c, "id", s.svc.Customers.Overview)
	if err != nil {
		return err
	}
	h := headerView(ov, stepCustomer)
	form.Header = &h
	return s.renderCustomerForm(c, refused.status, form)
}

// customerFields labels the values of the customer form, for the notice of
// a stale save.
func customerFields(v views.CustomerValues) []field {
	partner := "no"
	if v.IsCSPPartner {
		partner = "yes"
	}
	return []field{{"Company name", v.Name}, {"Primary domain", v.Domain}, {"Microsoft tenant id", v.TenantID}, {"Country", v.Country},
		{"Global admin's name", v.AdminName}, {"Global admin's e-mail", v.AdminEmail}, {"Itself a CSP partner", partner}}
}

// storedCustomerFields labels a stored customer as customerFields labels
// the form.
func storedCustomerFields(cu domain.Customer) []field { return customerFields(customerValues(cu)) }
