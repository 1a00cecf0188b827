package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file stores GDAP requests, the role templates they start from and
// the access assignments recorded after activation. Every column of a GDAP
// request is read through COALESCE, so the same scan serves the request
// read alone and the one LEFT JOINed to its reseller request (where a
// request without admin roles has none).

const gdapColumns = `g.id, COALESCE(g.relationship_id, 0), COALESCE(g.customer_id, 0), COALESCE(c.name, ''), COALESCE(g.display_name, ''),
	COALESCE(g.roles, ''), COALESCE(g.days, 0), COALESCE(g.auto_extend, 0), COALESCE(g.template_id, 0), COALESCE(g.status, ''),
	COALESCE(g.link, ''), COALESCE(g.microsoft_id, ''), COALESCE(gcu.name, ''), COALESCE(g.created_at, ''), COALESCE(glu.name, ''),
	g.link_pasted_at, COALESCE(gau.name, ''), g.activated_at, COALESCE(geu.name, ''), g.ended_at, COALESCE(g.reason, '')`

const gdapUsers = `
	LEFT JOIN users gcu ON gcu.id = g.created_by
	LEFT JOIN users glu ON glu.id = g.link_pasted_by
	LEFT JOIN users gau ON gau.id = g.activated_by
	LEFT JOIN users geu ON geu.id = g.ended_by`

const gdapFrom = ` FROM gdap_requests g JOIN customers c ON c.id = g.customer_id` + gdapUsers

// gdapByID reads one GDAP request by its id.
const gdapByID = `SELECT ` + gdapColumns + gdapFrom + ` WHERE g.id = ?`

// gdapFields are the scan targets of gdapColumns for g, with id set only
// when the row has a GDAP request.
func gdapFields(g *domain.GDAPRequest, id *sql.NullInt64, roles, created *string, pasted, activated, ended *nullTimeColumn) []any {
	return []any{id, &g.RelationshipID, &g.CustomerID, &g.CustomerName, &g.DisplayName, roles, &g.Days, &g.AutoExtend, &g.TemplateID,
		&g.Status, &g.Link, &g.MicrosoftID, &g.CreatedByName, created, &g.LinkPastedByName, pasted, &g.ActivatedByName, activated,
		&g.EndedByName, ended, &g.Reason}
}

// gdapScan is one GDAP request being scanned; finish completes it, nil when
// the row had none.
type gdapScan struct {
	g                        domain.GDAPRequest
	id                       sql.NullInt64
	roles, created           string
	pasted, activated, ended nullTimeColumn
}

func (s *gdapScan) fields() []any {
	return gdapFields(&s.g, &s.id, &s.roles, &s.created, &s.pasted, &s.activated, &s.ended)
}

func (s *gdapScan) finish() (*domain.GDAPRequest, error) {
	if !s.id.Valid {
		return nil, nil
	}
	g := s.g
	g.ID = s.id.Int64
	g.Roles = splitRoles(s.roles)
	var err error
	if g.CreatedAt, err = parseTime(s.created); err != nil {
		return nil, err
	}
	g.LinkPastedAt, g.ActivatedAt, g.EndedAt = s.pasted.t, s.activated.t, s.ended.t
	return &g, nil
}

func splitRoles(s string) []domain.AdminRole {
	var out []domain.AdminRole
	for _, role := range strings.Split(s, ",") {
		if role != "" {
			out = append(out, domain.AdminRole(role))
		}
	}
	return out
}

func scanGDAP(row scanner) (domain.GDAPRequest, error) {
	var s gdapScan
	if err := row.Scan(s.fields()...); errors.Is(err, sql.ErrNoRows) {
		return domain.GDAPRequest{}, domain.ErrNotFound
	} else if err != nil {
		return domain.GDAPRequest{}, err
	}
	g, err := s.finish()
	if g == nil || err != nil {
		return domain.GDAPRequest{}, err
	}
	return *g, nil
}

