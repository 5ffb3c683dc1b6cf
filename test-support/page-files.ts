import type { Page } from 'playwright-core';

// Files made and read inside a browser page, for the widget's file tests: an image drawn there,
// and the bytes behind a URL the page shows (an object URL of a decrypted file, an upload's URL).

/** A PNG drawn in the page (a gradient with a label), as bytes. */
export async function drawImage(page: Page, width: number, height: number): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d') as CanvasRenderingContext2D;
      const fill = g.createLinearGradient(0, 0, width, height);
      fill.addColorStop(0, '#0b5cad');
      fill.addColorStop(1, '#2da44e');
      g.fillStyle = fill;
      g.fillRect(0, 0, width, height);
      g.fillStyle = '#fff';
      g.font = `bold ${Math.round(height / 5)}px sans-serif`;
      g.fillText('x-ray', width / 10, height / 2);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = '';
      for (const byte of bytes) text += String.fromCharCode(byte);
      return btoa(text);
    },
    { width, height },
  );
  return Buffer.from(base64, 'base64');
}

/** The bytes behind a URL of the page (an object URL, or one of the server's), as base64. */
export function bytesAt(page: Page, url: string): Promise<string> {
  return page.evaluate(async (url) => {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  }, url);
}
