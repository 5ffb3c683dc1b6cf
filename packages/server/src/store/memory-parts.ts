import type { StorePart } from '../core/store-part.js';

/**
 * Plugins' store parts on a MemoryStore: one per part name, kept for the store's life, so that
 * several chat servers sharing the store (one process's cluster in tests) share the part too.
 */
export class MemoryParts {
  readonly #parts = new Map<string, unknown>();

  part<Part>(spec: StorePart<Part>): Part | undefined {
    if (this.#parts.has(spec.name)) return this.#parts.get(spec.name) as Part;
    if (!spec.memory) return undefined;
    const part = spec.memory();
    this.#parts.set(spec.name, part);
    return part;
  }
}
