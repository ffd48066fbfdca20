package dev.folio.system;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Folio's WAR on a Payara Micro process of its own, which a test can kill and start again. */
final class MicroNode implements AutoCloseable {

    private final Path jar;
    private final Path war;
    private final List<Path> deployedBefore;
    private final Path logs;
    private final int port;
    private final Map<String, String> environment;
    private Process process;
    private int starts;

    MicroNode(Path jar, Path war, Path logs, int port, Map<String, String> environment) {
        this(jar, List.of(), war, logs, port, environment);
    }

    /**
     * A node that deploys {@code deployedBefore} (for example the Artemis resource adapter and the
     * messaging resources), in that order, before the WAR.
     */
    MicroNode(Path jar, List<Path> deployedBefore, Path war, Path logs, int port, Map<String, String> environment) {
        this.jar = jar;
        this.deployedBefore = List.copyOf(deployedBefore);
        this.war = war;
        this.logs = logs;
        this.port = port;
        this.environment = environment;
    }

    URI http() {
        return URI.create("http://127.0.0.1:" + port);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    /** Starts the server and waits until it is ready (readiness checks the database). */
    void start() throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve("micro-" + port + "-" + (++starts) + ".log");
        List<String> command = new ArrayList<>(
                List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-jar", jar.toString()));
        if (deployedBefore.isEmpty()) {
            command.addAll(List.of("--deploy", war.toString(), "--contextroot", "/"));
        } else {
            // With several archives each WAR names its context root after a path separator.
            for (Path archive : deployedBefore) {
                String name = archive.getFileName().toString();
                command.addAll(List.of(
                        "--deploy",
                        name.endsWith(".war")
                                ? archive + File.pathSeparator + "/" + name.substring(0, name.length() - 4)
                                : archive.toString()));
            }
            command.addAll(List.of("--deploy", war + File.pathSeparator + "/"));
        }
        command.addAll(List.of("--port", Integer.toString(port), "--nocluster", "--nohostaware"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        awaitReady(log);
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(http().resolve("/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Payara Micro was not ready within 3 minutes; see " + log);
    }

    /** SIGKILL: no shutdown hook, no snapshot, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the server shuts down cleanly, writing its snapshots. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofMinutes(1).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
