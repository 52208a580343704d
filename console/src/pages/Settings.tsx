import { useEffect, useMemo, useState } from 'preact/hooks';
import { ok, type Schemas, type Service } from '../api/client';
import { ApiError, byField } from '../api/errors';
import { CheckField, TextField } from '../components/fields';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { useApp } from '../context';
import { settingsForm, settingsPatch, timeZones, type SettingsForm } from '../logic/settings';


export function SettingsPage({ service }: { service: Service }) {
  const { api, site, t, formatDateTime } = useApp();
  const [current, setCurrent] = useState<Schemas['ServiceSettings'] | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const zones = useMemo(timeZones, []);
  const path = { params: { path: { site, service } } };

  const show = (s: Schemas['ServiceSettings']) => {
    setCurrent(s);
    setForm(settingsForm(s));
  };
  useEffect(() => {
    setCurrent(null);
    setForm(null);
    setError(null);
    setSaved(false);
    ok(api.GET('/sites/{site}/settings/{service}', path)).then(show, (e) => setError(asApiError(e)));
  }, [site, service]);

  if (!current || !form) {
    return error ? <ErrorSummary error={error} /> : <p aria-busy="true">{t('app.loading')}</p>;
  }
  const errors = byField(error);
  const serviceName = t(`service.${service}`);
  const mode = current.config?.mode ?? 'test';
  const otherMode = mode === 'test' ? 'production' : 'test';
  const set = <K extends keyof SettingsForm>(k: K) => (v: SettingsForm[K]) => {
    setSaved(false);
    setForm({ ...form, [k]: v });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = settingsPatch(settingsForm(current), form);
      // The API refuses a change that changes nothing; there is nothing to save then.
      if (Object.keys(body).length === 0) {
        setSaved(true);
        return;
      }
      show(await ok(api.PATCH('/sites/{site}/settings/{service}', { ...path, body })));
      setSaved(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const switchMode = async () => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      show(await ok(api.PUT('/sites/{site}/settings/{service}/mode', { ...path, body: { mode: otherMode } })));
      setSaved(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('settings.title', { service: serviceName })}</h1>
      <form onSubmit={save} noValidate>
        <ErrorSummary error={error} />
        <CheckField
          id="enabled"
          name="enabled"
          label={t('settings.enable', { service: serviceName })}
          checked={form.enabled}
          onChange={set('enabled')}
          errors={errors}
        />
        <p class={`notice${current.shared ? ' shared' : ''}`} data-testid="shared-state">
          {current.shared ? t('settings.shared') : t('settings.separate')}
        </p>

        <fieldset class="group">
          <legend>{t('settings.mode')}</legend>
          <p data-testid="mode">
            {t('settings.modeNow', { mode: t(`settings.mode.${mode}`) })}{' '}
            <span class={`badge mode-${mode}`}>{t(`settings.mode.${mode}`)}</span>
          </p>
          <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
            {t('settings.switchTo', { mode: t(`settings.mode.${otherMode}`) })}
          </button>
        </fieldset>

        <fieldset class="group">
          <legend>{t('settings.company')}</legend>
          <TextField id="merchantName" name="merchantName" label={t('settings.merchantName')} value={form.merchantName} onInput={set('merchantName')} errors={errors} autocomplete="organization" />
          <TextField id="supportInfo" name="supportInfo" label={t('settings.supportInfo')} hint={t('settings.supportInfoHint')} value={form.supportInfo} onInput={set('supportInfo')} errors={errors} />
        </fieldset>

        <fieldset class="group">
          <legend>{t('settings.paymentPage')}</legend>
          <TextField id="header" name="paymentPage.header" label={t('settings.header')} value={form.header} onInput={set('header')} errors={errors} multiline />
          <TextField id="footer" name="paymentPage.footer" label={t('settings.footer')} value={form.footer} onInput={set('footer')} errors={errors} multiline />
        </fieldset>

        <fieldset class="group">
          <legend>{t('settings.promoCodes')}</legend>
          <CheckField id="promoCodesEnabled" name="promoCodesEnabled" label={t('settings.promoCodesEnabled')} checked={form.promoCodesEnabled} onChange={set('promoCodesEnabled')} errors={errors} />
          <TextField id="timeZone" name="timeZone" label={t('settings.timeZone')} hint={t('settings.timeZoneHint')} value={form.timeZone} onInput={set('timeZone')} errors={errors} list="time-zones" />
          <datalist id="time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </fieldset>

        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('app.update')}
          </button>
          <span role="status" class="saved">
            {saved ? t('app.saved') : ''}
          </span>
        </div>
        {current.updatedAt && (
          <p class="hint">{t('settings.lastChange', { at: formatDateTime(current.updatedAt), by: current.updatedBy ?? '' })}</p>
        )}
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('settings.confirmMode', { service: serviceName, mode: t(`settings.mode.${otherMode}`) })}
        confirmLabel={t('settings.switchTo', { mode: t(`settings.mode.${otherMode}`) })}
        onConfirm={switchMode}
        onCancel={() => setConfirming(false)}
      >
        <p>{otherMode === 'production' ? t('settings.confirmProduction') : t('settings.confirmTest')}</p>
      </ConfirmDialog>
    </section>
  );
}
