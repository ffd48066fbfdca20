package dev.folio.history;

import java.time.Instant;

/**
 * A document's text as it was.
 *
 * @param version its version then
 * @param offset the last log record applied (-1 before any)
 * @param at when the log took that record; null before any
 */
public record PastText(long version, long offset, Instant at, String text) {}
