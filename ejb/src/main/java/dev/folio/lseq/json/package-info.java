/**
 * The JSON form of LSEQ deltas ({@code JsonDeltaCodec}), as the WebSocket protocol
 * (docs/protocol.md) and the event log carry them. It uses the LSEQ core and Jakarta JSON
 * Processing, which is why it is not part of the core itself.
 */
package dev.folio.lseq.json;
