/**
 * A native modal <dialog>: showModal() makes the rest of the page inert (the focus trap) and
 * Escape closes it. Named by its heading for screen readers and role-based tests.
 */
import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';

export interface ModalDialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
}

export function ModalDialog({ title, onClose, children, className }: ModalDialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  // The latest onClose, without re-running the effect that opened the dialog.
  const close = useEffectEvent(() => onClose());

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Remember where focus was so closing the dialog puts the operator back where they were.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      close();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className={`modal ${className ?? ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
