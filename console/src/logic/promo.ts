// The promotion code parameters as the form holds them, and the API bodies built from them.
import type { Schemas, Service } from '../api/client';

export type Usage = 'once' | 'multiple' | 'unlimited';
export type DiscountKind = 'amount' | 'percent';
export type AmountCurrency = 'USD' | 'CAD' | 'GBP';

export interface CodeParams {
  service: Service;
  length: string;
  usage: Usage;
  maxUses: string;
  discountKind: DiscountKind;
  amount: string;
  currency: AmountCurrency;
  percent: string;
  expiresOn: string;
  appliesTo: AppliesTo;
  customTemplate: boolean;
  subject: string;
  body: string;
}

export type AppliesTo = 'all' | 'event' | 'live_event' | 'recording' | 'program' | 'session';

export const APPLIES_TO: Record<Service, readonly AppliesTo[]> = {
  events: ['all', 'event', 'live_event', 'recording'],
  training: ['all', 'program', 'session', 'recording'],
};

/**
 * toMinorUnits reads an amount typed with a decimal point or comma ("5", "5.5", "5,50") as
 * integer minor units, never through floating point; undefined when it is not an amount.
 */
export function toMinorUnits(text: string): number | undefined {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  const whole = Number(m[1]);
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  return whole * 100 + cents;
}

/** The parameters a creation and an import share, as the API's body. */
export function codeParamsBody(p: CodeParams) {
  const usage: Schemas['Usage'] =
    p.usage === 'multiple' ? { kind: 'multiple', max: intOrNaN(p.maxUses) } : { kind: p.usage };
  const discount: Schemas['Discount'] =
    p.discountKind === 'amount'
      ? // An unreadable amount is sent as NaN → null, for the API to name the field.
        { kind: 'amount', amountMinor: toMinorUnits(p.amount) ?? Number.NaN, currency: p.currency }
      : { kind: 'percent', percent: p.percent.trim().replace(',', '.') };
  const body = {
    service: p.service,
    usage,
    discount,
    expiresOn: p.expiresOn,
    appliesTo: p.appliesTo,
    ...(p.length.trim() ? { length: intOrNaN(p.length) } : {}),
  };
  return body;
}

export function emailTemplate(p: CodeParams): Schemas['EmailTemplate'] | undefined {
  return p.customTemplate ? { subject: p.subject, body: p.body } : undefined;
}

function intOrNaN(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

export type CreateKind = 'generated' | 'custom' | 'recipient';

export interface CreateForm {
  kind: CreateKind;
  quantity: string;
  code: string;
  recipientName: string;
  recipientEmail: string;
}

export function createBody(p: CodeParams, f: CreateForm): Schemas['CreateCodes'] {
  const base = codeParamsBody(p);
  switch (f.kind) {
    case 'generated':
      return { ...base, type: 'generated', quantity: intOrNaN(f.quantity) };
    case 'custom': {
      const { length: _ignored, ...rest } = base;
      return { ...rest, type: 'custom', code: f.code.trim() };
    }
    case 'recipient': {
      const recipient = { email: f.recipientEmail.trim(), ...(f.recipientName.trim() ? { name: f.recipientName.trim() } : {}) };
      const tpl = emailTemplate(p);
      return { ...base, type: 'generated', recipient, ...(tpl ? { emailTemplate: tpl } : {}) };
    }
  }
}

export function importBody(p: CodeParams, fileName: string): Schemas['StartImport'] {
  const tpl = emailTemplate(p);
  return { ...codeParamsBody(p), fileName, ...(tpl ? { emailTemplate: tpl } : {}) };
}

/** isoDate is a day as YYYY-MM-DD in the browser's zone (the date input's format). */
export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function defaultParams(service: Service, today: Date): CodeParams {
  const in90 = new Date(today.getTime() + 90 * 24 * 3600 * 1000);
  return {
    service,
    length: '8',
    usage: 'once',
    maxUses: '2',
    discountKind: 'percent',
    amount: '',
    currency: 'USD',
    percent: '10',
    expiresOn: isoDate(in90),
    appliesTo: 'all',
    customTemplate: false,
    subject: 'Your %Discount% promo code from %MerchantName%',
    body: 'Hello %AttendeeName%,\n\n%MerchantName% has a promo code for you:\n\n    %PromoCode%\n\nIt gives you %Discount% and is valid until %ExpirationDate%.\n',
  };
}
