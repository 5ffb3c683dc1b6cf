// The client's auto-away, loaded when it is first needed: the moment the user is known (the first
// join answer), when a tab starts agreeing with the user's other tabs. Until then nothing watches
// the page, so a page that never joins (or Node) never loads auto-away.ts at all.
import type { PresenceStatus } from '@chat/protocol';
import type { AutoAway, AutoAwayHooks, AutoAwayOptions } from './auto-away.js';

/** What the client asks of its auto-away. */
export interface AwayHandle {
  /** The user is known: auto-away starts (loaded now) and agrees with the user's other tabs. */
  identify(server: string, userId: string): void;
  /** The user chose a status in this tab: the other tabs keep to it. */
  chose(status: PresenceStatus, text: string | undefined): void;
  /** Stops watching, loaded or not. */
  stop(): void;
}

/** The handle of a client's `autoAway` option, or none when it is `false`. */
export function deferAutoAway(option: boolean | AutoAwayOptions | undefined, hooks: AutoAwayHooks): AwayHandle | undefined {
  if (option === false) return undefined;
  // undefined: not started; null: loading; false: stopped, or no page to watch.
  let away: AutoAway | null | false | undefined;
  let chosen: [PresenceStatus, string | undefined] | undefined;
  return {
    identify(server, userId) {
      if (away !== undefined) return;
      away = null;
      import('./auto-away.js').then(
        ({ startAutoAway }) => {
          if (away === false) return;
          away = startAutoAway(option, hooks) ?? false;
          if (!away) return;
          if (chosen) away.chose(...chosen);
          away.identify(server, userId);
        },
        // Not loaded (a chunk missing where the widget is served): the status stays as chosen.
        () => (away = false),
      );
    },
    chose(status, text) {
      if (away) away.chose(status, text);
      else chosen = [status, text];
    },
    stop() {
      if (away) away.stop();
      away = false;
    },
  };
}
