package dev.folio.web;

import java.util.Optional;

/**
 * Which part of a list a call asks for: {@code ?offset=} (from 0) and {@code ?limit=} (1 to {@value
 * #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when not given). The parameters arrive as text and are read
 * here, so a bad one is a 400 problem: JAX-RS answers a query parameter it cannot convert with a 404.
 */
public record Page(int offset, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    /** What a bad page gets told. */
    public static final String RULE = "offset is a whole number >= 0, limit a whole number from 1 to " + MAX_LIMIT;

    public Page {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(RULE);
        }
    }

    /** @return empty when either parameter is not a whole number in its range; a missing one takes its default */
    public static Optional<Page> of(String offset, String limit) {
        try {
            return Optional.of(new Page(
                    offset == null ? 0 : Integer.parseInt(offset),
                    limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit)));
        } catch (IllegalArgumentException notANumberOrOutOfRange) { // NumberFormatException is one
            return Optional.empty();
        }
    }
}
