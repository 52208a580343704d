// The parameters a creation and a recipients file share: service, length, usage, discount,
// expiry, what the codes apply to, and the e-mail text.
import type { FieldErrors } from '../api/errors';
import { SERVICES, type Service } from '../api/client';
import { CheckField, Choices, Radio, SelectField, TextField } from '../components/fields';
import { useApp } from '../context';
import { APPLIES_TO, type AmountCurrency, type AppliesTo, type CodeParams, type DiscountKind, type Usage } from '../logic/promo';


export function CodeParamsFields(p: {
  params: CodeParams;
  onChange: (p: CodeParams) => void;
  errors: FieldErrors;
  withLength: boolean;
  withTemplate: boolean;
}) {
  const { t } = useApp();
  const { params, errors } = p;
  const set = <K extends keyof CodeParams>(k: K) => (v: CodeParams[K]) => p.onChange({ ...params, [k]: v });
  const setService = (service: Service) =>
    p.onChange({ ...params, service, appliesTo: APPLIES_TO[service].includes(params.appliesTo) ? params.appliesTo : 'all' });
  return (
    <>
      <SelectField<Service>
        id="service"
        name="service"
        label={t('promo.service')}
        value={params.service}
        options={SERVICES.map((s) => ({ value: s, label: t(`service.${s}`) }))}
        onChange={setService}
        errors={errors}
      />
      {p.withLength && (
        <TextField id="length" name="length" type="number" label={t('promo.length')} value={params.length} onInput={set('length')} errors={errors} />
      )}
      <Choices id="usage" name="usage" label={t('promo.usage')} errors={errors}>
        {(['once', 'multiple', 'unlimited'] as const).map((u) => (
          <Radio<Usage> key={u} group="usage" value={u} current={params.usage} label={t(`promo.usage.${u}`)} onChange={set('usage')} />
        ))}
      </Choices>
      {params.usage === 'multiple' && (
        <TextField id="maxUses" name="usage.max" type="number" label={t('promo.maxUses')} value={params.maxUses} onInput={set('maxUses')} errors={errors} />
      )}
      <Choices id="discountKind" name="discount" label={t('promo.discountType')} errors={errors}>
        {(['percent', 'amount'] as const).map((d) => (
          <Radio<DiscountKind> key={d} group="discountKind" value={d} current={params.discountKind} label={t(`promo.discount.${d}`)} onChange={set('discountKind')} />
        ))}
      </Choices>
      {params.discountKind === 'amount' ? (
        <div class="row">
          <TextField id="amount" name="discount.amountMinor" label={t('promo.amount')} value={params.amount} onInput={set('amount')} errors={errors} placeholder="5.00" />
          <SelectField<AmountCurrency>
            id="currency"
            name="discount.currency"
            label={t('promo.currency')}
            value={params.currency}
            options={(['USD', 'CAD', 'GBP'] as const).map((c) => ({ value: c, label: c }))}
            onChange={set('currency')}
            errors={errors}
          />
        </div>
      ) : (
        <TextField id="percent" name="discount.percent" label={`${t('promo.percent')} (%)`} value={params.percent} onInput={set('percent')} errors={errors} />
      )}
      <TextField id="expiresOn" name="expiresOn" type="date" label={t('promo.expiresOn')} value={params.expiresOn} onInput={set('expiresOn')} errors={errors} />
      <SelectField<AppliesTo>
        id="appliesTo"
        name="appliesTo"
        label={t('promo.appliesTo')}
        value={params.appliesTo}
        options={APPLIES_TO[params.service].map((a) => ({ value: a, label: t(`promo.appliesTo.${a}`) }))}
        onChange={set('appliesTo')}
        errors={errors}
      />
      {p.withTemplate && (
        <>
          <CheckField id="customTemplate" name="emailTemplate" label={t('promo.emailTemplate')} checked={params.customTemplate} onChange={set('customTemplate')} errors={errors} />
          {params.customTemplate && (
            <>
              <TextField id="subject" name="emailTemplate.subject" label={t('promo.subject')} value={params.subject} onInput={set('subject')} errors={errors} />
              <TextField id="body" name="emailTemplate.body" label={t('promo.body')} hint={t('promo.templateHint')} value={params.body} onInput={set('body')} errors={errors} multiline />
            </>
          )}
        </>
      )}
    </>
  );
}
