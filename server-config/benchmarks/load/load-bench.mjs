#!/usr/bin/env node
// The workload of LoadBenchmark.java (Folio) against y-websocket's server and Hocuspocus, for
// comparison in the same session. Prints one JSON line per scenario with the same fields.
//
//   node load-bench.mjs --server y-websocket|hocuspocus|hocuspocus-sqlite
//        [--port 18291] [--scenarios 1x10@20,10x5@20,1x50@5,1x10@max16,1x50@20]
//        [--warmup-seconds 5] [--seconds 10] [--jit-warmup-seconds 10] [--seed-chars 1000]
//        [--workers 2]
//
// The server runs as a child process on 127.0.0.1 (its RSS and CPU are read from /proc); the
// clients are real providers (y-websocket's WebsocketProvider, HocuspocusProvider) over `ws`,
// each with its own Y.Doc and socket, spread over --workers threads. One keystroke is one
// Y.Text insert (one transaction, one update message). "ack" is the server's echo of the
// client's own update (both servers send every update to every connection of the document,
// the sender included; Hocuspocus also sends a SyncStatus right after it): applied in the
// server's memory, not stored anywhere. Broadcast latency: keystroke at client A to the update
// applied at client B, matched by (clientID, clock).
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';

const TYPED = 'the quick brown fox jumps over the lazy dog ';
const here = path.dirname(fileURLToPath(import.meta.url));
/** Milliseconds on the monotonic clock, the same in every thread of the process. */
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function until(condition, what, timeoutMs = 60000) {
  const deadline = now() + timeoutMs;
  while (!condition()) {
    if (now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

// ------------------------------------------------------------------------------------------
// Worker: a set of editing clients

class Client {
  constructor({ kind, url, room, doc, index, clientsPerDoc }) {
    Object.assign(this, { kind, room, doc, index, clientsPerDoc });
    this.ydoc = new Y.Doc();
    this.text = this.ydoc.getText('t');
    this.offset = doc * 1000 + index;
    this.sentAt = []; // by clock; 0 = not timed (the seed)
    this.ackedAt = [];
    this.sentClocks = 0;
    this.ackedClocks = 0;
    this.recvClient = [];
    this.recvClock = [];
    this.recvAt = [];
    this.errors = 0;
    this.running = false;
    this.window = 0;
    this.cursor = null;
    this.synced = false;
    if (kind === 'y-websocket') {
      // y-websocket 3 (client) speaks to @y/websocket-server: the room is the URL path.
      this.provider = new WSProvider(url, room, this.ydoc, { WebSocketPolyfill: WebSocket, disableBc: true });
      // The provider sets ws.onmessage first, so this listener sees each message once it is applied.
      this.provider.ws.addEventListener('message', (event) => this.onMessage(new Uint8Array(event.data), false));
      this.provider.on('sync', (synced) => {
        this.synced = synced;
      });
      this.provider.on('connection-close', () => {
        if (this.running) this.errors++;
      });
    } else {
      this.provider = new HocuspocusProvider({ url, name: room, document: this.ydoc, WebSocketPolyfill: WebSocket });
      const apply = this.provider.onMessage.bind(this.provider);
      this.provider.onMessage = (event) => {
        apply(event);
        this.onMessage(new Uint8Array(event.data), true);
      };
      this.provider.on('synced', () => {
        this.synced = true;
      });
      this.provider.on('disconnect', () => {
        if (this.running) this.errors++;
      });
    }
  }

  onMessage(bytes, hocuspocus) {
    const at = now();
    const decoder = decoding.createDecoder(bytes);
    if (hocuspocus) decoding.readVarString(decoder); // document name
    if (decoding.readVarUint(decoder) !== 0) return; // not a sync message
    if (decoding.readVarUint(decoder) !== 2) return; // not an update (sync steps 1 and 2 at join)
    const meta = Y.parseUpdateMeta(decoding.readVarUint8Array(decoder));
    for (const [client, from] of meta.from) {
      const to = meta.to.get(client);
      if (client === this.ydoc.clientID) {
        for (let clock = from; clock < to; clock++) {
          if (this.ackedAt[clock] === undefined) {
            this.ackedAt[clock] = at;
            this.ackedClocks++;
          }
        }
        if (this.window > 0) this.pump();
      } else {
        this.recvClient.push(client);
        this.recvClock.push(from);
        this.recvAt.push(at);
      }
    }
  }

  insert(index, string, timed) {
    const clock = Y.getState(this.ydoc.store, this.ydoc.clientID);
    const at = now();
    this.text.insert(index, string);
    for (let i = 0; i < string.length; i++) this.sentAt[clock + i] = timed ? at : 0;
    this.sentClocks += string.length;
    // The caret stays right after the character just typed, as editor bindings keep it.
    this.cursor = Y.createRelativePositionFromTypeIndex(this.text, index + string.length, -1);
  }

  startAt(index) {
    this.cursor = Y.createRelativePositionFromTypeIndex(this.text, Math.min(index, this.text.length), -1);
  }

  typeOne() {
    if (!this.running) return;
    const position = Y.createAbsolutePositionFromRelativePosition(this.cursor, this.ydoc);
    const index = position === null ? this.text.length : position.index;
    this.insert(index, TYPED[(this.offset + this.sentClocks) % TYPED.length], true);
  }

  pump() {
    while (this.running && this.sentClocks - this.ackedClocks < this.window) this.typeOne();
  }

  records() {
    const timedClocks = this.sentAt.length;
    const sentAt = new Float64Array(timedClocks);
    const ackedAt = new Float64Array(timedClocks);
    for (let i = 0; i < timedClocks; i++) {
      sentAt[i] = this.sentAt[i] || 0;
      ackedAt[i] = this.ackedAt[i] || 0;
    }
    return {
      doc: this.doc,
      clientID: this.ydoc.clientID,
      errors: this.errors,
      sentAt,
      ackedAt,
      recvClient: Float64Array.from(this.recvClient),
      recvClock: Float64Array.from(this.recvClock),
      recvAt: Float64Array.from(this.recvAt),
    };
  }

  close() {
    this.running = false;
    this.provider.destroy();
    this.ydoc.destroy();
  }
}

let WSProvider, HocuspocusProvider;

async function worker() {
  // Each provider adds a process 'exit' listener; 50 of them are expected, not a leak.
  process.setMaxListeners(0);
  if (workerData.kind === 'y-websocket') {
    WSProvider = (await import('y-websocket')).WebsocketProvider;
  } else {
    HocuspocusProvider = (await import('@hocuspocus/provider')).HocuspocusProvider;
  }
  const clients = [];
  let typing = null;
  const handlers = {
    async open({ room, doc, index, clientsPerDoc, seed }) {
      const client = new Client({ kind: workerData.kind, url: workerData.url, room, doc, index, clientsPerDoc });
      clients.push(client);
      await until(() => client.synced, `${room}/${index} synced`);
      if (seed) {
        client.insert(0, seed, false);
        await until(() => client.ackedClocks === client.sentClocks, 'the seed echoed');
      } else {
        await until(() => client.text.length >= workerData.seedChars, `${room}/${index} has the seed`);
      }
      client.startAt(Math.floor((index * workerData.seedChars) / clientsPerDoc));
      return true;
    },
    async run({ start, end, rate, window }) {
      await sleep(start - now());
      for (const client of clients) client.running = true;
      if (window > 0) {
        for (const client of clients) {
          client.window = window;
          client.pump();
        }
        typing = sleep(end - now()).then(() => {
          for (const client of clients) client.running = false;
        });
      } else {
        // Fixed rate with catch-up (like ScheduledExecutorService.scheduleAtFixedRate in Java).
        const period = 1000 / rate;
        let seed = 42 + clients[0].offset;
        const random = () => {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          return seed / 2147483648;
        };
        for (const client of clients) client.nextDue = start + random() * period;
        typing = new Promise((resolve) => {
          const tick = () => {
            const t = now();
            if (t >= end) {
              for (const client of clients) client.running = false;
              resolve();
              return;
            }
            let next = end;
            for (const client of clients) {
              while (client.nextDue <= t) {
                client.typeOne();
                client.nextDue += period;
              }
              next = Math.min(next, client.nextDue);
            }
            setTimeout(tick, Math.max(0, next - now()));
          };
          tick();
        });
      }
      return true;
    },
    async drain({ deadline }) {
      await typing;
      const unacked = () => clients.reduce((sum, c) => sum + c.sentClocks - c.ackedClocks, 0);
      while (unacked() > 0 && now() < deadline) await sleep(5);
      return unacked();
    },
    async state() {
      return clients.map((c) => ({
        doc: c.doc,
        vector: Buffer.from(Y.encodeStateVector(c.ydoc)).toString('base64'),
        text: c.text.toString(),
      }));
    },
    async records() {
      return clients.map((c) => c.records());
    },
    async close() {
      for (const client of clients) client.close();
      return true;
    },
  };
  parentPort.on('message', async ({ id, cmd, args }) => {
    try {
      const reply = await handlers[cmd](args);
      const transfer =
        cmd === 'records'
          ? reply.flatMap((r) => [r.sentAt, r.ackedAt, r.recvClient, r.recvClock, r.recvAt].map((a) => a.buffer))
          : [];
      parentPort.postMessage({ id, reply }, transfer);
    } catch (error) {
      parentPort.postMessage({ id, error: String(error.stack || error) });
    }
  });
  parentPort.postMessage({ ready: true });
}

// ------------------------------------------------------------------------------------------
// Main: the server process, the scenarios, the numbers

class WorkerHandle {
  constructor(data) {
    this.worker = new Worker(fileURLToPath(import.meta.url), { workerData: data });
    this.pending = new Map();
    this.nextId = 0;
    this.ready = new Promise((resolve) => {
      this.worker.on('message', (message) => {
        if (message.ready) return resolve();
        const { resolve: ok, reject } = this.pending.get(message.id);
        this.pending.delete(message.id);
        message.error ? reject(new Error(message.error)) : ok(message.reply);
      });
    });
    this.worker.on('error', (error) => {
      for (const { reject } of this.pending.values()) reject(error);
    });
  }

  call(cmd, args = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, cmd, args });
    });
  }
}

