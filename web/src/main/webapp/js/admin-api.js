// The admin API as the console calls it (docs/operations.md, "The admin console"): every call
// with the signed-in administrator's token; a refusal becomes an ApiError with the server's words.

import { reason } from './account.js';

/** @typedef {import('./auth.js').Auth} Auth */

/**
 * @typedef {object} NodeInfo
 * @property {string} node
 * @property {string} startedAt
 * @property {string} heardAt
 * @property {boolean} silent
 * @property {number} openDocuments
 * @property {number} sessions
 * @property {number} heapUsedBytes
 * @property {number} heapMaxBytes
 * @property {number} cpuLoad 0 to 1, or -1 when unknown
 * @property {number} feedLag -1 when unknown
 * @property {number} eventLogLag -1 when unknown
 * @property {boolean} eventLogStopped
 */

/**
 * @typedef {object} Pipeline
 * @property {string} node the node that answered: the counters are its own
 * @property {{reading: boolean, lag: number}} feed
 * @property {{state: 'writing' | 'waiting' | 'stopped', lag: number, stoppedAt?: string}} eventLog
 * @property {number} deltasAccepted
 * @property {{forwarded: number, deadLettered: number, kafkaRetries: number}} bridge
 * @property {Record<string, number>} refusals by code
 * @property {Record<string, number>} authRefusals by code
 * @property {{archivedEvents: number, archives: number, failures: number}} compaction
 * @property {Array<{node: string, silent: boolean, feedLag: number, eventLogLag: number, eventLogStopped: boolean}>} nodes
 */

/**
 * @typedef {object} AdminDocument
 * @property {string} id
 * @property {string} title
 * @property {number} version
 * @property {string} updatedAt
 * @property {number} members
 * @property {string} [ownerId]
 * @property {string} [ownerName]
 * @property {{total: number, byNode: Record<string, number>}} sessions
 */

/** @typedef {{userId: string, name: string, role: 'owner' | 'editor' | 'viewer'}} Member */

/**
 * @typedef {object} AuditEntry
 * @property {number} id
 * @property {string} at
 * @property {string} actorId
 * @property {string} actorName
 * @property {string} action
 * @property {string} target
 * @property {string} detail
 * @property {string} node
 */

/** @typedef {{total: number, offset: number, entries: AuditEntry[]}} AuditPage */

/** @typedef {{documents: number, archivedEvents: number, archives: number, failures: number}} CompactionRun */

/** @typedef {{node: string, sessionsClosedHere: number, otherNodesTold: boolean}} CommandDone */

/** A refusal of the admin API, with its HTTP status. */
export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class AdminApi {
  /** @param {Auth} auth */
  constructor(auth) {
    this.auth = auth;
  }

  /**
   * @param {string} path from /api/
   * @param {{method?: string, body?: unknown}} [options]
   * @returns {Promise<any>} the JSON answer, or null for 204
   */
  async call(path, { method = 'GET', body } = {}) {
    /** @type {RequestInit} */
    const init = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await this.auth.fetch(`/api/${path}`, init);
    if (!response.ok) throw new ApiError(response.status, await reason(response));
    return response.status === 204 ? null : response.json();
  }

  /** A ticket to open the live stream with (good once, for 30 s). @returns {Promise<{ticket: string, validSeconds: number}>} */
  liveTicket() {
    return this.call('admin/live/tickets', { method: 'POST' });
  }

  /** @returns {Promise<NodeInfo[]>} */
  nodes() {
    return this.call('admin/nodes');
  }

  /** @returns {Promise<Pipeline>} */
  pipeline() {
    return this.call('admin/pipeline');
  }

  /**
   * @param {{offset: number, limit: number, query?: string}} page
   * @returns {Promise<AdminDocument[]>}
   */
  documents({ offset, limit, query }) {
    const q = query ? `&q=${encodeURIComponent(query)}` : '';
    return this.call(`admin/documents?offset=${offset}&limit=${limit}${q}`);
  }

  /** @param {string} id @returns {Promise<Member[]>} */
  members(id) {
    return this.call(`admin/documents/${encodeURIComponent(id)}/members`);
  }

  /** @param {string} id @param {string} userId @param {'editor' | 'viewer'} role @returns {Promise<Member>} */
  setRole(id, userId, role) {
    return this.call(`admin/documents/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`, {
      method: 'PUT',
      body: { role },
    });
  }

  /** @param {string} id @param {string} userId */
  removeMember(id, userId) {
    return this.call(`admin/documents/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`, {
      method: 'DELETE',
    });
  }

  /** @param {string} id @returns {Promise<CommandDone>} */
  closeSessions(id) {
    return this.call(`admin/documents/${encodeURIComponent(id)}/close-sessions`, { method: 'POST' });
  }

  /** @param {string} id @returns {Promise<CommandDone>} */
  reload(id) {
    return this.call(`admin/documents/${encodeURIComponent(id)}/reload`, { method: 'POST' });
  }

  /** @param {string} id @returns {Promise<{version: number, logOffset: number, previousVersion: number, written: boolean}>} */
  snapshot(id) {
    return this.call(`admin/documents/${encodeURIComponent(id)}/snapshot`, { method: 'POST' });
  }

  /** @param {string} id */
  deleteDocument(id) {
    return this.call(`admin/documents/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  /** @param {string} userId */
  signOut(userId) {
    return this.call(`admin/users/${encodeURIComponent(userId)}/sign-out`, { method: 'POST' });
  }

  /** @returns {Promise<CompactionRun>} */
  compact() {
    return this.call('admin/compaction', { method: 'POST' });
  }

  /** @param {number} offset @param {number} limit @returns {Promise<AuditPage>} */
  audit(offset, limit) {
    return this.call(`admin/audit?offset=${offset}&limit=${limit}`);
  }

  /** @returns {Promise<Array<{id: string, name: string}>>} */
  users() {
    return this.call('users');
  }

  /** @returns {Promise<Record<string, number>>} */
  limits() {
    return this.call('admin/limits');
  }

  /** @returns {Promise<Record<string, unknown>>} */
  sessions() {
    return this.call('admin/sessions');
  }
}
