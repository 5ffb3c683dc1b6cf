import type { Message, PayloadSchemas, Room, RoomJoinResult } from '@chat/protocol';
import type { CallService } from '../capabilities/calls/index.js';
import { callsCapability } from '../capabilities/calls/index.js';
import { commandsPlugin } from '../plugins/commands/index.js';
import { webhooksPlugin, type Webhooks } from '../plugins/webhooks/index.js';
import { conversationsCapability } from '../capabilities/conversations/index.js';
import { e2eeCapability } from '../capabilities/e2ee/index.js';
import { messagesCapability } from '../capabilities/messages/index.js';
import { moderationCapability } from '../capabilities/moderation/index.js';
import { pushPlugin } from '../plugins/push/index.js';
import type { WebPush } from '../plugins/push/index.js';
import { typingPlugin } from '../plugins/typing/index.js';
import { searchPlugin } from '../plugins/search/index.js';
import { retentionPlugin, type ResolvedRetention } from '../plugins/retention/index.js';
import { unsentUploadsPlugin } from '../plugins/uploads-unsent/index.js';
import { DiskUploads } from '../capabilities/uploads/index.js';
import type { ChatUploads } from '../capabilities/uploads/index.js';
import { userDataCapability, type EraseParts } from '../capabilities/user-data/index.js';
import type { Capability, RawRoutes, RestRoute } from '../core/capability.js';
import type { DefinedPlugin } from '../core/plugin.js';
import type { BotMessageDraft, CommandsPort } from '../core/commands.js';
import type { FilesPort, TypingPort } from '../core/ports.js';
import type { CollapseClaims } from '../core/collapse-claims.js';
import type { PushStore, RetentionStore, SearchStore } from '../core/store-parts.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';

/**
 * The capabilities whose events and routes the kernel serves, in the order their REST routes are
 * tried. Uploads (`options.uploads`) are added by the chat server, which makes their routes.
 */
export function capabilitiesOf(
  ctx: () => CapabilityContext,
  parts: {
    calls: CallService;
    people: EraseParts;
  },
): Capability[] {
  return [
    messagesCapability(ctx),
    conversationsCapability(ctx),
    moderationCapability(ctx),
    callsCapability(parts.calls),
    userDataCapability(ctx, parts.people),
    e2eeCapability(ctx),
  ];
}

/**
 * The built-in capabilities written as plugins (docs/plugins.md), listed before the host's: the
 * same checks and tools as a host's plugin, with the server's parts they need given here.
 */
export function builtInPlugins(parts: {
  typing: () => TypingPort;
  schemas: PayloadSchemas;
  /** The store's search (a store without its part rejects with a sentence naming it). */
  search: () => Pick<SearchStore, 'searchMessages'>;
  /** The `retention` option, checked before anything was attached. */
  retention: ResolvedRetention;
  /** The store's retention part, when it has one. */
  retentionStore: () => RetentionStore | undefined;
  files: FilesPort;
  /** The `uploads` option: `diskUploads()` sweeps the files never sent. */
  uploads?: DiskUploads | ChatUploads | undefined;
  /** The `push` option (without it, push's events and routes answer `FORBIDDEN`). */
  push?: WebPush | undefined;
  /** The store's push part (a store without it is refused with the `push` option). */
  pushStore: () => PushStore;
  /** The cluster's push collapse windows, once a cluster started. */
  collapse: () => CollapseClaims | undefined;
  /** The commands of `chat.command()`. */
  commands: CommandsPort;
  /** How a command without a bot posts: as the server. */
  postAsServer: (room: Room, draft: BotMessageDraft) => Promise<Message>;
  /** The endpoints of the `webhooks` option (none: no webhooks plugin), closed by the server's shutdown. */
  webhooks: Webhooks | undefined;
}): DefinedPlugin[] {
  const disk = parts.uploads instanceof DiskUploads ? parts.uploads : undefined;
  return [
    typingPlugin(parts.typing, parts.schemas.typing),
    searchPlugin(parts.search, parts.schemas['message:search']),
    retentionPlugin({ settings: parts.retention, store: parts.retentionStore, files: parts.files }),
    ...(disk ? [unsentUploadsPlugin(disk)] : []),
    pushPlugin({ push: parts.push, schemas: parts.schemas, store: parts.pushStore, collapse: parts.collapse }),
    commandsPlugin({ commands: parts.commands, postAsServer: parts.postAsServer, schema: parts.schemas['command:run'] }),
    ...(parts.webhooks ? [webhooksPlugin(parts.webhooks)] : []),
  ];
}

/**
 * The built-in plugins whose join answer is a field of the join answer itself, by plugin name:
 * the protocol had it before plugins answered under `plugins`.
 */
export const BUILT_IN_JOIN_FIELDS: Readonly<Record<string, keyof RoomJoinResult>> = { commands: 'commands' };

/** The capabilities' REST routes, for the REST handler. */
export function routesOf(capabilities: readonly Capability[]): { routes: RestRoute[]; raw: RawRoutes[] } {
  return {
    routes: capabilities.flatMap((c) => c.routes ?? []),
    raw: capabilities.flatMap((c) => (c.raw ? [c.raw] : [])),
  };
}
