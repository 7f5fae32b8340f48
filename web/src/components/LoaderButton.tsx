import type { ButtonHTMLAttributes } from 'react';

/** A button that says it is working and cannot be pressed twice meanwhile. */
export function LoaderButton({
  busy,
  busyLabel,
  children,
  className = 'button primary',
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean; busyLabel: string }) {
  return (
    <button {...props} className={className} disabled={disabled || busy} aria-busy={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
