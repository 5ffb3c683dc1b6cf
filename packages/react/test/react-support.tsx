import type { ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { ChatServer } from '@chat/server';
import { track } from '../../../test-support/servers.js';

/** A React root in a fresh container of the (jsdom) document; unmounted after the test. */
export interface Mounted {
  container: HTMLElement;
  /** Renders again (synchronously, effects included). */
  render(element: ReactNode): void;
  unmount(): void;
}

/** Renders `element` into a new root, synchronously; the root is unmounted after the test. */
export function mount(element: ReactNode): Mounted {
  const container = document.createElement('div');
  document.body.append(container);
  const root: Root = createRoot(container);
  let mounted = true;
  const unmount = () => {
    if (!mounted) return;
    mounted = false;
    root.unmount();
    container.remove();
  };
  track(unmount);
  const render = (next: ReactNode) => flushSync(() => root.render(next));
  render(element);
  return { container, render, unmount };
}

/** How many sockets of the user named `name` are in `roomId` on the server now. */
export function socketsInRoom(chat: ChatServer, roomId: string, name: string): number {
  const nsp = chat.io.of('/');
  return [...(nsp.adapter.rooms.get(roomId) ?? [])].filter(
    (id) => (nsp.sockets.get(id)?.data as { user?: { name?: string } } | undefined)?.user?.name === name,
  ).length;
}

/** How many sockets of the user named `name` are connected to the server now. */
export function socketsOf(chat: ChatServer, name: string): number {
  return [...chat.io.of('/').sockets.values()].filter((s) => (s.data as { user?: { name?: string } } | undefined)?.user?.name === name)
    .length;
}

/** Counts the server's `join` and `leave` events (a user's first socket in, last socket out) per `room/user name`. */
export function presenceLog(chat: ChatServer): {
  joins: (roomId: string, name: string) => number;
  leaves: (roomId: string, name: string) => number;
} {
  const joins: string[] = [];
  const leaves: string[] = [];
  chat.on('join', ({ roomId, member }) => joins.push(`${roomId}/${member.name}`));
  chat.on('leave', ({ roomId, user }) => leaves.push(`${roomId}/${user.name}`));
  return {
    joins: (roomId, name) => joins.filter((k) => k === `${roomId}/${name}`).length,
    leaves: (roomId, name) => leaves.filter((k) => k === `${roomId}/${name}`).length,
  };
}
