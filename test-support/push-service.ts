// A stand-in for a browser's push service on 127.0.0.1 (HTTPS, as web-push only speaks it), and
// devices that subscribe to it: real P-256 keys, and the payloads they receive decrypted with the
// http_ece package web-push itself encrypts with (RFC 8291; no cryptography written here).
import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebPushSubscription } from '@chat/protocol';
import { startReceiver, type HttpReceiver, type ReceivedRequest, type ReceiverAnswer } from './http-receiver.js';

interface Ece {
  decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
}
const ece = createRequire(import.meta.url)('http_ece') as Ece;

let certificate: { key: string; cert: string } | undefined;
/** A self-signed certificate for 127.0.0.1, made once per test process with openssl. */
function selfSigned(): { key: string; cert: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'push-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    certificate = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A push service stand-in: its URL (an `allowedEndpoints` prefix), what it received, and the
 * `webPush` options that let the server reach it (its loopback address, its certificate).
 */
export interface PushServiceStandIn extends HttpReceiver {
  trust: { allowedAddresses: string[]; ca: string };
}

/** Starts the stand-in on 127.0.0.1:0; `answer` says how it answers each push (201 by default). */
export async function startPushService(
  answer: (request: ReceivedRequest, index: number) => ReceiverAnswer | Promise<ReceiverAnswer> = () => 201,
): Promise<PushServiceStandIn> {
  const tls = selfSigned();
  const receiver = await startReceiver(answer, tls);
  return { ...receiver, trust: { allowedAddresses: ['127.0.0.1/32'], ca: tls.cert } };
}

/** A browser's subscription at the stand-in, with the keys to read what is pushed to it. */
export interface TestDevice {
  subscription: WebPushSubscription;
  /** The JSON of a push this device received (decrypted with its own keys). */
  read(request: ReceivedRequest): unknown;
}

/** A device subscribed at `serviceUrl` under `path`. */
export function testDevice(serviceUrl: string, path: string): TestDevice {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return {
    subscription: { endpoint: `${serviceUrl}/push/${path}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } },
    read: (request) => JSON.parse(ece.decrypt(request.raw, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }).toString('utf8')),
  };
}
