// `GET /previews/:hash`: a preview's image, served by the chat server so that a reader's address
// never reaches the site. Named by the SHA-256 of its bytes (it never changes: cached for a year),
// served as the type its bytes were found to be, never sniffed by the browser, never run.
import { builtInError } from '@chat/protocol';
import type { RawRoutes } from '../../core/capability.js';
import type { PluginTools } from '../../core/plugin.js';
import type { LinkPreviewStore } from './preview-store.js';

const HASH = /^[0-9a-f]{64}$/u;

/** The raw route of the previews' images, under `/previews`. */
export function previewImageRoute(tools: PluginTools<LinkPreviewStore>): RawRoutes {
  return {
    prefix: 'previews',
    handle(req, res, segments, http) {
      const [hash, ...rest] = segments;
      if ((req.method !== 'GET' && req.method !== 'HEAD') || hash === undefined || rest.length > 0) return http.next();
      // No such image (a name that is no hash cannot be one): the next middleware, or 404.
      if (!HASH.test(hash)) return http.next();
      tools.store.image(hash).then(
        (image) => {
          if (!image) return http.next();
          res.writeHead(200, {
            'Content-Type': image.mime,
            'Content-Length': String(image.bytes.byteLength),
            'Cache-Control': 'public, max-age=31536000, immutable',
            'X-Content-Type-Options': 'nosniff',
            'Content-Security-Policy': "default-src 'none'",
            'Cross-Origin-Resource-Policy': 'cross-origin',
          });
          res.end(req.method === 'HEAD' ? undefined : Buffer.from(image.bytes));
        },
        (failure: unknown) => {
          tools.report(failure);
          const error = builtInError('INTERNAL', 'The image cannot be read now. Try again later.');
          http.send(503, { error: error.toJSON() });
        },
      );
    },
  };
}
