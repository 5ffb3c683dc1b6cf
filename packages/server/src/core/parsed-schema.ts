// A Standard Schema over a parse function: how the built-in plugins give their events the
// protocol's own schemas (`parsePayload`), which refuse with the protocol's sentences, thrown as
// they are, rather than the issues a Standard Schema would list.
import type { StandardSchemaV1 } from './standard-schema.js';

/** The payload schema of a plugin event whose `parse` answers the value or throws its `ChatError`. */
export function parsedSchema<Output>(parse: (value: unknown) => Output): StandardSchemaV1<unknown, Output> {
  return { '~standard': { version: 1, vendor: 'chat', validate: (value) => ({ value: parse(value) }) } };
}
