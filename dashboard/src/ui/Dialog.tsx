import { useEffect, useRef, type ReactNode } from "react";

/** A modal built on <dialog>: focus trap, Escape and the backdrop come from the browser. */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog ref={ref} className={wide ? "dialog dialog-wide" : "dialog"} onCancel={(e) => { e.preventDefault(); onClose(); }} aria-label={title}>
      <div className="dialog-head">
        <h2>{title}</h2>
        <button type="button" className="dialog-x" aria-label="×" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
