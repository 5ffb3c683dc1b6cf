// What link previews keep (the store part `LinkPreviewStore`): each link's preview (or that it has
// none) by URL, shared by the processes of a cluster through the store, and the images previews
// show, by the SHA-256 of their bytes. Nothing about who posted a link: a message's previews are
// part of the message, and go with it; a link leaves the cache when a message that had it is
// deleted or edited away from it (an erased person's links with their messages), and a day after
// its fetch at the latest (`prune`: the links of messages retention removed with them).
import type { LinkPreview } from '@chat/protocol';
import type { PluginSql, StorePart } from '../../core/store-part.js';

/** A link as the cache holds it: its preview, or none (the fetch failed, `failure` says why), and when. */
export interface CachedPreview {
  preview: LinkPreview | null;
  /** Why there is no preview (for the log), when there is none. */
  failure?: string;
  /** When it was fetched, in ms since the epoch: a cached link is fetched again once it is old. */
  fetchedAt: number;
}

/** An image a preview shows, as served from `GET /previews/:hash`. */
export interface StoredPreviewImage {
  mime: string;
  bytes: Uint8Array;
}

/** The store part of link previews. */
export interface LinkPreviewStore {
  cached(url: string): Promise<CachedPreview | null>;
  cache(url: string, entry: CachedPreview): Promise<void>;
  /** Takes a link out of the cache (nothing happens for one it does not hold). */
  forget(url: string): Promise<void>;
  /**
   * Takes out every link fetched before `fetchedBefore` (ms since the epoch): the plugin calls it
   * every hour with a day ago. Without it, a link stays until it is fetched again or forgotten.
   */
  prune?(fetchedBefore: number): Promise<void>;
  /** Keeps an image (once per hash: the same bytes have the same name). */
  putImage(hash: string, image: StoredPreviewImage): Promise<void>;
  image(hash: string): Promise<StoredPreviewImage | null>;
}

/** Links and images the memory part keeps at most: the oldest go first. */
const MEMORY_LINKS = 10_000;
const MEMORY_IMAGES = 1_000;

// A Map keeps insertion order: re-inserting moves an entry to the end, the first is the oldest.
function bounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

function memoryPart(): LinkPreviewStore {
  const links = new Map<string, CachedPreview>();
  const images = new Map<string, StoredPreviewImage>();
  return {
    cached: (url) => Promise.resolve(links.get(url) ?? null),
    cache: (url, entry) => Promise.resolve(bounded(links, url, entry, MEMORY_LINKS)),
    forget: (url) => Promise.resolve(void links.delete(url)),
    prune: (fetchedBefore) => {
      for (const [url, entry] of links) if (entry.fetchedAt < fetchedBefore) links.delete(url);
      return Promise.resolve();
    },
    putImage: (hash, image) => Promise.resolve(bounded(images, hash, image, MEMORY_IMAGES)),
    image: (hash) => Promise.resolve(images.get(hash) ?? null),
  };
}

interface LinkRow {
  preview: LinkPreview | null;
  failure: string | null;
  fetched_at: Date;
}

function postgresPart(sql: PluginSql): LinkPreviewStore {
  return {
    async cached(url) {
      const { rows } = await sql.query<LinkRow>('SELECT preview, failure, fetched_at FROM chat_link_previews WHERE url = $1', [url]);
      const row = rows[0];
      if (!row) return null;
      return { preview: row.preview, ...(row.failure !== null && { failure: row.failure }), fetchedAt: row.fetched_at.getTime() };
    },
    async cache(url, entry) {
      await sql.query(
        `INSERT INTO chat_link_previews (url, preview, failure, fetched_at) VALUES ($1, $2::jsonb, $3, to_timestamp($4 / 1000.0))
         ON CONFLICT (url) DO UPDATE SET preview = EXCLUDED.preview, failure = EXCLUDED.failure, fetched_at = EXCLUDED.fetched_at`,
        [url, entry.preview === null ? null : JSON.stringify(entry.preview), entry.failure ?? null, entry.fetchedAt],
      );
    },
    async forget(url) {
      await sql.query('DELETE FROM chat_link_previews WHERE url = $1', [url]);
    },
    async prune(fetchedBefore) {
      await sql.query('DELETE FROM chat_link_previews WHERE fetched_at < to_timestamp($1 / 1000.0)', [fetchedBefore]);
    },
    async putImage(hash, image) {
      await sql.query('INSERT INTO chat_preview_images (hash, mime, bytes) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING', [
        hash,
        image.mime,
        Buffer.from(image.bytes),
      ]);
    },
    async image(hash) {
      const { rows } = await sql.query<{ mime: string; bytes: Buffer }>('SELECT mime, bytes FROM chat_preview_images WHERE hash = $1', [
        hash,
      ]);
      const row = rows[0];
      return row ? { mime: row.mime, bytes: new Uint8Array(row.bytes) } : null;
    },
  };
}

/**
 * The store part's definition: in memory (bounded) and on PostgreSQL (two tables). The links' has
 * no index on `fetched_at`: `prune` keeps it at about a day's links, which its hourly scan reads
 * at little cost, and every fetch rewrites that column (an index would cost each one).
 */
export const LINK_PREVIEW_STORE: StorePart<LinkPreviewStore> = {
  name: 'LinkPreviewStore',
  memory: memoryPart,
  postgres: postgresPart,
  migrations: [
    {
      version: 1,
      sql: `
        CREATE TABLE chat_link_previews (
          url         text PRIMARY KEY,
          preview     jsonb,
          failure     text,
          fetched_at  timestamptz NOT NULL
        );
        CREATE TABLE chat_preview_images (
          hash        text PRIMARY KEY,
          mime        text NOT NULL,
          bytes       bytea NOT NULL,
          created_at  timestamptz NOT NULL DEFAULT now()
        );
      `,
    },
  ],
};
