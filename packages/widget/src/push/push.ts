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
  element: { server?: string; token?: string; name?: string; pushWorker?: string; requestUpdate(): void };
  client(): ChatClient | undefined;
  strings(): ChatStrings;
  lang(): string;
  fail(error: ChatError): void;
}

/**
 * Where this device stands: `checking` (the key and the subscription are being read), `none` (no
 * entry: the server has no `push` option, or its key could not be read), `unsupported` (no Web
 * Push in this browser), `off`, `on`, `busy` (a click is being answered), `denied` and `failed`
 * (the last click did not subscribe; the button stays for another try).
 */
type PushState = 'checking' | 'none' | 'unsupported' | 'off' | 'on' | 'busy' | 'denied' | 'failed';

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

/**
 * The browser's refusal: the visitor said no (the permission is then `denied`), or the browser does
 * not allow push here (Chromium: "Registration failed - permission denied", in a private window).
 */
function refused(error: unknown): boolean {
  const name = error instanceof DOMException ? error.name : '';
  const permission = name === 'AbortError' && /permission/iu.test((error as DOMException).message);
  return name === 'NotAllowedError' || permission || Notification.permission === 'denied';
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

  const toggle = async () => {
    const client = host.client();
    const worker = host.element.pushWorker;
    if (state === 'busy' || !client || !worker) return;
    set('busy');
    try {
      if (subscribed) {
        await client.push.unsubscribe(await navigator.serviceWorker.getRegistration());
      } else {
        // The click is the only place the browser is asked (pushManager.subscribe asks for permission).
        const registration = await activated(await navigator.serviceWorker.register(worker));
        await client.push.subscribe(registration, { publicKey: key });
      }
      subscribed = !subscribed;
      set(subscribed ? 'on' : 'off');
    } catch (error) {
      if (error instanceof ChatError) host.fail(error);
      set(refused(error) ? 'denied' : 'failed');
    }
  };

  void check();
  return {
    render() {
      const s = pushStrings(host.strings());
      if (state === 'checking' || state === 'none') return nothing;
      if (state === 'unsupported') return html`<small class="push">${s.pushUnsupported}</small>`;
      // Refused on the click, or earlier for the whole page (the menu says so too: strings.notificationsBlocked).
      const denied = state === 'denied' || Notification.permission === 'denied';
      return html`<button type="button" class="push" aria-describedby="push-why" @click=${() => void toggle()}>
          ${subscribed ? s.pushOff : s.pushOn}
        </button>
        <small id="push-why" role="status">${denied ? s.pushDenied : state === 'failed' ? s.pushFailed : ''}</small>`;
    },
  };
}
