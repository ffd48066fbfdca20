// The admin console's documents panel: every document (or those a search finds, by title or
// owner), its owner, members, sessions by node, version and last update, and what an
// administrator does to one: close its sessions, reload it on every node, take its snapshot now,
// delete it, and change who may use it (the members panel below the table). Every action is
// confirmed first. The sessions column is updated by the live stream between reloads.
//
// DOM: #document-search (input[name=q]); #admin-documents tbody tr[data-id] (td.sessions,
// button.members, button.close-sessions, button.reload, button.snapshot, button.delete); #more-documents;
// #members-panel[data-id] (#members-title, #admin-members tbody tr[data-user-id] with
// select.role-choice and button.remove; #member-add with select[name=user], select[name=role]).

import { body, element, actionButton, span, tableRow, time } from './admin-dom.js';
import { ago, count } from './admin-format.js';

/** @typedef {import('./admin-api.js').AdminApi} AdminApi */
/** @typedef {import('./admin-api.js').AdminDocument} AdminDocument */
/** @typedef {import('./admin-api.js').Member} Member */

/** Documents come in pages of this many (the server's default), most recently updated first. */
const PAGE = 100;

export class DocumentsPanel {
  /**
   * @param {AdminApi} api
   * @param {string} root the application's root path, for links to the editor
   * @param {(message: string) => void} tell shows what an action did, or why it failed
   * @param {() => Promise<void>} changed called after an action, to refresh the audit log
   */
  constructor(api, root, tell, changed) {
    this.api = api;
    this.root = root;
    this.tell = tell;
    this.changed = changed;
    this.query = '';
    this.shown = 0;
    /** @type {Array<{id: string, name: string}>} */
    this.users = [];
    const form = /** @type {HTMLFormElement} */ (element('document-search'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.query = String(new FormData(form).get('q') ?? '').trim();
      this.refresh().catch((e) => this.tell(`The search failed: ${e.message}.`));
    });
    this.more = /** @type {HTMLButtonElement} */ (element('more-documents'));
    this.more.addEventListener('click', () => this.loadMore());
    element('members-close').addEventListener('click', () => {
      element('members-panel').hidden = true;
    });
    const add = /** @type {HTMLFormElement} */ (element('member-add'));
    add.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(add);
      const userId = String(data.get('user') ?? '');
      const role = /** @type {'editor' | 'viewer'} */ (String(data.get('role') ?? 'viewer'));
      const id = element('members-panel').dataset.id ?? '';
      if (userId) this.setRole(id, userId, role);
    });
  }

  /** The first page again (of the search, if one is set), keeping the members panel as it is. */
  async refresh() {
    const documents = await this.api.documents({ offset: 0, limit: PAGE, query: this.query });
    this.show(documents, false);
    this.shown = documents.length;
    this.more.hidden = documents.length < PAGE;
    element('documents-summary').textContent = this.query
      ? `${documents.length}${documents.length === PAGE ? '+' : ''} found for “${this.query}”`
      : '';
  }

  /**
   * The sessions on each document as the live stream has them: the rows shown get their count
   * without a reload (a document not in the map has none).
   * @param {Record<string, {total: number, byNode: Record<string, number>}>} sessions by document id
   */
  showSessions(sessions) {
    for (const row of body('admin-documents').querySelectorAll('tr[data-id]')) {
      const cell = /** @type {HTMLElement} */ (row.querySelector('td.sessions'));
      const id = /** @type {HTMLElement} */ (row).dataset.id ?? '';
      cell.replaceChildren(sessionsCount(sessions[id]));
    }
  }

  /** @param {Array<{id: string, name: string}>} users who can be given a role */
  setUsers(users) {
    this.users = [...users].sort((a, b) => a.name.localeCompare(b.name));
  }

  async loadMore() {
    this.more.disabled = true;
    try {
      const page = await this.api.documents({ offset: this.shown, limit: PAGE, query: this.query });
      this.show(page, true);
      this.shown += page.length;
      this.more.hidden = page.length < PAGE;
    } catch (e) {
      this.tell(`No more documents could be shown: ${/** @type {Error} */ (e).message}.`);
    }
    this.more.disabled = false;
  }

  /** @param {AdminDocument[]} documents @param {boolean} append */
  show(documents, append) {
    const rows = body('admin-documents');
    if (!append) rows.replaceChildren();
    const now = Date.now();
    rows.append(...documents.map((doc) => this.row(doc, now)));
  }

  /** @param {AdminDocument} doc @param {number} now */
  row(doc, now) {
    const link = document.createElement('a');
    link.href = `${this.root}/documents/${doc.id}`;
    link.textContent = doc.title;
    const sessions = sessionsCount(doc.sessions);
    const actions = document.createElement('span');
    actions.className = 'actions';
    actions.append(
      actionButton('Members', 'members', () => this.openMembers(doc)),
      actionButton(
        'Close sessions',
        'close-sessions',
        () => this.act(doc, 'closed the sessions of', () => this.api.closeSessions(doc.id)),
        `Close every session of “${doc.title}” on every node? Its editors reconnect by themselves.`,
      ),
      actionButton(
        'Reload',
        'reload',
        () => this.act(doc, 'reloaded', () => this.api.reload(doc.id)),
        `Reload “${doc.title}” on every node? Its editors reconnect, and the document is read anew from its snapshot and the log.`,
      ),
      actionButton(
        'Snapshot',
        'snapshot',
        () => this.snapshot(doc),
        `Take a snapshot of “${doc.title}” now, at its live version? Its editors are not disturbed.`,
      ),
      actionButton(
        'Delete',
        'delete',
        () => this.act(doc, 'deleted', () => this.api.deleteDocument(doc.id)),
        `Delete “${doc.title}” for everyone? This cannot be undone.`,
      ),
    );
    const cells = [
      link,
      doc.ownerName ?? doc.ownerId ?? '',
      doc.members === 1 ? '1 (the owner)' : String(doc.members),
      sessions,
      String(doc.version),
      time(doc.updatedAt, ago(doc.updatedAt, now)),
      actions,
    ];
    const row = tableRow(cells, { id: doc.id });
    /** @type {HTMLElement} */ (row.children[3]).className = 'sessions';
    return row;
  }

  /**
   * @param {AdminDocument} doc
   * @param {string} what done, for the message
   * @param {() => Promise<{sessionsClosedHere?: number, otherNodesTold?: boolean} | null>} action
   */
  async act(doc, what, action) {
    try {
      const done = await action();
      const sessions =
        done?.sessionsClosedHere === undefined
          ? ''
          : ` (${done.sessionsClosedHere} sessions closed on this node${done.otherNodesTold ? '; the other nodes were told' : '; the other nodes could not be told'})`;
      this.tell(`You ${what} “${doc.title}”${sessions}.`);
    } catch (e) {
      this.tell(
        `“${doc.title}” was not ${what.replace(/^closed the sessions of$/, 'changed')}: ${/** @type {Error} */ (e).message}.`,
      );
    }
    await Promise.all([this.refresh(), this.changed()]).catch(() => {});
  }

  /** @param {AdminDocument} doc */
  async openMembers(doc) {
    const panel = element('members-panel');
    panel.dataset.id = doc.id;
    panel.dataset.title = doc.title;
    element('members-title').textContent = doc.title;
    panel.hidden = false;
    await this.showMembers(doc.id);
    panel.scrollIntoView({ block: 'nearest' });
  }

  /** @param {string} id */
  async showMembers(id) {
    let members;
    try {
      members = await this.api.members(id);
    } catch (e) {
      this.tell(`The members could not be shown: ${/** @type {Error} */ (e).message}.`);
      return;
    }
    body('admin-members').replaceChildren(...members.map((member) => this.memberRow(id, member)));
    const memberIds = new Set(members.map((member) => member.userId));
    const select = /** @type {HTMLSelectElement} */ (element('member-add').querySelector('select[name=user]'));
    select.replaceChildren(
      ...this.users.filter((user) => !memberIds.has(user.id)).map((user) => new Option(user.name, user.id)),
    );
  }

  /** @param {string} id @param {Member} member */
  memberRow(id, member) {
    if (member.role === 'owner') {
      return tableRow([member.name, 'owner', ''], { userId: member.userId });
    }
    const role = document.createElement('select');
    role.className = 'role-choice';
    role.append(new Option('editor', 'editor'), new Option('viewer', 'viewer'));
    role.value = member.role;
    role.addEventListener('change', () => {
      const chosen = /** @type {'editor' | 'viewer'} */ (role.value);
      this.setRole(id, member.userId, chosen);
    });
    const remove = actionButton(
      'Remove',
      'remove',
      async () => {
        try {
          await this.api.removeMember(id, member.userId);
          this.tell(`${member.name} may no longer use “${this.titleOf()}”.`);
        } catch (e) {
          this.tell(`${member.name} was not removed: ${/** @type {Error} */ (e).message}.`);
        }
        await Promise.all([this.showMembers(id), this.refresh(), this.changed()]).catch(() => {});
      },
      `Take “${this.titleOf()}” away from ${member.name}? Their open pages are closed.`,
    );
    return tableRow([member.name, role, remove], { userId: member.userId });
  }

  /** @param {string} id @param {string} userId @param {'editor' | 'viewer'} role */
  async setRole(id, userId, role) {
    const name = this.users.find((user) => user.id === userId)?.name ?? userId;
    if (!confirm(`Make ${name} ${role === 'editor' ? 'an editor' : 'a viewer'} of “${this.titleOf()}”?`)) {
      await this.showMembers(id);
      return;
    }
    try {
      await this.api.setRole(id, userId, role);
      this.tell(`${name} is now ${role === 'editor' ? 'an editor' : 'a viewer'} of “${this.titleOf()}”.`);
    } catch (e) {
      this.tell(`${name}'s role was not changed: ${/** @type {Error} */ (e).message}.`);
    }
    await Promise.all([this.showMembers(id), this.refresh(), this.changed()]).catch(() => {});
  }

  /** @param {AdminDocument} doc */
  async snapshot(doc) {
    try {
      const taken = await this.api.snapshot(doc.id);
      this.tell(
        taken.written
          ? `A snapshot of “${doc.title}” was taken at version ${taken.version} (the last was at ${taken.previousVersion}).`
          : `The snapshot of “${doc.title}” was already at its live version, ${taken.version}.`,
      );
    } catch (e) {
      this.tell(`No snapshot of “${doc.title}” was taken: ${/** @type {Error} */ (e).message}.`);
    }
    await Promise.all([this.refresh(), this.changed()]).catch(() => {});
  }

  titleOf() {
    return element('members-panel').dataset.title ?? '';
  }
}

/** @param {{total: number, byNode: Record<string, number>} | undefined} sessions */
function sessionsCount(sessions) {
  const byNode = Object.entries(sessions?.byNode ?? {})
    .map(([node, n]) => `${node}: ${n}`)
    .join(', ');
  return span(count(sessions?.total ?? 0), byNode || 'no session on any live node');
}
