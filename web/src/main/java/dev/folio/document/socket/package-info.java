/**
 * Live editing over WebSocket (docs/protocol.md): {@code DocumentSocket} (the endpoint: decode a
 * frame, call the document manager, let the channel encode), {@code Frames} (the JSON protocol),
 * {@code ClientChannel} (one session's ordered, bounded outbox, the manager's subscriber) sent by
 * {@code SocketSenders}; {@code HandshakeAuthentication} (the token checked before the upgrade),
 * {@code SessionAccess} and {@code OpenSessions} (what a session may do, rechecked; idle and
 * expiring sessions), rate limits ({@code TokenBucket}, {@code RateByKey}), and {@code
 * PresenceRelay} (who is where, relayed, never stored). It uses document, access, auth, presence,
 * the LSEQ core and {@code dev.folio.web}.
 */
package dev.folio.document.socket;
