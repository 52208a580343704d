import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from '../context';

/** ConfirmDialog asks before an action that matters (the mode switch, a deletion). */
export function ConfirmDialog(p: {
  open: boolean;
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (p.open && !d.open) d.showModal();
    if (!p.open && d.open) d.close();
  }, [p.open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={p.onCancel} class="confirm">
      <h2 id="confirm-title">{p.title}</h2>
      {p.children}
      <div class="actions">
        <button type="button" class="primary" onClick={p.onConfirm}>
          {p.confirmLabel}
        </button>
        <button type="button" onClick={p.onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </dialog>
  );
}
