// The push chunk (chat-room.push.js): "Notify me on this device" in the notifications menu, loaded
// the first time the menu opens on a widget with `push-worker`. Nothing here asks the browser
// anything before the click: opening the menu only reads the server's key and whether this
// device is subscribed already (`pushManager.getSubscription()`, which never prompts).
import { html, nothing, type TemplateResult } from 'lit';
import { ChatError, type ChatClient } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { pushStrings } from './push-strings.js';

/** What the push entry reads of `<chat-room>`. */
export interface PushHost {
  /** The element: its `server`, `token`, `name` and `pushWorker`, and a new render. */
  element: {
    server?: string;
    token?: string;
    name?: string;
    pushWorker?: string;
    requestUpdate(): void;
    getAttribute(name: string): string | null;
  };
  client(): ChatClient | undefined;
  strings(): ChatStrings;
  lang(): string;
  fail(error: ChatError): void;
}

/**
 * Where this device stands: `checking` (the key and the subscription are being read), `none` (no
 * entry: the server has no `push` option, or its key could not be read), `unsupported` (no Web
 * Push in this browser), `off`, `on`, `busy` (a click is being answered), `slow` (a click has not
 * been answered within the bound: the button takes another click), and, when the last click did
 * not subscribe (the button stays for another try), `denied` (the person did not allow
 * notifications), `unavailable` (this browser window cannot receive push: a private window, say)
 * and `failed` (anything else).
 */
type PushState = 'checking' | 'none' | 'unsupported' | 'off' | 'on' | 'busy' | 'slow' | 'denied' | 'unavailable' | 'failed';

/**
 * How long a click may wait for the browser before the entry says that no push service answered
 * (Chromium with a profile but no reachable push service waits on `pushManager.subscribe` for
 * much longer, or for ever). The click still counts if it succeeds later.
 */
const SUBSCRIBE_BOUND_MS = 15_000;

/**
 * The bound of a click: `SUBSCRIBE_BOUND_MS`, or, for the widget's own tests only (not an API),
 * the milliseconds of the element's `data-test-push-bound` attribute.
 */
function bound(host: PushHost): number {
  const test = Number(host.element.getAttribute('data-test-push-bound'));
  return test > 0 ? test : SUBSCRIBE_BOUND_MS;
}

/** The entry of one `<chat-room>`. */
export interface PushUi {
  render(): TemplateResult | typeof nothing;
}

/** The server's VAPID public key (`GET <server>/chat/push/key`, signed in as the widget is), or undefined without one. */
async function readKey(host: PushHost): Promise<string | undefined> {
  const { server, token, name } = host.element;
  const headers: Record<string, string> = token
    ? { authorization: `Bearer ${token}` }
    : name
      ? { 'x-chat-auth': encodeURIComponent(JSON.stringify({ name })) }
      : {};
  const res = await fetch(new URL('/chat/push/key', server || location.href), { headers });
  const body = (await res.json().catch(() => undefined)) as { publicKey?: unknown } | undefined;
  return typeof body?.publicKey === 'string' ? body.publicKey : undefined;
}

/** Thrown when the browser window has no push at all (a registration without `pushManager`). */
const NO_PUSH_MANAGER = new DOMException('This browser window has no push.', 'AbortError');

/**
 * Why a click did not subscribe, given the permission before it. `denied`: the person did not
 * allow notifications (the browser says NotAllowedError, or the permission was `denied` already,
 * or is now after some other error). `unavailable`: the browser does not allow push in this
 * window, whatever the permission: a registration without `pushManager`, or Chromium's AbortError
 * "Registration failed - permission denied" of a private window or Playwright's default context
 * (where it also turns a permission not asked yet into `denied` by itself, with no prompt: not the
 * person's answer). `failed`: the rest.
 */
function refusal(error: unknown, before: NotificationPermission): PushState {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || before === 'denied') return 'denied';
  if (error === NO_PUSH_MANAGER || (name === 'AbortError' && /permission/iu.test((error as DOMException).message))) return 'unavailable';
  return Notification.permission === 'denied' ? 'denied' : 'failed';
}

/** `registration` once its worker is active (the browser subscribes only with an active worker). */
async function activated(registration: ServiceWorkerRegistration): Promise<ServiceWorkerRegistration> {
  const worker = registration.installing ?? registration.waiting;
  if (worker)
    await new Promise<void>((resolve) => {
      const settled = () => (worker.state === 'activated' || worker.state === 'redundant') && resolve();
      worker.addEventListener('statechange', settled);
      settled();
    });
  return registration;
}

/** The entry of one `<chat-room>`: reads where the device stands once, then answers clicks. */
export function createPushUi(host: PushHost): PushUi {
  let state: PushState = 'checking';
  let key: string | undefined;
  /** This device has a subscription (what the button offers: to stop it). */
  let subscribed = false;
  const set = (next: PushState) => {
    state = next;
    host.element.requestUpdate();
  };

  const check = async () => {
    if (!('PushManager' in window) || !('Notification' in window) || !navigator.serviceWorker) return set('unsupported');
    key = await readKey(host).catch(() => undefined);
    if (!key) return set('none');
    const registration = await navigator.serviceWorker.getRegistration().catch(() => undefined);
    const subscription = await registration?.pushManager.getSubscription().catch(() => null);
    subscribed = !!subscription;
    set(subscribed ? 'on' : 'off');
  };

  /** The click whose answer the entry waits for (0: none): an earlier click's failure, late, changes nothing. */
  let waiting = 0;
  let clicks = 0;
  /** What the click being answered asks: to subscribe (the progress says so) or to stop. */
  let want = false;
  const toggle = async () => {
    const client = host.client();
    const worker = host.element.pushWorker;
    if (state === 'busy' || !client || !worker) return;
    const click = (waiting = ++clicks);
    const subscribe = (want = !subscribed);
    const before = Notification.permission;
    set('busy');
    const slow = setTimeout(() => waiting === click && set('slow'), bound(host));
    try {
      if (!subscribe) {
        await client.push.unsubscribe(await navigator.serviceWorker.getRegistration());
      } else {
        // The click is the only place the browser is asked (pushManager.subscribe asks for permission).
        const registration = await activated(await navigator.serviceWorker.register(worker));
        if (!(registration.pushManager as PushManager | undefined)) throw NO_PUSH_MANAGER;
        await client.push.subscribe(registration, { publicKey: key });
      }
      // Late or not, a success is where the device stands now.
      waiting = 0;
      subscribed = subscribe;
      set(subscribed ? 'on' : 'off');
    } catch (error) {
      if (waiting === click) {
        if (error instanceof ChatError) host.fail(error);
        waiting = 0;
        set(refusal(error, before));
      }
    } finally {
      clearTimeout(slow);
    }
  };

  void check();
  return {
    render() {
      const s = pushStrings(host.strings());
      if (state === 'checking' || state === 'none') return nothing;
      if (state === 'unsupported') return html`<small class="push">${s.pushUnsupported}</small>`;
      // What the last click came to, else a refusal for the whole page (the menu says so too: strings.notificationsBlocked).
      const said: Partial<Record<PushState, string>> = {
        busy: want ? s.pushWorking : '',
        slow: s.pushSlow,
        denied: s.pushDenied,
        unavailable: s.pushUnavailable,
        failed: s.pushFailed,
      };
      const why = said[state] ?? (Notification.permission === 'denied' ? s.pushDenied : '');
      return html`<button type="button" class="push" aria-describedby="push-why" @click=${() => void toggle()}>
          ${subscribed ? s.pushOff : s.pushOn}
        </button>
        <small id="push-why" role="status">${why}</small>`;
    },
  };
}
