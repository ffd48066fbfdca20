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

/**
 * Folio's WAR on a Payara Micro process of its own, which a test can stop, kill and start again (on
 * the same port, with the same environment).
 */
final class MicroNode implements AutoCloseable {

    private final Path jar;
    private final Path war;
    private final List<Path> deployedBefore;
    private final Path logs;
    private final int port;
    private final Map<String, String> environment;
    private Process process;
    private int starts;
    private Path currentLog;

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

    /**
     * Folio as it runs now: the Artemis resource adapter, its resources, then the WAR, with {@code
     * environment} (see {@link PipelineServices#nodeEnvironment}); not started yet.
     */
    static MicroNode folio(int port, Path logs, Map<String, String> environment) {
        return new MicroNode(
                SuitePaths.microJar(),
                List.of(SuitePaths.artemisRar(), SuitePaths.artemisResources()),
                SuitePaths.war(),
                logs,
                port,
                environment);
    }

    /** Its FOLIO_NODE_NAME, if it has one. */
    String name() {
        return environment.getOrDefault("FOLIO_NODE_NAME", "micro-" + port);
    }

    URI http() {
        return URI.create("http://127.0.0.1:" + port);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    /** The server's process id while it runs (for a test that signals it some other way). */
    long pid() {
        if (!isRunning()) {
            throw new IllegalStateException(name() + " is not running");
        }
        return process.pid();
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the server and waits until it is ready: Micro logged that it started, every archive
     * deployed, and {@link Readiness} (the application's checks, of the database and the broker,
     * up). Again after {@link #stop} or {@link #kill}: a restart, with a log file of its own. A
     * running node is kept, so a test may call it in a {@code finally} whether or not it got to stop
     * it.
     */
    void start() throws IOException, InterruptedException {
        start(true);
    }

    /**
     * As {@link #start()}, but without waiting for the application's readiness checks when {@code
     * awaitReadiness} is false: for a node started while a service it needs is down, or one that is
     * expected to report itself not ready.
     */
    void start(boolean awaitReadiness) throws IOException, InterruptedException {
        if (isRunning()) {
            return;
        }
        try {
            launchAndAwait(awaitReadiness);
        } catch (ArchiveNotDeployedException e) {
            // Now and then Payara fails to deploy an archive at start ("Error while installing
            // policy provider": a null context class loader on its main thread); the next start
            // deploys it. As bin/folio-local does (server-config/stack/micro.sh), once.
            System.err.println("MicroNode " + port + ": " + e.getMessage() + "; starting it once more");
            launchAndAwait(awaitReadiness);
        }
    }

    private void launchAndAwait(boolean awaitReadiness) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve("micro-" + port + "-" + (++starts) + ".log");
        currentLog = log;
        List<String> command = new ArrayList<>(
                List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-jar", jar.toString()));
        if (deployedBefore.isEmpty()) {
            command.addAll(List.of("--deploy", war.toString(), "--contextroot", "/"));
        } else {
            // The application's @Resource lookups name java:global resources that another archive
            // defines; Payara's deploy-time check does not see those and refuses the application
            // ("JNDI lookup failed ... java:global/jms/folio", seen on 6.2025.10). They resolve at
            // run time; without the check, a missing one fails there, loudly, instead.
            command.add(2, "-Ddeployment.resource.validation=false");
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
            // As bin/folio-local runs it: see server-config/stack/micro.sh.
            command.addAll(List.of(
                    "--postbootcommandfile",
                    SuitePaths.repo()
                            .resolve("server-config/stack/micro-post-boot.asadmin")
                            .toString()));
        }
        // As bin/folio-local runs it: on loopback only, without the Hazelcast data grid.
        command.addAll(List.of(
                "--prebootcommandfile",
                SuitePaths.repo()
                        .resolve("server-config/stack/micro-pre-boot.asadmin")
                        .toString()));
        command.addAll(List.of("--port", Integer.toString(port), "--nocluster", "--nohostaware"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FOLIO_BIND_ADDRESS", "127.0.0.1");
        builder.environment().putAll(environment);
        process = builder.start();
        try {
            awaitReady(log, awaitReadiness);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // A node that never got ready would hold its port against the next try.
            process.destroyForcibly().waitFor();
            throw e;
        }
    }

    private void awaitReady(Path log, boolean awaitReadiness) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(http().resolve("/health/ready"))
                .timeout(Duration.ofSeconds(10))
                .build();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        boolean started = false;
        String lastAnswer = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited; see " + log);
            }
            // Micro's own "ready" first: before it, the application's checks can answer UP while its
            // web context is still being loaded, and the next requests get 503 and 500 (6.2025.10).
            if (!started && saysReady(log)) {
                started = true;
                // Micro also says ready when an archive failed to deploy: tell, rather than wait.
                List<String> failed = undeployed(log);
                if (!failed.isEmpty()) {
                    throw new ArchiveNotDeployedException(("Payara Micro started without " + failed
                                    + " (last problems logged: " + problems(log) + "); see " + log)
                            .replaceAll("\\s+", " "));
                }
                if (!awaitReadiness) {
                    return;
                }
            }
            try {
                if (started) {
                    HttpResponse<String> answer = http.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (Readiness.isReady(answer)) {
                        return;
                    }
                    lastAnswer = answer.statusCode() + " " + answer.body();
                }
            } catch (IOException notYet) {
                lastAnswer = "not listening: " + notYet;
            }
            Thread.sleep(250);
        }
        // One line, for the test summary: CI keeps that line, not the node's log.
        throw new IllegalStateException(("Payara Micro was not ready within 3 minutes (Micro "
                        + (started ? "started; /health/ready said " + lastAnswer : "never logged that it started")
                        + "; last problems logged: " + problems(log) + "); see " + log)
                .replaceAll("\\s+", " "));
    }

    /**
     * The node's last three SEVERE records, and WARNING records of the application, shortened: a
     * record's header line with the two lines after it, where Payara puts the message of a record
     * that begins with "[[".
     */
    private static List<String> problems(Path log) throws IOException {
        List<String> lines = logLines(log);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("SEVERE") || line.contains("WARNING") && line.contains("dev.folio")) {
                String record = String.join(" ", lines.subList(i, Math.min(lines.size(), i + 3)));
                problems.add(record.length() > 500 ? record.substring(0, 500) : record);
            }
        }
        return problems.subList(Math.max(0, problems.size() - 3), problems.size());
    }

