import type { CSSResult } from 'lit';

/**
 * Adds the CSS of a part loaded later (a chunk) to an element's shadow root, after the element's
 * own styles: what only that part draws is not in the bundle every page loads.
 */
export function addStyles(
  element: { readonly renderRoot: ParentNode } | { readonly shadowRoot: ShadowRoot | null },
  styles: CSSResult | string,
): void {
  const root = 'renderRoot' in element ? element.renderRoot : element.shadowRoot;
  if (!root || typeof ShadowRoot === 'undefined' || !(root instanceof ShadowRoot)) return;
  const text = typeof styles === 'string' ? styles : styles.cssText;
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  // No constructable sheets (jsdom): a style element before what Lit renders, which it never touches.
  const style = document.createElement('style');
  style.textContent = text;
  root.prepend(style);
}
