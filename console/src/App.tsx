import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api/client';
import { signInLocal } from './auth/local';
import { localStore, type Session } from './auth/session';
import type { ConsoleConfig } from './config';
import { AppContext, type AppState } from './context';
import { LANGUAGES, rememberLang, translator, type Lang, type T } from './i18n';
import { formatMoney } from './logic/money';
import { AuditPage } from './pages/Audit';
import { OrderPage } from './pages/Order';
import { OrdersPage } from './pages/Orders';
import { PromoCreatePage } from './pages/PromoCreate';
import { PromoImportPage } from './pages/PromoImport';
import { ProviderPage } from './pages/Provider';
import { ReportPage } from './pages/Report';
import { SettingsPage } from './pages/Settings';
import { SignInPage } from './pages/SignIn';
import { href, parseRoute, type Route } from './router';

const SITE_KEY = 'boxoffice.site';

export function App({ config, initial, lang: firstLang }: { config: ConsoleConfig; initial: Session | null; lang: Lang }) {
  const [lang, setLang] = useState<Lang>(firstLang);
  const [session, setSession] = useState<Session | null>(initial);
  const [site, setSite] = useState<string>(() => pickSite(initial));
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [signInError, setSignInError] = useState<string | null>(null);
  const t = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang]);

  const signOut = async () => {
    localStore.clear();
    setSession(null);
    if (config.auth.mode === 'oidc') await (await import('./auth/oidc')).signOutOidc(config.auth);
  };
  const api = useMemo(
    () => createApi(config.apiUrl, () => session?.token ?? '', () => void signOut()),
    [config.apiUrl, session?.token],
  );
  const changeLang = (l: Lang) => {
    rememberLang(l);
    setLang(l);
  };
  const signedIn = (s: Session) => {
    setSignInError(null);
    setSession(s);
    setSite(pickSite(s));
  };

  const languagePicker = <LanguagePicker lang={lang} t={t} onChange={changeLang} />;
  if (!session) {
    return (
      <div class="shell">
        <header class="top">
          <span class="brand">{t('app.title')}</span>
          {languagePicker}
        </header>
        <main id="main">
          <SignInPage
            config={config}
            t={t}
            error={signInError}
            onLocal={(s) =>
              signInLocal(s).then(signedIn, (e: unknown) => setSignInError(t('signin.failed', { message: e instanceof Error ? e.message : String(e) })))
            }
            onOidc={() => {
              if (config.auth.mode === 'oidc') void import('./auth/oidc').then((m) => m.signInOidc(config.auth as Extract<typeof config.auth, { mode: 'oidc' }>));
            }}
          />
        </main>
      </div>
    );
  }
  if (session.sites.length === 0) {
    return (
      <main id="main" class="shell">
        <p role="alert">{t('signin.noSites')}</p>
        <button type="button" onClick={signOut}>
          {t('app.signOut')}
        </button>
      </main>
    );
  }

  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const state: AppState = {
    config,
    api,
    site,
    lang,
    t,
    formatDateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : ''),
    formatMoney: (minor, currency) => (minor === undefined || !currency ? '' : formatMoney(minor, currency, lang)),
  };
  return (
    <AppContext.Provider value={state}>
      <div class="shell">
        <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
          {t('app.skip')}
        </a>
        <header class="top">
          <span class="brand">{t('app.title')}</span>
          <SitePicker sites={session.sites} site={site} t={t} onChange={(s) => { sessionStorage.setItem(SITE_KEY, s); setSite(s); }} />
          {languagePicker}
          <button type="button" class="link" onClick={signOut}>
            {t('app.signOut')}
          </button>
        </header>
        <Nav route={route} t={t} />
        <main id="main" tabIndex={-1}>
          <Page route={route} key={`${site}:${href(route)}`} />
        </main>
      </div>
    </AppContext.Provider>
  );
}

function pickSite(s: Session | null): string {
  if (!s) return '';
  const kept = sessionStorage.getItem(SITE_KEY);
  return kept && s.sites.includes(kept) ? kept : (s.sites[0] ?? '');
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'settings':
      return <SettingsPage service={route.service} />;
    case 'provider':
      return <ProviderPage service={route.service} />;
    case 'create':
      return <PromoCreatePage />;
    case 'import':
      return <PromoImportPage job={route.job} />;
    case 'report':
      return <ReportPage />;
    case 'orders':
      return <OrdersPage />;
    case 'order':
      return <OrderPage orderRef={route.ref} />;
    case 'audit':
      return <AuditPage />;
  }
}

function Nav({ route, t }: { route: Route; t: T }) {
  const here = href(route);
  const link = (r: Route, label: string) => {
    const to = href(r);
    // A job's page belongs to its import, an order's to the orders.
    const current = here === to || (r.page === 'import' && route.page === 'import') || (r.page === 'orders' && route.page === 'order');
    return (
      <li>
        <a href={to} aria-current={current ? 'page' : undefined}>
          {label}
        </a>
      </li>
    );
  };
  return (
    <nav class="side" aria-label={t('nav.main')}>
      <h2>{t('nav.ecommerce')}</h2>
      <ul>
        {link({ page: 'settings', service: 'events' }, t('service.events'))}
        {link({ page: 'settings', service: 'training' }, t('service.training'))}
      </ul>
      <h2>{t('nav.provider')}</h2>
      <ul>
        {link({ page: 'provider', service: 'events' }, t('service.events'))}
        {link({ page: 'provider', service: 'training' }, t('service.training'))}
      </ul>
      <h2>{t('settings.promoCodes')}</h2>
      <ul>
        {link({ page: 'create' }, t('nav.create'))}
        {link({ page: 'import' }, t('nav.import'))}
        {link({ page: 'report' }, t('nav.report'))}
      </ul>
      <ul>
        {link({ page: 'orders' }, t('nav.orders'))}
        {link({ page: 'audit' }, t('nav.audit'))}
      </ul>
    </nav>
  );
}

function LanguagePicker({ lang, t, onChange }: { lang: Lang; t: T; onChange: (l: Lang) => void }) {
  return (
    <label class="picker">
      <span>{t('app.language')}</span>
      <select id="language" value={lang} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as Lang)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function SitePicker({ sites, site, t, onChange }: { sites: string[]; site: string; t: T; onChange: (s: string) => void }) {
  if (sites.length === 1) {
    return (
      <span class="picker" data-testid="site">
        {t('app.site')}: <strong>{site}</strong>
      </span>
    );
  }
  return (
    <label class="picker">
      <span>{t('app.site')}</span>
      <select id="site-picker" value={site} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {sites.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

