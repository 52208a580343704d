package settingsdb_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

func newStores(t *testing.T) (*settingsdb.Store, *auditdb.Log) {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	log, err := auditdb.New(db, tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	store, err := settingsdb.New(db, tables["SitesTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	return store, log
}

func ptr[T any](v T) *T { return &v }

func TestSettingsRoundTrip(t *testing.T) {
	store, log := newStores(t)
	ctx := context.Background()

	got, err := store.Get(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 0 || got.Services[settings.Events].Config.Mode != settings.ModeTest {
		t.Fatalf("new site = %+v", got)
	}

	m := settings.NewManager(store, nil)
	if _, err := m.Update(ctx, "u1", "acme", settings.Events, settings.Patch{
		Enabled: ptr(true), MerchantName: ptr("Acme"), SupportInfo: ptr("+1 555 123 4567"),
		PaymentPage: &settings.PaymentPagePatch{Header: ptr("Welcome\nto Acme")}, TimeZone: ptr("America/New_York"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.SetMode(ctx, "u2", "acme", settings.Events, settings.ModeProduction); err != nil {
		t.Fatal(err)
	}
	got, err = store.Get(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	c := got.Services[settings.Events].Config
	if got.Version != 2 || got.UpdatedBy != "u2" || !got.Services[settings.Events].Enabled || c.MerchantName != "Acme" ||
		c.PaymentPage.Header != "Welcome\nto Acme" || c.TimeZone != "America/New_York" || c.Mode != settings.ModeProduction {
		t.Fatalf("stored = %+v", got)
	}

	page, err := log.List(ctx, "acme", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 2 || page.Entries[0].Action != settings.ActionSetMode || page.Entries[1].Actor != "u1" {
		t.Fatalf("audit = %+v", page.Entries)
	}
	mode := page.Entries[0].Changes
	if len(mode) != 1 || mode[0].Field != "events.config.mode" || mode[0].Before != "test" || mode[0].After != "production" {
		t.Fatalf("mode change = %+v", mode)
	}
}

func TestSaveRefusesStaleVersion(t *testing.T) {
	store, log := newStores(t)
	ctx := context.Background()
	first := settings.New("acme")
	first.Version = 1
	entry := func() audit.Entry { return audit.NewEntry("acme", "u", "a", "events", time.Now(), nil) }
	if err := store.Save(ctx, first, entry()); err != nil {
		t.Fatal(err)
	}
	// A second writer that also read version 0 must lose, and leave no audit entry behind.
	if err := store.Save(ctx, first, entry()); !errors.Is(err, settings.ErrVersionConflict) {
		t.Fatalf("err = %v, want version conflict", err)
	}
	page, err := log.List(ctx, "acme", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 1 {
		t.Fatalf("audit entries = %d, want 1 (the failed save must write none)", len(page.Entries))
	}
}

func TestConcurrentUpdatesAreAllKept(t *testing.T) {
	store, log := newStores(t)
	m := settings.NewManager(store, nil)
	ctx := context.Background()
	// Four writers change four different fields at once; every change must survive.
	patches := []settings.Patch{
		{MerchantName: ptr("Acme")},
		{SupportInfo: ptr("help@acme.example")},
		{TimeZone: ptr("Europe/Paris")},
		{PromoCodesEnabled: ptr(true)},
	}
	var wg sync.WaitGroup
	errs := make([]error, len(patches))
	for i, p := range patches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = m.Update(ctx, "u", "acme", settings.Training, p)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && apperr.CodeOf(err) != apperr.CodeConflict {
			t.Fatal(err)
		}
	}
	got, err := store.Get(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	page, err := log.List(ctx, "acme", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if int(got.Version) != len(page.Entries) {
		t.Fatalf("version %d but %d audit entries", got.Version, len(page.Entries))
	}
	c := got.Services[settings.Training].Config
	kept := map[bool]int{}
	kept[c.MerchantName == "Acme"]++
	kept[c.SupportInfo == "help@acme.example"]++
	kept[c.TimeZone == "Europe/Paris"]++
	kept[c.PromoCodesEnabled]++
	if kept[true] != int(got.Version) {
		t.Fatalf("%d changes saved but %d visible: a concurrent change was lost (%+v)", got.Version, kept[true], c)
	}
}

func TestAuditPagination(t *testing.T) {
	store, log := newStores(t)
	ctx := context.Background()
	m := settings.NewManager(store, nil)
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		if _, err := m.Update(ctx, "u", "acme", settings.Events, settings.Patch{MerchantName: ptr(name)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.Update(ctx, "u", "globex", settings.Events, settings.Patch{MerchantName: ptr("G")}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		page, err := log.List(ctx, "acme", cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			if e.Site != "acme" {
				t.Fatalf("entry of another site: %+v", e)
			}
			seen = append(seen, e.Changes[0].After.(string))
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	want := []string{"E", "D", "C", "B", "A"}
	if len(seen) != len(want) {
		t.Fatalf("seen %v, want %v", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("seen %v, want newest first %v", seen, want)
		}
	}
	if _, err := log.List(ctx, "acme", "not-a-cursor", 2); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Fatalf("bad cursor: err = %v", err)
	}
}

// TestProviderRoundTrip: a provider stored in the settings item keeps every field, its
// secret reference included (the API hides it; the table must not lose it).
func TestProviderRoundTrip(t *testing.T) {
	store, _ := newStores(t)
	ctx := context.Background()
	m := settings.NewManager(store, nil)
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	p := &provider.Setup{
		Kind: provider.PayflowPro, PartnerID: "PayPal", Vendor: "acme", UserID: "api", AccountType: provider.AccountPayflowPro,
		ExpressCheckout: true, Cards: []provider.Card{provider.Visa, provider.JCB}, Currency: provider.USD,
		Secrets:   map[provider.SecretName]provider.SecretStatus{provider.SecretPassword: {Set: true, UpdatedAt: at}},
		SecretRef: "boxoffice/t/providers/acme/payflow_pro/ab12", UpdatedAt: at, UpdatedBy: "u1",
	}
	if _, err := m.Change(ctx, "u1", "acme", "provider.set", "events", func(s settings.Site) (settings.Site, error) {
		return s.SetProvider(settings.Events, p)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := store.Get(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	g := got.Provider(settings.Events)
	if g == nil || g.SecretRef != p.SecretRef || g.Kind != p.Kind || len(g.Cards) != 2 || g.Cards[1] != provider.JCB ||
		!g.ExpressCheckout || !g.Secrets[provider.SecretPassword].Set || !g.Secrets[provider.SecretPassword].UpdatedAt.Equal(at) {
		t.Errorf("read back %+v", g)
	}
}
