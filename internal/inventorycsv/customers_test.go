package inventorycsv

import (
	"os"
	"strings"
	"testing"
)

// TestCustomerSynonyms is the customer list's synonym table, Partner
// Center's column names included.
func TestCustomerSynonyms(t *testing.T) {
	for name, want := range map[string]string{
		"Company name": colName, "Customer": colName, "Organisation": colName, "Client": colName, "name": colName,
		"Primary domain name": colDomain, "Domain": colDomain, "Default domain": colDomain,
		"Microsoft ID": colTenantID, "Tenant ID": colTenantID, "Directory ID": colTenantID, "tenant_id": colTenantID,
		"Country/Region": colCountry, "Country": colCountry,
		"Global admin": colAdminName, "IT contact": colAdminName, "admin_name": colAdminName,
		"E-mail": colAdminEmail, "Contact email": colAdminEmail, "admin_email": colAdminEmail,
		"Relationship": "", "Tags": "", "Cost centre": "",
	} {
		if got := customers.suggest(name); got != want {
			t.Errorf("suggest(%q) = %q; want %q", name, got, want)
		}
	}
}

// TestPartnerCenterListIsOwn reads the demo's Partner Center export: its
// header needs no mapping, it is named as Partner Center's, Relationship
// and Tags are read past, and the customers take the uploader's country.
func TestPartnerCenterListIsOwn(t *testing.T) {
	data, err := os.ReadFile("../demo/partner-center-customers.csv")
	if err != nil {
		t.Fatal(err)
	}
	s, err := InspectCustomers(data, "")
	if err != nil || !s.Own {
		t.Fatalf("InspectCustomers: Own %v, %v; want a header of ours", s.Own, err)
	}
	res, err := ParseCustomers(data, CustomerOptions{Country: "GB"})
	if err != nil || !res.OK() {
		t.Fatalf("ParseCustomers: %v, %v", err, res.Errors)
	}
	if res.Format != FormatPartnerCenter || strings.Join(res.Ignored, ",") != "Relationship,Tags" {
		t.Errorf("format %q, ignored %q", res.Format, res.Ignored)
	}
	first := res.Rows[0]
	if first.Line != 2 || first.Customer.Name != "Contoso Ltd" || first.Customer.Domain != "contoso.onmicrosoft.com" ||
		first.Customer.TenantID != "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607" || first.Customer.Country != "GB" || first.Customer.AdminEmail != "" {
		t.Errorf("first row = %+v", first)
	}
}

// TestParseCustomersThroughAMapping reads a spreadsheet of the partner's own
// through its mapping: countries by name, an admin, and every problem with
// its line and column.
func TestParseCustomersThroughAMapping(t *testing.T) {
	file := "Client;Website domain;Tenant;Country;IT contact;Contact email;Account manager\n" +
		"Alpine Ski House;alpineskihouse.com;;Switzerland;Ana Bauer;ana@alpineskihouse.com;Kim\n" +
		"Tailspin Toys;tailspintoys.com;{1B2C3D4E-5F60-4718-92A3-B4C5D6E7F809};United Kingdom;;;Kim\n" +
		";;not-a-guid;Narnia;Lee;lee@;\n" +
		"Tailspin Again;TAILSPINTOYS.COM;;us;;;\n"
	s, err := InspectCustomers([]byte(file), "")
	if err != nil || s.Own {
		t.Fatalf("InspectCustomers: %+v, %v", s, err)
	}
	m := s.Suggest()
	if got := strings.Join(m.Fields, ","); got != "name,,tenant_id,country,admin_name,admin_email," {
		t.Fatalf("suggested fields %q", got)
	}
	if problems := s.Check(m); len(problems) != 1 || problems[0].Message != "choose the column that holds the domain" {
		t.Errorf("Check = %+v; want the domain asked for", problems)
	}
	m.Fields[1] = colDomain
	if !strings.HasPrefix(s.Key, "customers:") || len(s.Check(m)) != 0 {
		t.Fatalf("key %q, problems %+v", s.Key, s.Check(m))
	}
	res, err := ParseCustomers([]byte(file), CustomerOptions{Mapping: &m})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Rows[0].Customer; c.Country != "CH" || c.AdminName != "Ana Bauer" || c.AdminEmail != "ana@alpineskihouse.com" {
		t.Errorf("row 2 = %+v", c)
	}
	if c := res.Rows[1].Customer; c.Country != "GB" || c.TenantID != "1b2c3d4e-5f60-4718-92a3-b4c5d6e7f809" {
		t.Errorf("row 3 = %+v", c)
	}
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Error())
	}
	want := []string{
		"line 4, column name: Enter the company name.",
		"line 4, column domain: Enter a domain such as contoso.onmicrosoft.com.",
		"line 4, column tenant_id: A tenant id is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or leave it empty.",
		`line 4, column country: "Narnia" is not a country; write its two-letter code, such as GB or US, or its name`,
		"line 4, column admin_email: Enter the Global admin's e-mail address, such as admin@contoso.com.",
		"line 5, column domain: tailspintoys.com is on line 3 too; a customer is listed once",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestParseCustomersFileProblems are the problems of a list as a whole. A
// header of ours without a domain column goes to the mapping step rather
// than being refused.
func TestParseCustomersFileProblems(t *testing.T) {
	if s, err := InspectCustomers([]byte("name,country\nContoso,GB\n"), ""); err != nil || s.Own {
		t.Errorf("a header of ours without a domain: own %v, %v; want the mapping step", s.Own, err)
	}
	for name, tc := range map[string]struct {
		file string
		want string
	}{
		"no rows":   {"name,domain\n", ErrNoCustomers.Error()},
		"no domain": {"name,country\nContoso,GB\n", "the domain"},
		"no country anywhere": {"name,domain\nContoso,contoso.com\n",
			"choose one on the upload form"},
	} {
		res, err := ParseCustomers([]byte(tc.file), CustomerOptions{})
		msg := ""
		if err != nil {
			msg = err.Error()
		} else if len(res.Errors) > 0 {
			msg = res.Errors[0].Message
		}
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q; want it to say %q", name, msg, tc.want)
		}
	}
}

// TestParseCustomersFromAWorkbook reads a customer list from the second
// sheet of a workbook, as a partner's CRM export might give it.
func TestParseCustomersFromAWorkbook(t *testing.T) {
	data := workbookBytes(t, map[string][][]any{
		"Notes":     {{"Exported from the CRM"}},
		"Customers": {{"Name", "Domain", "Country"}, {"Adatum Corporation", "adatum.onmicrosoft.com", "France"}},
	}, []string{"Notes", "Customers"}, nil)
	s, err := InspectCustomers(data, "Customers")
	if err != nil || !s.Own {
		t.Fatalf("InspectCustomers: own %v, %v", s.Own, err)
	}
	res, err := ParseCustomers(data, CustomerOptions{Sheet: "Customers"})
	if err != nil || !res.OK() || len(res.Rows) != 1 || res.Encoding != EncodingXLSX || res.Sheet != "Customers" || len(res.Sheets) != 2 {
		t.Fatalf("ParseCustomers = %+v, %v", res, err)
	}
	if c := res.Rows[0].Customer; c.Name != "Adatum Corporation" || c.Country != "FR" || res.Rows[0].Line != 2 {
		t.Errorf("row = %+v", res.Rows[0])
	}
}
