// The few DOM pieces every panel of the admin console builds: rows, buttons, a tbody filled anew.

/** @param {string} id @returns {HTMLElement} */
export const element = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} tableId @returns {HTMLElement} */
export const body = (tableId) => /** @type {HTMLElement} */ (element(tableId).querySelector('tbody'));

/**
 * @param {Array<string | Node>} cells
 * @param {Record<string, string>} [data] the row's data- attributes
 * @returns {HTMLTableRowElement}
 */
export function tableRow(cells, data = {}) {
  const row = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.append(cell);
    row.append(td);
  }
  Object.assign(row.dataset, data);
  return row;
}

/**
 * A button that runs `action` once confirmed (when `confirmation` is given), disabled meanwhile.
 * @param {string} label
 * @param {string} className
 * @param {() => Promise<unknown>} action
 * @param {string} [confirmation] the question the administrator must accept first
 * @returns {HTMLButtonElement}
 */
export function actionButton(label, className, action, confirmation) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = label;
  button.addEventListener('click', async () => {
    if (confirmation && !confirm(confirmation)) return;
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** @param {string} text @param {string} [title] a tooltip @returns {HTMLSpanElement} */
export function span(text, title) {
  const node = document.createElement('span');
  node.textContent = text;
  if (title) node.title = title;
  return node;
}

/** @param {string} iso @param {string} text @returns {HTMLTimeElement} */
export function time(iso, text) {
  const node = document.createElement('time');
  node.dateTime = iso;
  node.textContent = text;
  node.title = new Date(iso).toLocaleString();
  return node;
}
