// Where a browser keeps its side of a document between page loads: which site it edits as, its
// counters, the edits the server has not acknowledged yet (the outbox), and a copy of its replica
// so the text shows, and can be edited, before the server answers or without a network at all.
//
// One record per (document, site). Two tabs on one document must not insert under the same site,
// so a tab claims a record with a Web Lock held for its lifetime; a second tab finds it taken and
// starts a record of its own with a new site.
//
// A record belongs to the user who made it (`userId`): a page only claims, and so only sends, the
// records of the signed-in user. On a shared computer another person's waiting edits must never go
// out under someone else's name; they wait until their own person signs in again. Records from
// before users (no `userId`) may be claimed by anyone, and then belong to whoever claimed them.

/**
 * @typedef {object} OutboxEntry an edit not yet acknowledged, exactly as it was (and will be) sent
 * @property {number} seq its place in the outbox
 * @property {string} opId
 * @property {import('./lseq-codec.js').OperationJson[]} ops the delta's operations in the JSON form of docs/lseq.md
 */

/**
 * @typedef {object} Counters what must survive a reload for the next edit to be valid
 * @property {number} nextCounter the LSEQ counter of the site's next insert
 * @property {number} nextOp the number of the next edit (opId and outbox seq)
 */

/**
 * @typedef {object} ClientRecord a claimed record, as loaded
 * @property {string} documentId
 * @property {number} site
 * @property {string | undefined} userId whose it is
 * @property {Counters} counters
 * @property {number | null} version the version `state` stands at (null: no state kept)
 * @property {PackedState | null} state
 * @property {OutboxEntry[]} outbox oldest first
 */

/** @typedef {import('./lseq.js').PackedState} PackedState the replica, in typed arrays */

/** This tab, for the lease that stands in for Web Locks where a browser has none. */
const TAB = typeof crypto !== 'undefined' && crypto.randomUUID ? crypto.randomUUID() : String(Math.random());

/** The edit store on IndexedDB and Web Locks: what the editor page uses. */
export class IndexedDbEditStore {
  static #DB = 'folio';
  /** @type {Promise<IDBDatabase> | null} */
  #db = null;
  /** @type {Map<string, () => void>} */
  #locks = new Map();
  /** The user of each record this tab holds (`documentId|site`), written with every update. @type {Map<string, string | undefined>} */
  #owners = new Map();

  /** Whether this browser has what the store needs (private windows of some browsers do not). */
  static available() {
    return typeof indexedDB !== 'undefined';
  }

  /**
   * Claims a record of `documentId` that belongs to `userId` (or to nobody yet) and that no other
   * tab holds, with its outbox and saved replica.
   * @param {string} documentId @param {string} [userId]
   * @returns {Promise<ClientRecord | null>} null when there is none free
   */
  async claim(documentId, userId) {
    const db = await this.#open();
    const range = IDBKeyRange.bound([documentId, 0], [documentId, Infinity]);
    const clients = (await request(db.transaction('clients').objectStore('clients').getAll(range))).filter(
      (client) => client.userId === undefined || client.userId === userId,
    );
    // Records with edits waiting first: those are the ones a tab must not leave behind.
    const waiting = await this.#outboxSizes(clients);
    const ordered = clients.map((client, i) => ({ client, waiting: waiting[i] })).sort((x, y) => y.waiting - x.waiting);
    const claimed =
      (await this.#firstFree(documentId, ordered, 0)) ??
      // A tab that was just closed may hold its lock a moment longer: wait for its edits.
      (await this.#firstFree(
        documentId,
        ordered.filter((x) => x.waiting > 0),
        1000,
      ));
    if (!claimed) return null;
    const site = claimed.client.site;
    // Read again under the lock: the tab that held it may have written since.
    const tx = db.transaction(['clients', 'replicas', 'outbox']);
    const [client, replica, outbox] = await Promise.all([
      request(tx.objectStore('clients').get([documentId, site])),
      request(tx.objectStore('replicas').get([documentId, site])),
      request(tx.objectStore('outbox').getAll(outboxRange(documentId, site))),
    ]);
    // The counters went with each edit and with each saved copy, in separate transactions:
    // whichever is further is the truth, and no kept edit's number may be handed out again.
    const lastSeq = outbox.reduce((last, entry) => Math.max(last, entry.seq), -1);
    const counters = {
      nextCounter: Math.max(client?.nextCounter ?? 0, replica?.nextCounter ?? 0),
      nextOp: Math.max(client?.nextOp ?? 0, replica?.nextOp ?? 0, lastSeq + 1),
    };
    this.#owners.set(`${documentId}|${site}`, userId);
    if (client && client.userId !== userId) {
      // A record from before users: it is this user's from now on (and goes when they sign out).
      await done(putClient(db.transaction('clients', 'readwrite'), documentId, site, userId, counters));
    }
    return {
      documentId,
      site,
      userId,
      counters,
      version: replica ? replica.version : null,
      state: replica ? replica.state : null,
      outbox: outbox.map(({ seq, opId, ops }) => ({ seq, opId, ops })),
    };
  }

