package web

import (
	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
)

// roleNote says why the signed-in user sees work that needs permission p,
// when their role lacks it: who does it, from the role matrix (see
// domain.NotYours). It is empty when the role holds p, so a page can show
// it unconditionally beside the card or form it explains (views.RoleNote).
func roleNote(c echo.Context, p domain.Permission) string {
	user, ok := currentUser(c)
	if !ok {
		return ""
	}
	return domain.NotYours(user.Role, p)
}