// insertGDAP stores the GDAP request made with reseller request
// relationshipID, in tx. A display name another request has is
// domain.ErrGDAPNameTaken.
func insertGDAP(ctx context.Context, tx *sql.Tx, actor domain.Actor, now time.Time, relationshipID, customerID int64, n domain.NewGDAPRequest) error {
	var template sql.NullInt64
	if n.TemplateID != 0 {
		template = sql.NullInt64{Int64: n.TemplateID, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO gdap_requests (relationship_id, customer_id, display_name, roles, days, auto_extend,
		template_id, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		relationshipID, customerID, n.DisplayName, joinCodes(n.Roles), n.Days, n.AutoExtend, template, domain.GDAPCreated,
		actor.UserID, formatTime(now))
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: gdap_requests.display_name") {
		return domain.ErrGDAPNameTaken
	}
	return err
}

// GDAPRequest returns one GDAP request, or domain.ErrNotFound.
func (s *Store) GDAPRequest(ctx context.Context, id int64) (domain.GDAPRequest, error) {
	return scanGDAP(s.read.QueryRowContext(ctx, gdapByID, id))
}

// gdapChange is what recording one change of a GDAP request writes besides
// its new state.
type gdapChange struct {
	change domain.GDAPChange
	action domain.AuditAction
	set    string // extra assignments, each with one placeholder
	args   []any
	// argsOf, when set, gives the last of set's arguments from the row read
	// in the transaction.
	argsOf func(domain.GDAPRequest) []any
	detail string
}

// changeGDAP makes ch to GDAP request id in one transaction: the domain
// decides on the row read, and the conditional update on the state read
// guards against a change made meanwhile, which gets ch's conflict.
func (s *Store) changeGDAP(ctx context.Context, actor domain.Actor, id int64, ch gdapChange) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		g, err := scanGDAP(tx.QueryRowContext(ctx, gdapByID, id))
		if err != nil {
			return err
		}
		to, err := g.Transition(ch.change, now)
		if err != nil {
			return err
		}
		args := append([]any{to}, ch.args...)
		if ch.argsOf != nil {
			args = append(args, ch.argsOf(g)...)
		}
		args = append(args, id, g.Status)
		if err := updateOne(ctx, tx, ch.change.Refused(), `UPDATE gdap_requests SET status = ?`+ch.set+` WHERE id = ? AND status = ?`, args...); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: g.CustomerID, ClientIP: actor.ClientIP,
			Action: ch.action, Target: fmt.Sprintf("gdap:%d", id), Detail: ch.detail})
	})
}

// RecordGDAPLink records the invitation link of a GDAP request created in
// Partner Center: it is now waiting for the customer's approval.
func (s *Store) RecordGDAPLink(ctx context.Context, actor domain.Actor, id int64, link domain.GDAPLink) error {
	return s.changeGDAP(ctx, actor, id, gdapChange{change: domain.GDAPPasteLink, action: domain.AuditGDAPLinkRecorded,
		set: `, link = ?, microsoft_id = ?, link_pasted_by = ?, link_pasted_at = ?`, args: []any{link.URL, link.ID, actor.UserID, formatTime(s.now())},
		detail: link.ID})
}

// RecordGDAPApproval records that the customer approved the GDAP request,
// on activatedAt: its end date counts from then.
func (s *Store) RecordGDAPApproval(ctx context.Context, actor domain.Actor, id int64, activatedAt time.Time) error {
	return s.changeGDAP(ctx, actor, id, gdapChange{change: domain.GDAPApproved, action: domain.AuditGDAPApproved,
		set: `, activated_by = ?, activated_at = ?, ends_at = ?`, args: []any{actor.UserID, formatTime(activatedAt)},
		argsOf: func(g domain.GDAPRequest) []any { return []any{formatTime(g.FirstEnd(activatedAt))} },
		detail: activatedAt.Format(domain.DateLayout)})
}

// TerminateGDAP records that the partner ended the GDAP relationship (or
// withdrew its request) in Partner Center.
func (s *Store) TerminateGDAP(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	return s.changeGDAP(ctx, actor, id, gdapChange{change: domain.GDAPTerminate, action: domain.AuditGDAPTerminated,
		set: `, ended_by = ?, ended_at = ?, reason = ?`, args: []any{actor.UserID, formatTime(s.now()), reason}, detail: reason})
}

