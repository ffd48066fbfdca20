package dev.folio.history;

import java.time.Instant;

/**
 * One version of a document: the delta that made it, who sent it and when, and its size.
 *
 * @param offset the log record that carried the delta
 * @param editorId who made the edit; null for edits logged before the log named editors
 * @param at when the log took it
 * @param length the document's characters (code points) at this version
 * @param inserted characters the delta inserted
 * @param deleted characters the delta deleted
 */
public record PastVersion(
        long version, long offset, String editorId, Instant at, int length, int inserted, int deleted) {}
