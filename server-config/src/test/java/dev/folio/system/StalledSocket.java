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
import java.util.OptionalInt;

/**
 * A WebSocket client that stops reading: a plain TCP socket with a small receive buffer that does
 * the handshake and joins, then reads nothing until told to, so that what the server sends piles
 * up in the server's buffers, as with a frozen tab or a client on a dead network.
 */
final class StalledSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    private StalledSocket(URI uri, String token) throws IOException {
        socket.setReceiveBufferSize(4096); // before connecting, so that TCP offers no larger window
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

    /** Opens the socket, joins the document, and from then on reads nothing. */
    static StalledSocket join(URI uri, String token) throws IOException {
        StalledSocket stalled = new StalledSocket(uri, token);
        stalled.sendText("{\"type\":\"join\"}");
        return stalled;
    }

    /** Sending still works: a stalled reader can keep its session from looking idle. */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("only short frames");
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81); // final fragment, text
        frame.write(0x80 | payload.length); // masked, as every client frame must be
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Starts reading again and reads to the end: the close code of the server's close frame, or
     * empty if the connection ended without one. Fails if it has not ended within the time given.
     */
    OptionalInt readToTheEnd(int seconds) throws IOException {
        socket.setSoTimeout(seconds * 1000);
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return OptionalInt.empty();
                }
                long length = in.read() & 0x7f; // server frames are not masked
                if (length == 126) {
                    length = (readByte() << 8) | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | readByte();
                    }
                }
                byte[] payload = in.readNBytes((int) length);
                if ((first & 0x0f) == 0x8) {
                    return payload.length >= 2
                            ? OptionalInt.of(((payload[0] & 0xff) << 8) | (payload[1] & 0xff))
                            : OptionalInt.empty();
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed nor finished within " + seconds + " s", e);
        } catch (IOException e) {
            return OptionalInt.empty(); // reset by the server: ended without a close frame
        }
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
