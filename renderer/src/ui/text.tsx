/**
 * Small presentational pieces shared across the desk.
 */
import type { ReactNode } from 'react';

/**
 * Directory and caller text, isolated with <bdi> so a right-to-left override (U+202E) or other
 * bidi control inside it cannot reorder the UI around it.
 */
export function Dir({ children, className }: { children: string; className?: string }): ReactNode {
  return <bdi className={className}>{children}</bdi>;
}

/** A shortcut hint. Hidden from the accessibility tree: the control carries aria-keyshortcuts. */
export function Kbd({ label }: { label: string }): ReactNode {
  return (
    <kbd className="kbd" aria-hidden="true">
      {label}
    </kbd>
  );
}
