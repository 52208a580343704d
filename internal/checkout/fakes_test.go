package checkout

import (
	"context"
	"net/url"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

type fakeSites struct {
	get func(site string) (settings.Site, error)
}

func (f fakeSites) Get(_ context.Context, site string) (settings.Site, error) { return f.get(site) }

type fakeCodes struct {
	lookup  func(site, code string, now time.Time) (promo.Code, int, bool, error)
	reserve func(c promo.Code, ref string, until, now time.Time) (promo.Status, error)
	release func(site, code, ref string) (bool, error)
	confirm func(site, code, ref string, limit int) (bool, error)
	give    func(site, code string, limit int) (bool, error)
}

func (f fakeCodes) Lookup(_ context.Context, site, code string, now time.Time) (promo.Code, int, bool, error) {
	return f.lookup(site, code, now)
}

func (f fakeCodes) Reserve(_ context.Context, c promo.Code, ref string, until, now time.Time) (promo.Status, error) {
	return f.reserve(c, ref, until, now)
}

func (f fakeCodes) Release(_ context.Context, site, code, ref string) (bool, error) {
	return f.release(site, code, ref)
}

func (f fakeCodes) Return(_ context.Context, site, code string, limit int) (bool, error) {
	return f.give(site, code, limit)
}

func (f fakeCodes) Confirm(_ context.Context, site, code, ref string, limit int) (bool, error) {
	return f.confirm(site, code, ref, limit)
}

type fakeSettle struct {
	capture func(r PageRequest) (Settled, error)
	void    func(r PageRequest) (Settled, error)
}

func (f fakeSettle) Capture(_ context.Context, r PageRequest) (Settled, error) { return f.capture(r) }

func (f fakeSettle) Void(_ context.Context, r PageRequest) (Settled, error) { return f.void(r) }

type fakePages struct {
	start  func(r PageRequest) (Page, error)
	finish func(r PageRequest, params url.Values) (Outcome, error)
}

func (f fakePages) Start(_ context.Context, r PageRequest) (Page, error) { return f.start(r) }

func (f fakePages) Finish(_ context.Context, r PageRequest, params url.Values) (Outcome, error) {
	return f.finish(r, params)
}

// memOrders keeps orders in memory with the store's conditions: a move only from the state
// (and history length) it was read in, a key only once.
type memOrders struct {
	mu     sync.Mutex
	orders map[string]Order
	keys   map[string]Created
	audits []audit.Entry
	// notices are the notice ids recorded, by site.
	notices map[string]bool
	// settle, when set, runs before Settle stores (a write that fails, say); hold before
	// Hold stores.
	settle, hold func(from, to Order) error
}

func newMemOrders() *memOrders {
	return &memOrders{orders: map[string]Order{}, keys: map[string]Created{}}
}

func (m *memOrders) Create(_ context.Context, o Order, key Key) (Created, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if key.Key != "" {
		if prior, ok := m.keys[o.Site+"/"+key.Key]; ok {
			prior.Order = m.orders[prior.Order.Ref]
			return prior, nil
		}
		m.keys[o.Site+"/"+key.Key] = Created{Order: o, Fingerprint: key.Fingerprint}
	}
	m.orders[o.Ref] = o
	return Created{Order: o, Fingerprint: key.Fingerprint, New: true}, nil
}

func (m *memOrders) ByKey(_ context.Context, site, key string) (Created, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.keys[site+"/"+key]
	if ok {
		c.Order = m.orders[c.Order.Ref]
	}
	return c, ok, nil
}

func (m *memOrders) Get(_ context.Context, site, ref string) (Order, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.orders[ref]
	return o, ok && o.Site == site, nil
}

// asRead reports whether the stored order is still as o was read: the store's condition.
func (m *memOrders) asRead(o Order) bool {
	cur := m.orders[o.Ref]
	return cur.State == o.State && len(cur.History) == len(o.History) && holdID(cur) == holdID(o)
}

func (m *memOrders) Move(_ context.Context, from, to Order) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.asRead(from) {
		return false, nil
	}
	m.orders[to.Ref] = to
	return true, nil
}

func (m *memOrders) Notice(_ context.Context, from, to Order, id string) (NoticeWrite, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.notices == nil {
		m.notices = map[string]bool{}
	}
	switch {
	case m.notices[from.Site+"/"+id]:
		return NoticeSeen, nil
	case !m.asRead(from):
		return NoticeOrderChanged, nil
	}
	m.notices[from.Site+"/"+id] = true
	m.orders[to.Ref] = to
	return NoticeStored, nil
}

func (m *memOrders) Hold(_ context.Context, o, held Order) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.hold != nil {
		if err := m.hold(o, held); err != nil {
			return false, err
		}
	}
	if !m.asRead(o) {
		return false, nil
	}
	m.orders[o.Ref] = held
	return true, nil
}

func (m *memOrders) Settle(_ context.Context, from, to Order, e audit.Entry) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.settle != nil {
		if err := m.settle(from, to); err != nil {
			return false, err
		}
	}
	if !m.asRead(from) {
		return false, nil
	}
	m.orders[to.Ref] = to
	m.audits = append(m.audits, e)
	return true, nil
}

func (m *memOrders) get(ref string) Order {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.orders[ref]
}

func (m *memOrders) SetPayment(_ context.Context, o Order) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.orders[o.Ref] = o
	return nil
}

func (m *memOrders) Overdue(_ context.Context, now time.Time, limit int) ([]Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Order
	for _, o := range m.orders {
		if o.State == StatePendingPayment && o.ReservedUntil.Before(now) && len(out) < limit {
			out = append(out, o)
		}
	}
	return out, nil
}

// sellingSite is a site whose events sell in test mode through Payflow Pro in USD, with
// promotion codes on.
func sellingSite(site string) settings.Site {
	s := settings.New(site)
	ev := s.Services[settings.Events]
	ev.Enabled = true
	ev.Config.PromoCodesEnabled = true
	ev.Config.MerchantName = "Demo Academy"
	ev.Config.Provider = &provider.Setup{Kind: provider.PayflowPro, Currency: "USD"}
	s.Services[settings.Events] = ev
	return s
}