const proc = {
  rssMiB(pid) {
    try {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('VmRSS:'));
      return Math.floor(Number(line.replace(/[^0-9]/g, '')) / 1024);
    } catch {
      return -1;
    }
  },
  cpuTicks(pid) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  },
  ticksPerSecond: (() => {
    try {
      return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      return 100;
    }
  })(),
  /** CPU time of the whole machine (all but idle and iowait), in clock ticks. */
  machineBusyTicks() {
    try {
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
      return cpu.reduce((sum, ticks, i) => (i === 3 || i === 4 ? sum : sum + ticks), 0);
    } catch {
      return 0;
    }
  },
  loadAverage() {
    try {
      return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    } catch {
      return -1;
    }
  },
};

function parseScenario(spec) {
  const m = /^(\d+)x(\d+)@(max)?(\d+(?:\.\d+)?)$/.exec(spec);
  if (!m) throw new Error(`scenario ${spec} is not DOCSxCLIENTS@RATE or DOCSxCLIENTS@maxN`);
  const [docs, clientsPerDoc, number] = [Number(m[1]), Number(m[2]), Number(m[4])];
  return { name: spec, docs, clientsPerDoc, rate: m[3] ? 0 : number, window: m[3] ? number : 0 };
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

async function startServer(kind, port, work) {
  if (!(await portIsFree(port))) throw new Error(`port ${port} is in use; pass --port`);
  let child;
  if (kind === 'y-websocket') {
    // The package's own server (its bin), as `npx y-websocket` would start it.
    child = spawn(process.execPath, [path.join(here, 'node_modules/@y/websocket-server/src/server.js')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else {
    const args = [path.join(here, 'hocuspocus-server.mjs'), '--port', String(port)];
    if (kind === 'hocuspocus-sqlite') {
      const file = path.join(work, 'hocuspocus.sqlite');
      rmSync(file, { force: true });
      args.push('--sqlite', file);
    }
    child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const deadline = now() + 30000;
  while (
    await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    })
  ) {
    if (child.exitCode !== null || now() > deadline) throw new Error(`${kind} did not start`);
    await sleep(50);
  }
  return child;
}

const percentile = (sorted, q) => {
  if (sorted.length === 0) return -1;
  const rank = Math.ceil(q * sorted.length);
  return Math.round(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] * 100) / 100;
};
const round = (x) => Math.round(x * 100) / 100;

async function runScenario(options, server, scenario, warmupSeconds, seconds, runId) {
  const workers = Array.from(
    { length: Math.min(options.workers, scenario.docs * scenario.clientsPerDoc) },
    () =>
      new WorkerHandle({ kind: options.server, url: `ws://127.0.0.1:${options.port}`, seedChars: options.seedChars }),
  );
  await Promise.all(workers.map((w) => w.ready));
  const seed = TYPED.repeat(Math.ceil(options.seedChars / TYPED.length)).slice(0, options.seedChars);
  const room = (d) => `load-${runId}-${scenario.name}-${d}`;
  const owner = (d, c) => workers[(d * scenario.clientsPerDoc + c) % workers.length];
  for (let d = 0; d < scenario.docs; d++) {
    await owner(d, 0).call('open', { room: room(d), doc: d, index: 0, clientsPerDoc: scenario.clientsPerDoc, seed });
    for (let c = 1; c < scenario.clientsPerDoc; c++) {
      await owner(d, c).call('open', { room: room(d), doc: d, index: c, clientsPerDoc: scenario.clientsPerDoc });
    }
  }

  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, proc.rssMiB(server.pid));
  }, 250);
  const start = now() + 200;
  const windowStart = start + warmupSeconds * 1000;
  const windowEnd = windowStart + seconds * 1000;
  await Promise.all(
    workers.map((w) => w.call('run', { start, end: windowEnd, rate: scenario.rate, window: scenario.window })),
  );
  const usage = () => ({
    wall: now(),
    server: proc.cpuTicks(server.pid),
    client: process.cpuUsage(),
    machine: proc.machineBusyTicks(),
  });
  await sleep(windowStart - now());
  const before = usage();
  await sleep(windowEnd - now());
  const after = usage();
  const loadAverage = proc.loadAverage();
  // Every update echoed, every client of a document with the same state vector and text: waited
  // for at most 30 s after the window. A server that fell behind is reported, not an exception.
  const deadline = now() + 30000;
  const unacked = (await Promise.all(workers.map((w) => w.call('drain', { deadline })))).reduce((a, b) => a + b, 0);
  const drainSeconds = round((now() - windowEnd) / 1000);
  clearInterval(sampler);

  let converged = false;
  let textChars = 0;
  while (unacked === 0 && !converged && now() < deadline) {
    const states = (await Promise.all(workers.map((w) => w.call('state')))).flat();
    converged = true;
    textChars = 0;
    for (let d = 0; d < scenario.docs; d++) {
      const mine = states.filter((s) => s.doc === d);
      converged &&= mine.every((s) => s.vector === mine[0].vector && s.text === mine[0].text);
      textChars += [...mine[0].text].length;
    }
    if (!converged) await sleep(50);
  }

  const records = (await Promise.all(workers.map((w) => w.call('records')))).flat();
  await Promise.all(workers.map((w) => w.call('close')));
  await Promise.all(workers.map((w) => w.worker.terminate()));

  let sent = 0;
  let acked = 0;
  let deliveries = 0;
  let errors = 0;
  const ack = [];
  const broadcast = [];
  const byClient = new Map(records.map((r) => [r.clientID, r]));
  for (const r of records) {
    errors += r.errors;
    for (let clock = 0; clock < r.sentAt.length; clock++) {
      const sentAt = r.sentAt[clock];
      const ackedAt = r.ackedAt[clock];
      if (sentAt === 0) continue;
      if (ackedAt >= windowStart && ackedAt < windowEnd) acked++;
      if (sentAt >= windowStart && sentAt < windowEnd) {
        sent++;
        if (ackedAt > 0) ack.push(ackedAt - sentAt);
      }
    }
    for (let i = 0; i < r.recvAt.length; i++) {
      const at = r.recvAt[i];
      if (at >= windowStart && at < windowEnd) deliveries++;
      const sender = byClient.get(r.recvClient[i]);
      const sentAt = sender && sender.sentAt[r.recvClock[i]];
      if (sentAt >= windowStart && sentAt < windowEnd) broadcast.push(at - sentAt);
    }
  }
  ack.sort((a, b) => a - b);
  broadcast.sort((a, b) => a - b);
  const wall = (after.wall - before.wall) / 1000;
  const clientCpu = (after.client.user + after.client.system - before.client.user - before.client.system) / 1e6;
  const clients = scenario.docs * scenario.clientsPerDoc;
  return {
    server: options.server,
    scenario: scenario.name,
    mode: scenario.window > 0 ? 'window' : 'typing',
    docs: scenario.docs,
    clients,
    rate: scenario.rate,
    window: scenario.window,
    seconds,
    targetPerSecond: scenario.rate * clients,
    sent,
    acked,
    ackedPerSecond: round(acked / seconds),
    ackP50Ms: percentile(ack, 0.5),
    ackP95Ms: percentile(ack, 0.95),
    ackP99Ms: percentile(ack, 0.99),
    ackMaxMs: percentile(ack, 1),
    broadcastP50Ms: percentile(broadcast, 0.5),
    broadcastP99Ms: percentile(broadcast, 0.99),
    deliveriesPerSecond: round(deliveries / seconds),
    serverRssMiB: proc.rssMiB(server.pid),
    serverRssPeakMiB: peak,
    serverCpuCores: round((after.server - before.server) / proc.ticksPerSecond / wall),
    dbCpuCores: 0,
    clientCpuCores: round(clientCpu / wall),
    otherCpuCores: round(
      (after.machine - before.machine - (after.server - before.server)) / proc.ticksPerSecond / wall - clientCpu / wall,
    ),
    loadAverage,
    drained: unacked === 0,
    drainSeconds,
    unacked,
    errors,
    ackMeans:
      options.server === 'hocuspocus-sqlite'
        ? 'own update echoed (in memory; SQLite stores the whole document 2-10 s later)'
        : 'own update echoed (in memory)',
    converged,
    textChars,
  };
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const options = {
    server: option('--server', 'y-websocket'),
    port: Number(option('--port', '18291')),
    scenarios: option('--scenarios', '1x10@20,10x5@20,1x50@5,1x10@max16,1x50@20')
      .split(',')
      .filter(Boolean)
      .map(parseScenario),
    warmupSeconds: Number(option('--warmup-seconds', '5')),
    seconds: Number(option('--seconds', '10')),
    jitWarmupSeconds: Number(option('--jit-warmup-seconds', '10')),
    seedChars: Number(option('--seed-chars', '1000')),
    workers: Number(option('--workers', '2')),
    work: option('--work', path.join(here, 'target')),
  };
  if (!['y-websocket', 'hocuspocus', 'hocuspocus-sqlite'].includes(options.server)) {
    throw new Error(`unknown --server ${options.server}`);
  }
  mkdirSync(options.work, { recursive: true });
  const server = await startServer(options.server, options.port, options.work);
  const runId = Date.now().toString(36);
  try {
    console.error(`# ${options.server} on 127.0.0.1:${options.port}, pid ${server.pid}`);
    // A fresh server, before any client: what it costs to be up.
    console.log(JSON.stringify({ server: options.server, scenario: 'idle', serverRssMiB: proc.rssMiB(server.pid) }));
    if (options.jitWarmupSeconds > 0 && options.scenarios.length > 0) {
      console.error(`# JIT warm-up: ${options.scenarios[0].name} for ${options.jitWarmupSeconds} s, not recorded`);
      await runScenario(options, server, options.scenarios[0], 0, options.jitWarmupSeconds, runId + 'w');
    }
    for (const scenario of options.scenarios) {
      console.error(`# scenario ${scenario.name}`);
      console.log(
        JSON.stringify(await runScenario(options, server, scenario, options.warmupSeconds, options.seconds, runId)),
      );
    }
  } finally {
    server.kill('SIGTERM');
  }
}

if (isMainThread) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  worker().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
