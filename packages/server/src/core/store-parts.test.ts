// Each built-in part lists every method of its interface (a store provides a part when it has them all).
import { expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { lackedParts } from './complete-store.js';
import {
  BUILT_IN_STORE_PARTS,
  type ModerationStore,
  type PushStore,
  type RetentionStore,
  type SearchStore,
  type UserDataStore,
} from './store-parts.js';

type Parts = typeof BUILT_IN_STORE_PARTS;
/** The methods of a part's interface its list leaves out: none, or this file does not compile. */
type Unlisted<Part, Key extends keyof Parts> = Exclude<keyof Part, Parts[Key]['methods'][number]>;
type AllUnlisted = [
  Unlisted<SearchStore, 'search'>,
  Unlisted<ModerationStore, 'moderation'>,
  Unlisted<PushStore, 'push'>,
  Unlisted<RetentionStore, 'retention'>,
  Unlisted<UserDataStore, 'userData'>,
];

it('lists every method of each part, and MemoryStore provides them all', () => {
  const listedWhole: AllUnlisted extends [never, never, never, never, never] ? true : false = true;
  expect(listedWhole).toBe(true);
  expect(lackedParts(new MemoryStore())).toEqual([]);
  const names = Object.values(BUILT_IN_STORE_PARTS).flatMap((part) => part.methods);
  expect(new Set(names).size).toBe(names.length);
});
