package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// CreateCustomerUpload keeps an uploaded customer list for the user who
// sent it until it is confirmed. Lists kept for more than a day are
// dropped, as unconfirmed import batches are.
func (s *Store) CreateCustomerUpload(ctx context.Context, actor domain.Actor, u domain.CustomerUpload) (int64, error) {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM customer_uploads WHERE created_at < ?`,
		formatTime(s.now().Add(-24*time.Hour))); err != nil {
		return 0, err
	}
	res, err := s.write.ExecContext(ctx,
		`INSERT INTO customer_uploads (user_id, filename, content, sheet, country, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		actor.UserID, truncate(u.Filename, 200), u.Data, truncate(u.Sheet, 200), u.Country, formatTime(s.now()))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// CustomerUpload returns a kept customer list, only to the user who sent
// it; anything else is domain.ErrNotFound.
func (s *Store) CustomerUpload(ctx context.Context, actor domain.Actor, id int64) (domain.CustomerUpload, error) {
	u := domain.CustomerUpload{ID: id}
	var mapping sql.NullString
	var used sql.NullString
	err := s.read.QueryRowContext(ctx,
		`SELECT filename, content, sheet, country, mapping_json, used_at FROM customer_uploads WHERE id = ? AND user_id = ?`,
		id, actor.UserID).Scan(&u.Filename, &u.Data, &u.Sheet, &u.Country, &mapping, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.ErrNotFound
	}
	if err != nil {
		return u, err
	}
	u.Used = used.Valid
	if mapping.Valid {
		u.Mapping = &domain.ImportMapping{}
		if err := json.Unmarshal([]byte(mapping.String), u.Mapping); err != nil {
			return u, fmt.Errorf("customer upload %d: %w", id, err)
		}
	}
	return u, nil
}

// SetCustomerUploadMapping keeps the mapping chosen for a customer list not
// yet applied, and remembers it for its header set, in one transaction.
func (s *Store) SetCustomerUploadMapping(ctx context.Context, actor domain.Actor, id int64, m domain.ImportMapping) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := updateOne(ctx, tx, domain.ErrNotFound,
			`UPDATE customer_uploads SET mapping_json = ? WHERE id = ? AND user_id = ? AND used_at IS NULL`, string(data), id, actor.UserID); err != nil {
			return err
		}
		return rememberMapping(ctx, tx, actor, s.now(), 0, fmt.Sprintf("customer_upload:%d", id), m, data)
	})
}

// customerMatchChunk bounds the values of one lookup, well under SQLite's
// limit of bound parameters.
const customerMatchChunk = 400

// CustomersMatching returns the customers whose tenant id or domain is one
// of these, each once, through the customers_tenant and customers_domain
// indexes.
func (s *Store) CustomersMatching(ctx context.Context, tenantIDs, domains []string) ([]domain.Customer, error) {
	var out []domain.Customer
	seen := map[int64]bool{}
	for _, lookup := range []struct {
		column string
		values []string
	}{{"tenant_id", tenantIDs}, {"domain", domains}} {
		for start := 0; start < len(lookup.values); start += customerMatchChunk {
			chunk := lookup.values[start:min(start+customerMatchChunk, len(lookup.values))]
			rows, err := s.read.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers c WHERE c.`+lookup.column+
				` IN (`+paramMarks(len(chunk))+`)`, anySlice(chunk)...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				c, err := scanCustomer(rows)
				if err != nil {
					rows.Close()
					return nil, err
				}
				if !seen[c.ID] {
					seen[c.ID] = true
					out = append(out, c)
				}
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// ApplyCustomerList applies the plan of a kept customer list in one
// transaction: the upload is used once (a second confirmation is
// domain.ErrConflict), every new customer is created and every matched one
// filled at the version the plan read. A customer created or saved since
// the plan (a domain or tenant id taken, a version moved on) is
// domain.ErrConflict, and nothing is written.
func (s *Store) ApplyCustomerList(ctx context.Context, actor domain.Actor, u domain.CustomerUpload, plan domain.CustomerListPlan) (domain.CustomerListResult, error) {
	var res domain.CustomerListResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = domain.CustomerListResult{}
		now := s.now()
		if err := updateOne(ctx, tx, domain.ErrConflict,
			`UPDATE customer_uploads SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL`, formatTime(now), u.ID, actor.UserID); err != nil {
			return err
		}
		detail := "from the list " + truncate(u.Filename, 200)
		for _, row := range plan.Rows {
			c := row.Result()
			switch row.Action {
			case domain.ListKnown:
				res.Known++
				continue
			case domain.ListCreates:
				var taken bool
				if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM customers WHERE domain = ? OR (? <> '' AND tenant_id = ?))`,
					c.Domain, c.TenantID, c.TenantID).Scan(&taken); err != nil {
					return err
				}
				if taken {
					return domain.ErrConflict
				}
				var err error
				if c.ID, err = insertCustomer(ctx, tx, now, c); err != nil {
					return domainTaken(err)
				}
				res.Created++
				if err := appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: c.ID, ClientIP: actor.ClientIP,
					Action: domain.AuditCustomerCreated, Target: customerTarget(c), Detail: detail}); err != nil {
					return err
				}
			case domain.ListFills:
				if err := fillCustomer(ctx, tx, actor, now, c, row.Existing.Version); err != nil {
					return err
				}
				res.Filled++
				if err := appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: c.ID, ClientIP: actor.ClientIP,
					Action: domain.AuditCustomerChanged, Target: customerTarget(c),
					Detail: strings.Join(row.Fills, ", ") + " filled " + detail}); err != nil {
					return err
				}
			}
		}
		sum := sha256.Sum256(u.Data)
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditCustomersImported,
			Target: fmt.Sprintf("customer_upload:%d", u.ID),
			Detail: fmt.Sprintf("%s; SHA-256 %s; %d created, %d filled, %d known", truncate(u.Filename, 200), hex.EncodeToString(sum[:8]),
				res.Created, res.Filled, res.Known)})
	})
	return res, err
}

// fillCustomer writes the tenant id and Global admin a list filled into a
// known customer, at the version its plan read, unless another customer
// has that tenant id by now.
func fillCustomer(ctx context.Context, tx *sql.Tx, actor domain.Actor, now time.Time, c domain.Customer, version domain.Version) error {
	return updateOne(ctx, tx, domain.ErrConflict,
		`UPDATE customers SET tenant_id = ?, admin_name = ?, admin_email = ?, updated_at = ?, `+nextVersion+`
		 WHERE id = ? AND version = ? AND (? = '' OR NOT EXISTS (SELECT 1 FROM customers o WHERE o.tenant_id = ? AND o.id <> ?))`,
		append(append([]any{c.TenantID, c.AdminName, c.AdminEmail, formatTime(now)}, savedBy(actor, now)...),
			c.ID, version, c.TenantID, c.TenantID, c.ID)...)
}
