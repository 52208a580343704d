import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../config';
import type { T } from '../i18n';

const SITE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const LAST_SITE = 'boxoffice.lastSite';

export function SignInPage(p: {
  config: ConsoleConfig;
  t: T;
  error: string | null;
  onLocal: (site: string) => void;
  onOidc: () => void;
}) {
  const { t } = p;
  const [site, setSite] = useState(() => localStorage.getItem(LAST_SITE) ?? 'demo');
  const invalid = !SITE_PATTERN.test(site);
  const submit = (e: Event) => {
    e.preventDefault();
    if (p.config.auth.mode === 'local') {
      if (invalid) return;
      localStorage.setItem(LAST_SITE, site);
      p.onLocal(site);
    } else {
      p.onOidc();
    }
  };
  return (
    <section class="signin" aria-labelledby="page-title">
      <h1 id="page-title">{t('signin.title')}</h1>
      <form onSubmit={submit} noValidate>
        {p.error && (
          <div class="error-summary" role="alert">
            <p>{p.error}</p>
          </div>
        )}
        {p.config.auth.mode === 'local' ? (
          <>
            <p>{t('signin.localIntro')}</p>
            <div class={`field${invalid ? ' invalid' : ''}`}>
              <label for="site">{t('signin.site')}</label>
              <input id="site" name="site" value={site} autoComplete="off" aria-invalid={invalid ? 'true' : undefined} onInput={(e) => setSite((e.currentTarget as HTMLInputElement).value.trim())} />
            </div>
          </>
        ) : (
          <p>{t('signin.oidcIntro')}</p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={p.config.auth.mode === 'local' && invalid}>
            {t('signin.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
