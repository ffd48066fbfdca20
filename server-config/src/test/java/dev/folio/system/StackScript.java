package dev.folio.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of server-config/bin/local-{artemis,kafka,dynamodb}, run for the tests: in a stack folder
 * under target (so test data never mixes with a developer's run/stack), with the test ports in its
 * environment, its output appended to a log next to that folder.
 */
final class StackScript {

    private final String name;
    private final Map<String, String> environment;
    private final Path repo = Path.of(System.getProperty("folio.repo", "..")).toAbsolutePath();
    private final Path work =
            Path.of(System.getProperty("folio.work", "target/system-tests")).toAbsolutePath();

    StackScript(String name, Map<String, String> environment) {
        this.name = name;
        this.environment = new HashMap<>(environment);
        this.environment.put("FOLIO_STACK_DIR", work.resolve("stack").toString());
    }

    /** Starts the service (or keeps it running) and returns what the script prints last: its address. */
    String start() throws IOException, InterruptedException {
        List<String> output = run("start");
        return output.get(output.size() - 1).strip();
    }

    void stop() throws IOException, InterruptedException {
        run("stop");
    }

    /** Stops the service when the test JVM exits. */
    void stopOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop();
            } catch (IOException e) {
                System.err.println(name + " stop failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    private List<String> run(String command) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path output = Files.createTempFile(work, name + "-" + command, ".out");
        Path log = work.resolve(name + ".log");
        ProcessBuilder script = new ProcessBuilder(
                        repo.resolve("server-config/bin/" + name).toString(), command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectOutput(output.toFile());
        script.environment().putAll(environment);
        Process process = script.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/" + name + " " + command + " took over 3 minutes; see " + log);
        }
        List<String> lines = Files.readAllLines(output);
        Files.writeString(log, String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(output);
        if (process.exitValue() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(
                    "bin/" + name + " " + command + " failed (" + process.exitValue() + "); see " + log);
        }
        return lines;
    }
}