  /**
   * The first record whose lock this tab gets within `wait` milliseconds.
   * @param {string} documentId @param {Array<{client: {site: number}}>} candidates @param {number} wait
   */
  async #firstFree(documentId, candidates, wait) {
    for (const candidate of candidates) {
      if (await this.#lock(documentId, candidate.client.site, wait)) return candidate;
    }
    return null;
  }

  /** How many edits wait in each record. @param {Array<{documentId: string, site: number}>} clients */
  async #outboxSizes(clients) {
    if (clients.length === 0) return [];
    const db = await this.#open();
    const tx = db.transaction('outbox');
    return Promise.all(
      clients.map((client) => request(tx.objectStore('outbox').count(outboxRange(client.documentId, client.site)))),
    );
  }

  /**
   * Starts a record for a site the server just gave this tab.
   * @param {string} documentId @param {number} site @param {string} [userId] whose it is
   */
  async adopt(documentId, site, userId) {
    await this.#lock(documentId, site);
    this.#owners.set(`${documentId}|${site}`, userId);
    const db = await this.#open();
    const tx = db.transaction('clients', 'readwrite');
    await done(putClient(tx, documentId, site, userId, { nextCounter: 0, nextOp: 0 }));
  }

  /**
   * Keeps an edit and the counters it used, together: after a crash either both are there or
   * neither was sent.
   * @param {string} documentId @param {number} site @param {Counters} counters @param {OutboxEntry} entry
   */
  async append(documentId, site, counters, entry) {
    const db = await this.#open();
    const tx = db.transaction(['clients', 'outbox'], 'readwrite');
    putClient(tx, documentId, site, this.#owners.get(`${documentId}|${site}`), counters);
    tx.objectStore('outbox').put({ documentId, site, ...entry });
    await done(tx);
  }

  /** Drops an acknowledged edit. @param {string} documentId @param {number} site @param {number} seq */
  async remove(documentId, site, seq) {
    const db = await this.#open();
    const tx = db.transaction('outbox', 'readwrite');
    tx.objectStore('outbox').delete([documentId, site, seq]);
    await done(tx);
  }

  /**
   * @param {string} documentId @param {number} site @param {number} version
   * @param {PackedState} state the replica at `version`, plus any of the outbox's edits
   * @param {Counters} counters the counters its inserts used
   */
  async saveReplica(documentId, site, version, state, counters) {
    const db = await this.#open();
    const tx = db.transaction('replicas', 'readwrite');
    tx.objectStore('replicas').put({ documentId, site, version, state, ...counters });
    await done(tx);
  }

  /** Drops the saved replica: the next load joins for a snapshot. @param {string} documentId @param {number} site */
  async forgetReplica(documentId, site) {
    const db = await this.#open();
    const tx = db.transaction('replicas', 'readwrite');
    tx.objectStore('replicas').delete([documentId, site]);
    await done(tx);
  }

  /** Forgets a record entirely (the document is gone, or the server no longer knows the site). */
  async forget(/** @type {string} */ documentId, /** @type {number} */ site) {
    const db = await this.#open();
    const tx = db.transaction(['clients', 'replicas', 'outbox'], 'readwrite');
    tx.objectStore('clients').delete([documentId, site]);
    tx.objectStore('replicas').delete([documentId, site]);
    tx.objectStore('outbox').delete(outboxRange(documentId, site));
    await done(tx);
    this.#unlock(documentId, site);
    this.#owners.delete(`${documentId}|${site}`);
  }

  /**
   * Deletes every record of `userId`: saved copies, counters and waiting edits (signing out on a
   * shared computer). Records other tabs hold go too; those tabs are signing out as well.
   * @param {string} userId
   */
  async forgetUser(userId) {
    const db = await this.#open();
    const tx = db.transaction(['clients', 'replicas', 'outbox'], 'readwrite');
    // Callbacks, not awaits, so that the deletes are made while the transaction is active.
    tx.objectStore('clients').getAll().onsuccess = (event) => {
      for (const { documentId, site, userId: owner } of /** @type {IDBRequest} */ (event.target).result) {
        if (owner !== userId) continue;
        tx.objectStore('clients').delete([documentId, site]);
        tx.objectStore('replicas').delete([documentId, site]);
        tx.objectStore('outbox').delete(outboxRange(documentId, site));
      }
    };
    await done(tx);
    for (const [key, owner] of this.#owners) {
      if (owner !== userId) continue;
      const [documentId, site] = key.split('|');
      this.#unlock(documentId, Number(site));
      this.#owners.delete(key);
    }
  }

  /**
   * How many edits of `userId` wait in this browser for the server, over all documents.
   * @param {string} userId @returns {Promise<number>}
   */
  async pendingOf(userId) {
    const db = await this.#open();
    const tx = db.transaction(['clients', 'outbox']);
    const clients = (await request(tx.objectStore('clients').getAll())).filter((client) => client.userId === userId);
    const counts = await Promise.all(
      clients.map((client) => request(tx.objectStore('outbox').count(outboxRange(client.documentId, client.site)))),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** Lets other tabs claim this tab's records (the page is going away). */
  release() {
    for (const unlock of this.#locks.values()) unlock();
    this.#locks.clear();
  }

  /**
   * Takes the record's lock for as long as this tab lives (or until #unlock).
   * @param {string} documentId @param {number} site @param {number} [wait] milliseconds; 0: only if free now
   * @returns {Promise<boolean>}
   */
  async #lock(documentId, site, wait = 0) {
    const name = `folio:${documentId}:${site}`;
    if (this.#locks.has(name)) return true;
    if (typeof navigator === 'undefined' || !navigator.locks) return this.#lease(name);
    const options = wait > 0 ? { signal: AbortSignal.timeout(wait) } : { ifAvailable: true };
    const release = await new Promise((resolve) => {
      navigator.locks
        .request(name, options, (lock) => (lock ? new Promise((unlock) => resolve(unlock)) : resolve(null)))
        .catch(() => resolve(null)); // timed out
    });
    if (release) this.#locks.set(name, release);
    return Boolean(release);
  }

  /**
   * Without Web Locks (plain http, older browsers): a lease in localStorage, renewed while the tab
   * lives, so that two tabs still never share a record. Long enough to outlast a hidden tab's
   * throttled timers; a crashed tab's records are free again two minutes later.
   * @param {string} name
   */
  #lease(name) {
    const key = `${name}:lease`;
    const held = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (held && held.tab !== TAB && held.until > Date.now()) return false;
    const renew = () => localStorage.setItem(key, JSON.stringify({ tab: TAB, until: Date.now() + 120_000 }));
    renew();
    const timer = setInterval(renew, 20_000);
    const release = () => {
      clearInterval(timer);
      if (JSON.parse(localStorage.getItem(key) ?? 'null')?.tab === TAB) localStorage.removeItem(key);
    };
    addEventListener('pagehide', release, { once: true });
    this.#locks.set(name, release);
    return true;
  }

  /** @param {string} documentId @param {number} site */
  #unlock(documentId, site) {
    const name = `folio:${documentId}:${site}`;
    this.#locks.get(name)?.();
    this.#locks.delete(name);
  }

  #open() {
    this.#db ??= new Promise((resolve, reject) => {
      const opening = indexedDB.open(IndexedDbEditStore.#DB, 1);
      opening.onupgradeneeded = () => {
        const db = opening.result;
        db.createObjectStore('clients', { keyPath: ['documentId', 'site'] });
        db.createObjectStore('replicas', { keyPath: ['documentId', 'site'] });
        db.createObjectStore('outbox', { keyPath: ['documentId', 'site', 'seq'] });
      };
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    return this.#db;
  }
}

/**
 * The same store in memory: for tests (a shared instance plays a browser's storage across page
 * loads) and for browsers without IndexedDB, where edits then last as long as the tab.
 */
export class MemoryEditStore {
  /** @type {Map<string, {userId: string | undefined, counters: Counters, version: number | null, state: PackedState | null, outbox: OutboxEntry[]}>} */
  #records = new Map();
  /** @type {Set<string>} */
  #claimed = new Set();

  /** @param {string} documentId @param {string} [userId] @returns {Promise<ClientRecord | null>} */
  async claim(documentId, userId) {
    for (const [key, record] of this.#records) {
      const [id, site] = key.split('|');
      if (id !== documentId || this.#claimed.has(key)) continue;
      if (record.userId !== undefined && record.userId !== userId) continue; // someone else's
      this.#claimed.add(key);
      record.userId = userId;
      return structuredClone({ documentId, site: Number(site), ...record });
    }
    return null;
  }

  /** @param {string} documentId @param {number} site @param {string} [userId] */
  async adopt(documentId, site, userId) {
    this.#claimed.add(`${documentId}|${site}`);
    this.#records.set(`${documentId}|${site}`, {
      userId,
      counters: { nextCounter: 0, nextOp: 0 },
      version: null,
      state: null,
      outbox: [],
    });
  }

  /** @param {string} documentId @param {number} site @param {Counters} counters @param {OutboxEntry} entry */
  async append(documentId, site, counters, entry) {
    const record = this.#record(documentId, site);
    record.counters = { ...counters };
    record.outbox.push(structuredClone(entry));
  }

  /** @param {string} documentId @param {number} site @param {number} seq */
  async remove(documentId, site, seq) {
    const record = this.#record(documentId, site);
    record.outbox = record.outbox.filter((entry) => entry.seq !== seq);
  }

  /** @param {string} documentId @param {number} site @param {number} version @param {PackedState} state @param {Counters} counters */
  async saveReplica(documentId, site, version, state, counters) {
    const record = this.#record(documentId, site);
    record.version = version;
    record.state = structuredClone(state);
    record.counters = {
      nextCounter: Math.max(record.counters.nextCounter, counters.nextCounter),
      nextOp: Math.max(record.counters.nextOp, counters.nextOp),
    };
  }

  /** @param {string} documentId @param {number} site */
  async forgetReplica(documentId, site) {
    const record = this.#record(documentId, site);
    record.version = null;
    record.state = null;
  }

  /** @param {string} documentId @param {number} site */
  async forget(documentId, site) {
    this.#records.delete(`${documentId}|${site}`);
    this.#claimed.delete(`${documentId}|${site}`);
  }

  /** @param {string} userId */
  async forgetUser(userId) {
    for (const [key, record] of this.#records) {
      if (record.userId !== userId) continue;
      this.#records.delete(key);
      this.#claimed.delete(key);
    }
  }

  /** @param {string} userId */
  async pendingOf(userId) {
    let count = 0;
    for (const record of this.#records.values()) if (record.userId === userId) count += record.outbox.length;
    return count;
  }

  release() {
    this.#claimed.clear();
  }

  /**
   * A record as a browser from before users left it (no user id), for tests.
   * @param {string} documentId @param {number} site @param {Counters} counters @param {OutboxEntry[]} outbox
   */
  putLegacy(documentId, site, counters, outbox) {
    this.#records.set(`${documentId}|${site}`, {
      userId: undefined,
      counters: { ...counters },
      version: null,
      state: null,
      outbox: structuredClone(outbox),
    });
  }

  /** The outbox of a record, for tests. @param {string} documentId @param {number} site */
  outbox(documentId, site) {
    return structuredClone(this.#record(documentId, site).outbox);
  }

  /** @param {string} documentId @param {number} site */
  #record(documentId, site) {
    const record = this.#records.get(`${documentId}|${site}`);
    if (!record) throw new Error(`no record for site ${site} of document ${documentId}`);
    return record;
  }
}

/**
 * @param {IDBTransaction} tx @param {string} documentId @param {number} site
 * @param {string | undefined} userId @param {Counters} counters
 * @returns {IDBTransaction}
 */
function putClient(tx, documentId, site, userId, { nextCounter, nextOp }) {
  tx.objectStore('clients').put({ documentId, site, userId, nextCounter, nextOp });
  return tx;
}

/** @param {string} documentId @param {number} site every outbox key of one record */
function outboxRange(documentId, site) {
  return IDBKeyRange.bound([documentId, site, 0], [documentId, site, Infinity]);
}

/** @template T @param {IDBRequest<T>} req @returns {Promise<T>} */
function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** @param {IDBTransaction} tx @returns {Promise<void>} */
function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}
