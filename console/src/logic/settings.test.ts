import { describe, expect, it } from 'vitest';
import { settingsForm, settingsPatch } from './settings';

const before = settingsForm({
  enabled: true,
  config: { mode: 'test', merchantName: 'Demo', supportInfo: 'help@demo.example', paymentPage: { header: 'H', footer: 'F' }, promoCodesEnabled: false, timeZone: 'UTC' },
});

describe('settingsPatch', () => {
  it('sends nothing when nothing changed', () => {
    expect(settingsPatch(before, { ...before })).toEqual({});
  });
  it('sends only the changed fields, a payment page text on its own', () => {
    expect(settingsPatch(before, { ...before, footer: 'New footer', timeZone: 'Europe/Oslo', enabled: false })).toEqual({
      enabled: false,
      paymentPage: { footer: 'New footer' },
      timeZone: 'Europe/Oslo',
    });
  });
});
