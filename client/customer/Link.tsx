import type { AnchorHTMLAttributes } from 'react';
import { onLinkClick } from './router.ts';

/** An ordinary link that, for same-site paths, changes page without a reload. */
export function Link({
  href,
  children,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    // biome-ignore lint/a11y/useValidAnchor: a real link with an href; the click only avoids a full reload.
    <a {...rest} href={href} onClick={onLinkClick}>
      {children}
    </a>
  );
}
