package views

import (
	"net/url"
	"strings"

	"github.com/a-h/templ"
)

// recoveryCodesFile is a link that downloads the recovery codes as a text
// file, one a line, without a request to the app: the codes are shown
// once and never kept in the clear, so the page itself carries them.
func recoveryCodesFile(codes []string) templ.SafeURL {
	text := "Recovery codes for two-factor sign-in. Each signs you in once.\r\n" + strings.Join(codes, "\r\n") + "\r\n"
	return templ.SafeURL("data:text/plain;charset=utf-8," + url.PathEscape(text))
}
