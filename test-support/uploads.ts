// Chat servers with uploads, as the docs mount them: the REST handler (and so `POST /uploads`) at /chat.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { diskUploads, type ChatServerOptions, type ChatStore, type DiskUploadsOptions } from '@chat/server';
import { redisCluster } from '@chat/server/redis';
import { REDIS_URL } from './redis.js';
import { startChat, track, type TestChat } from './servers.js';

/** A chat server whose REST handler (and so its uploads) is mounted at /chat. */
export async function chatWithUploads(options: ChatServerOptions): Promise<TestChat> {
  const app = express();
  const started = await startChat(options, createServer(app));
  app.use('/chat', started.chat.httpHandler());
  return started;
}

/** A fresh folder for `diskUploads`, removed after the test. */
export async function diskDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chat-sdk-uploads-'));
  track(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A ready chat server with `diskUploads` in `dir` (its REST handler at /chat), and those uploads. */
export async function chatWithDisk(store: ChatStore, dir: string, disk: Partial<DiskUploadsOptions> = {}, options: ChatServerOptions = {}) {
  const uploads = diskUploads({ dir, ...disk });
  const started = await chatWithUploads({ store, uploads, ...options });
  await started.chat.ready();
  return { ...started, uploads };
}

/** The options of one process of a cluster on Redis (`keyPrefix`: one per test, shared by its processes). */
export function clusterOf(keyPrefix: string): ChatServerOptions {
  return { cluster: redisCluster({ url: REDIS_URL, heartbeatMs: 100, staleAfterMs: 1000, keyPrefix }) };
}
