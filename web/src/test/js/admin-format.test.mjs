// The admin console's numbers, sizes and times (admin-format.js).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ago, bytes, count, duration, percent } from '../../main/webapp/js/admin-format.js';

test('sizes are written in binary units, short', () => {
  assert.equal(bytes(0), '0 B');
  assert.equal(bytes(1023), '1023 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(312 * 1024 * 1024), '312 MiB');
  assert.equal(bytes(-1), '–');
});

test('durations show their two largest units', () => {
  assert.equal(duration(0), '0 s');
  assert.equal(duration(40_000), '40 s');
  assert.equal(duration(302_000), '5 min 2 s');
  assert.equal(duration((3 * 86400 + 4 * 3600 + 5) * 1000), '3 d 4 h');
  assert.equal(duration(3600_000), '1 h');
  assert.equal(duration(-5), '0 s');
});

test('shares, counts and ages; unknown is a dash', () => {
  assert.equal(percent(0.123), '12 %');
  assert.equal(percent(-1), '–');
  assert.equal(count(12345), '12,345');
  assert.equal(count(-1), '–');
  assert.equal(ago('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:04Z')), '4 s ago');
});
