// How the admin console writes numbers, sizes and times: short, and the same in every panel.
// No DOM here, so Node's tests check it (web/src/test/js/admin-format.test.mjs).

/** @param {number} bytes @returns {string} e.g. "312 MiB" */
export function bytes(bytes) {
  if (!(bytes >= 0)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** @param {number} share 0 to 1, negative when unknown @returns {string} e.g. "12 %" */
export function percent(share) {
  return share >= 0 ? `${Math.round(share * 100)} %` : '–';
}

/** @param {number} milliseconds @returns {string} e.g. "3 d 4 h", "5 min 2 s", "40 s" */
export function duration(milliseconds) {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  /** @type {Array<[number, string]>} */
  const parts = [
    [Math.floor(seconds / 86400), 'd'],
    [Math.floor(seconds / 3600) % 24, 'h'],
    [Math.floor(seconds / 60) % 60, 'min'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}

/** @param {string} iso @param {number} now epoch milliseconds @returns {string} e.g. "4 s ago" */
export function ago(iso, now) {
  return `${duration(now - Date.parse(iso))} ago`;
}

/** @param {number} count, -1 when unknown @returns {string} */
export function count(count) {
  return count >= 0 ? count.toLocaleString('en') : '–';
}
