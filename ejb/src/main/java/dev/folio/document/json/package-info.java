/**
 * The JSON form of LSEQ deltas and identifiers ({@code JsonDeltaCodec}), as the WebSocket protocol
 * (docs/protocol.md, the web module's {@code Frames}), the event log and the log's size limits carry
 * them. It uses the LSEQ core and Jakarta JSON Processing; it lives here, beside the documents it
 * encodes the edits of, so that the core itself imports the JDK only.
 */
package dev.folio.document.json;
