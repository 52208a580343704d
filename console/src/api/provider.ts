// ProviderView.provider is described in the OpenAPI file only as an object; its shape, as
// the providers function answers it, is written out here.
import type { Schemas } from './client';

export type ProviderKind = NonNullable<Schemas['ProviderInput']['kind']>;
export type ProviderInput = Schemas['ProviderInput'];
export type AccountType = NonNullable<ProviderInput['accountType']>;
export type Card = NonNullable<ProviderInput['cards']>[number];
export type Currency = NonNullable<ProviderInput['currency']>;

export interface SecretStatus {
  set: boolean;
  updatedAt?: string;
}

export interface ApiPermission {
  granted: boolean;
  env?: 'sandbox' | 'live';
  grantedAt?: string;
  scopes?: string[];
}

export interface ProviderSetup {
  kind: ProviderKind;
  partnerId?: string;
  vendor?: string;
  userId?: string;
  accountType?: AccountType;
  expressCheckout?: boolean;
  cards?: Card[];
  paypalEmail?: string;
  installationId?: string;
  currency?: Currency;
  secrets?: Partial<Record<'password' | 'callbackPassword' | 'md5Secret', SecretStatus>>;
  apiPermission?: ApiPermission;
  updatedAt?: string;
  updatedBy?: string;
}

export type ProviderView = Omit<Schemas['ProviderView'], 'provider'> & { provider: ProviderSetup | null };
