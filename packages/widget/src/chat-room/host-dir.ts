import type { ReactiveElement } from 'lit';

/**
 * Renders `host` again when its own `dir` changes (as an attribute or as the property): its frame
 * takes that direction (see `languagesOf`), and `dir` is no property Lit watches.
 */
export function followDir(host: ReactiveElement): void {
  const observer = new MutationObserver(() => host.requestUpdate());
  host.addController({
    hostConnected: () => observer.observe(host, { attributeFilter: ['dir'] }),
    hostDisconnected: () => observer.disconnect(),
  });
}
