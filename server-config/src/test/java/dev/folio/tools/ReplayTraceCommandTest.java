package dev.folio.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's contract: one JSON line per file, and an exit status that tells a mismatch. */
class ReplayTraceCommandTest {

    @TempDir
    Path folder;

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    int replay(Path... files) {
        String[] args = new String[files.length];
        for (int i = 0; i < files.length; i++) {
            args[i] = files[i].toString();
        }
        return ReplayTraceCommand.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    Path trace(String name, String endContent) throws IOException {
        return Files.writeString(
                folder.resolve(name),
                "{\"startContent\":\"\",\"endContent\":\"" + endContent + "\",\"txns\":["
                        + "{\"time\":\"t\",\"patches\":[[0,0,\"hello world\"]]},"
                        + "{\"time\":\"t\",\"patches\":[[5,6,\"!\"],[0,1,\"H\"]]}]}");
    }

    @Test
    void aPlainJsonTraceThatMatchesExitsZero() throws IOException {
        assertEquals(0, replay(trace("good.json", "Hello!")));
        String line = printed.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.startsWith("{\"trace\":\"good.json\",\"operations\":20,\"matches\":true"), line);
        for (String field : new String[] {"millis", "meanIdBytes", "maxIdBytes", "maxDepth"}) {
            assertTrue(line.contains("\"" + field + "\":"), field);
        }
    }

    @Test
    void aTraceThatDoesNotMatchItsEndContentExitsNonZero() throws IOException {
        assertEquals(1, replay(trace("good.json", "Hello!"), trace("bad.json", "Goodbye")));
        assertTrue(printed.toString(StandardCharsets.UTF_8)
                .contains("\"trace\":\"bad.json\",\"operations\":20,\"matches\":false"));
    }

    @Test
    void anUnreadableFileIsReported() throws IOException {
        Path broken = Files.writeString(folder.resolve("broken.json"), "{not json");
        assertEquals(2, replay(broken));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("\"error\""));
    }
}
