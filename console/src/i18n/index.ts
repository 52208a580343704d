import { en, type MessageKey, type Messages } from './en';
import { fr } from './fr';
import { nb } from './nb';
import { nl } from './nl';
import { ro } from './ro';

export type Lang = 'en' | 'nl' | 'nb' | 'ro' | 'fr';
export type { MessageKey };

// Each language under its own name, as a person looking for theirs would read it.
export const LANGUAGES: readonly { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'nb', name: 'Norsk bokmål' },
  { code: 'ro', name: 'Română' },
  { code: 'fr', name: 'Français' },
];

export const MESSAGES: Record<Lang, Messages> = { en, nl, nb, ro, fr };

const STORAGE_KEY = 'boxoffice.language';

/** langOf maps a BCP 47 tag to a language the console has ("no" and "nn" read as bokmål). */
export function langOf(tag: string): Lang | undefined {
  const primary = tag.toLowerCase().split(/[-_]/)[0] ?? '';
  if (primary === 'no' || primary === 'nn') return 'nb';
  return LANGUAGES.find((l) => l.code === primary)?.code;
}

/** detectLang: the language chosen before, else the browser's first one the console has. */
export function detectLang(stored: string | null, browser: readonly string[]): Lang {
  const chosen = stored ? langOf(stored) : undefined;
  if (chosen) return chosen;
  for (const tag of browser) {
    const lang = langOf(tag);
    if (lang) return lang;
  }
  return 'en';
}

export function initialLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be switched off; the browser's language still applies.
  }
  return detectLang(stored, navigator.languages ?? [navigator.language]);
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; the choice still holds for this visit.
  }
}

export type Vars = Record<string, string | number>;
export type T = (key: MessageKey, vars?: Vars) => string;

export function translator(lang: Lang): T {
  const messages = MESSAGES[lang];
  return (key, vars) => fill(messages[key] ?? en[key] ?? key, vars);
}

export function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
