package dev.folio.lseq;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A whole replica (its parameters, every live character with its identifier, the deletes it
 * still remembers, and the highest counter it received from each site) as bytes, loadable into a
 * new replica that keeps converging with the others.
 *
 * <pre>
 * snapshot = "FLS2" uncompressedLength(int32) deflate(body)
 * body     = rootBaseBits boundary strategySeed(int32) elementCount deletedCount
 *            structure digits sites counters deleted text   (each: byteLength(varint) bytes)
 *            receivedCount received                          (byteLength(varint) bytes)
 * </pre>
 *
 * The identifiers of the elements are written by {@link IdentifierWriter} into the four
 * identifier streams; {@code deleted} holds the remembered deletes' (site, counter) as differences
 * from the previous pair; {@code text} is the live text in UTF-8; {@code received} holds each
 * site's highest counter, by increasing site, as (site difference, counter). Snapshots written
 * before that section existed ("FLS1", which ends at {@code text}) still load: their live and
 * remembered inserts are what they received.
 */
public final class SnapshotCodec {

    private static final byte[] MAGIC = {'F', 'L', 'S', '2'};
    /** The version before the received counters were kept; the magic's last byte tells them apart. */
    private static final byte FIRST_VERSION = '1';
    /** A snapshot inflating past this is refused rather than exhausting memory. */
    public static final int MAX_BODY_BYTES = 256 << 20;

    private SnapshotCodec() {}

    public static byte[] encode(Replica replica) {
        int n = replica.length();
        ByteWriter structure = new ByteWriter(2 * n);
        ByteWriter digits = new ByteWriter(2 * n);
        ByteWriter sites = new ByteWriter(n);
        ByteWriter counters = new ByteWriter(n);
        IdentifierWriter ids = new IdentifierWriter(structure, digits, sites, counters);
        replica.forEachElement((id, codePoint) -> ids.write(id));
        long[] deletedKeys = replica.deletedKeys();
        ByteWriter deleted = new ByteWriter(2 * deletedKeys.length);
        long previous = 0;
        for (long key : deletedKeys) {
            deleted.writeSignedVarint(Tombstones.site(key) - Tombstones.site(previous));
            deleted.writeSignedVarint(Tombstones.counter(key) - Tombstones.counter(previous));
            previous = key;
        }
        byte[] text = replica.text().getBytes(StandardCharsets.UTF_8);
        long[] highest = replica.highestCountersBySite();
        ByteWriter received = new ByteWriter(3 * highest.length);
        int previousSite = 0;
        for (long pair : highest) {
            received.writeVarint(Tombstones.site(pair) - previousSite);
            received.writeVarint(Tombstones.counter(pair));
            previousSite = Tombstones.site(pair);
        }

        LseqParameters parameters = replica.parameters();
        ByteWriter body = new ByteWriter(structure.length() + digits.length() + text.length + 64);
        body.writeVarint(parameters.rootBaseBits());
        body.writeVarint(parameters.boundary());
        body.writeInt(parameters.strategySeed());
        body.writeVarint(n);
        body.writeVarint(deletedKeys.length);
        for (ByteWriter section : new ByteWriter[] {structure, digits, sites, counters, deleted}) {
            body.writeVarint(section.length());
            body.write(section);
        }
        body.writeVarint(text.length);
        body.write(text, 0, text.length);
        body.writeVarint(highest.length);
        body.writeVarint(received.length());
        body.write(received);
        return compress(body.toByteArray());
    }

    /**
     * The length of the snapshot's body once inflated, as its header announces; {@link #decode}
     * refuses a body over {@link #MAX_BODY_BYTES}.
     *
     * @throws InvalidDeltaException if the bytes are not a snapshot
     */
    public static int bodyLength(byte[] snapshot) {
        ByteReader header = new ByteReader(snapshot);
        readVersion(header);
        return header.readInt();
    }

    /** Reads the magic; returns its version byte, {@code '1'} or {@code '2'}. */
    private static byte readVersion(ByteReader header) {
        for (int i = 0; i < MAGIC.length - 1; i++) {
            if (header.readByte() != MAGIC[i]) {
                throw new InvalidDeltaException("not a Folio LSEQ snapshot");
            }
        }
        byte version = (byte) header.readByte();
        if (version != MAGIC[MAGIC.length - 1] && version != FIRST_VERSION) {
            throw new InvalidDeltaException("not a Folio LSEQ snapshot");
        }
        return version;
    }

