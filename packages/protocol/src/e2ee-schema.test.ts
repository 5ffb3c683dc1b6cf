import { describe, expect, it } from 'vitest';
import { E2EE_LIMITS } from './e2ee.js';
import type { ChatError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { parsePayload } from './parse-payload.js';
import { createPayloadSchemas } from './schemas.js';

const schemas = createPayloadSchemas(DEFAULT_LIMITS);
const KP = Buffer.from('a key package of some bytes').toString('base64');

function refusal(schema: keyof typeof schemas, input: unknown): ChatError {
  try {
    parsePayload(schemas[schema], input);
  } catch (error) {
    return error as ChatError;
  }
  throw new Error('expected a refusal');
}

describe('e2ee payload schemas', () => {
  it('takes well-formed publishes, claims, commits and syncs', () => {
    expect(parsePayload(schemas['e2ee:keys:publish'], { deviceId: 'd-1', keyPackages: [KP] })).toEqual({
      deviceId: 'd-1',
      keyPackages: [KP],
    });
    // None: a device asks how many the server holds (after a publish whose answer was lost).
    expect(parsePayload(schemas['e2ee:keys:publish'], { deviceId: 'd-1', keyPackages: [] })).toEqual({ deviceId: 'd-1', keyPackages: [] });
    // A batch id: the server keeps a batch once.
    expect(parsePayload(schemas['e2ee:keys:publish'], { deviceId: 'd-1', keyPackages: [KP], batch: 'b-1' }).batch).toBe('b-1');
    expect(parsePayload(schemas['e2ee:keys:claim'], { roomId: 'r', deviceId: 'd', userIds: ['bob'] }).userIds).toEqual(['bob']);
    const commit = {
      roomId: 'r',
      deviceId: 'd',
      epoch: 0,
      commit: KP,
      welcome: KP,
      added: [{ userId: 'bob', deviceId: 'b', keyPackage: KP }],
      group: '0b6c7a52-5d0e-4f3a-9c1e-2a7d8e9f0a1b',
    };
    expect(parsePayload(schemas['e2ee:commit'], commit)).toEqual(commit);
    expect(parsePayload(schemas['e2ee:sync'], { roomId: 'r', deviceId: 'd', after: 3 }).after).toBe(3);
    // A group created before ids has its room's id.
    expect(parsePayload(schemas['e2ee:sync'], { roomId: 'r:1', deviceId: 'd', after: 3, group: 'r:1' }).group).toBe('r:1');
  });

  it('refuses a group id that is not an id, saying so', () => {
    expect(refusal('e2ee:sync', { roomId: 'r', deviceId: 'd', group: '' }).message).toMatch(/group must not be empty/u);
    expect(refusal('e2ee:sync', { roomId: 'r', deviceId: 'd', group: 'a b' }).message).toMatch(/group may contain only/u);
    expect(refusal('e2ee:commit', { roomId: 'r', deviceId: 'd', epoch: 1, commit: KP, group: 'g'.repeat(129) }).message).toMatch(
      /group must be at most 128/u,
    );
    expect(refusal('e2ee:commit', { roomId: 'r', deviceId: 'd', epoch: 1, commit: KP, group: 7 }).code).toBe('VALIDATION_FAILED');
  });

  it('refuses bad input with a sentence', () => {
    expect(refusal('e2ee:keys:publish', { deviceId: 'd', keyPackages: ['not base64!'] }).message).toMatch(/standard base64/u);
    expect(refusal('e2ee:keys:publish', { deviceId: 'a/b', keyPackages: [KP] }).message).toMatch(/deviceId may contain only/u);
    expect(refusal('e2ee:keys:publish', { deviceId: 'd', keyPackages: [], batch: '' }).message).toMatch(/batch must not be empty/u);
    expect(refusal('e2ee:keys:publish', { deviceId: 'd', keyPackages: [], batch: 'x'.repeat(65) }).message).toMatch(
      /batch must be at most 64/u,
    );
    const many = Array.from({ length: E2EE_LIMITS.keyPackagesPerPublish + 1 }, () => KP);
    expect(refusal('e2ee:keys:publish', { deviceId: 'd', keyPackages: many }).message).toMatch(/at most 20 key packages/u);
    expect(refusal('e2ee:keys:publish', { deviceId: 'd', keyPackages: ['A'.repeat(E2EE_LIMITS.keyPackage + 4)] }).message).toMatch(
      /at most 4096 characters/u,
    );
    expect(refusal('e2ee:commit', { roomId: 'r', deviceId: 'd', epoch: -1, commit: KP }).message).toMatch(/epoch must be at least 0/u);
    expect(refusal('e2ee:commit', { roomId: 'r', deviceId: 'd', epoch: 0, commit: KP, welcome: KP }).message).toMatch(
      /carries their welcome/u,
    );
    const added = [{ userId: 'bob', deviceId: 'b', keyPackage: KP }];
    expect(refusal('e2ee:commit', { roomId: 'r', deviceId: 'd', epoch: 0, commit: KP, added }).message).toMatch(/carries their welcome/u);
    expect(refusal('e2ee:sync', { roomId: 'r' }).code).toBe('VALIDATION_FAILED');
    // A claim names the device that claims (a removed one is refused).
    expect(refusal('e2ee:keys:claim', { roomId: 'r', userIds: ['bob'] }).message).toMatch(/deviceId/u);
  });

  it('asks about 1 to keyPackagesPerHeldCheck held key packages of a device', () => {
    expect(parsePayload(schemas['e2ee:keys:held'], { deviceId: 'd-1', keyPackages: [KP] })).toEqual({ deviceId: 'd-1', keyPackages: [KP] });
    const most = Array.from({ length: E2EE_LIMITS.keyPackagesPerHeldCheck }, () => KP);
    expect(parsePayload(schemas['e2ee:keys:held'], { deviceId: 'd', keyPackages: most }).keyPackages).toHaveLength(100);
    const check = (input: unknown) => refusal('e2ee:keys:held', input);
    expect(check({ deviceId: 'd', keyPackages: [] }).message).toMatch(/must name at least one key package/u);
    expect(check({ deviceId: 'd', keyPackages: [...most, KP] }).message).toMatch(/at most 100 key packages/u);
    expect(check({ deviceId: 'd', keyPackages: ['not base64!'] }).message).toMatch(/standard base64/u);
    expect(check({ deviceId: 'd', keyPackages: ['A'.repeat(E2EE_LIMITS.keyPackage + 4)] }).message).toMatch(/at most 4096 characters/u);
    expect(check({ deviceId: 'd', keyPackages: KP }).message).toMatch(/keyPackages must be a list/u);
    expect(check({ keyPackages: [KP] }).message).toMatch(/deviceId/u);
    expect(check({ deviceId: 'a/b', keyPackages: [KP] }).code).toBe('VALIDATION_FAILED');
  });

  it('a message carries ciphertext or text, never both; encrypted is a room option', () => {
    const send = { roomId: 'r', clientId: 'c', text: '', ciphertext: KP, epoch: 1, deviceId: 'd' };
    expect(parsePayload(schemas['message:send'], send).ciphertext).toBe(KP);
    expect(refusal('message:send', { ...send, text: 'in clear' }).message).toMatch(/text must be empty/u);
    expect(refusal('message:send', { ...send, ciphertext: 'x y' }).message).toMatch(/ciphertext must be standard base64/u);
    expect(refusal('message:send', { roomId: 'r', clientId: 'c', text: '', ciphertext: KP }).message).toMatch(
      /ciphertext and epoch go together/u,
    );
    // An encrypted message or edit names its device (a removed one is refused), and only an encrypted one does.
    const { deviceId: _, ...nameless } = send;
    expect(refusal('message:send', nameless).message).toMatch(/ciphertext and deviceId go together/u);
    expect(refusal('message:send', { roomId: 'r', clientId: 'c', text: 'hi', deviceId: 'd' }).message).toMatch(
      /only an encrypted one does/u,
    );
    const edit = { roomId: 'r', messageId: 'm', text: '', ciphertext: KP, epoch: 1 };
    expect(refusal('message:edit', edit).message).toMatch(/ciphertext and deviceId go together/u);
    expect(parsePayload(schemas.createRoom, { options: { encrypted: true } }).options?.encrypted).toBe(true);
    expect(refusal('createRoom', { options: { encrypted: 'yes' } }).message).toMatch(/options.encrypted must be true or false/u);
  });

  it('an encrypted message names its uploads in clear (uploads): bounded, and only with ciphertext', () => {
    const send = { roomId: 'r', clientId: 'c', text: '', ciphertext: KP, epoch: 1, deviceId: 'd' };
    const name = 'AbCdEfGhIjKlMnOpQrStUv.bin';
    expect(parsePayload(schemas['message:send'], { ...send, uploads: [name] }).uploads).toEqual([name]);
    expect(refusal('message:send', { roomId: 'r', clientId: 'c', text: 'hi', uploads: [name] }).message).toBe(
      'uploads goes with ciphertext: a message that is not encrypted names its files in attachments.',
    );
    const many = Array.from({ length: DEFAULT_LIMITS.maxAttachments + 1 }, () => name);
    expect(refusal('message:send', { ...send, uploads: many }).message).toBe(
      `A message can carry at most ${DEFAULT_LIMITS.maxAttachments} files.`,
    );
    expect(refusal('message:send', { ...send, uploads: ['../x.bin'] }).message).toBe(
      'Each upload may contain only letters, digits and . _ : @ -',
    );
    expect(refusal('message:send', { ...send, uploads: ['a'.repeat(65)] }).message).toBe('Each upload must be at most 64 characters.');
    expect(refusal('message:send', { ...send, uploads: [''] }).message).toBe('Each upload must not be empty.');
    expect(refusal('message:send', { ...send, uploads: 'x.bin' }).message).toBe('uploads must be a list of the names of uploaded files.');
  });
});
