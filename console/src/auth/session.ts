// Who is signed in: the token the API receives and the sites its claims name.

export interface Session {
  token: string;
  sites: string[];
  // Seconds since the epoch, from the token's exp claim.
  expiresAt: number;
}

/**
 * claimsOf reads a JWT's payload without checking it: the API checks the token; the console
 * only needs to know which sites to offer and when to ask for a new one.
 */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const b64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const json = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  return JSON.parse(json) as Record<string, unknown>;
}

/**
 * sitesOf reads the `sites` claim: a JSON array, or the "[demo acme]" text that API
 * Gateway makes of one (some identity providers hand it on that way too).
 */
export function sitesOf(claims: Record<string, unknown>): string[] {
  const raw = claims['sites'];
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string' && s !== '');
  if (typeof raw === 'string') {
    return raw
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return [];
}

export function sessionOf(token: string): Session {
  const claims = claimsOf(token);
  return { token, sites: sitesOf(claims), expiresAt: typeof claims['exp'] === 'number' ? claims['exp'] : 0 };
}

export function expired(s: Session, nowSeconds: number): boolean {
  // A minute early: a token about to run out would fail the request it is sent with.
  return s.expiresAt !== 0 && s.expiresAt - 60 <= nowSeconds;
}

const KEY = 'boxoffice.localToken';

// Local tokens are kept for the tab only; an OIDC session lives in oidc-client-ts's store.
export const localStore = {
  load(): Session | null {
    try {
      const token = sessionStorage.getItem(KEY);
      if (!token) return null;
      const s = sessionOf(token);
      return expired(s, Date.now() / 1000) ? null : s;
    } catch {
      return null;
    }
  },
  save(s: Session): void {
    sessionStorage.setItem(KEY, s.token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
