package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

func (s *Server) showAccount(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, nil)
}

func (s *Server) renderAccount(c echo.Context, status int, errs map[string]string) error {
	user, _ := currentUser(c)
	token, _ := c.Get(keyToken).(string)
	account, err := s.svc.Accounts.Account(c.Request().Context(), user, token)
	if err != nil {
		return err
	}
	page := views.AccountPage{Name: user.Name, Email: user.Email, RoleLabel: user.Role.Label(), Errors: errs, TwoFactor: user.TwoFactor,
		RecoveryCodesLeft: account.RecoveryCodesLeft}
	for _, si := range account.Sessions {
		page.Sessions = append(page.Sessions, views.SessionRow{Number: si.Number, Started: domain.FormatDateTime(si.CreatedAt),
			LastSeen: domain.FormatDateTime(si.LastSeenAt), ClientIP: si.ClientIP, Browser: domain.BrowserOf(si.UserAgent), UserAgent: si.UserAgent,
			Current: si.Number == account.Current})
	}
	return s.render(c, status, views.AccountPageView(s.chrome(c, "Your account"), page))
}

func (s *Server) changePassword(c echo.Context) error {
	user, _ := currentUser(c)
	token, _ := c.Get(keyToken).(string)
	err := s.svc.Accounts.ChangePassword(c.Request().Context(), actor(c), user, token, postValue(c, "current"), postValue(c, "password"), postValue(c, "confirm"))
	if errs, ok := fieldErrors(err); ok {
		return s.renderAccount(c, formStatus(err), errs)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Your password is changed; your other sessions have ended.")
	return c.Redirect(http.StatusSeeOther, "/account")
}

func (s *Server) endOtherSessions(c echo.Context) error {
	token, _ := c.Get(keyToken).(string)
	n, err := s.svc.Accounts.EndOtherSessions(c.Request().Context(), actor(c), token)
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("%d other %s ended: you are signed in here only.", n, views.Plural(n, "session", "sessions")))
	return c.Redirect(http.StatusSeeOther, "/account")
}

func (s *Server) endSession(c echo.Context) error {
	return s.change(c, stateChange{param: "sid", done: "That session has ended.", back: backTo("/account"),
		apply: func(ctx context.Context, number int64) error {
			return s.svc.Accounts.EndSessionNumber(ctx, actor(c), number)
		},
		confirm: func(context.Context, int64) (views.Confirmation, error) {
			return views.Confirmation{Question: "End this session?", Yes: "Yes, end it",
				Consequence: "The browser signed in with it is signed out at once, and has to sign in again."}, nil
		}})
}