// AddAssignment records an access assignment of an active GDAP
// relationship, decided by the domain (AccessAssignment.CheckFor) on the
// request read in the transaction.
func (s *Store) AddAssignment(ctx context.Context, actor domain.Actor, a domain.AccessAssignment) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		g, err := scanGDAP(tx.QueryRowContext(ctx, gdapByID, a.GDAPID))
		if err != nil {
			return err
		}
		if err := a.CheckFor(g, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gdap_assignments (gdap_id, group_name, roles, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)`,
			a.GDAPID, a.Group, joinCodes(a.Roles), actor.UserID, formatTime(now)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: g.CustomerID, ClientIP: actor.ClientIP,
			Action: domain.AuditGDAPAssigned, Target: fmt.Sprintf("gdap:%d", a.GDAPID), Detail: a.Group + ": " + domain.RoleLabels(a.Roles)})
	})
}

// Assignments returns the access assignments of a GDAP request, oldest
// first.
func (s *Store) Assignments(ctx context.Context, gdapID int64) ([]domain.AccessAssignment, error) {
	return queryAll(ctx, s.read, func(row scanner) (domain.AccessAssignment, error) {
		var a domain.AccessAssignment
		var roles string
		err := row.Scan(&a.ID, &a.GDAPID, &a.Group, &roles, &a.RecordedByName, timeColumn{&a.RecordedAt})
		a.Roles = splitRoles(roles)
		return a, err
	}, `SELECT a.id, a.gdap_id, a.group_name, a.roles, COALESCE(u.name, ''), a.recorded_at FROM gdap_assignments a
		LEFT JOIN users u ON u.id = a.recorded_by WHERE a.gdap_id = ? ORDER BY a.id`, gdapID)
}

// gdapCycle is the auto-extension step in seconds: the modulus of the
// ends_phase column of migration 00014, which TestGDAPEndsPhase holds to it.
const gdapCycle = int64(domain.GDAPAutoExtendDays) * 24 * 60 * 60

// gdapPhase is t's place in the auto-extension cycle, as ends_phase
// computes it from ends_at: whole seconds since 1970 modulo gdapCycle.
func gdapPhase(t time.Time) int64 { return (t.Unix()%gdapCycle + gdapCycle) % gdapCycle }

// GDAPEndingCandidates returns, oldest first, the active GDAP relationships
// that may end after now and by limit, for domain.GDAPEndingWithin to
// decide: the dashboard's card and the GDAP list ask the same. An
// auto-extending relationship's next end rolls forward with the clock, so
// no column holds it; but it can end only at its first end plus whole
// cycles, all at one phase (migration 00014). So those whose first end
// falls in the window are a range search on gdap_requests_ending, and the
// auto-extending ones whose phase does (widened by a second each side, for
// the whole seconds of the phase) one or two on gdap_requests_phase: the
// candidates are about as few as the relationships that end, whatever the
// number that auto-extend. limit must be less than a cycle after now.
func (s *Store) GDAPEndingCandidates(ctx context.Context, now, limit time.Time) ([]domain.GDAPRequest, error) {
	query, args := gdapEndingQuery(now, limit)
	return queryAll(ctx, s.read, scanGDAP, query, args...)
}

// gdapEndingQuery is the query of GDAPEndingCandidates, with its arguments.
func gdapEndingQuery(now, limit time.Time) (string, []any) {
	first := `g.status = ? AND g.ends_at > ? AND g.ends_at <= ?`
	args := []any{domain.GDAPActive, formatTime(now), formatTime(limit)}
	rolling := ` OR g.status = ? AND g.auto_extend = ? AND g.ends_at <= ? AND g.ends_phase `
	extending := []any{domain.GDAPActive, true, formatTime(limit)}
	lo, hi := gdapPhase(now.Add(-time.Second)), gdapPhase(limit.Add(time.Second))
	where := first + rolling + `BETWEEN ? AND ?`
	args = append(append(args, extending...), lo, hi)
	if lo > hi { // the window spans the cycle's start: two ranges
		where = first + rolling + `>= ?` + rolling + `<= ?`
		args = append(append(append(append(args[:3:3], extending...), lo), extending...), hi)
	}
	return `SELECT ` + gdapColumns + gdapFrom + ` WHERE ` + where + ` ORDER BY g.id`, args
}

// gdapEffectiveSQL is GDAPRequest.Effective in SQL, with the arguments of
// gdapEffectiveArgs: an active relationship that does not auto-extend has
// expired from its end on, and one pending approval has lapsed 90 days
// after its link was recorded.
const gdapEffectiveSQL = `CASE WHEN g.status = ? AND g.auto_extend = ? AND g.ends_at <= ? THEN ?
	WHEN g.status = ? AND g.link_pasted_at <= ? THEN ? ELSE g.status END`

func gdapEffectiveArgs(now time.Time) []any {
	return []any{domain.GDAPActive, false, formatTime(now), domain.GDAPExpired,
		domain.GDAPApprovalPending, formatTime(now.AddDate(0, 0, -domain.GDAPPendingLapseDays)), domain.GDAPLapsed}
}

// gdapStoredAs are the stored states a request in an effective state can
// have, beside that state itself: the list by state narrows on them by the
// gdap_requests_status index before gdapEffectiveSQL decides.
var gdapStoredAs = map[domain.GDAPStatus]domain.GDAPStatus{
	domain.GDAPExpired: domain.GDAPActive,
	domain.GDAPLapsed:  domain.GDAPApprovalPending,
}

// ListGDAP returns one page of the GDAP requests of every customer in the
// effective state asked for at now (all when empty), newest first; how many
// there are is the counters' (GDAPCounts).
func (s *Store) ListGDAP(ctx context.Context, status domain.GDAPStatus, page domain.Page, now time.Time) ([]domain.GDAPRequest, error) {
	list, args := gdapListQuery(status, now)
	return queryAll(ctx, s.read, scanGDAP, list, append(args, page.Size, page.Offset())...)
}

// gdapListQuery is the page query of ListGDAP, with its arguments before
// the page's.
func gdapListQuery(status domain.GDAPStatus, now time.Time) (list string, args []any) {
	var where string
	if other, ok := gdapStoredAs[status]; ok {
		where = ` WHERE g.status IN (?, ?) AND ` + gdapEffectiveSQL + ` = ?`
		args = append(append([]any{status, other}, gdapEffectiveArgs(now)...), status)
	} else if status != "" { // in index order: no sort
		where = ` WHERE g.status = ? AND ` + gdapEffectiveSQL + ` = ?`
		args = append(append([]any{status}, gdapEffectiveArgs(now)...), status)
	}
	return `SELECT ` + gdapColumns + gdapFrom + where + ` ORDER BY g.id DESC LIMIT ? OFFSET ?`, args
}

// GDAPCounts counts the GDAP requests in each effective state at now: the
// counters of gdap_counts (migration 00036), a row per stored state, with
// the active requests past their end without auto-extension moved to
// expired and those waiting for approval too long moved to lapsed, each
// counted on an index of its state and deciding date (gdapEffectiveSQL's
// two cases).
func (s *Store) GDAPCounts(ctx context.Context, now time.Time) (map[domain.GDAPStatus]int, error) {
	counts, err := countByState[domain.GDAPStatus](ctx, s.read, `SELECT status, n FROM gdap_counts WHERE n > 0`)
	if err != nil {
		return nil, err
	}
	var expired, lapsed int
	if err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM gdap_requests WHERE status = ? AND auto_extend = 0 AND ends_at <= ?),
		(SELECT COUNT(*) FROM gdap_requests WHERE status = ? AND link_pasted_at <= ?)`,
		domain.GDAPActive, formatTime(now), domain.GDAPApprovalPending, formatTime(now.AddDate(0, 0, -domain.GDAPPendingLapseDays))).
		Scan(&expired, &lapsed); err != nil {
		return nil, err
	}
	moveCount(counts, domain.GDAPActive, domain.GDAPExpired, expired)
	moveCount(counts, domain.GDAPApprovalPending, domain.GDAPLapsed, lapsed)
	return counts, nil
}

