import QRCode from 'qrcode';

/**
 * The QR code of an activation link (`vdxroom://activate?server=…&code=…`) as an SVG data URL for
 * an `<img>` (the page's CSP allows `data:` images). SVG, not PNG, so it stays sharp when printed
 * or shown large, and the same text comes out in the browser and in Node — the end-to-end test
 * checks the page's image against the link it shows.
 */
export const ACTIVATION_QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 2 } as const;

export async function activationQrDataUrl(url: string): Promise<string> {
  const svg = await QRCode.toString(url, ACTIVATION_QR_OPTIONS);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
