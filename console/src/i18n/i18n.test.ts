import { describe, expect, it } from 'vitest';
import { en } from './en';
import { MESSAGES, detectLang, fill, langOf, translator } from './index';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('every language', () => {
  for (const [lang, messages] of Object.entries(MESSAGES)) {
    it(`${lang} says every message, with the same placeholders as English`, () => {
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(messages[key], `${lang} ${key}`).toBeTruthy();
        expect(placeholders(messages[key]), `${lang} ${key}`).toEqual(placeholders(en[key]));
      }
    });
  }
  it('uses the seeds’ own words', () => {
    expect(MESSAGES.nl['settings.mode']).toBe('Bewerkingsmodus');
    expect(MESSAGES.nb['report.title']).toBe('Kampanjekoderapport');
    expect(MESSAGES.ro['settings.merchantName']).toBe('Nume comerciant');
    expect(MESSAGES.fr['report.extend']).toBe("Prolonger la date d'expiration");
  });
});

describe('language choice', () => {
  it('maps browser tags to the console’s languages', () => {
    expect(langOf('nl-BE')).toBe('nl');
    expect(langOf('no')).toBe('nb');
    expect(langOf('nn-NO')).toBe('nb');
    expect(langOf('ro_RO')).toBe('ro');
    expect(langOf('de-DE')).toBeUndefined();
  });
  it('prefers the stored choice, then the first browser language it has, then English', () => {
    expect(detectLang('fr', ['nl-NL'])).toBe('fr');
    expect(detectLang(null, ['de-DE', 'nb-NO', 'fr'])).toBe('nb');
    expect(detectLang('xx', ['de'])).toBe('en');
  });
});

it('fills placeholders and leaves unknown ones', () => {
  expect(fill('{n} selected of {m}', { n: 2 })).toBe('2 selected of {m}');
  expect(translator('nb')('report.selected', { n: 3 })).toBe('3 valgt');
});

it('names every order state in each language, each state by its own word', () => {
  const states = (Object.keys(en) as (keyof typeof en)[]).filter((k) => k.startsWith('orders.state.'));
  expect(states).toHaveLength(9);
  for (const [lang, messages] of Object.entries(MESSAGES)) {
    const names = states.map((k) => messages[k]);
    expect(new Set(names).size, lang).toBe(states.length);
    if (lang !== 'en') expect(names.filter((n, i) => n === en[states[i]!]), lang).toEqual([]);
  }
});
