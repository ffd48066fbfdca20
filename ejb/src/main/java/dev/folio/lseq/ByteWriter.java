package dev.folio.lseq;

import java.util.Arrays;

/** A growable byte buffer with the unsigned LEB128 varints the binary formats use. */
final class ByteWriter {

    private byte[] bytes;
    private int length;

    ByteWriter(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    void writeByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    /** Seven bits per byte, low bits first, high bit set on every byte but the last. */
    void writeVarint(int value) {
        ensure(5);
        int rest = value;
        while ((rest & ~0x7F) != 0) {
            bytes[length++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[length++] = (byte) rest;
    }

    /** Small signed numbers as small varints: 0, -1, 1, -2, ... become 0, 1, 2, 3, ... */
    void writeSignedVarint(int value) {
        writeVarint((value << 1) ^ (value >> 31));
    }

    void writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[length++] = (byte) (value >>> shift);
        }
    }

    void write(byte[] data, int from, int count) {
        ensure(count);
        System.arraycopy(data, from, bytes, length, count);
        length += count;
    }

    void write(ByteWriter other) {
        write(other.bytes, 0, other.length);
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }
}