// RoleTemplates returns every role template with its roles, by name: the
// roles of all of them in one query, not one a template.
func (s *Store) RoleTemplates(ctx context.Context) ([]domain.RoleTemplate, error) {
	list, err := queryAll(ctx, s.read, scanTemplate, `SELECT id, name, days, auto_extend FROM role_templates ORDER BY name`)
	if err != nil || len(list) == 0 {
		return list, err
	}
	type templateRole struct {
		template int64
		domain.TemplateRole
	}
	roles, err := queryAll(ctx, s.read, func(row scanner) (templateRole, error) {
		var r templateRole
		return r, row.Scan(&r.template, &r.Role, &r.Group)
	}, `SELECT template_id, role, group_name FROM role_template_roles ORDER BY template_id, position`)
	if err != nil {
		return nil, err
	}
	byTemplate := map[int64][]domain.TemplateRole{}
	for _, r := range roles {
		byTemplate[r.template] = append(byTemplate[r.template], r.TemplateRole)
	}
	for i := range list {
		list[i].Roles = byTemplate[list[i].ID]
	}
	return list, nil
}

func scanTemplate(row scanner) (domain.RoleTemplate, error) {
	var t domain.RoleTemplate
	err := row.Scan(&t.ID, &t.Name, &t.Days, &t.Extend)
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.ErrNotFound
	}
	return t, err
}

func (s *Store) templateRoles(ctx context.Context, id int64) ([]domain.TemplateRole, error) {
	return queryAll(ctx, s.read, func(row scanner) (domain.TemplateRole, error) {
		var r domain.TemplateRole
		return r, row.Scan(&r.Role, &r.Group)
	}, `SELECT role, group_name FROM role_template_roles WHERE template_id = ? ORDER BY position`, id)
}

