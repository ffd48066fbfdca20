// Who is in a document besides this person, and where their carets are; and what the others see
// of this person. Carets travel as identifiers (they stay on their character while text is edited
// before them) and are shown as code point indexes of this browser's replica. Relayed by the
// server, never stored (docs/protocol.md, "presence").

import { identifierFromJson, identifierToJson } from './lseq-codec.js';
import { presenceFrame } from './protocol-frames.js';

/** @typedef {import('./protocol-frames.js').Caret} Caret */
/** @typedef {{name: string, caret: Caret | null}} Person */
/** @typedef {import('./lseq.js').Replica} Replica */

/** This person's presence goes out at most this often. */
const PRESENCE_EVERY_MS = 100;

export class Presence {
  #send;
  /** @type {Person | null} */
  #own = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer = undefined;
  #sentAt = 0;
  /** @type {Map<number, {name: string, caret: {anchor: unknown, head: unknown} | null}>} */
  #others = new Map();

  /** @param {() => void} sendDue called when this person's presence is due to go out */
  constructor(sendDue) {
    this.#send = sendDue;
  }

  /**
   * What the others see of this person. Sent at most every 100 ms; the last one always goes out.
   * @param {string} name @param {Caret | null} caret
   */
  set(name, caret) {
    this.#own = { name, caret };
    if (this.#timer) return;
    const wait = Math.max(0, this.#sentAt + PRESENCE_EVERY_MS - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#send();
    }, wait);
  }

  /** This person's presence frame as `replica` places the caret; null: nothing set yet. @param {Replica} replica */
  ownFrame(replica) {
    const presence = this.#own;
    if (!presence) return null;
    const position = (/** @type {number} */ index) =>
      index <= 0 ? null : identifierToJson(replica.identifierAt(Math.min(index, replica.length) - 1));
    const caret = presence.caret && { anchor: position(presence.caret.anchor), head: position(presence.caret.head) };
    this.#sentAt = Date.now();
    return presenceFrame(presence.name, caret);
  }

  /**
   * A presence frame from the server; one of our own site is not another person.
   * @param {{site: number, name?: string, caret?: {anchor: unknown, head: unknown} | null, left?: boolean}} frame
   * @param {number | null} ownSite @returns {boolean} whether it was about another person
   */
  heard(frame, ownSite) {
    if (frame.site === ownSite) return false;
    if (frame.left) this.#others.delete(frame.site);
    else this.#others.set(frame.site, { name: String(frame.name ?? ''), caret: frame.caret ?? null });
    return true;
  }

  /** Forgets the others (the server sends everyone again after the next join). @returns {boolean} whether there were any */
  clear() {
    if (this.#others.size === 0) return false;
    this.#others.clear();
    return true;
  }

  /** No more sending. */
  stop() {
    clearTimeout(this.#timer);
  }

  /**
   * The other people: site → {name, caret with code point indexes, or null}.
   * @param {Replica | null} replica
   */
  people(replica) {
    /** @type {Map<number, Person>} */
    const people = new Map();
    for (const [site, { name, caret }] of this.#others) {
      people.set(site, {
        name,
        caret: caret && { anchor: caretIndex(replica, caret.anchor), head: caretIndex(replica, caret.head) },
      });
    }
    return people;
  }
}

/**
 * Where another person's caret position is now, as a code point index.
 * @param {Replica | null} replica @param {unknown} position what their presence frame said: null (the start) or an identifier
 */
export function caretIndex(replica, position) {
  if (position === null || position === undefined || !replica) return 0;
  try {
    return replica.indexAfter(identifierFromJson(position));
  } catch {
    return 0;
  }
}
