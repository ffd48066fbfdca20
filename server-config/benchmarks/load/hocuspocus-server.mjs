// Hocuspocus as a user would run it: its Server on a loopback port, optionally with the SQLite
// extension (which stores the whole document, debounced: 2 s after the last change, at most
// every 10 s while changes keep coming; never before the update is applied and broadcast).
//   node hocuspocus-server.mjs --port 18292 [--sqlite FILE]
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(option('--port', '18292'));
const sqlite = option('--sqlite', null);

const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  extensions: sqlite ? [new SQLite({ database: sqlite })] : [],
});
await server.listen();
console.error(`# hocuspocus ${sqlite ? `with SQLite (${sqlite}) ` : ''}listening on 127.0.0.1:${port}`);
