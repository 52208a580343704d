// The console learns where the API is and how to sign in from config.json, fetched at run
// time from beside index.html, so one build serves every deployment.

export type AuthConfig =
  | { mode: 'local' }
  | {
      mode: 'oidc';
      issuer: string;
      clientId: string;
      scope: string;
      // Which token the API receives as Bearer: the one that carries the `sites` claim.
      token: 'id' | 'access';
    };

export interface ConsoleConfig {
  apiUrl: string;
  auth: AuthConfig;
  // Locally, the SES emulator's mail viewer, linked from the import page.
  mailViewerUrl?: string;
}

export class ConfigError extends Error {}

/** parseConfig checks a config.json document and fills in the defaults. */
export function parseConfig(raw: unknown): ConsoleConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('config.json must hold a JSON object');
  const doc = raw as Record<string, unknown>;
  const apiUrl = doc['apiUrl'];
  if (typeof apiUrl !== 'string' || !/^https?:\/\//.test(apiUrl)) {
    throw new ConfigError('config.json: apiUrl must be an http(s) URL');
  }
  const auth = (doc['auth'] ?? {}) as Record<string, unknown>;
  const mailViewerUrl = typeof doc['mailViewerUrl'] === 'string' ? doc['mailViewerUrl'] : undefined;
  const base = { apiUrl: apiUrl.replace(/\/+$/, ''), ...(mailViewerUrl ? { mailViewerUrl } : {}) };
  if (auth['mode'] === 'local') return { ...base, auth: { mode: 'local' } };
  if (auth['mode'] === 'oidc') {
    const { issuer, clientId } = auth;
    if (typeof issuer !== 'string' || !issuer) throw new ConfigError('config.json: auth.issuer is required for oidc');
    if (typeof clientId !== 'string' || !clientId) throw new ConfigError('config.json: auth.clientId is required for oidc');
    const scope = typeof auth['scope'] === 'string' && auth['scope'] ? auth['scope'] : 'openid email';
    const token = auth['token'] === 'access' ? 'access' : 'id';
    return { ...base, auth: { mode: 'oidc', issuer, clientId, scope, token } };
  }
  throw new ConfigError('config.json: auth.mode must be "local" or "oidc"');
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!res.ok) throw new ConfigError(`config.json: HTTP ${res.status}`);
  return parseConfig(await res.json());
}
