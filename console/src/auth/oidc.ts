// Sign-in in AWS: OpenID Connect authorization code with PKCE against the configured issuer,
// done by oidc-client-ts. Loaded only in that mode, so the local console does not ship it.
import type { AuthConfig } from '../config';
import { sessionOf, type Session } from './session';

type OidcConfig = Extract<AuthConfig, { mode: 'oidc' }>;

async function manager(cfg: OidcConfig) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const here = `${location.origin}${location.pathname}`;
  return new UserManager({
    authority: cfg.issuer,
    client_id: cfg.clientId,
    redirect_uri: here,
    post_logout_redirect_uri: here,
    response_type: 'code',
    scope: cfg.scope,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

function tokenOf(cfg: OidcConfig, user: { id_token?: string; access_token: string }): string | undefined {
  return cfg.token === 'id' ? user.id_token : user.access_token;
}

/** resumeOidc finishes a sign-in the issuer redirected back with, or finds a current one. */
export async function resumeOidc(cfg: OidcConfig): Promise<Session | null> {
  const um = await manager(cfg);
  const params = new URLSearchParams(location.search);
  if (params.has('code') && params.has('state')) {
    const user = await um.signinRedirectCallback();
    // Drop ?code=&state= so a reload does not replay them, and go back to the page the
    // sign-in started from (kept in the request's state).
    const back = typeof user.state === 'string' ? user.state : location.hash;
    history.replaceState(null, '', `${location.pathname}${back}`);
    const token = tokenOf(cfg, user);
    return token ? sessionOf(token) : null;
  }
  const user = await um.getUser();
  if (!user || user.expired) return null;
  const token = tokenOf(cfg, user);
  return token ? sessionOf(token) : null;
}

export async function signInOidc(cfg: OidcConfig): Promise<void> {
  await (await manager(cfg)).signinRedirect({ state: location.hash });
}

export async function signOutOidc(cfg: OidcConfig): Promise<void> {
  const um = await manager(cfg);
  await um.removeUser();
  // Not every issuer offers an end-session endpoint (Cognito's differs); signing out here is enough.
  await um.signoutRedirect().catch(() => undefined);
}
