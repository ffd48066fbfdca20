// The frames of the document protocol (docs/protocol.md) as the browser writes and reads them: what
// a session sends, how what it receives is unpacked, and what the server's close codes and error
// codes mean for it. Plain functions of JSON: no socket, no state.

/** @typedef {import('./lseq-codec.js').OperationJson} OperationJson */
/** @typedef {'owner' | 'editor' | 'viewer'} Role */
/** @typedef {{anchor: number, head: number}} Caret code point indexes */
/** @typedef {import('./lseq-codec.js').IdentifierJson | null} Position a caret end on the wire: null is the start */

/** The subprotocol every socket asks for; the access token goes in a second one (never in the URL). */
export const SUBPROTOCOL = 'folio.v1';

/** @param {string} token @returns {string} the subprotocol that carries an access token */
export const bearerProtocol = (token) => `folio.bearer.${token}`;

/** A delta's operations are cut into frames of at most this many JSON characters (the server takes 1 Mi). */
const DELTA_CHARACTERS = 256 * 1024;

/** ... and of at most this many operations (a paste of a book is many deltas, each one the server takes). */
const DELTA_OPERATIONS = 1000;

/** Closed because the token expired or was revoked: a new token helps. */
export const TOKEN_REFUSED = 4401;

/**
 * Close codes after which joining again cannot help ("error"). Not 4401 (token expired or
 * revoked: a new token helps) nor 4429 (rate-limited, too-many-sessions: later helps).
 * @type {Map<number, 'unknown' | 'deleted' | 'refused'>}
 */
export const FINAL_CLOSES = new Map([
  [4404, 'unknown'],
  [4410, 'deleted'],
  [4403, 'refused'],
]);

/** Error codes that refuse one edit (it changed nothing): the edit is dropped and the copy reloaded. */
export const REFUSED_EDIT_CODES = new Set([
  'invalid-delta',
  'read-only',
  'too-many-operations',
  'not-stored',
  'delta-too-large',
  'document-too-large',
]);

/** A broken promise of the protocol (a gap in versions): the fix is to join again. */
export class ProtocolGap extends Error {}

/** @param {number | null} site @param {number | null} version null: not known yet (a snapshot join) */
export function joinFrame(site, version) {
  /** @type {{type: string, site?: number, version?: number}} */
  const join = { type: 'join' };
  if (site !== null) join.site = site;
  if (version !== null) join.version = version;
  return JSON.stringify(join);
}

/** @param {string} opId @param {OperationJson[]} ops */
export const deltaFrame = (opId, ops) => JSON.stringify({ type: 'delta', opId, ops });

/** @param {string} token */
export const authFrame = (token) => JSON.stringify({ type: 'auth', token });

/** @param {string} name @param {{anchor: Position, head: Position} | null} caret */
export const presenceFrame = (name, caret) => JSON.stringify({ type: 'presence', name, caret });

export const PING_FRAME = '{"type":"ping"}';

/**
 * The frames in what the socket received: a batch's frames, or the one frame.
 * @param {unknown} data @returns {unknown[] | null} null: not JSON
 */
export function framesIn(data) {
  let message;
  try {
    message = JSON.parse(String(data));
  } catch {
    return null;
  }
  return message?.type === 'batch' && Array.isArray(message.frames) ? message.frames : [message];
}

/**
 * A delta's operations in frames of at most DELTA_CHARACTERS of JSON and DELTA_OPERATIONS
 * operations each (a paste of deep identifiers can be larger than the server takes in one frame).
 * @param {OperationJson[]} ops @returns {OperationJson[][]}
 */
export function deltaChunks(ops) {
  const frames = [];
  let frame = [];
  let size = 0;
  for (const op of ops) {
    const length = JSON.stringify(op).length + 1;
    if (frame.length > 0 && (size + length > DELTA_CHARACTERS || frame.length === DELTA_OPERATIONS)) {
      frames.push(frame);
      frame = [];
      size = 0;
    }
    frame.push(op);
    size += length;
  }
  if (frame.length > 0) frames.push(frame);
  return frames;
}

/** A snapshot's bytes, from a `joined` frame's base64. @param {string} base64 */
export function base64Bytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
