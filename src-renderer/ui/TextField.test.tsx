import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TextField } from './TextField';

const render = (node: React.ReactElement) => {
  const html = renderToStaticMarkup(node);
  const attr = (tag: string, name: string) => new RegExp(`<${tag}[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1] ?? null;
  return { html, attr };
};

describe('TextField', () => {
  it('labels its input and leaves it valid and undescribed when there is nothing to say', () => {
    const r = render(<TextField id="pin" label="PIN" value="" onChange={() => {}} />);
    expect(r.attr('label', 'for')).toBe('pin');
    expect(r.attr('input', 'id')).toBe('pin');
    expect(r.attr('input', 'aria-invalid')).toBe('false');
    expect(r.attr('input', 'aria-describedby')).toBeNull();
    expect(r.html).not.toContain('role="alert"');
  });

  it('ties the hint and the error to the input, marks it invalid and announces the error', () => {
    const r = render(<TextField id="code" label="Kode" hint="12 tegn" error="Forkert kode" className="room-code-input" data-testid="c" />);
    expect(r.attr('input', 'aria-describedby')).toBe('code-hint code-error');
    expect(r.attr('input', 'aria-invalid')).toBe('true');
    expect(r.attr('input', 'class')).toBe('vdx-input room-code-input');
    expect(r.attr('input', 'data-testid')).toBe('c');
    expect(r.html).toContain('<p id="code-hint" class="vdx-hint">12 tegn</p>');
    expect(r.html).toContain('<p id="code-error" class="vdx-error" role="alert">Forkert kode</p>');
  });

  it('keeps the ids a page already uses for its hint and error', () => {
    const r = render(<TextField id="pin-input" label="PIN" error="Forkert PIN" errorId="pin-error" />);
    expect(r.attr('input', 'aria-describedby')).toBe('pin-error');
    expect(r.html).toContain('id="pin-error"');
  });
});
