// One server's link previews: a stored (or edited) message's first link previewed after the
// message reached the room, from the cache when the link was fetched lately, else fetched once
// however many messages ask at the same time, within the user's and the site's rate.
import { firstHttpLink, type LinkPreview } from '@chat/protocol';
import type { OutboundAgents } from '../../core/outbound-agent.js';
import type { PluginMessageEvent, PluginTools } from '../../core/plugin.js';
import { fetchLinkPreview } from './link-preview.js';
import type { LinkPreviewsSettings } from './link-previews-options.js';
import { PreviewRate } from './preview-rate.js';
import type { CachedPreview, LinkPreviewStore } from './preview-store.js';

/** A cached preview is fetched again after a day; a link that had none, after ten minutes. */
const FRESH_MS = 24 * 3_600_000;
const FAILED_FRESH_MS = 10 * 60_000;

/** The previews of one chat server (one per plugin's tools). */
export class Previewer {
  readonly #inFlight = new Map<string, Promise<LinkPreview | null>>();
  readonly #work = new Set<Promise<void>>();
  /** The cache's sweeps under way: close waits for them, an erase (`settled`) does not. */
  readonly #sweeps = new Set<Promise<void>>();
  readonly #perUser: PreviewRate;
  readonly #perHost: PreviewRate;
  #stop: (() => void) | undefined;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(
    private readonly tools: PluginTools<LinkPreviewStore>,
    private readonly settings: LinkPreviewsSettings,
    private readonly agents: OutboundAgents,
  ) {
    this.#perUser = new PreviewRate(settings.perUserPerMinute);
    this.#perHost = new PreviewRate(settings.perHostPerMinute);
  }

  /** Starts hearing the server's messages, and sweeping the cache (now, then every `sweepEveryMs`). */
  start(): void {
    this.#stop = this.tools.onMessage((event) => this.#track(() => this.#preview(event)));
    // A link is fetched again once a day old: older ones go, with them the links of messages
    // retention removed (nothing else tells the plugin of those) and of links posted once.
    const sweep = () => this.#track(async () => this.tools.store.prune?.(Date.now() - FRESH_MS), this.#sweeps);
    sweep();
    this.#sweeper = setInterval(sweep, this.settings.sweepEveryMs).unref();
  }

  /** Resolves once the work begun so far is done (the links of deleted messages out of the cache). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#work]);
  }

  /** Stops hearing, waits for the previews under way, and closes the connections kept open. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stop?.();
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.#work, ...this.#sweeps]);
    this.agents.release();
  }

  // Work no request waits for: reported if it fails, awaited by `close` (and by `settled`, but for sweeps).
  #track(run: () => Promise<void>, into = this.#work): void {
    if (this.#closed) return;
    const work = run().catch((error: unknown) => this.tools.report(error));
    into.add(work);
    void work.finally(() => into.delete(work));
  }

  async #preview({ room, message, previous }: PluginMessageEvent): Promise<void> {
    // A link deleted or edited away leaves the cache: what a person wrote goes with their message
    // (their erase deletes every one). Another message with it fetches it again.
    const link = message.deletedAt === undefined ? firstHttpLink(message.text) : undefined;
    const before = previous && previous.deletedAt === undefined ? firstHttpLink(previous.text) : undefined;
    if (before !== undefined && before !== link) await this.tools.store.forget(before);
    // Never in an encrypted room (the server cannot read it; a link there is the members' alone).
    if (room.options.encrypted === true || message.ciphertext !== undefined || link === undefined) return;
    const preview = await this.#previewOf(link, message.user.id);
    // Deleted or edited away while its link was fetched (here or on another process): that change
    // found nothing in the cache to take out, and the fetch has put it there since.
    const now = await this.tools.getMessage(message.roomId, message.id);
    if (!now || now.deletedAt !== undefined || firstHttpLink(now.text) !== link) return this.tools.store.forget(link);
    if (preview === null || this.#closed) return;
    await this.tools.setPreviews(message.roomId, message.id, [preview], message.text);
  }

  // The link's preview: the cache's while fresh, else fetched (once for all who ask meanwhile).
  async #previewOf(link: string, userId: string): Promise<LinkPreview | null> {
    const cached = await this.tools.store.cached(link);
    if (cached && fresh(cached)) return cached.preview;
    const running = this.#inFlight.get(link);
    if (running) return running;
    if (!this.#perUser.take(userId) || !this.#perHost.take(hostOf(link))) return cached?.preview ?? null;
    const fetching = this.#fetch(link).finally(() => this.#inFlight.delete(link));
    this.#inFlight.set(link, fetching);
    return fetching;
  }

  async #fetch(link: string): Promise<LinkPreview | null> {
    const outcome = await fetchLinkPreview(link, { agents: this.agents, config: this.settings.config });
    const fetchedAt = Date.now();
    if (!outcome.ok) {
      await this.tools.store.cache(link, { preview: null, failure: outcome.message, fetchedAt });
      return null;
    }
    const { preview, image } = outcome.value;
    if (image) await this.tools.store.putImage(image.hash, { mime: image.mime, bytes: image.bytes });
    const shown = withPublicImage(preview, this.settings.publicPath);
    await this.tools.store.cache(link, { preview: shown, fetchedAt });
    return shown;
  }
}

function fresh(entry: CachedPreview): boolean {
  return Date.now() - entry.fetchedAt < (entry.preview === null ? FAILED_FRESH_MS : FRESH_MS);
}

function hostOf(link: string): string {
  try {
    return new URL(link).hostname;
  } catch {
    return link;
  }
}

// The image's path as readers fetch it: the plugin's `publicPath` and the image's hash.
function withPublicImage(preview: LinkPreview, publicPath: string): LinkPreview {
  if (preview.image === undefined) return preview;
  const hash = preview.image.slice(preview.image.lastIndexOf('/') + 1);
  return { ...preview, image: `${publicPath}/${hash}` };
}
