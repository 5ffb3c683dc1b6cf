// Loaded with `node --import` before a docs snippet that run-snippets.integration.test.ts runs
// (snippet-runner.ts writes the snippet beside it). It makes a snippet end, and end the same way
// every time:
//
// - a port given to `listen` (3000, 4000, `{ port: 3000 }`) becomes 0: snippets run side by side
//   and beside other suites, so none may take a fixed port;
// - `httpServer`, the one name the docs' pages define for later snippets (the compile test
//   declares it too), is an HTTP server that does not listen;
// - the runner appends `globalThis.__snippetEvaluated()` to the snippet's module, so it runs once
//   the module has finished evaluating, top-level awaits included. From then on, QUIET_MS with no
//   uncaught exception and no unhandled rejection end the process with 0: a server the snippet
//   started keeps listening, which is what a snippet is expected to leave behind;
// - an uncaught exception or an unhandled rejection, before or during that quiet moment, ends it
//   with 1, printing the error. A snippet that never finishes evaluating is stopped by the
//   runner's timeout; one whose top-level await can never settle ends with Node's own code 13.
import { createServer } from 'node:http';
import { Server } from 'node:net';
import { inspect } from 'node:util';

const QUIET_MS = Number(process.env['SNIPPET_QUIET_MS'] ?? 500);

const listen = Server.prototype.listen;
/** Replaces the port of `listen`'s arguments by 0 (HTTP, HTTPS and TCP servers), leaving a path or a handle alone. */
Server.prototype.listen = function listenOnAnyPort(...args) {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/u.test(first))) args[0] = 0;
  else if (first !== null && typeof first === 'object' && 'port' in first) args[0] = { ...first, port: 0 };
  return listen.apply(this, args);
};

globalThis.httpServer = createServer();

let ended = false;
function fail(kind, error) {
  if (ended) return;
  ended = true;
  process.stderr.write(`snippet: ${kind}: ${inspect(error, { depth: 4 })}\n`);
  process.exit(1);
}
process.on('uncaughtException', (error) => fail('uncaught exception', error));
process.on('unhandledRejection', (reason) => fail('unhandled rejection', reason));

globalThis.__snippetEvaluated = () => {
  setTimeout(() => {
    if (ended) return;
    ended = true;
    process.exit(0);
  }, QUIET_MS);
};
