/**
 * Who is where in a document, between nodes: {@code PresenceChange} (a session's presence frame,
 * or its leaving; never stored) and {@code PresenceBroadcast}, which tells the other nodes, where
 * it arrives as a CDI event. Plain values and an interface, no Folio package; {@code
 * dev.folio.messaging} implements the broadcast and the web module's socket relays presence to
 * sessions.
 */
package dev.folio.presence;
