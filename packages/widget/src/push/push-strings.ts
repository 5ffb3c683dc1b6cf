import { chunkStrings } from '../i18n/chunk-strings.js';
/**
 * The texts of "Notify me on this device" (the notifications menu, with `push-worker`). They live in
 * the push chunk, loaded when the menu first opens; a host changes them like any other text
 * (`element.strings`, or a language of `registerLocale`): `ChatStrings` lists them as optional keys.
 */
export interface PushStrings {
  /** The button that subscribes this device to Web Push, and the one that stops it. */
  pushOn: string;
  pushOff: string;
  /** Why there is no button: the browser has no Web Push. */
  pushUnsupported: string;
  /** The browser refused (the visitor said no, or the browser does not allow push here): what to do. */
  pushDenied: string;
  /** Anything else went wrong (the service worker could not be registered, say). */
  pushFailed: string;
  /**
   * The permission is granted (or not asked yet) but the browser does not allow push in this window
   * (a private window, say): where to try instead.
   */
  pushUnavailable: string;
  /** While a click is being answered (the browser subscribing or unsubscribing this device). */
  pushWorking: string;
  /** A click not answered after 15 s (no push service answered the browser): the button takes another click. */
  pushSlow: string;
}

/** English. */
export const pushEn: PushStrings = {
  pushOn: 'Notify me on this device',
  pushOff: 'Stop notifying this device',
  pushUnsupported: 'This browser cannot notify you while the page is closed.',
  pushDenied: 'To be notified on this device, allow notifications for this site in your browser settings.',
  pushFailed: 'Notifications on this device could not be turned on. Try again later.',
  pushUnavailable: 'This browser window cannot receive notifications (a private window, for example). Try in a normal window.',
  pushWorking: 'Turning on notifications…',
  pushSlow: 'No push service answered this browser. Check the connection and try again.',
};

/** The push texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export function pushStrings(host: Partial<PushStrings>): PushStrings {
  return chunkStrings(pushEn, host);
}
