package demo

import (
	"context"
	"iter"
	"time"

	"github.com/wingtip/multichannel/internal/book"
	"github.com/wingtip/multichannel/internal/domain"
)

// BookStore is what seeding a generated book needs: one transaction that
// writes the partner, its users and the book into an empty database.
type BookStore interface {
	SeedBook(ctx context.Context, partner domain.Partner, users []domain.User, customers iter.Seq[domain.SeedCustomer],
		progress func(customers, subscriptions int)) error
}

// SeedBook fills an empty database with the demo partner, the demo users
// (the accounts of --demo, with its password) and a generated book of
// business of size dated from today; progress, when not nil, is told after
// each customer. A database in use is refused with domain.ErrNotEmpty.
func SeedBook(ctx context.Context, store BookStore, hasher PasswordHasher, today time.Time, size book.Size,
	progress func(customers, subscriptions int)) error {
	users := make([]domain.User, len(Users))
	var staff book.Staff
	for i, u := range Users {
		hash, err := hasher.Hash(ctx, u.Password)
		if err != nil {
			return err
		}
		users[i] = domain.User{Email: u.Email, Name: u.Name, Role: u.Role, Active: true, PasswordHash: hash}
		staff.Agents = append(staff.Agents, u.Email)
		if u.Role != domain.RoleSalesAgent {
			staff.Admins = append(staff.Admins, u.Email)
		}
	}
	return store.SeedBook(ctx, Partner, users, book.Customers(size, staff, today), progress)
}
