// A bad network between one page and the server, made with Playwright's WebSocket routing: the
// page's WebSocket goes through the test, which forwards, repeats, holds back, cuts or adds
// frames. Install a route before the page loads (Editor.open's beforeLoad).

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').WebSocketRoute} WebSocketRoute */

/** The editing sockets: ws://HOST/ws/documents/{id}. */
const EDITING_SOCKET = /\/ws\/documents\//;

/**
 * The frames of one WebSocket message: itself, or those of a batch (docs/protocol.md).
 * @param {string | Buffer} message
 * @returns {Array<Record<string, any>>}
 */
export function frames(message) {
  try {
    const frame = JSON.parse(message.toString());
    return frame?.type === 'batch' && Array.isArray(frame.frames) ? frame.frames : [frame];
  } catch {
    return [];
  }
}

/**
 * @param {string | Buffer} message
 * @param {string} type
 * @returns {number} how many frames of `type` the message carries
 */
function count(message, type) {
  return frames(message).filter((frame) => frame?.type === type).length;
}

/**
 * Every message from the server reaches the page twice.
 * @param {Page} page
 */
export async function duplicateServerMessages(page) {
  await page.routeWebSocket(EDITING_SOCKET, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      ws.send(message);
      ws.send(message);
    });
  });
}

/**
 * The first connection's downlink stalls once the page has had one ack: the page's frames still
 * reach the server (which stores and acks them), but nothing more reaches the page, as when a
 * network goes bad one way. `cut()` then drops the connection the way a lost network does
 * (close code 1006, not clean). Later connections pass through untouched.
 */
export class StallingLink {
  /** Deltas the page sent on the first connection. */
  deltasSent = 0;
  /** Acks the server sent on the first connection, delivered or not. */
  acksFromServer = 0;
  /** Acks the page never got. */
  acksWithheld = 0;
  /** Connections the page opened. */
  connections = 0;
  /** @type {WebSocketRoute | undefined} */
  #page;
  /** @type {WebSocketRoute | undefined} */
  #server;

  /** @param {Page} page */
  async install(page) {
    await page.routeWebSocket(EDITING_SOCKET, (ws) => {
      this.connections++;
      if (this.connections > 1) {
        ws.connectToServer();
        return;
      }
      this.#page = ws;
      this.#server = ws.connectToServer();
      ws.onMessage((message) => {
        this.deltasSent += count(message, 'delta');
        this.#server?.send(message);
      });
      this.#server.onMessage((message) => {
        const acks = count(message, 'ack');
        const stalled = this.acksFromServer - this.acksWithheld > 0;
        this.acksFromServer += acks;
        if (stalled) {
          // Everything after is held back too: a network loses the tail of a stream, it never
          // skips a frame and delivers the next one.
          this.acksWithheld += acks;
        } else {
          ws.send(message);
        }
      });
    });
  }

  /** Drops the first connection, both ways, without a clean close. */
  async cut() {
    const page = this.#page;
    const server = this.#server;
    if (!page || !server) {
      throw new Error('no connection to cut');
    }
    // Handled here, so that neither side's close is forwarded to the other as a clean one.
    page.onClose(() => {});
    server.onClose(() => {});
    await server.close();
    await page.close({ code: 1006, reason: 'network lost' });
  }
}

/**
 * Passes everything through, keeps the server's `delta` frames the page received, and can add
 * frames of its own to the page's stream.
 */
export class Injector {
  /** @type {Array<Record<string, any>>} */
  deltasSeen = [];
  /** @type {WebSocketRoute | undefined} */
  #page;

  /** @param {Page} page */
  async install(page) {
    await page.routeWebSocket(EDITING_SOCKET, (ws) => {
      this.#page = ws;
      const server = ws.connectToServer();
      server.onMessage((message) => {
        this.deltasSeen.push(...frames(message).filter((frame) => frame?.type === 'delta'));
        ws.send(message);
      });
    });
  }

  /**
   * Sends a frame to the page as if the server had.
   * @param {Record<string, any>} frame
   */
  inject(frame) {
    if (!this.#page) {
      throw new Error('the page has no connection yet');
    }
    this.#page.send(JSON.stringify(frame));
  }
}

/**
 * Passes everything through untouched and keeps what went by: the frames each way and the
 * connections opened, so that a test can check what the page said (an `auth` frame, no `delta`)
 * and that it kept one socket.
 */
export class Recorder {
  /** Connections the page opened. */
  connections = 0;
  /** @type {Array<Record<string, any>>} frames the page sent */
  fromPage = [];
  /** @type {Array<Record<string, any>>} frames the server sent */
  fromServer = [];

  /** @param {Page} page */
  async install(page) {
    await page.routeWebSocket(EDITING_SOCKET, (ws) => {
      this.connections++;
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        this.fromPage.push(...frames(message));
        server.send(message);
      });
      server.onMessage((message) => {
        this.fromServer.push(...frames(message));
        ws.send(message);
      });
    });
  }

  /** @param {string} type @returns {Array<Record<string, any>>} the page's frames of `type` */
  sent(type) {
    return this.fromPage.filter((frame) => frame?.type === type);
  }

  /** @param {string} type @returns {Array<Record<string, any>>} the server's frames of `type` */
  received(type) {
    return this.fromServer.filter((frame) => frame?.type === type);
  }
}
