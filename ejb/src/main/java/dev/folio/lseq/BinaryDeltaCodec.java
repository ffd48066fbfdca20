package dev.folio.lseq;

import dev.folio.lseq.Operation.Delete;
import dev.folio.lseq.Operation.Insert;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form of a {@link Delta}:
 *
 * <pre>
 * delta     = version(1 byte = 1) count(varint) operation*
 * operation = kind(1 byte: 0 insert, 1 delete) identifier [codePoint(varint) if insert]
 * </pre>
 *
 * with identifiers as {@link IdentifierWriter} writes them, one stream. docs/lseq.md has the details.
 */
public final class BinaryDeltaCodec {

    static final int VERSION = 1;
    private static final int INSERT = 0;
    private static final int DELETE = 1;
    /** The smallest operation is three bytes: kind, depth, shared (an identifier equal to the previous). */
    private static final int MIN_OPERATION_BYTES = 3;

    private BinaryDeltaCodec() {}

    public static byte[] encode(Delta delta) {
        ByteWriter out = new ByteWriter(8 + 12 * delta.size());
        out.writeByte(VERSION);
        out.writeVarint(delta.size());
        IdentifierWriter ids = new IdentifierWriter(out);
        for (Operation operation : delta.operations()) {
            out.writeByte(operation instanceof Insert ? INSERT : DELETE);
            ids.write(operation.id());
            if (operation instanceof Insert insert) {
                out.writeVarint(insert.codePoint());
            }
        }
        return out.toByteArray();
    }

    /**
     * @throws InvalidDeltaException if the bytes are not exactly one well-formed delta
     */
    public static Delta decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int version = in.readByte();
        if (version != VERSION) {
            throw new InvalidDeltaException("unknown binary delta version " + version);
        }
        int count = in.readVarint();
        if (count > in.remaining() / MIN_OPERATION_BYTES) {
            throw new InvalidDeltaException(
                    "a delta of " + bytes.length + " bytes cannot hold " + count + " operations");
        }
        IdentifierReader ids = new IdentifierReader(in);
        List<Operation> operations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = in.readByte();
            switch (kind) {
                case INSERT -> operations.add(new Insert(ids.read(), in.readVarint()));
                case DELETE -> operations.add(new Delete(ids.read()));
                default -> throw new InvalidDeltaException("unknown operation kind " + kind);
            }
        }
        in.expectEnd("delta");
        return new Delta(operations);
    }

    /** Bytes of {@code id} encoded on its own (no shared prefix). */
    public static int identifierSize(Identifier id) {
        return IdentifierWriter.standaloneSize(id);
    }
}