    /**
     * A new replica holding the snapshot's state, editing as {@code site} from {@code nextCounter}.
     *
     * @throws InvalidDeltaException if the bytes are not a well-formed snapshot
     */
    public static Replica decode(byte[] snapshot, int localSite, int nextCounter) {
        boolean keepsReceived = readVersion(new ByteReader(snapshot)) != FIRST_VERSION;
        ByteReader body = new ByteReader(decompress(snapshot));
        LseqParameters parameters;
        try {
            parameters = new LseqParameters(body.readVarint(), body.readVarint(), body.readInt());
        } catch (IllegalArgumentException e) {
            throw new InvalidDeltaException("snapshot has invalid parameters: " + e.getMessage(), e);
        }
        int elementCount = body.readVarint();
        int deletedCount = body.readVarint();
        IdentifierReader ids = new IdentifierReader(
                body.slice(body.readVarint()),
                body.slice(body.readVarint()),
                body.slice(body.readVarint()),
                body.slice(body.readVarint()));
        ByteReader deleted = body.slice(body.readVarint());
        int[] text = new String(body.readBytes(body.readVarint()), StandardCharsets.UTF_8)
                .codePoints()
                .toArray();
        int receivedCount = keepsReceived ? body.readVarint() : 0;
        ByteReader received = keepsReceived ? body.slice(body.readVarint()) : new ByteReader(new byte[0]);
        body.expectEnd("snapshot");
        if (text.length != elementCount) {
            throw new InvalidDeltaException("snapshot text has " + text.length + " characters for " + elementCount);
        }

        Replica replica = new Replica(localSite, nextCounter, parameters);
        Identifier previous = null;
        for (int i = 0; i < elementCount; i++) {
            Identifier id = ids.read();
            parameters.check(id);
            if (previous != null && previous.compareTo(id) >= 0) {
                throw new InvalidDeltaException("snapshot identifiers are out of order at element " + i);
            }
            replica.load(id, text[i]);
            previous = id;
        }
        replica.finishLoading();
        int site = 0;
        int counter = 0;
        for (int i = 0; i < deletedCount; i++) {
            site += deleted.readSignedVarint();
            counter += deleted.readSignedVarint();
            if (site < 0 || counter < 0) {
                throw new InvalidDeltaException("snapshot holds a negative site or counter among its deletes");
            }
            replica.loadDeleted(Tombstones.key(site, counter));
        }
        deleted.expectEnd("snapshot's deletes");
        site = 0;
        for (int i = 0; i < receivedCount; i++) {
            int step = received.readVarint();
            site += step;
            int highest = received.readVarint();
            if ((i > 0 && step == 0) || site < 0 || highest < 0) {
                throw new InvalidDeltaException("snapshot's received counters are not by increasing site");
            }
            replica.loadReceived(site, highest);
        }
        received.expectEnd("snapshot's received counters");
        return replica;
    }

    private static byte[] compress(byte[] body) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(body);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 16);
        out.writeBytes(MAGIC);
        ByteWriter length = new ByteWriter(4);
        length.writeInt(body.length);
        out.writeBytes(length.toByteArray());
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] decompress(byte[] snapshot) {
        ByteReader header = new ByteReader(snapshot);
        readVersion(header);
        int length = header.readInt();
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new InvalidDeltaException("snapshot body of " + length + " bytes is out of range");
        }
        // Grows with what actually inflates, so a forged length cannot make us allocate it up front.
        Inflater inflater = new Inflater();
        inflater.setInput(snapshot, 8, snapshot.length - 8);
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(length, 1 << 16));
        byte[] buffer = new byte[1 << 16];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new InvalidDeltaException("snapshot body is truncated");
                }
                if (body.size() + n > length) {
                    throw new InvalidDeltaException("snapshot body is longer than announced");
                }
                body.write(buffer, 0, n);
            }
            if (inflater.getRemaining() > 0) {
                // The browser's decoder refuses them too (lseq-codec.js): one rule on both sides.
                throw new InvalidDeltaException("unexpected bytes after the snapshot body");
            }
        } catch (DataFormatException e) {
            throw new InvalidDeltaException("snapshot body is not valid deflate data", e);
        } finally {
            inflater.end();
        }
        if (body.size() != length) {
            throw new InvalidDeltaException("snapshot body is shorter than announced");
        }
        return body.toByteArray();
    }
}
