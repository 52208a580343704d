import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api/client';
import type { ConsoleConfig } from './config';
import type { Lang, T } from './i18n';

export interface AppState {
  config: ConsoleConfig;
  api: Api;
  site: string;
  lang: Lang;
  t: T;
  // Dates and numbers in the chosen language's conventions.
  formatDateTime: (iso: string | undefined) => string;
  // Integer minor units of a currency, as money.
  formatMoney: (minor: number | undefined, currency: string | undefined) => string;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside the signed-in console');
  return app;
}
