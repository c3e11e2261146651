import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A view's heading, focused when the view appears, so keyboard and screen-reader users land at the
 * top of what just replaced the previous view (the page swaps views without loading).
 */
export function ViewHeading({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 id={id} ref={ref} tabIndex={-1} className="booking-view-title">
      {children}
    </h2>
  );
}
