package dev.folio.lseq;

/** Reads what {@link ByteWriter} wrote; every malformed input ends in an {@link InvalidDeltaException}. */
final class ByteReader {

    private final byte[] bytes;
    private int position;
    private final int end;

    ByteReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    ByteReader(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.position = from;
        this.end = to;
    }

    int readByte() {
        if (position >= end) {
            throw new InvalidDeltaException("truncated: expected more bytes at offset " + position);
        }
        return bytes[position++] & 0xFF;
    }

    /** A non-negative int in at most five bytes. */
    int readVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0 || (shift == 28 && b > 0x07)) {
                    throw new InvalidDeltaException("varint out of range at offset " + (position - 1));
                }
                return value;
            }
        }
        throw new InvalidDeltaException("varint longer than five bytes at offset " + position);
    }

    int readSignedVarint() {
        int raw = readVarintBits();
        return (raw >>> 1) ^ -(raw & 1);
    }

    int readInt() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | readByte();
        }
        return value;
    }

    /** A sub-reader over the next {@code count} bytes, which this reader skips. */
    ByteReader slice(int count) {
        if (count < 0 || count > remaining()) {
            throw new InvalidDeltaException("truncated: a section of " + count + " bytes does not fit");
        }
        ByteReader slice = new ByteReader(bytes, position, position + count);
        position += count;
        return slice;
    }

    byte[] readBytes(int count) {
        if (count < 0 || count > remaining()) {
            throw new InvalidDeltaException("truncated: " + count + " bytes do not fit");
        }
        byte[] out = new byte[count];
        System.arraycopy(bytes, position, out, 0, count);
        position += count;
        return out;
    }

    int remaining() {
        return end - position;
    }

    void expectEnd(String what) {
        if (position != end) {
            throw new InvalidDeltaException(remaining() + " unexpected bytes after the " + what);
        }
    }

    /** Like {@link #readVarint} but all 32 bits are data (zigzag values use the sign bit). */
    private int readVarintBits() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 28 && b > 0x0F) {
                    throw new InvalidDeltaException("varint out of range at offset " + (position - 1));
                }
                return value;
            }
        }
        throw new InvalidDeltaException("varint longer than five bytes at offset " + position);
    }
}
