import { describe, expect, it } from 'vitest';
import { claimsOf, expired, sessionOf, sitesOf } from './session';

// JWT segments are base64url of UTF-8 JSON.
const b64url = (o: object) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: object) => `${b64url({ alg: 'HS256' })}.${b64url(claims)}.sig`;

describe('session from a token', () => {
  it('reads the sites and the expiry', () => {
    const s = sessionOf(jwt({ sub: 'a', sites: ['demo', 'acme'], exp: 2000, name: 'Zoë' }));
    expect(s.sites).toEqual(['demo', 'acme']);
    expect(s.expiresAt).toBe(2000);
    expect(claimsOf(s.token)['name']).toBe('Zoë');
  });
  it('reads the sites claim as API Gateway flattens it', () => {
    expect(sitesOf({ sites: '[demo acme]' })).toEqual(['demo', 'acme']);
    expect(sitesOf({})).toEqual([]);
  });
  it('counts a token as expired a minute early', () => {
    const s = sessionOf(jwt({ exp: 1000 }));
    expect(expired(s, 900)).toBe(false);
    expect(expired(s, 941)).toBe(true);
  });
  it('refuses what is not a JWT', () => {
    expect(() => sessionOf('nope')).toThrow();
  });
});
