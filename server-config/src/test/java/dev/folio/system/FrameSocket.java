package dev.folio.system;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A WebSocket client on a plain TCP socket, for what a well-behaved client library never sends:
 * frames of any opcode and size, invalid UTF-8, control frames in floods; and for a client that
 * stops reading ({@link #stalled}), so that what the server sends piles up in its buffers, as with
 * a frozen tab or a client on a dead network.
 */
final class FrameSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    private FrameSocket(URI uri, String token, int receiveBuffer) throws IOException {
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connecting, so that TCP offers no larger window
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: folio.v1, folio.bearer." + token + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readHead().lines().findFirst().orElse("");
        if (!status.contains(" 101 ")) {
            throw new IOException("handshake refused: " + status);
        }
    }

    /** Opens a socket to a document as the user of {@code token}. */
    static FrameSocket open(URI uri, String token) throws IOException {
        return new FrameSocket(uri, token, 0);
    }

    /** Opens a socket with a small receive buffer, joins the document, and from then on reads nothing. */
    static FrameSocket stalled(URI uri, String token) throws IOException {
        FrameSocket stalled = new FrameSocket(uri, token, 4096);
        stalled.sendText("{\"type\":\"join\"}");
        return stalled;
    }

    /** Sends a text frame; sending still works while the socket reads nothing. */
    void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one final frame of this opcode holding these bytes, as they are, masked as a client must. */
    void sendFrame(int opcode, byte[] payload) throws IOException {
        out.write(frame(opcode, payload));
        out.flush();
    }

    /**
     * Sends one frame {@code count} times, each once the server answered the one before, until the
     * server says anything else; returns how it closed (as {@link #readToTheEnd}). In step, not all
     * at once: a server that closes with frames of ours still unread resets the connection, and the
     * reset can destroy its close frame before we read it (a CI run under load saw that).
     */
    OptionalInt floodInStepAndReadToTheEnd(int opcode, byte[] payload, int count, int seconds) throws IOException {
        byte[] one = frame(opcode, payload);
        socket.setSoTimeout(seconds * 1000);
        try {
            for (int i = 0; i < count; i++) {
                out.write(one);
                out.flush();
                Frame answer = readFrame();
                if (answer == null || answer.opcode == CLOSE) {
                    return closeCode(answer);
                }
                if (!answer.isPong()) {
                    break; // the error frame that comes before the close
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server answered nothing within " + seconds + " s", e);
        } catch (IOException e) {
            return OptionalInt.empty(); // reset by the server: ended without a close frame
        }
        return readToTheEnd(seconds);
    }

    private static byte[] frame(int opcode, byte[] payload) {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode); // final fragment
        if (payload.length <= 125) {
            frame.write(0x80 | payload.length); // masked, as every client frame must be
        } else if (payload.length <= 0xffff) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /**
     * The next text frame the server sends, skipping control frames; empty once it closed or ended
     * the connection. Fails if none came within the time given.
     */
    Optional<String> nextText(int seconds) throws IOException {
        socket.setSoTimeout(seconds * 1000);
        try {
            for (Frame frame = readFrame(); frame != null && frame.opcode != CLOSE; frame = readFrame()) {
                if (frame.opcode == TEXT) {
                    return Optional.of(new String(frame.payload, StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server sent no text frame within " + seconds + " s", e);
        }
    }

    /**
     * Starts reading again and reads to the end: the close code of the server's close frame, or
     * empty if the connection ended without one. Fails if it has not ended within the time given.
     */
    OptionalInt readToTheEnd(int seconds) throws IOException {
        socket.setSoTimeout(seconds * 1000);
        try {
            for (Frame frame = readFrame(); frame != null; frame = readFrame()) {
                if (frame.opcode == CLOSE) {
                    return closeCode(frame);
                }
            }
            return OptionalInt.empty();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed nor finished within " + seconds + " s", e);
        } catch (IOException e) {
            return OptionalInt.empty(); // reset by the server: ended without a close frame
        }
    }

    /** The code of a close frame; empty for none, or for a close frame without one. */
    private static OptionalInt closeCode(Frame close) {
        return close != null && close.payload.length >= 2
                ? OptionalInt.of(((close.payload[0] & 0xff) << 8) | (close.payload[1] & 0xff))
                : OptionalInt.empty();
    }

    private record Frame(int opcode, byte[] payload) {

        /** A control pong, or the protocol's JSON pong. */
        boolean isPong() {
            return opcode == PONG
                    || (opcode == TEXT && new String(payload, StandardCharsets.UTF_8).contains("\"pong\""));
        }
    }

    /** The server's next frame, or null once the connection ended; server frames are not masked. */
    private Frame readFrame() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        long length = readByte() & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        return new Frame(first & 0x0f, in.readNBytes((int) length));
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = readByte();
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
