package dev.folio.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    private final Path log;

    /** The script {@code name} with the suite's stack folder, {@code target/system-tests/stack}. */
    StackScript(String name, Map<String, String> environment) {
        this(name, SuitePaths.work().resolve("stack"), environment);
    }

    /** The script {@code name} keeping its service's data in {@code stackFolder}, its log beside it. */
    StackScript(String name, Path stackFolder, Map<String, String> environment) {
        this.name = name;
        this.environment = new HashMap<>(environment);
        this.environment.put("FOLIO_STACK_DIR", stackFolder.toAbsolutePath().toString());
        this.log = stackFolder.toAbsolutePath().resolveSibling(name + ".log");
    }

    /** Starts the service (or keeps it running) and returns what the script prints last: its address. */
    String start() throws IOException, InterruptedException {
        List<String> output = run("start");
        return output.get(output.size() - 1).strip();
    }

    void stop() throws IOException, InterruptedException {
        run("stop");
    }

    /**
     * {@code kill -9} of the service this script started: no shutdown, nothing flushed beyond what the
     * service itself made durable. Returns once the process is gone; {@link #start} starts it again.
     */
    void kill() throws IOException, InterruptedException {
        Path pidFile =
                Path.of(environment.get("FOLIO_STACK_DIR")).resolve(service()).resolve(service() + ".pid");
        if (!Files.exists(pidFile)) {
            throw new IllegalStateException(name + " has no pid file " + pidFile);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") is not running"));
        process.destroyForcibly();
        process.onExit().join();
    }

    /** The service's folder and file names: local-kafka keeps its files in kafka/. */
    private String service() {
        return name.substring(name.indexOf('-') + 1);
    }

    /** Stops the service when the test JVM exits, after the application servers that use it. */
    void stopOnExit() {
        ExitStops.register(ExitStops.Layer.SERVICES, name, this::stop);
    }

    private List<String> run(String command) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Path output = Files.createTempFile(log.getParent(), name + "-" + command, ".out");
        ProcessBuilder script = new ProcessBuilder(
                        SuitePaths.repo().resolve("server-config/bin/" + name).toString(), command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectOutput(output.toFile());
        script.environment().putAll(environment);
        Process process = script.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/" + name + " " + command + " took over 3 minutes; see " + log);
        }
        List<String> lines = Files.readAllLines(output);
        Files.writeString(log, String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
        Files.delete(output);
        if (process.exitValue() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(
                    "bin/" + name + " " + command + " failed (" + process.exitValue() + "); see " + log);
        }
        return lines;
    }
}
