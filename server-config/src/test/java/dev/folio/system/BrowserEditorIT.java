package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The browser tier: the editor pages in real headless Chromium (Debian's package, through
 * bin/local-chromium), driven by playwright-core from the Node tests in server-config/e2e, against
 * the shared stack. People type at once, go offline, close tabs, lose and get back their
 * connection; every page ends with the server's text. Node's JUnit reporter writes
 * TEST-e2e-browser.xml beside Failsafe's reports; screenshots go to target/e2e-artifacts.
 */
class BrowserEditorIT extends SystemTest {

    /** The whole browser tier; it takes about a minute, each Node test has its own limit too. */
    private static final Duration LIMIT = Duration.ofMinutes(10);

    @Test
    void theEditorPagesPassTheBrowserTests() throws Exception {
        Path e2e = stack.repo.resolve("server-config/e2e");
        assertTrue(
                Files.isDirectory(e2e.resolve("node_modules/playwright-core")),
                "playwright-core is not installed: Maven runs `npm ci` in " + e2e + " before the system tests");
        Path artifacts = Path.of(System.getProperty("folio.e2e.artifacts", "target/e2e-artifacts"))
                .toAbsolutePath();
        Path reports = Path.of(System.getProperty("folio.e2e.reports", "target/failsafe-reports"))
                .toAbsolutePath();
        clear(artifacts);
        Files.createDirectories(reports);

        List<String> command = new ArrayList<>(List.of(
                "node",
                "--test",
                // One file at a time: each has its own Chromium, and the machine has two cores.
                "--test-concurrency=1",
                "--test-reporter=spec",
                "--test-reporter-destination=stdout",
                "--test-reporter=junit",
                "--test-reporter-destination=" + reports.resolve("TEST-e2e-browser.xml")));
        command.addAll(testFiles(e2e));
        ProcessBuilder node =
                new ProcessBuilder(command).directory(e2e.toFile()).redirectErrorStream(true);
        node.environment().put("FOLIO_URL", stack.http().toString());
        node.environment().put("FOLIO_CHROMIUM", localChromium());
        node.environment().put("FOLIO_ARTIFACTS", artifacts.toString());
        // Plain text in the build log and the failure message: Playwright colours its call logs.
        node.environment().put("FORCE_COLOR", "0");

        Run run = run(node);
        assertEquals(
                0,
                run.exit,
                () -> "the browser tests failed (exit " + run.exit + "); screenshots of the failing pages are in "
                        + artifacts + "\n" + run.output);
    }

    /**
     * The e2e/*.test.mjs files, named one by one: node 20 takes no globs. {@code
     * -Dfolio.e2e.only=admin.test.mjs,...} runs only those, while working on a page.
     */
    private static List<String> testFiles(Path e2e) throws IOException {
        List<String> only = List.of(System.getProperty("folio.e2e.only", "").split(",")).stream()
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList();
        try (Stream<Path> files = Files.list(e2e)) {
            List<String> tests = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".test.mjs"))
                    .filter(name -> only.isEmpty() || only.contains(name))
                    .sorted()
                    .toList();
            assertTrue(!tests.isEmpty(), "no *.test.mjs in " + e2e);
            return tests;
        }
    }

    /** An empty folder: screenshots of an earlier run's failures would mislead. */
    private static void clear(Path folder) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Debian's Chromium, installed by bin/local-chromium when missing: the path is its last line. */
    private static String localChromium() throws IOException, InterruptedException {
        ProcessBuilder script = new ProcessBuilder(
                        stack.repo.resolve("server-config/bin/local-chromium").toString())
                .redirectErrorStream(true);
        Run run = run(script);
        List<String> lines = run.output.lines().toList();
        if (run.exit != 0 || lines.isEmpty()) {
            throw new IllegalStateException("bin/local-chromium failed (" + run.exit + "):\n" + run.output);
        }
        return lines.get(lines.size() - 1).trim();
    }

    private record Run(int exit, String output) {}

    /**
     * Runs a process within {@link #LIMIT}, echoing its output to the build log as it comes (a
     * browser run is long enough to want progress) and keeping it for the failure message.
     */
    private static Run run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println(line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException closed) {
                // the process was killed
            }
        });
        reader.start();
        if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            // Chromium and node's test workers are children of the process: end the whole tree.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            reader.join(Duration.ofSeconds(10).toMillis());
            synchronized (output) {
                return new Run(-1, "timed out after " + LIMIT + "\n" + output);
            }
        }
        reader.join(Duration.ofSeconds(10).toMillis());
        synchronized (output) {
            return new Run(process.exitValue(), output.toString());
        }
    }
}
