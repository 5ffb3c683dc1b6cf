// Every piece of text an object holds, however deep: its own properties, the private fields of
// classes (`#rooms`), the entries of Maps and Sets, array items, the variables of functions'
// closures, and the bytes of typed arrays and ArrayBuffers decoded as UTF-8. Read through V8's inspector in this same process: private fields
// are out of reach of any reflection, and a proof that a store holds no marker must see them. Part
// of `@chat/server/testing`: the conformance suite's erase case walks an in-memory store with it.
import { Session } from 'node:inspector/promises';
import type { Runtime } from 'node:inspector';

const GROUP = 'reachable-text';
/** Past this many objects the walk stops with an error (a store that reaches far more than it holds). */
const MAX_OBJECTS = 200_000;

/** Names an object once per walk: the inspector gives the same object a new id each time it is handed out. */
const identify = `function () {
  const ids = (globalThis.__reachableIds ??= new WeakMap());
  let id = ids.get(this);
  if (id === undefined) {
    id = globalThis.__reachableNext = (globalThis.__reachableNext ?? 0) + 1;
    ids.set(this, id);
  }
  return id;
}`;
const decode = `function () {
  const bytes = this instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && this instanceof SharedArrayBuffer)
    ? new Uint8Array(this) : new Uint8Array(this.buffer, this.byteOffset, this.byteLength);
  return new TextDecoder().decode(bytes);
}`;

/**
 * The strings reachable from `root` (property names and Map keys included). Of a function, only what
 * its closures hold (the variables of the functions it was made in: a plugin's memory part keeps its
 * Maps there); not its code, nor the module and global scopes. Rejects when more than 200,000
 * objects are reachable.
 */
export async function reachableText(root: object): Promise<string[]> {
  const session = new Session();
  session.connect();
  const holder = globalThis as { __reachableRoot?: object; __reachableIds?: unknown; __reachableNext?: unknown };
  holder.__reachableRoot = root;
  const texts: string[] = [];
  try {
    const start = await session.post('Runtime.evaluate', { expression: 'globalThis.__reachableRoot', objectGroup: GROUP });
    const queue: Runtime.RemoteObject[] = [start.result];
    const seen = new Set<number>();
    const value = (remote: Runtime.RemoteObject | undefined): void => {
      if (!remote) return;
      if (remote.type === 'string') texts.push(String(remote.value));
      else if ((remote.type === 'object' || remote.type === 'function') && remote.objectId !== undefined && remote.subtype !== 'null')
        queue.push(remote);
    };
    for (let remote = queue.pop(); remote; remote = queue.pop()) {
      const objectId = remote.objectId!;
      const id = await session.post('Runtime.callFunctionOn', { objectId, functionDeclaration: identify, returnByValue: true });
      if (seen.has(id.result.value as number)) continue;
      seen.add(id.result.value as number);
      if (seen.size > MAX_OBJECTS) throw new Error(`More than ${MAX_OBJECTS} objects are reachable: this is not a store's state alone.`);
      if (remote.type === 'function') {
        for (const variable of await closureVariables(session, objectId)) value(variable);
        continue;
      }
      // A timer is the runtime's, not data: its callback and the timer list lead to the rest of the process.
      if (remote.className === 'Timeout' || remote.className === 'Immediate') continue;
      if (remote.subtype === 'typedarray' || remote.subtype === 'arraybuffer' || remote.className === 'Buffer') {
        const text = await session.post('Runtime.callFunctionOn', { objectId, functionDeclaration: decode, returnByValue: true });
        texts.push(String(text.result.value));
        continue;
      }
      // V8 answers `privateProperties` too, which Node's types do not list.
      const props: Runtime.GetPropertiesReturnType & { privateProperties?: Array<{ value?: Runtime.RemoteObject }> } = await session.post(
        'Runtime.getProperties',
        { objectId, ownProperties: true, generatePreview: false },
      );
      for (const p of props.result) {
        if (p.name === '__proto__') continue;
        texts.push(p.name);
        value(p.value);
        // An accessor's value is computed: left alone (calling it could change the state looked at).
      }
      for (const p of props.privateProperties ?? []) value(p.value);
      // [[Entries]] of a Map or Set (objects of { key, value } or { value }); [[Target]] of a proxy...
      for (const p of props.internalProperties ?? []) if (p.name !== '[[Prototype]]') value(p.value);
    }
  } finally {
    delete holder.__reachableRoot;
    delete holder.__reachableIds;
    delete holder.__reachableNext;
    await session.post('Runtime.releaseObjectGroup', { objectGroup: GROUP }).catch(() => undefined);
    session.disconnect();
  }
  return texts;
}

/**
 * The values of the variables of a function's closures (the functions it was made in): a memory
 * part's Maps. Not its code, the bound `this` of a bound function, nor a module's or the global
 * scope, which reach everything.
 */
async function closureVariables(session: Session, objectId: string): Promise<Runtime.RemoteObject[]> {
  const own = await session.post('Runtime.getProperties', { objectId, ownProperties: true });
  const scopes = own.internalProperties?.find((p) => p.name === '[[Scopes]]')?.value?.objectId;
  if (scopes === undefined) return [];
  const variables: Runtime.RemoteObject[] = [];
  // Innermost first; the last before `Global` (or `Script`) is the module's: `Module` in an ES
  // module, `Block` under Vitest, and an unnamed `Closure` in CommonJS (Node's wrapper of each module).
  const chain = (await session.post('Runtime.getProperties', { objectId: scopes, ownProperties: true })).result.map((s) => s.value);
  for (const [at, scope] of chain.entries()) {
    const outer = chain[at + 1]?.description ?? 'Global';
    if (scope?.objectId === undefined || scope.description?.startsWith('Closure') !== true) continue;
    if (scope.description === 'Closure' && (outer === 'Global' || outer.startsWith('Script'))) continue;
    for (const v of (await session.post('Runtime.getProperties', { objectId: scope.objectId, ownProperties: true })).result) {
      if (v.value) variables.push(v.value);
    }
  }
  return variables;
}
