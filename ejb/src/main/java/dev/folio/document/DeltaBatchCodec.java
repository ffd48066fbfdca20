package dev.folio.document;

import dev.folio.lseq.BinaryDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.InvalidDeltaException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The bytes of one log record, the same in the Artemis message and in the Kafka record:
 *
 * <pre>
 * "FLB1"  kind (1 byte: 4 deltas, 2 document deleted, 3 batch dropped; 1 deltas without users)  count (int)
 * count x [ site (int)  opId length (short) opId (UTF-8)  delta length (int) delta (BinaryDeltaCodec)
 *           user length (short) user (UTF-8; length 0: unknown)   &lt;- kind 4 only ]
 * </pre>
 *
 * Kind 1 is what nodes wrote before the log named the user of each delta (the audit trail): it is
 * still read, its deltas with no user. A node older than kind 4 cannot read it, so a cluster takes
 * this change all at once, not node by node.
 *
 * A dropped batch names the deltas of a batch the bridge could not put in the log (site and opId;
 * delta length 0), so that the node waiting for them tells their clients instead of waiting forever.
 *
 * Decoding checks every length against what is left, so a forged count cannot allocate much.
 */
public final class DeltaBatchCodec {

    private static final byte[] MAGIC = "FLB1".getBytes(StandardCharsets.US_ASCII);
    private static final int DELTAS_WITHOUT_USERS = 1;
    private static final int DELETED = 2;
    private static final int DROPPED = 3;
    private static final int DELTAS = 4;

    /** site, opId length, one opId byte, delta length, one delta byte. */
    private static final int MIN_ENTRY_BYTES = 4 + 2 + 1 + 4 + 1;

    /** The magic, the kind and the count: what a record holds besides its deltas. */
    static final int HEADER_BYTES = 4 + 1 + 4;

    private DeltaBatchCodec() {}

    public static byte[] encode(List<SubmittedDelta> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one delta");
        }
        return write(DELTAS, batch);
    }

    /** The bytes {@code delta} takes in a record: {@link #encode} of a batch is {@link #HEADER_BYTES} and these. */
    static int entryBytes(SubmittedDelta delta) {
        return 4
                + 2
                + delta.opId().getBytes(StandardCharsets.UTF_8).length
                + 4
                + BinaryDeltaCodec.encode(delta.delta()).length
                + 2
                + (delta.userId() == null ? 0 : delta.userId().getBytes(StandardCharsets.UTF_8).length);
    }

    public static byte[] encodeDeleted() {
        return write(DELETED, List.of());
    }

    /** The record saying that {@code batch} was dropped: its deltas' sites and opIds, no operations. */
    public static byte[] encodeDropped(List<SubmittedDelta> batch) {
        return write(DROPPED, batch);
    }

    private static byte[] write(int kind, List<SubmittedDelta> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(kind);
            out.writeInt(batch.size());
            for (SubmittedDelta delta : batch) {
                out.writeInt(delta.site());
                byte[] opId = delta.opId().getBytes(StandardCharsets.UTF_8);
                out.writeShort(opId.length);
                out.write(opId);
                byte[] encoded = kind == DROPPED ? new byte[0] : BinaryDeltaCodec.encode(delta.delta());
                out.writeInt(encoded.length);
                out.write(encoded);
                if (kind == DELTAS) {
                    byte[] user = delta.userId() == null
                            ? new byte[0]
                            : delta.userId().getBytes(StandardCharsets.UTF_8);
                    out.writeShort(user.length);
                    out.write(user);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param documentId whose record it is
     * @param offset the record's offset in the log
     * @throws InvalidDeltaException if the bytes are not exactly one well-formed record
     */
    public static LoggedBatch decode(UUID documentId, long offset, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InvalidDeltaException("not a Folio log record (no FLB1 header)");
            }
            int kind = in.readUnsignedByte();
            int count = in.readInt();
            if (kind == DELETED) {
                if (count != 0 || in.available() != 0) {
                    throw new InvalidDeltaException("a deletion record carries nothing");
                }
                return new LoggedBatch(documentId, offset, List.of(), true);
            }
            if (kind != DELTAS && kind != DELTAS_WITHOUT_USERS && kind != DROPPED) {
                throw new InvalidDeltaException("unknown record kind " + kind);
            }
            int entryBytes = kind == DROPPED ? MIN_ENTRY_BYTES - 1 : MIN_ENTRY_BYTES; // no operations
            entryBytes += kind == DELTAS ? 2 : 0; // the user's length
            if (count <= 0 || count > in.available() / entryBytes) {
                throw new InvalidDeltaException(
                        "a record of " + bytes.length + " bytes cannot hold " + count + " deltas");
            }
            List<SubmittedDelta> deltas = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int site = in.readInt();
                String opId = new String(exactly(in, in.readUnsignedShort()), StandardCharsets.UTF_8);
                byte[] delta = exactly(in, in.readInt());
                if (kind == DROPPED && delta.length != 0) {
                    throw new InvalidDeltaException("a dropped batch names its deltas without their operations");
                }
                String user = kind == DELTAS ? user(in) : null;
                try {
                    deltas.add(new SubmittedDelta(
                            opId, site, kind == DROPPED ? new Delta(List.of()) : BinaryDeltaCodec.decode(delta), user));
                } catch (IllegalArgumentException e) {
                    throw new InvalidDeltaException("delta " + i + ": " + e.getMessage(), e);
                }
            }
            if (in.available() != 0) {
                throw new InvalidDeltaException(in.available() + " bytes after the last delta");
            }
            return new LoggedBatch(documentId, offset, deltas, false, kind == DROPPED);
        } catch (EOFException e) {
            throw new InvalidDeltaException("truncated log record", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A delta's user, or null for length 0 (unknown). */
    private static String user(DataInputStream in) throws IOException {
        byte[] user = exactly(in, in.readUnsignedShort());
        return user.length == 0 ? null : new String(user, StandardCharsets.UTF_8);
    }

    private static byte[] exactly(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new InvalidDeltaException("a length of " + length + " runs past the record");
        }
        return in.readNBytes(length);
    }
}
