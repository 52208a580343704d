import { useEffect, useState } from 'preact/hooks';
import { ok, type Service } from '../api/client';
import { ApiError, byField, type FieldErrors } from '../api/errors';
import type { AccountType, Card, Currency, ProviderKind, ProviderView } from '../api/provider';
import { CheckField, Choices, Radio, SelectField, TextField } from '../components/fields';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { useApp } from '../context';
import {
  KINDS,
  RULES,
  cardChoices,
  formFromSetup,
  toInput,
  withAccountType,
  withKind,
  type ProviderForm,
  type SecretName,
} from '../logic/provider';


interface PermissionLink {
  url: string;
  env: string;
  expiresAt: string;
}

export function ProviderPage({ service }: { service: Service }) {
  const { api, site, t } = useApp();
  const [view, setView] = useState<ProviderView | null>(null);
  const [form, setForm] = useState<ProviderForm | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [link, setLink] = useState<PermissionLink | null>(null);
  const path = { params: { path: { site, service } } };

  const show = (v: ProviderView) => {
    setView(v);
    setForm(formFromSetup(v.provider));
  };
  const load = () => ok(api.GET('/sites/{site}/providers/{service}', path)).then((v) => show(v as ProviderView));
  useEffect(() => {
    setView(null);
    setError(null);
    setLink(null);
    load().catch((e) => setError(asApiError(e)));
  }, [site, service]);

  const refreshPermission = async () => {
    try {
      const v = (await ok(api.GET('/sites/{site}/providers/{service}', path))) as ProviderView;
      setView(v);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  // The grant happens on PayPal's page in another tab: look again when the person is back.
  useEffect(() => {
    if (!link) return;
    const again = () => {
      if (document.visibilityState === 'visible') void refreshPermission();
    };
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [link]);

  if (!view || !form) {
    return error ? <ErrorSummary error={error} /> : <p aria-busy="true">{t('app.loading')}</p>;
  }
  const errors = byField(error);
  const rules = RULES[form.kind];
  const stored = view.provider?.kind === form.kind ? view.provider : null;
  const serviceName = t(`service.${service}`);
  const update = (f: ProviderForm) => {
    setSaved(false);
    setForm(f);
  };
  const set = <K extends keyof ProviderForm>(k: K) => (v: ProviderForm[K]) => update({ ...form, [k]: v });

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      show((await ok(api.PUT('/sites/{site}/providers/{service}', { ...path, body: toInput(form) }))) as ProviderView);
      setSaved(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setConfirmRemove(false);
    setBusy(true);
    setError(null);
    try {
      show((await ok(api.DELETE('/sites/{site}/providers/{service}', path))) as ProviderView);
      setLink(null);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const permissionLink = async () => {
    setError(null);
    try {
      const l = await ok(api.POST('/sites/{site}/providers/{service}/permission', path));
      setLink({ url: l.url ?? '', env: l.env ?? '', expiresAt: l.expiresAt ?? '' });
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('provider.title', { service: serviceName })}</h1>
      <p data-testid="provider-current">
        {view.provider ? t('provider.current', { kind: t(`provider.kind.${view.provider.kind}`) }) : t('provider.none')}
      </p>
      <p class="hint">
        {t('provider.env', { mode: t(`settings.mode.${view.mode ?? 'test'}`), env: t(`provider.env.${view.env ?? 'sandbox'}`) })}
        {view.shared ? ` ${t('provider.sharedNote')}` : ''}
      </p>
      <form onSubmit={save} noValidate>
        <ErrorSummary error={error} />
        <SelectField<ProviderKind>
          id="kind"
          name="kind"
          label={t('provider.kind')}
          value={form.kind}
          options={KINDS.map((k) => ({ value: k, label: t(`provider.kind.${k}`) }))}
          onChange={(k) => update(withKind(form, k))}
          errors={errors}
        />
        <fieldset class="group">
          <legend>{t('provider.configItems')}</legend>
          {rules.payflowLogin && (
            <>
              <TextField id="partnerId" name="partnerId" label={t('provider.partnerId')} value={form.partnerId} onInput={set('partnerId')} errors={errors} />
              <TextField id="vendor" name="vendor" label={t('provider.vendor')} value={form.vendor} onInput={set('vendor')} errors={errors} />
              <TextField id="userId" name="userId" label={t('provider.userId')} value={form.userId} onInput={set('userId')} errors={errors} />
            </>
          )}
          {rules.paypalEmail && (
            <TextField id="paypalEmail" name="paypalEmail" type="email" label={t('provider.paypalEmail')} value={form.paypalEmail} onInput={set('paypalEmail')} errors={errors} />
          )}
          {rules.installation && (
            <TextField id="installationId" name="installationId" label={t('provider.installationId')} value={form.installationId} onInput={set('installationId')} errors={errors} />
          )}
          {rules.secrets.map((name) => (
            <SecretField key={`${name}:${stored?.secrets?.[name]?.updatedAt ?? ''}`} name={name} form={form} stored={stored?.secrets?.[name]} errors={errors} onChange={update} />
          ))}
          {rules.accountTypes.length > 0 && (
            <Choices id="accountType" name="accountType" label={t('provider.accountType')} errors={errors}>
              {rules.accountTypes.map((a) => (
                <Radio<AccountType> key={a} group="accountType" value={a} current={form.accountType as AccountType} label={t(`provider.accountType.${a}`)} onChange={(v) => update(withAccountType(form, v))} />
              ))}
            </Choices>
          )}
          {rules.expressCheckoutOption && (
            <CheckField id="expressCheckout" name="expressCheckout" label={t('provider.expressCheckout')} hint={t('provider.expressCheckoutHint')} checked={form.expressCheckout} onChange={set('expressCheckout')} errors={errors} />
          )}
          {rules.payflowLogin && form.accountType && <CardChoices form={form} errors={errors} onChange={update} />}
          <SelectField<Currency>
            id="currency"
            name="currency"
            label={t('provider.currency')}
            value={form.currency}
            options={rules.currencies.map((c) => ({ value: c, label: c }))}
            onChange={set('currency')}
            errors={errors}
          />
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('app.update')}
          </button>
          {view.provider && (
            <button type="button" class="danger" disabled={busy} onClick={() => setConfirmRemove(true)}>
              {t('provider.remove')}
            </button>
          )}
          <span role="status" class="saved">
            {saved ? t('app.saved') : ''}
          </span>
        </div>
      </form>

      {rules.permission && (
        <fieldset class="group" aria-labelledby="permission-title">
          <h2 id="permission-title">{t('provider.permission')}</h2>
          <p class="hint">{t('provider.permissionHint')}</p>
          {stored?.apiPermission?.granted ? (
            <p class="badge granted" data-testid="permission-state">
              {t('provider.permissionGranted', { env: t(`provider.env.${stored.apiPermission.env ?? view.env ?? 'sandbox'}`) })}
            </p>
          ) : (
            <p class="badge not-granted" data-testid="permission-state">
              {t('provider.permissionNotGranted')}
            </p>
          )}
          {!stored ? (
            <p class="hint">{t('provider.permissionSaveFirst')}</p>
          ) : link ? (
            <p>
              <a href={link.url} target="_blank" rel="noopener" data-testid="permission-link">
                {t('provider.permissionOpen', { env: t(link.env === 'live' ? 'provider.env.live' : 'provider.env.sandbox') })}
              </a>{' '}
              <span class="hint">{t('provider.permissionExpires', { at: new Date(link.expiresAt).toLocaleString() })}</span>
            </p>
          ) : null}
          {stored && (
            <div class="actions">
              <button type="button" onClick={permissionLink}>
                {t('provider.permissionLink')}
              </button>
              <button type="button" onClick={refreshPermission}>
                {t('provider.permissionCheck')}
              </button>
            </div>
          )}
        </fieldset>
      )}
      <ConfirmDialog
        open={confirmRemove}
        title={t('provider.confirmRemove', { service: serviceName })}
        confirmLabel={t('provider.remove')}
        onConfirm={remove}
        onCancel={() => setConfirmRemove(false)}
      />
    </section>
  );
}

function CardChoices({ form, errors, onChange }: { form: ProviderForm; errors: FieldErrors; onChange: (f: ProviderForm) => void }) {
  const { t } = useApp();
  const choices = cardChoices(form.accountType || undefined);
  if (choices.length === 0) {
    return (
      <p class="hint" data-testid="no-card-choice">
        {t('provider.noCardChoice')}
      </p>
    );
  }
  const toggle = (card: Card, on: boolean) =>
    onChange({ ...form, cards: on ? [...form.cards.filter((c) => c !== card), card] : form.cards.filter((c) => c !== card) });
  return (
    <Choices id="cards" name="cards" label={t('provider.cards')} errors={errors}>
      {choices.map((card) => (
        <label class="choice" key={card} for={`card-${card}`}>
          <input type="checkbox" id={`card-${card}`} name="cards" value={card} checked={form.cards.includes(card)} onChange={(e) => toggle(card, (e.currentTarget as HTMLInputElement).checked)} />
          {t(`provider.card.${card}`)}
        </label>
      ))}
    </Choices>
  );
}

/**
 * SecretField never shows a secret: it says whether one is stored, and takes a new one only
 * when asked to replace it (or when none is stored yet).
 */
function SecretField(p: {
  name: SecretName;
  form: ProviderForm;
  stored: { set: boolean; updatedAt?: string } | undefined;
  errors: FieldErrors;
  onChange: (f: ProviderForm) => void;
}) {
  const { t, formatDateTime } = useApp();
  const [replacing, setReplacing] = useState(false);
  const isSet = p.stored?.set ?? false;
  const label = t(`provider.${p.name}`);
  const value = p.form.secrets[p.name];
  const setValue = (v: string) => p.onChange({ ...p.form, secrets: { ...p.form.secrets, [p.name]: v } });
  const editing = !isSet || replacing || p.errors.has(p.name);
  return (
    <div class="secret" data-secret={p.name}>
      <p class="secret-state">
        <span>{label}: </span>
        <span class={`badge ${isSet ? 'granted' : 'not-granted'}`} data-testid={`secret-${p.name}`}>
          {isSet ? (p.stored?.updatedAt ? t('provider.secretSetAt', { at: formatDateTime(p.stored.updatedAt) }) : t('provider.secretSet')) : t('provider.secretNotSet')}
        </span>{' '}
        {isSet && !replacing && (
          <button type="button" class="link" onClick={() => setReplacing(true)} aria-label={`${t('provider.replace')}: ${label}`}>
            {t('provider.replace')}
          </button>
        )}
        {isSet && replacing && (
          <button
            type="button"
            class="link"
            onClick={() => {
              setReplacing(false);
              setValue('');
            }}
          >
            {t('provider.keep')}
          </button>
        )}
      </p>
      {editing && (
        <TextField id={p.name} name={p.name} type="password" autocomplete="new-password" label={label} value={value} onInput={setValue} errors={p.errors} />
      )}
      {p.name === 'md5Secret' && isSet && (
        <CheckField id="removeMd5Secret" name="removeMd5Secret" label={t('provider.removeMd5')} checked={p.form.removeMd5Secret} onChange={(v) => p.onChange({ ...p.form, removeMd5Secret: v })} errors={p.errors} />
      )}
    </div>
  );
}
