// The admin console's charts: accepted deltas per second and the mean time of an ack's stages on
// the node that serves the page, over the last hour (one point per tick of the live stream). Drawn
// with uPlot (npm's, pinned in the parent pom, served by the app from /vendor/uplot): loaded when
// the charts are first drawn, so that the rest of the console works if it cannot be.
//
// DOM: #charts-panel; #chart-deltas, #chart-latency (each holds one uPlot canvas); #charts-note.

import { element } from './admin-dom.js';

/** @typedef {import('./admin-live.js').History} History */
/** @typedef {import('./admin-live.js').Sample} Sample */

/** An hour of 2 s ticks. */
const MAX_POINTS = 1800;
const WIDTH = 560;
const HEIGHT = 180;

export class Charts {
  /** @param {string} root */
  constructor(root) {
    this.root = root;
    /** @type {History} */
    this.data = { at: [], deltasPerSecond: [], publishMillis: [], brokerMillis: [], kafkaMillis: [] };
    /** @type {any} */
    this.deltas = null;
    /** @type {any} */
    this.latency = null;
    /** @type {Promise<any> | null} */
    this.library = null;
  }

  /** The hour so far, as the stream first sends it. @param {History} history @param {string} node */
  async start(history, node) {
    this.data = history;
    element('charts-node').textContent = node;
    await this.draw();
  }

  /** One more tick. @param {Sample} sample */
  async add(sample) {
    const columns = /** @type {Array<keyof History>} */ (Object.keys(this.data));
    for (const key of columns) {
      const column = /** @type {Array<number | null>} */ (this.data[key]);
      column.push(key === 'at' ? sample.at : sample[key]);
      if (column.length > MAX_POINTS) column.shift();
    }
    await this.draw();
  }

  async draw() {
    let uPlot;
    try {
      this.library ??= import(`${this.root}/vendor/uplot/uPlot.esm.js`);
      uPlot = (await this.library).default;
    } catch (e) {
      element('charts-note').textContent = `The charts cannot be drawn: ${/** @type {Error} */ (e).message}.`;
      return;
    }
    const d = this.data;
    const deltas = [d.at, d.deltasPerSecond];
    const latency = [d.at, d.publishMillis, d.brokerMillis, d.kafkaMillis];
    if (this.deltas) {
      this.deltas.setData(deltas);
      this.latency.setData(latency);
      return;
    }
    this.deltas = new uPlot(
      {
        width: WIDTH,
        height: HEIGHT,
        legend: { live: false },
        series: [{}, { label: 'Deltas accepted / s', stroke: '#1f5fa8', width: 1.5, fill: 'rgba(31,95,168,0.1)' }],
        axes: [{}, { label: 'per second', size: 60 }],
        scales: {
          y: {
            range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [
              0,
              Math.max(1, max * 1.1),
            ],
          },
        },
      },
      deltas,
      element('chart-deltas'),
    );
    this.latency = new uPlot(
      {
        width: WIDTH,
        height: HEIGHT,
        legend: { live: false },
        series: [
          {},
          { label: 'Send + commit (ms)', stroke: '#1f5fa8', width: 1.5 },
          { label: 'Broker queue (ms)', stroke: '#b35c00', width: 1.5 },
          { label: 'Kafka to feed (ms)', stroke: '#2e7d32', width: 1.5 },
        ],
        axes: [{}, { label: 'ms (mean per tick)', size: 60 }],
        scales: {
          y: {
            range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [
              0,
              Math.max(1, max * 1.1),
            ],
          },
        },
      },
      latency,
      element('chart-latency'),
    );
  }
}
