import type { AnchorHTMLAttributes } from 'react';
import { onLinkClick } from './router.ts';

/** An ordinary link that, for same-site paths, changes page without a reload. */
export function Link({
  href,
  onClick,
  children,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a href={href} onClick={onClick ?? onLinkClick} {...rest}>
      {children}
    </a>
  );
}
