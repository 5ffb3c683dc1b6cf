import type { RedisCommander } from './redis-commands.js';

type Listener = (...args: unknown[]) => void;

/** A node-redis client (the `redis` package, 4 or 5), as far as the cluster uses it. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
  sSubscribe: unknown;
  connect(): Promise<unknown>;
  readonly isOpen: boolean;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
}

/** An ioredis client (5 or 6), as far as the cluster uses it. */
export interface IORedisClientLike {
  call(command: string, ...args: string[]): Promise<unknown>;
  readonly status: string;
  connect(): Promise<void>;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  quit(): Promise<unknown>;
}

/** Either client; the Socket.IO Redis Streams adapter accepts both as well. */
export type RedisClientLike = NodeRedisClientLike | IORedisClientLike;

/** One face for both clients: raw commands, connection state and events. */
export interface RedisHandle extends RedisCommander {
  readonly client: RedisClientLike;
  isOpen(): boolean;
  connect(): Promise<void>;
  on(event: 'error' | 'ready', listener: Listener): void;
  off(event: 'error' | 'ready', listener: Listener): void;
  quit(): Promise<void>;
}

export function redisHandle(client: RedisClientLike): RedisHandle {
  // The same test the adapter uses: only node-redis has sSubscribe.
  if ('sSubscribe' in client && typeof client.sSubscribe === 'function') {
    const node = client;
    return {
      client,
      sendCommand: (args) => node.sendCommand(args),
      isOpen: () => node.isOpen,
      connect: async () => {
        if (!node.isOpen) await node.connect();
      },
      on: (event, listener) => void node.on(event, listener),
      off: (event, listener) => void node.off(event, listener),
      quit: async () => {
        if (node.isOpen) await (node.close?.() ?? node.quit?.());
      },
    };
  }
  const io = client as IORedisClientLike;
  return {
    client,
    sendCommand: ([command, ...args]) => io.call(command as string, ...args),
    isOpen: () => io.status === 'ready' || io.status === 'connecting' || io.status === 'connect' || io.status === 'reconnecting',
    connect: async () => {
      if (io.status === 'wait') await io.connect(); // lazyConnect
    },
    on: (event, listener) => void io.on(event, listener),
    off: (event, listener) => void io.off(event, listener),
    quit: async () => {
      if (io.status !== 'end') await io.quit();
    },
  };
}
