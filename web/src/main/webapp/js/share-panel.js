// The editor's "People with access" panel: the document's members, and for its owner the means
// to share it (a user from GET /api/users, as editor or viewer), change a member's role, or take
// it back. Everyone else sees the list only. The server decides: it refuses anything but the
// owner's changes (403) and never removes the owner (409).
//
// DOM: section#share[data-role] > ul#members > li[data-user-id][data-role] (.name, .member-role
// select and .remove button for the owner); form#add-member (select[name=user], select[name=role]);
// #share-problem.

import { reason } from './account.js';

/** @typedef {{userId: string, name: string, role: 'owner' | 'editor' | 'viewer'}} Member */

export class SharePanel {
  #auth;
  #documentId;
  #section;
  #list;
  #form;
  #problem;
  #role = '';

  /**
   * @param {import('./auth.js').Auth} auth @param {string} documentId
   * @param {HTMLElement} section section#share
   */
  constructor(auth, documentId, section) {
    this.#auth = auth;
    this.#documentId = documentId;
    this.#section = section;
    this.#list = /** @type {HTMLUListElement} */ (section.querySelector('#members'));
    this.#form = /** @type {HTMLFormElement} */ (section.querySelector('#add-member'));
    this.#problem = /** @type {HTMLElement} */ (section.querySelector('#share-problem'));
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(this.#form);
      this.#change('PUT', String(data.get('user')), String(data.get('role')));
    });
  }

  /** Shows the members, with the controls of `role` (the signed-in person's). @param {string} role */
  async show(role) {
    this.#role = role;
    this.#section.dataset.role = role;
    this.#section.hidden = false;
    this.#form.hidden = role !== 'owner';
    try {
      const [members, users] = await Promise.all([
        this.#get('members'),
        role === 'owner' ? this.#getUsers() : Promise.resolve([]),
      ]);
      this.#render(/** @type {Member[]} */ (members), /** @type {Array<{id: string, name: string}>} */ (users));
      this.#problem.hidden = true;
    } catch (e) {
      this.#say(`The members cannot be shown: ${/** @type {Error} */ (e).message}.`);
    }
  }

  /** @param {Member[]} members @param {Array<{id: string, name: string}>} users */
  #render(members, users) {
    const owner = this.#role === 'owner';
    const order = { owner: 0, editor: 1, viewer: 2 };
    members.sort((a, b) => order[a.role] - order[b.role] || a.name.localeCompare(b.name));
    this.#list.replaceChildren(
      ...members.map((member) => {
        const item = document.createElement('li');
        item.dataset.userId = member.userId;
        item.dataset.role = member.role;
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = member.name;
        item.append(name, ' ');
        if (owner && member.role !== 'owner') {
          const role = document.createElement('select');
          role.className = 'member-role';
          role.setAttribute('aria-label', `Role of ${member.name}`);
          for (const value of ['editor', 'viewer']) role.add(new Option(value, value, false, value === member.role));
          role.addEventListener('change', () => this.#change('PUT', member.userId, role.value));
          const remove = document.createElement('button');
          remove.type = 'button';
          remove.className = 'remove';
          remove.textContent = 'Remove';
          remove.setAttribute('aria-label', `Remove ${member.name}`);
          remove.addEventListener('click', () => this.#change('DELETE', member.userId));
          item.append(role, ' ', remove);
        } else {
          const role = document.createElement('span');
          role.className = 'role';
          role.dataset.role = member.role;
          role.textContent = member.role;
          item.append(role);
        }
        return item;
      }),
    );
    if (!owner) return;
    const taken = new Set(members.map((member) => member.userId));
    const select = /** @type {HTMLSelectElement} */ (this.#form.elements.namedItem('user'));
    const others = users.filter((user) => !taken.has(user.id)).sort((a, b) => a.name.localeCompare(b.name));
    select.replaceChildren(...others.map((user) => new Option(user.name, user.id)));
    /** @type {HTMLButtonElement} */ (this.#form.querySelector('button')).disabled = others.length === 0;
  }

  /**
   * Shares (PUT, with a role) or takes back (DELETE), then shows the list as the server has it.
   * @param {'PUT' | 'DELETE'} method @param {string} userId @param {string} [role]
   */
  async #change(method, userId, role) {
    if (!userId) return;
    try {
      const response = await this.#auth.fetch(
        `/api/documents/${this.#documentId}/members/${encodeURIComponent(userId)}`,
        {
          method,
          ...(role ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role }) } : {}),
        },
      );
      if (!response.ok) throw new Error(await reason(response));
      await this.show(this.#role);
    } catch (e) {
      this.#say(`That did not work: ${/** @type {Error} */ (e).message}.`);
    }
  }

  /** @param {string} what below the document */
  async #get(what) {
    const response = await this.#auth.fetch(`/api/documents/${this.#documentId}/${what}`);
    if (!response.ok) throw new Error(await reason(response));
    return response.json();
  }

  async #getUsers() {
    const response = await this.#auth.fetch('/api/users');
    if (!response.ok) throw new Error(await reason(response));
    return response.json();
  }

  /** @param {string} message */
  #say(message) {
    this.#problem.textContent = message;
    this.#problem.hidden = false;
  }
}
