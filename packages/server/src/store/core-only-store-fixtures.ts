// A store of a host's own that keeps the core alone (docs/storage.md, "Writing another store"): each
// core method, none of the built-in parts and no plugin parts, here over a MemoryStore.
import type { ChatStoreCore } from '../core/chat-store.js';
import { MemoryStore } from './memory-store.js';

/** A `ChatStoreCore` and nothing more, kept in `inner`. */
export function coreOnlyStore(inner = new MemoryStore()): ChatStoreCore {
  return {
    createRoom: (input) => inner.createRoom(input),
    getRoom: (id) => inner.getRoom(id),
    listRooms: (query) => inner.listRooms(query),
    updateRoom: (id, patch) => inner.updateRoom(id, patch),
    appendMessage: (draft) => inner.appendMessage(draft),
    getMessage: (roomId, id) => inner.getMessage(roomId, id),
    listMessages: (roomId, query) => inner.listMessages(roomId, query),
    changeMessage: (roomId, messageId, change) => inner.changeMessage(roomId, messageId, change),
    roomRev: (roomId) => inner.roomRev(roomId),
    threadParticipants: (roomId, threadOf) => inner.threadParticipants(roomId, threadOf),
    addMembers: (roomId, users) => inner.addMembers(roomId, users),
    removeMembers: (roomId, userIds) => inner.removeMembers(roomId, userIds),
    listMembers: (roomId) => inner.listMembers(roomId),
    isMember: (roomId, userId) => inner.isMember(roomId, userId),
    memberLevels: (roomId, userIds) => inner.memberLevels(roomId, userIds),
    markRead: (roomId, userId, seq) => inner.markRead(roomId, userId, seq),
    markThreadRead: (roomId, userId, threadOf, seq) => inner.markThreadRead(roomId, userId, threadOf, seq),
    threadReads: (roomId, userId, limit) => inner.threadReads(roomId, userId, limit),
    setNotifications: (roomId, userId, level) => inner.setNotifications(roomId, userId, level),
    conversations: (userId, options) => inner.conversations(userId, options),
    saveUser: (user, lastSeenAt) => inner.saveUser(user, lastSeenAt),
    getUsers: (ids) => inner.getUsers(ids),
    getStanding: (roomId, userId) => inner.getStanding(roomId, userId),
    listStandings: (roomId) => inner.listStandings(roomId),
    setStanding: (roomId, userId, patch) => inner.setStanding(roomId, userId, patch),
    close: () => inner.close(),
  };
}
