import { render } from 'preact';
import { App } from './App';
import { localStore, type Session } from './auth/session';
import { loadConfig } from './config';
import { initialLang, translator } from './i18n';
import './styles.css';

async function start(root: HTMLElement) {
  const lang = initialLang();
  try {
    const config = await loadConfig();
    let session: Session | null = null;
    if (config.auth.mode === 'local') session = localStore.load();
    else session = await (await import('./auth/oidc')).resumeOidc(config.auth);
    render(<App config={config} initial={session} lang={lang} />, root);
  } catch (e) {
    root.textContent = `${translator(lang)('app.title')}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

void start(document.getElementById('app')!);
