package relationships

import (
	"context"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// GDAPListStore is what the GDAP list across customers reads.
type GDAPListStore interface {
	ListGDAP(ctx context.Context, status domain.GDAPStatus, page domain.Page, now time.Time) ([]domain.GDAPRequest, error)
	GDAPCounts(ctx context.Context, now time.Time) (map[domain.GDAPStatus]int, error)
	GDAPEndingCandidates(ctx context.Context, now, limit time.Time) ([]domain.GDAPRequest, error)
}

// GDAPList returns one page of the GDAP requests of every customer as f
// asks, with the counts of each state and of the relationships ending
// within domain.GDAPEndingSoonDays. Those ending are chosen as the
// dashboard's card chooses them, by domain.GDAPEndingWithin from the
// store's few candidates, so card and list agree; ordered by their next
// end, which only the domain computes, they are paged here. The others are
// paged by the store, newest first.
func (s *Service) GDAPList(ctx context.Context, f domain.GDAPFilter) (domain.GDAPList, error) {
	now := s.now()
	candidates, err := s.store.GDAPEndingCandidates(ctx, now, now.AddDate(0, 0, domain.GDAPEndingSoonDays))
	if err != nil {
		return domain.GDAPList{}, err
	}
	ending := domain.GDAPEndingWithin(candidates, now, domain.GDAPEndingSoonDays)
	l := domain.GDAPList{Ending: len(ending)}
	if l.Counts, err = s.store.GDAPCounts(ctx, now); err != nil {
		return l, err
	}
	l.All = domain.TotalOf(l.Counts, "")
	var list []domain.GDAPRequest
	if f.Ending {
		l.Total = len(ending)
		for _, e := range domain.PageOf(ending, f.Page) {
			list = append(list, e.Request)
		}
	} else {
		l.Total = domain.TotalOf(l.Counts, f.Status)
		if list, err = s.store.ListGDAP(ctx, f.Status, f.Page, now); err != nil {
			return l, err
		}
	}
	for _, g := range list {
		l.Rows = append(l.Rows, g.Row(now))
	}
	return l, nil
}
