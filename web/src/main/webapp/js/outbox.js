// A session's local edits the server has not acknowledged yet: each is kept in the browser's
// storage before it is sent, sent once per socket in order, and forgotten when the server
// acknowledges (or refuses) it. After the replica is replaced, the outbox goes on top of it again.

import { deltaFromJson } from './lseq-codec.js';
import { deltaFrame } from './protocol-frames.js';

/** @typedef {import('./edit-store.js').OutboxEntry} OutboxEntry */
/** @typedef {import('./edit-store.js').Counters} Counters */
/** @typedef {import('./edit-store.js').IndexedDbEditStore | import('./edit-store.js').MemoryEditStore} EditStore */
/** @typedef {OutboxEntry & {persisted: Promise<void>, sentOn: number}} KeptEntry sentOn: the socket generation that had it, -1: none */

export class Outbox {
  #documentId;
  #store;
  /** @type {KeptEntry[]} */
  #entries = [];
  /** Sends wait for their outbox write, in order. */
  #sends = Promise.resolve();

  /** @param {string} documentId @param {EditStore} store */
  constructor(documentId, store) {
    this.#documentId = documentId;
    this.#store = store;
  }

  get length() {
    return this.#entries.length;
  }

  /** @returns {readonly KeptEntry[]} oldest first */
  get entries() {
    return this.#entries;
  }

  /** An edit loaded from the browser's storage (or just written to it). @param {OutboxEntry} entry @param {Promise<void>} persisted */
  keep(entry, persisted) {
    this.#entries.push({ ...entry, persisted, sentOn: -1 });
  }

  /**
   * A new local edit: written to the browser's storage, and kept meanwhile.
   * @param {number} site @param {Counters} counters as they stand after the edit @param {OutboxEntry} entry
   */
  add(site, counters, entry) {
    const persisted = this.#store
      .append(this.#documentId, site, counters, entry)
      .catch((e) => console.error(`document ${this.#documentId}: could not keep edit ${entry.opId} in the browser`, e));
    this.keep(entry, persisted);
  }

  /**
   * Sends every kept edit this socket has not had yet, in order, each once it is stored.
   * @param {number} generation the socket's @param {(frame: string) => void} send
   * @param {() => boolean} stillJoined whether that socket is still the joined one when the write is done
   */
  sendUnsent(generation, send, stillJoined) {
    for (const entry of this.#entries) {
      if (entry.sentOn === generation) continue;
      entry.sentOn = generation;
      const frame = deltaFrame(entry.opId, entry.ops);
      this.#sends = this.#sends
        .then(() => entry.persisted)
        .then(() => {
          if (stillJoined()) send(frame);
        })
        .catch((e) =>
          console.warn(`document ${this.#documentId}: ${entry.opId} not sent; it goes with the next join`, e),
        );
    }
  }

  /** A new socket joined: it has had none of them. */
  markUnsent() {
    for (const entry of this.#entries) entry.sentOn = -1;
  }

  /**
   * Drops an acknowledged (or refused) edit, here and in the browser's storage.
   * @param {string} opId @param {number | null} site @returns {boolean} whether it was ours
   */
  forget(opId, site) {
    const at = this.#entries.findIndex((entry) => entry.opId === opId);
    if (at < 0) return false;
    const [entry] = this.#entries.splice(at, 1);
    if (site !== null) {
      this.#store.remove(this.#documentId, site, entry.seq).catch(() => {});
    }
    return true;
  }

  /** Forgets every edit here (the browser's storage is the caller's to clear). */
  clear() {
    this.#entries = [];
  }

  /** Resolves once every edit made so far is in the browser's storage (or failed to get there). */
  async stored() {
    await Promise.all(this.#entries.map((entry) => entry.persisted));
  }

  /**
   * After the replica was replaced: our unacknowledged edits go on top again (they are
   * idempotent), but for our inserts under a counter up to `logged` that the replica does not
   * have: the log took them, and they were deleted since (a lost ack).
   * @param {import('./lseq.js').Replica} replica @param {number} logged the highest counter of ours the new replica's log had; -1: none
   */
  reapply(replica, logged) {
    for (const entry of this.#entries) {
      try {
        const delta = deltaFromJson({ ops: entry.ops });
        const deletedSince = (/** @type {import('./lseq.js').Operation} */ op) =>
          op.type === 'insert' && op.id[op.id.length - 1] <= logged && !replica.hasSeen(op.id);
        replica.apply({ ops: delta.ops.filter((op) => !deletedSince(op)) });
      } catch (e) {
        console.warn(`document ${this.#documentId}: kept edit ${entry.opId} no longer applies`, e);
      }
    }
  }
}
