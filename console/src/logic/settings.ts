import type { Schemas } from '../api/client';

export interface SettingsForm {
  enabled: boolean;
  merchantName: string;
  supportInfo: string;
  header: string;
  footer: string;
  promoCodesEnabled: boolean;
  timeZone: string;
}

type PatchBody = NonNullable<
  import('../api/schema').paths['/sites/{site}/settings/{service}']['patch']['requestBody']
>['content']['application/json'];

export function settingsForm(s: Schemas['ServiceSettings']): SettingsForm {
  const c = s.config ?? {};
  return {
    enabled: s.enabled ?? false,
    merchantName: c.merchantName ?? '',
    supportInfo: c.supportInfo ?? '',
    header: c.paymentPage?.header ?? '',
    footer: c.paymentPage?.footer ?? '',
    promoCodesEnabled: c.promoCodesEnabled ?? false,
    timeZone: c.timeZone ?? 'UTC',
  };
}

/**
 * settingsPatch sends only what the person changed: with a shared configuration, a field
 * left alone here must not overwrite a change made meanwhile through the other service.
 */
export function settingsPatch(before: SettingsForm, after: SettingsForm): PatchBody {
  const patch: PatchBody = {};
  if (after.enabled !== before.enabled) patch.enabled = after.enabled;
  if (after.merchantName !== before.merchantName) patch.merchantName = after.merchantName;
  if (after.supportInfo !== before.supportInfo) patch.supportInfo = after.supportInfo;
  if (after.header !== before.header || after.footer !== before.footer) {
    patch.paymentPage = {};
    if (after.header !== before.header) patch.paymentPage.header = after.header;
    if (after.footer !== before.footer) patch.paymentPage.footer = after.footer;
  }
  if (after.promoCodesEnabled !== before.promoCodesEnabled) patch.promoCodesEnabled = after.promoCodesEnabled;
  if (after.timeZone !== before.timeZone) patch.timeZone = after.timeZone;
  return patch;
}

/** timeZones lists the IANA names the browser knows, for the time zone field's suggestions. */
export function timeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
