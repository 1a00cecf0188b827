// Package demo fills an empty database with the demo partner and one user per
// role, so that a fresh clone can be tried at once with `make run`.
package demo

import (
	"context"
	"fmt"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/domain"
)

// Password is the password of every demo account.
const Password = "multichannel-demo"

// Partner is the demo partner organisation.
var Partner = domain.Partner{
	Name: "Wingtip Cloud Partners", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial,
}

// Users are the demo accounts, one per role.
var Users = []domain.NewUser{
	{Email: "avery@wingtip.example", Name: "Avery Chen", Role: domain.RoleGlobalAdmin, Password: Password},
	{Email: "sam@wingtip.example", Name: "Sam Patel", Role: domain.RoleAdminAgent, Password: Password},
	{Email: "jordan@wingtip.example", Name: "Jordan Lee", Role: domain.RoleSalesAgent, Password: Password},
}

// Store is what seeding needs besides the accounts service.
type Store interface {
	CountUsers(ctx context.Context) (int, error)
	Partner(ctx context.Context) (domain.Partner, error)
	SetPartner(ctx context.Context, p domain.Partner) error
}

// Seed adds the demo data when the database holds no partner and no user,
// and reports whether it did. It never touches a database in use.
func Seed(ctx context.Context, store Store, acc *accounts.Service) (bool, error) {
	n, err := store.CountUsers(ctx)
	if err != nil {
		return false, err
	}
	if _, err := store.Partner(ctx); err == nil || n > 0 {
		return false, nil
	}
	if err := store.SetPartner(ctx, Partner); err != nil {
		return false, fmt.Errorf("demo partner: %w", err)
	}
	for _, u := range Users {
		if _, err := acc.AddUser(ctx, u); err != nil {
			return false, fmt.Errorf("demo user %s: %w", u.Email, err)
		}
	}
	return true, nil
}