// RoleTemplate returns one template with its roles, or domain.ErrNotFound.
func (s *Store) RoleTemplate(ctx context.Context, id int64) (domain.RoleTemplate, error) {
	t, err := scanTemplate(s.read.QueryRowContext(ctx, `SELECT id, name, days, auto_extend FROM role_templates WHERE id = ?`, id))
	if err == nil {
		t.Roles, err = s.templateRoles(ctx, id)
	}
	return t, err
}

// SaveRoleTemplate creates the template (ID 0) or replaces one, with its
// roles, and returns its id. A name another template has is
// domain.ErrTemplateNameTaken.
func (s *Store) SaveRoleTemplate(ctx context.Context, actor domain.Actor, t domain.RoleTemplate) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = saveRoleTemplate(ctx, tx, s.now(), actor, t)
		return err
	})
	return id, err
}

func saveRoleTemplate(ctx context.Context, tx *sql.Tx, now time.Time, actor domain.Actor, t domain.RoleTemplate) (int64, error) {
	id := t.ID
	var err error
	if id == 0 {
		var res sql.Result
		if res, err = tx.ExecContext(ctx, `INSERT INTO role_templates (name, days, auto_extend) VALUES (?, ?, ?)`, t.Name, t.Days, t.Extend); err == nil {
			id, err = res.LastInsertId()
		}
	} else {
		err = updateOne(ctx, tx, domain.ErrNotFound, `UPDATE role_templates SET name = ?, days = ?, auto_extend = ? WHERE id = ?`, t.Name, t.Days, t.Extend, id)
	}
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: role_templates.name") {
		return 0, domain.ErrTemplateNameTaken
	}
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM role_template_roles WHERE template_id = ?`, id); err != nil {
		return 0, err
	}
	for i, r := range t.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_template_roles (template_id, role, group_name, position) VALUES (?, ?, ?, ?)`,
			id, r.Role, r.Group, i); err != nil {
			return 0, err
		}
	}
	return id, appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP,
		Action: domain.AuditRoleTemplateChanged, Target: fmt.Sprintf("role_template:%d", id), Detail: t.Name})
}

// DeleteRoleTemplate removes a template; the GDAP requests made from it
// keep their roles and forget the template.
func (s *Store) DeleteRoleTemplate(ctx context.Context, actor domain.Actor, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM role_template_roles WHERE template_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE gdap_requests SET template_id = NULL WHERE template_id = ?`, id); err != nil {
			return err
		}
		if err := updateOne(ctx, tx, domain.ErrNotFound, `DELETE FROM role_templates WHERE id = ?`, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP,
			Action: domain.AuditRoleTemplateChanged, Target: fmt.Sprintf("role_template:%d", id), Detail: "deleted"})
	})
}

// seedGDAP writes the GDAP request of a relationship of the starting data
// as it stands, with its template named, by by; nothing when it has none.
func seedGDAP(ctx context.Context, tx *sql.Tx, relationshipID, customerID int64, by sql.NullInt64, sr domain.SeedRelationship) error {
	g := sr.Request.GDAP
	if g == nil {
		return nil
	}
	var template sql.NullInt64
	if sr.GDAPTemplate != "" {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM role_templates WHERE name = ?`, sr.GDAPTemplate).Scan(&template); err != nil {
			return fmt.Errorf("seed GDAP template %q: %w", sr.GDAPTemplate, err)
		}
	}
	at := optionalTime
	who := func(t *time.Time) sql.NullInt64 {
		if t == nil {
			return sql.NullInt64{}
		}
		return by
	}
	var ends sql.NullString
	if g.ActivatedAt != nil {
		ends = at(new(g.FirstEnd(*g.ActivatedAt)))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO gdap_requests (relationship_id, customer_id, display_name, roles, days, auto_extend, template_id,
		status, link, microsoft_id, created_by, created_at, link_pasted_by, link_pasted_at, activated_by, activated_at, ends_at, ended_by, ended_at, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		relationshipID, customerID, g.DisplayName, joinCodes(g.Roles), g.Days, g.AutoExtend, template, g.Status, g.Link, g.MicrosoftID,
		by, formatTime(g.CreatedAt), who(g.LinkPastedAt), at(g.LinkPastedAt), who(g.ActivatedAt), at(g.ActivatedAt), ends,
		who(g.EndedAt), at(g.EndedAt), g.Reason)
	return err
}

// optionalTime stores a time that may be missing.
func optionalTime(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(*t), Valid: true}
}
