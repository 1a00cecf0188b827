package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file is the boundary where the text of every request is checked, once,
// before a handler reads it: domain.CleanText over every form field (URL-encoded
// or multipart, with the file names of uploads) and every query parameter.
// Files are not form fields: the inventory file is checked cell by cell by
// internal/inventorycsv, which can name the line and column.

// multipartMemory is how much of a multipart form is kept in memory, the rest
// going to temporary files: net/http's own default, which is what echo's
// FormFile would have used.
const multipartMemory = 32 << 20

// checkText refuses a request whose text is not text the app keeps: a form
// with 422 and a page naming each field, before anything is saved; the query
// of a page, such as a search, with 400. The line breaks of multi-line fields
// reach the handler as CleanText leaves them (LF only).
func checkText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method == http.MethodGet {
			if bad := cleanValues(r.URL.Query()); len(bad) > 0 {
				return echo.NewHTTPError(http.StatusBadRequest, textProblems(bad)+" Change the address, or search again from the page.")
			}
			return next(c)
		}
		if err := parseForm(r); err != nil {
			return err
		}
		bad := cleanValues(r.Form) // the body's fields and the query's
		cleanValues(r.PostForm)
		if r.MultipartForm != nil {
			cleanValues(r.MultipartForm.Value)
			for name, files := range r.MultipartForm.File {
				for _, f := range files {
					if _, err := domain.CleanText(f.Filename, false); err != nil {
						bad[name] = errors.New("has a file name that " + err.Error())
					}
				}
			}
		}
		if len(bad) > 0 {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, textProblems(bad)+" Nothing was saved: correct it and send the form again.")
		}
		return next(c)
	}
}

// parseForm reads the body of a form, URL-encoded or multipart. A body over
// the route's limit keeps its 413; a client gone before sending it all is
// context.Canceled; one that is not a form is a 400.
func parseForm(r *http.Request) error {
	err := r.ParseForm()
	if err == nil {
		if err = r.ParseMultipartForm(multipartMemory); errors.Is(err, http.ErrNotMultipart) {
			err = nil
		}
	}
	var tooLarge *echo.HTTPError
	if err == nil || errors.As(err, &tooLarge) {
		return err
	}
	if gone := r.Context().Err(); gone != nil {
		// The body stopped because the client went away (or the server is
		// closing the connection): nobody is left to read a 400.
		return gone
	}
	return echo.NewHTTPError(http.StatusBadRequest, "What was sent is not a form this page can read. Reload the page and send it again.")
}

// cleanValues puts every value of values as CleanText leaves it, and returns
// why each field that is not text was refused.
func cleanValues(values url.Values) map[string]error {
	bad := map[string]error{}
	for name, vs := range values {
		if _, err := domain.CleanText(name, false); err != nil {
			bad[name] = errors.New("has a name that " + err.Error())
			continue
		}
		for i, v := range vs {
			clean, err := domain.CleanText(v, domain.IsMultiLine(name))
			if err != nil {
				bad[name] = err
				continue
			}
			vs[i] = clean
		}
	}
	return bad
}

// textProblems says what is wrong with each field, by its label, in a stable
// order.
func textProblems(bad map[string]error) string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(bad)) {
		out = append(out, "“"+fieldLabel(name)+"” "+bad[name].Error()+".")
	}
	return strings.Join(out, " ")
}

// fieldLabels are the labels the forms show for the fields people type in,
// by field name, so that a refusal names the field as the person saw it. A
// name used by several forms gets the label that fits them all; a field not
// listed (a hidden field, a choice) is named by its name.
var fieldLabels = map[string]string{
	"admin_days": "For how many days", "admin_email": "Global admin's e-mail", "admin_name": "Global admin's name",
	"body": "Message", "cancelled_on": "Cancelled on", "code": "Code", "confirm": "The same again",
	"contact_email": "Customer contact's e-mail", "created_on": "Created on", "csp_subscription_id": "New CSP Azure subscription id",
	"current": "Current password", "default_invite_days": "Default invitation expiry", "display_name": "Display name",
	"domain": "Primary domain", "email": "E-mail", "expiry_days": "Link valid for", "file": "File",
	"invite_body": "Invitation message", "invite_subject": "Invitation subject", "line_items": "Line items",
	"moved_note": "What was moved", "moved_on": "Moved on", "name": "Name", "notes": "Notes",
	"other_partner_name": "The other partner's name", "other_partner_tenant": "The other partner's tenant id",
	"partner_id": "PartnerID", "password": "Password", "product": "Product", "q": "Search", "quantity": "Seats",
	"reason": "Reason", "recipient_email": "Their e-mail address", "recipient_name": "Customer's Global admin",
	"reference": "Reference", "reseller_partner_id": "Indirect reseller's PartnerID", "services": "Services cancelled",
	"subject": "Subject", "tenant_id": "Microsoft tenant id", "term_end": "Term end",
}

// fieldLabel names a field for people; a name that is not text itself is
// written with Go's escapes, so that the page stays UTF-8.
func fieldLabel(name string) string {
	if label, ok := fieldLabels[name]; ok {
		return label
	}
	if _, err := domain.CleanText(name, false); err != nil {
		return strconv.QuoteToASCII(name)
	}
	return name
}
