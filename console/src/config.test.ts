import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

describe('config.json', () => {
  it('local mode', () => {
    expect(parseConfig({ apiUrl: 'http://127.0.0.1:3000/', auth: { mode: 'local' }, mailViewerUrl: 'http://127.0.0.1:8005' })).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      auth: { mode: 'local' },
      mailViewerUrl: 'http://127.0.0.1:8005',
    });
  });
  it('OIDC with defaults for scope and token', () => {
    expect(parseConfig({ apiUrl: 'https://api.example.com', auth: { mode: 'oidc', issuer: 'https://idp.example.com', clientId: 'abc' } }).auth).toEqual({
      mode: 'oidc',
      issuer: 'https://idp.example.com',
      clientId: 'abc',
      scope: 'openid email',
      token: 'id',
    });
  });
  it.each([
    [null],
    [{ auth: { mode: 'local' } }],
    [{ apiUrl: 'ftp://x', auth: { mode: 'local' } }],
    [{ apiUrl: 'https://x', auth: { mode: 'oidc', clientId: 'abc' } }],
    [{ apiUrl: 'https://x', auth: { mode: 'magic' } }],
  ])('refuses %j', (doc) => {
    expect(() => parseConfig(doc)).toThrow(ConfigError);
  });
});
