package dev.folio.document;

import java.util.List;

/**
 * A document as the store holds it: its latest snapshot (null if it never had one) covering
 * {@code snapshotVersion}, and the deltas stored after it, in version order.
 */
public record StoredState(byte[] snapshot, long snapshotVersion, List<AcceptedDelta> after) {}
