// Chat servers with uploads, as the docs mount them: the REST handler (and so `POST /uploads`) at /chat.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { ChatServerOptions } from '@chat/server';
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
