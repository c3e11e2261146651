import type { Theme } from '../../src-shared/ipc/room-bridge.contract';

/**
 * Applies management's theme to the CSS variables of ui/theme.css. Only hex colours reach here
 * (validated by the theme schema), so they are safe to put into style properties.
 */
export function applyTheme(theme: Theme | null, root: HTMLElement = document.documentElement): void {
  const set = (name: string, value: string | undefined) => (value ? root.style.setProperty(name, value) : root.style.removeProperty(name));
  set('--vdx-primary', theme?.colours.primary);
  set('--vdx-bg', theme?.colours.background);
  set('--vdx-text', theme?.colours.text);
  set('--vdx-accent', theme?.colours.accent);
  // Text on the primary colour: white or near-black, whichever contrasts more.
  set('--vdx-primary-contrast', theme ? contrastText(theme.colours.primary) : undefined);
}

/** Relative luminance (WCAG) of a `#rgb`/`#rrggbb` colour. */
export function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const channel = (i: number) => {
    const v = Number.parseInt(full.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

export function contrastText(background: string): string {
  const l = luminance(background);
  return (1.05) / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#111111';
}
