import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The tests StrykerJS runs against each mutant (`npm run mutate`, see docs/testing.md): the ones
// that hold the message path, not the browser, cluster or demo suites (too slow per mutant).
// Spread, not mergeConfig: mergeConfig would add this include list to the base one. The base's
// `projects` are left out: each project has an include list of its own, which would win over this
// one (every suite of the repository ran against each mutant).
const { projects: _projects, ...shared } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...shared,
    include: [
      'packages/server/src/rooms.integration.test.ts',
      'packages/server/src/errors.integration.test.ts',
      'packages/server/src/capabilities/messages/post-message.integration.test.ts',
      'packages/server/src/capabilities/messages/message-changes.integration.test.ts',
      'packages/server/src/kernel/rooms/lifecycle.integration.test.ts',
      'packages/server/src/kernel/rooms/open-room.integration.test.ts',
      // open-room.ts's default policy and createRoomsOnJoin: direct and private rooms, members,
      // moderators' deletes, the RegExp and function forms.
      'packages/server/src/kernel/rooms/room-ids.integration.test.ts',
      'packages/server/src/capabilities/conversations/direct-rooms.integration.test.ts',
      'packages/server/src/capabilities/conversations/members.integration.test.ts',
      'packages/server/src/capabilities/moderation/moderation.integration.test.ts',
      'packages/server/src/kernel/http/rest-handler.integration.test.ts',
      'packages/server/src/store/memory-store.test.ts',
      'packages/server/src/store/postgres/postgres-store.integration.test.ts',
      'packages/server/src/store/postgres/message-sql.test.ts',
      // Group commit: batches, order, idempotency, a bad row alone, a lost answer, two stores.
      'packages/server/src/store/postgres/group-commit.integration.test.ts',
      // Its bounds: statements in flight, rows per statement, one flush per turn, the prepared statement.
      'packages/server/src/store/postgres/group-commit-bounds.integration.test.ts',
      // The SDK's catch-up: re-joins, a history that started over, holes, changes made while away.
      'packages/client/src/reconnect.integration.test.ts',
      'packages/client/src/history-reset.integration.test.ts',
      'packages/client/src/room-interruptions.integration.test.ts',
      'packages/client/src/join-after-leave.integration.test.ts',
      'packages/client/src/attack-rejoin.integration.test.ts',
      'packages/client/src/message-changes.integration.test.ts',
      'packages/client/src/commands.integration.test.ts',
      'packages/client/src/gap-fill.integration.test.ts',
      'packages/client/src/room/gap-filler.test.ts',
      'packages/client/src/room/room-sync.test.ts',
      'packages/client/src/room/room-sync-joins.test.ts',
      // What the message path and the SDK's join also carry: encrypted rooms and their files, files
      // sent after a reload, commands, threads, the window of history around a message.
      'packages/client/src/e2ee/client-e2ee.integration.test.ts',
      'packages/client/src/e2ee/e2ee-files.integration.test.ts',
      'packages/server/src/capabilities/uploads/unsent-uploads.integration.test.ts',
      'packages/server/src/plugins/commands/commands.integration.test.ts',
      'packages/server/src/capabilities/messages/threads.integration.test.ts',
      'packages/client/src/threads.integration.test.ts',
      'packages/client/src/message-window.integration.test.ts',
    ],
    reporters: ['default'],
  },
});