    /** Micro started, but not with every archive deployed. */
    static final class ArchiveNotDeployedException extends IllegalStateException {
        ArchiveNotDeployedException(String message) {
            super(message);
        }
    }

    /** The lines the node has logged since it last started. */
    List<String> logLines() throws IOException {
        return currentLog == null ? List.of() : logLines(currentLog);
    }

    /** Whether Micro logged that it finished starting ("Payara Micro 6.x (build n) ready in n (ms)"). */
    private static boolean saysReady(Path log) throws IOException {
        return logLines(log).stream().anyMatch(line -> line.contains("Payara Micro ") && line.contains(" ready in "));
    }

    /** The archives Micro did not log as deployed ("NAME was successfully deployed"), named by file. */
    private List<String> undeployed(Path log) throws IOException {
        List<String> lines = logLines(log);
        List<String> missing = new ArrayList<>();
        for (Path archive : allArchives()) {
            String file = archive.getFileName().toString();
            String name = file.substring(0, file.lastIndexOf('.')) + " was successfully deployed";
            if (lines.stream().noneMatch(line -> line.contains(name))) {
                missing.add(file);
            }
        }
        return missing;
    }

    private List<Path> allArchives() {
        List<Path> archives = new ArrayList<>(deployedBefore);
        archives.add(war);
        return archives;
    }

    private static List<String> logLines(Path log) throws IOException {
        // Latin-1 reads any byte: a stray non-UTF-8 byte in the log must not hide the line sought.
        return Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * SIGKILL ({@code kill -9}): no shutdown hook, no snapshot, nothing flushed; open transactions
     * (a message half-sent to the broker, say) are left to the other side to roll back. Returns once
     * the process is gone, so its port is free for {@link #start}.
     */
    void kill() throws InterruptedException {
        if (isRunning()) {
            process.destroyForcibly();
            process.waitFor();
        }
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

    /** Stops it cleanly when the test JVM exits, before the services it uses. */
    void stopOnExit() {
        ExitStops.register(ExitStops.Layer.APPLICATIONS, name(), this::stop);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
