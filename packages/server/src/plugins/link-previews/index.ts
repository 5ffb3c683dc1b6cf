// Link previews as a plugin: `plugins: [linkPreviews({ ... })]`. A stored message's first http(s)
// link is fetched safely (core/outbound-agent.ts: no private, loopback, link-local or metadata
// address, whatever name or redirect leads there), its Open Graph or Twitter tags read with a real
// HTML parser, and its card added to the message by `message:updated` (docs/rich-messages.md).
import { builtInError, type PreviewRemovePayload } from '@chat/protocol';
import { outboundAgents } from '../../core/outbound-agent.js';
import { definePlugin, type DefinedPlugin, type PluginTools } from '../../core/plugin.js';
import { linkPreviewsSettings, type LinkPreviewsPluginOptions } from './link-previews-options.js';
import { previewImageRoute } from './preview-route.js';
import { Previewer } from './previewer.js';
import { LINK_PREVIEW_STORE, type LinkPreviewStore } from './preview-store.js';

export { DEFAULT_PREVIEW_USER_AGENT, type LinkPreviewsOptions, type LinkPreviewsPluginOptions } from './link-previews-options.js';
export type { LinkPreviewStore, CachedPreview, StoredPreviewImage } from './preview-store.js';

/**
 * Link previews: the first http(s) link of each message of a stored, unencrypted room previewed
 * after the message was stored (its sender's answer never waits), cached by URL in the store, its
 * image served from `GET /previews/:hash`. `preview:remove { roomId, messageId }` lets a sender
 * take them off. Off unless listed in `plugins`.
 * @example createChatServer(httpServer, { plugins: [linkPreviews({ allowedHosts: ['*.example.com'] })] })
 */
export function linkPreviews(options: LinkPreviewsPluginOptions = {}): DefinedPlugin {
  const settings = linkPreviewsSettings(options);
  // Per server (its tools): one plugin value may serve several servers of one process.
  const servers = new WeakMap<PluginTools<LinkPreviewStore>, Previewer>();
  return definePlugin<LinkPreviewStore>({
    name: 'link-previews',
    store: LINK_PREVIEW_STORE,
    // Links and images, by URL and hash: nothing about who posted them (nothing to export). A
    // message's previews are part of the message, exported and erased with it, and its link leaves
    // the cache as it is deleted: an erase (which deletes every message of the person first) waits
    // for that.
    personalData: {
      export: () => Promise.resolve(undefined),
      erase: async (_userId, tools) => servers.get(tools)?.settled(),
    },
    events: {
      'preview:remove': async ({ user, roomId, payload }, tools) => {
        const messageId = (payload as Partial<PreviewRemovePayload> | null)?.messageId;
        if (roomId === undefined) throw builtInError('VALIDATION_FAILED', '"preview:remove": roomId: a room id is required.');
        if (typeof messageId !== 'string' || messageId === '') {
          throw builtInError('VALIDATION_FAILED', '"preview:remove": messageId: a message id is required.');
        }
        const message = await tools.getMessage(roomId, messageId);
        if (!message) throw builtInError('MESSAGE_NOT_FOUND', `There is no message "${messageId}" in this room.`);
        if (message.user.id !== user.id) throw builtInError('FORBIDDEN', 'Only its sender can remove the previews of a message.');
        await tools.setPreviews(roomId, messageId, [], message.text);
        return {};
      },
    },
    raw: (tools) => previewImageRoute(tools),
    start: async (tools) => {
      const agents = await outboundAgents({ allowedAddresses: settings.config.allowedAddresses, keepAlive: true });
      const previewer = new Previewer(tools, settings, agents);
      servers.set(tools, previewer);
      previewer.start();
    },
    close: (tools) => servers.get(tools)?.close(),
  });
}
