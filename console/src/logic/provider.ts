// The seeds' provider rules, as the form shows them: which fields each kind has, which card
// choices each account type offers, which currencies each kind takes. The API checks the
// same rules; the form only keeps a person from building a setup it would refuse.
import type { AccountType, Card, Currency, ProviderInput, ProviderKind, ProviderSetup } from '../api/provider';

export const KINDS: readonly ProviderKind[] = [
  'payflow_pro',
  'express_checkout_us',
  'express_checkout_ca',
  'website_payments_pro_uk',
  'worldpay',
];

export type SecretName = 'password' | 'callbackPassword' | 'md5Secret';

interface KindRules {
  accountTypes: readonly AccountType[];
  currencies: readonly Currency[];
  defaultCurrency: Currency;
  // The secrets it keeps, and which of them may stay unset.
  secrets: readonly SecretName[];
  optionalSecrets: readonly SecretName[];
  expressCheckoutOption: boolean;
  paypalEmail: boolean;
  payflowLogin: boolean;
  installation: boolean;
  permission: boolean;
}

const payflowLogin = { payflowLogin: true, paypalEmail: false, installation: false, permission: false };
const expressCheckout = {
  accountTypes: [],
  currencies: ['USD', 'CAD', 'GBP'],
  secrets: [],
  optionalSecrets: [],
  expressCheckoutOption: false,
  paypalEmail: true,
  payflowLogin: false,
  installation: false,
  permission: true,
} as const;

export const RULES: Record<ProviderKind, KindRules> = {
  payflow_pro: {
    ...payflowLogin,
    accountTypes: ['website_payments_pro', 'payments_pro_payflow_edition', 'payflow_pro'],
    currencies: ['USD'],
    defaultCurrency: 'USD',
    secrets: ['password'],
    optionalSecrets: [],
    expressCheckoutOption: true,
  },
  express_checkout_us: { ...expressCheckout, defaultCurrency: 'USD' },
  express_checkout_ca: { ...expressCheckout, defaultCurrency: 'CAD' },
  website_payments_pro_uk: {
    ...payflowLogin,
    accountTypes: ['website_payments_pro', 'website_payments_pro_payflow_edition'],
    currencies: ['USD', 'CAD', 'GBP'],
    defaultCurrency: 'GBP',
    secrets: ['password'],
    optionalSecrets: [],
    expressCheckoutOption: false,
  },
  worldpay: {
    accountTypes: [],
    currencies: ['USD', 'CAD', 'GBP', 'EUR'],
    defaultCurrency: 'USD',
    secrets: ['callbackPassword', 'md5Secret'],
    optionalSecrets: ['md5Secret'],
    expressCheckoutOption: false,
    paypalEmail: false,
    payflowLogin: false,
    installation: true,
    permission: false,
  },
};

/** cardChoices lists the cards an account type offers; none for Website Payments Pro. */
export function cardChoices(accountType: AccountType | undefined): readonly Card[] {
  switch (accountType) {
    case 'payments_pro_payflow_edition':
      return ['visa', 'mastercard', 'amex', 'discover'];
    case 'payflow_pro':
      return ['visa', 'mastercard', 'amex', 'discover', 'diners_club', 'jcb'];
    case 'website_payments_pro_payflow_edition':
      return ['visa', 'visa_debit', 'visa_electron', 'mastercard'];
    default:
      return [];
  }
}

/** The form's state: every field of every kind, so that switching kinds loses nothing typed. */
export interface ProviderForm {
  kind: ProviderKind;
  partnerId: string;
  vendor: string;
  userId: string;
  accountType: AccountType | '';
  expressCheckout: boolean;
  cards: Card[];
  paypalEmail: string;
  installationId: string;
  currency: Currency;
  // A secret typed in, to set or replace it; "" keeps the stored one.
  secrets: Record<SecretName, string>;
  removeMd5Secret: boolean;
}

export function emptyForm(kind: ProviderKind = 'payflow_pro'): ProviderForm {
  return {
    kind,
    partnerId: '',
    vendor: '',
    userId: '',
    accountType: '',
    expressCheckout: false,
    cards: [],
    paypalEmail: '',
    installationId: '',
    currency: RULES[kind].defaultCurrency,
    secrets: { password: '', callbackPassword: '', md5Secret: '' },
    removeMd5Secret: false,
  };
}

export function formFromSetup(p: ProviderSetup | null): ProviderForm {
  if (!p) return emptyForm();
  const f = emptyForm(p.kind);
  return {
    ...f,
    partnerId: p.partnerId ?? '',
    vendor: p.vendor ?? '',
    userId: p.userId ?? '',
    accountType: p.accountType ?? '',
    expressCheckout: p.expressCheckout ?? false,
    cards: p.cards ?? [],
    paypalEmail: p.paypalEmail ?? '',
    installationId: p.installationId ?? '',
    currency: p.currency ?? f.currency,
  };
}

/** withKind switches the form to another kind, with that kind's default currency. */
export function withKind(f: ProviderForm, kind: ProviderKind): ProviderForm {
  const rules = RULES[kind];
  const accountType = f.accountType && rules.accountTypes.includes(f.accountType) ? f.accountType : '';
  return {
    ...f,
    kind,
    accountType,
    cards: pruneCards(f.cards, accountType || undefined),
    currency: rules.currencies.includes(f.currency) && f.kind === kind ? f.currency : rules.defaultCurrency,
  };
}

/** withAccountType keeps only the cards the new account type offers. */
export function withAccountType(f: ProviderForm, accountType: AccountType): ProviderForm {
  return { ...f, accountType, cards: pruneCards(f.cards, accountType) };
}

export function pruneCards(cards: readonly Card[], accountType: AccountType | undefined): Card[] {
  const allowed = cardChoices(accountType);
  return cards.filter((c) => allowed.includes(c));
}

/**
 * toInput builds the PUT body: only the fields of the chosen kind (the API refuses the
 * others), secrets only when typed (left out, the stored one is kept).
 */
export function toInput(f: ProviderForm): ProviderInput {
  const rules = RULES[f.kind];
  const body: ProviderInput = { kind: f.kind, currency: f.currency };
  if (rules.payflowLogin) {
    Object.assign(body, { partnerId: f.partnerId, vendor: f.vendor, userId: f.userId });
    if (f.accountType) body.accountType = f.accountType;
    body.cards = pruneCards(f.cards, f.accountType || undefined);
  }
  if (rules.expressCheckoutOption) body.expressCheckout = f.expressCheckout;
  if (rules.paypalEmail) body.paypalEmail = f.paypalEmail;
  if (rules.installation) body.installationId = f.installationId;
  for (const name of rules.secrets) {
    if (f.secrets[name] !== '') body[name] = f.secrets[name];
  }
  if (f.kind === 'worldpay' && f.removeMd5Secret) body.md5Secret = '';
  return body;
}
