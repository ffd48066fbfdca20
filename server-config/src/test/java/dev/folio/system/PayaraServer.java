package dev.folio.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Payara Server 6 (full) domain of its own running Folio's EAR, for system tests.
 *
 * <p>{@link #start} unpacks the distribution zip under the work folder (once: a marker written after
 * the last entry tells an intact unpacking), creates a fresh domain outside the installation
 * ({@code --domaindir}, so the unpacked tree stays pristine) on a free {@code --portbase}, starts
 * it, deploys the archives the EAR needs (the Artemis resource adapter, named {@code artemis} after
 * its file as the application's definitions expect, then the messaging resources on it), then the
 * EAR, and waits for {@code /health/ready}. {@link #close} stops the domain; it also runs when the
 * test JVM exits first ({@link ExitStops}, before the services the domain uses), and after any
 * failure in {@code start}.
 *
 * <p>Environment: the domain JVM is forked by {@code asadmin start-domain} and inherits that
 * process's environment, so the {@code FOLIO_DB_*} variables given here reach the application's
 * {@code ${ENV=...}} datasource as they are (checked on Payara 6.2025.9 by reading the domain's
 * {@code /proc/PID/environ} and by where the documents were stored); so do {@code FOLIO_ARTEMIS_*}
 * to the connection factory of artemis-resources (the messaging check is UP against this test's
 * broker port, not the default) and the rest to the application's MicroProfile Config, which reads
 * environment variables. No {@code create-jvm-options} or {@code create-system-properties} is
 * needed for them ({@code ${ENV=...}} is Payara's syntax for environment variables; a system
 * property would need {@code ${name}} in the annotation). Note
 * that {@code asadmin restart-domain} keeps the environment the domain was started with: the
 * running server relaunches itself, the caller's environment plays no part.
 *
 * <p>Logs, all under the work folder: {@code logs/payara-asadmin.log} (every asadmin command and
 * its output) and {@code payara-domains/folio-ear-it/logs/server.log} (kept after the run).
 */
final class PayaraServer implements AutoCloseable {

    static final String DOMAIN = "folio-ear-it";

    /** Offsets from the port base that create-domain uses (admin 48, HTTP 80, Hazelcast 49 and 59, ...). */
    private static final int[] PORT_OFFSETS = {9, 37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Path home;
    private final Path domains;
    private final Path asadminLog;
    private final Map<String, String> environment;
    private int portBase;
    private boolean running;

    private PayaraServer(Path home, Path work, Map<String, String> environment) {
        this.home = home;
        this.domains = work.toAbsolutePath().resolve("payara-domains");
        this.asadminLog = work.toAbsolutePath().resolve("logs/payara-asadmin.log");
        this.environment = Map.copyOf(environment);
    }

    /**
     * Unpacks {@code zip} under {@code work}, deploys {@code deployedBefore} (in order; each named
     * after its file, a WAR at the context root of that name) and then {@code ear} on a fresh domain
     * whose JVM gets {@code environment}, and returns once {@code /health/ready} answers 200.
     */
    static PayaraServer start(Path zip, List<Path> deployedBefore, Path ear, Path work, Map<String, String> environment)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build server-config (mvn package) first");
        }
        if (!Files.isRegularFile(ear)) {
            throw new IllegalStateException(ear + " is missing: build the ear module (mvn install) first");
        }
        Files.createDirectories(work.resolve("logs"));
        PayaraServer server = new PayaraServer(unpack(zip, work.resolve("payara-server")), work, environment);
        try {
            server.run(deployedBefore, ear);
            return server;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.stopQuietly();
            throw e;
        }
    }

    int httpPort() {
        return portBase + 80;
    }

    int adminPort() {
        return portBase + 48;
    }

    URI http() {
        return URI.create("http://127.0.0.1:" + httpPort());
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + httpPort());
    }

    Path serverLog() {
        return domains.resolve(DOMAIN).resolve("logs/server.log");
    }

    private void run(List<Path> deployedBefore, Path ear) throws IOException, InterruptedException {
        Path domain = domains.resolve(DOMAIN);
        if (Files.exists(domain)) {
            // A run whose JVM was killed may have left it running and holding its ports.
            asadmin(false, "stop-domain", "--kill=true", "--domaindir", domains.toString(), DOMAIN);
            killFromPidFile();
            asadmin(false, "delete-domain", "--domaindir", domains.toString(), DOMAIN);
            deleteRecursively(domain);
        }
        portBase = freePortBase();
        log("port base " + portBase + ": admin " + adminPort() + ", http " + httpPort());
        asadmin(
                true,
                "create-domain",
                "--nopassword=true",
                "--portbase",
                Integer.toString(portBase),
                "--domaindir",
                domains.toString(),
                DOMAIN);
        onLoopbackOnly(domain.resolve("config/domain.xml"));
        withBodiesUpToOneMebibyte(domain.resolve("config/domain.xml"));
        ExitStops.register(ExitStops.Layer.APPLICATIONS, "Payara Server domain " + DOMAIN, this::stopQuietly);
        running = true;
        asadmin(true, "start-domain", "--domaindir", domains.toString(), DOMAIN);
        if (!deployedBefore.isEmpty()) {
            // As for Micro (MicroNode): the EAR's @Resource lookups name java:global resources of
            // artemis-resources, which the deploy-time check does not see. A domain system
            // property applies at once; the check reads it on every deployment.
            asadmin(
                    true,
                    "--port",
                    Integer.toString(adminPort()),
                    "create-system-properties",
                    "deployment.resource.validation=false");
            // As bin/deploy-ear does: see server-config/stack/micro-post-boot.asadmin.
            asadmin(
                    true,
                    "--port",
                    Integer.toString(adminPort()),
                    "set",
                    "resources.managed-scheduled-executor-service.concurrent/__defaultManagedScheduledExecutorService"
                            + ".context-info-enabled=false");
        }
        for (Path archive : deployedBefore) {
            deploy(archive);
        }
        asadmin(true, "--port", Integer.toString(adminPort()), "deploy", "--name", "folio", ear.toString());
        awaitReady();
    }

    /** Deploys {@code archive} under its file name without the extension (artemis.rar: "artemis"). */
    private void deploy(Path archive) throws IOException, InterruptedException {
        String file = archive.getFileName().toString();
        String name = file.substring(0, file.lastIndexOf('.'));
        List<String> command =
                new ArrayList<>(List.of("--port", Integer.toString(adminPort()), "deploy", "--name", name));
        if (file.endsWith(".war")) {
            command.addAll(List.of("--contextroot", "/" + name));
        }
        command.add(archive.toString());
        asadmin(true, command.toArray(String[]::new));
    }

    private void awaitReady() throws InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(http().resolve("/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
                if (Readiness.isReady(response)) {
                    log("ready: " + response.body());
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new IllegalStateException("/health/ready not 200 within " + READY_TIMEOUT + " (last: " + last + "); see "
                + serverLog() + tail(serverLog()));
    }

    @Override
    public void close() {
        stopQuietly();
    }

    private synchronized void stopQuietly() {
        if (!running) {
            return;
        }
        running = false;
        try {
            if (asadmin(false, "stop-domain", "--domaindir", domains.toString(), DOMAIN) != 0) {
                killFromPidFile();
            }
        } catch (IOException | RuntimeException e) {
            killFromPidFile();
        } catch (InterruptedException e) {
            killFromPidFile();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The last resort: the domain writes its process id to config/pid. Killed only if that process
     * still runs this domain (a stale file may name a process that is none of ours).
     */
    private void killFromPidFile() {
        Path domain = domains.resolve(DOMAIN).toAbsolutePath();
        try {
            long id = Long.parseLong(
                    Files.readString(domain.resolve("config/pid")).trim());
            ProcessHandle.of(id)
                    .filter(process -> process.info()
                            .commandLine()
                            .map(line -> line.contains(domain.toString()))
                            .orElse(false))
                    .ifPresent(PayaraServer::kill);
        } catch (IOException | NumberFormatException e) {
            // no pid file: the domain is not running
        }
    }

    private static void kill(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // gone or going; nothing more to do
        }
    }

    /**
     * As bin/deploy-ear does with {@code asadmin set}: the container refuses request bodies announced
     * past 1 MiB. Written before the start, not set on the running domain: setting it restarts the
     * HTTP listener, and in one clean-clone run the listener did not come back ("NetworkListener
     * http-listener-1 GrizzlyProxy is NULL", /health/ready refused for three minutes).
     */
    private static void withBodiesUpToOneMebibyte(Path domainXml) throws IOException {
        String xml = Files.readString(domainXml);
        // The first http-listener-1 is server-config's (default-config's comes after it).
        String limited = xml.replaceFirst(
                "(<protocol name=\"http-listener-1\">\\s*<http )", "$1max-post-size-bytes=\"1048576\" ");
        if (limited.equals(xml)) {
            throw new IllegalStateException("no http-listener-1 protocol in " + domainXml);
        }
        Files.writeString(domainXml, limited);
    }

    /**
     * As the rest of the test stack (issue 19): every listener of the domain on 127.0.0.1 (HTTP,
     * admin, IIOP, JMX), and no Hazelcast data grid, which would listen on every interface and which
     * the EAR does not use. Not the embedded OpenMQ broker's lazy listener (JMS_PROVIDER_PORT):
     * Payara binds it to every interface, and puts its jms-service back to EMBEDDED when the file
     * says DISABLED or REMOTE. Written into the new domain's domain.xml before its first start.
     */
    private static void onLoopbackOnly(Path domainXml) throws IOException {
        String xml = Files.readString(domainXml);
        String local = xml.replace("address=\"0.0.0.0\"", "address=\"127.0.0.1\"")
                .replaceAll("<network-listener (?![^>]*\\baddress=)", "<network-listener address=\"127.0.0.1\" ")
                .replace(
                        "<hazelcast-config-specific-configuration ",
                        "<hazelcast-config-specific-configuration enabled=\"false\" ")
                .replace(
                        "<hazelcast-config-specific-configuration>",
                        "<hazelcast-config-specific-configuration enabled=\"false\">");
        Files.writeString(domainXml, local);
    }

    /** The domain's port base: create-domain numbers its listeners from it. */
    int portBase() {
        return portBase;
    }

    /** The domains folder, whose path is on the domain's command line. */
    Path domains() {
        return domains;
    }

    /**
     * Runs asadmin with the test JVM's java (no execute bits or PATH needed) and the given
     * environment, appending its output to the asadmin log.
     *
     * @return its exit status; when {@code check}, a non-zero status is an exception
     */
    private int asadmin(boolean check, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                home.resolve("glassfish/lib/client/appserver-cli.jar").toString(),
                "--interactive=false"));
        command.addAll(List.of(args));
        log("$ asadmin " + String.join(" ", args));
        Instant started = Instant.now();
        // Output to a file, never a pipe: start-domain's server JVM inherits these descriptors and
        // outlives asadmin, so a pipe would never reach its end.
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(asadminLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(
                    "asadmin " + args[0] + " took more than " + COMMAND_TIMEOUT + "; see " + asadminLog);
        }
        int exit = process.exitValue();
        log("  exit " + exit + " after "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
        if (check && exit != 0) {
            throw new IllegalStateException("asadmin " + String.join(" ", args) + " failed (" + exit + "); see "
                    + asadminLog + tail(asadminLog) + tail(serverLog()));
        }
        return exit;
    }

    private void log(String line) throws IOException {
        Files.writeString(
                asadminLog,
                line + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** A base whose ports (for all of create-domain's offsets) are free on every interface. */
    private static int freePortBase() {
        for (int base = 28000; base <= 40000; base += 200) {
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no free port base between 28000 and 40000");
    }

    private static boolean allFree(int base) {
        for (int offset : PORT_OFFSETS) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true); // as the server binds: TIME_WAIT left by an earlier run is no conflict
                socket.bind(new InetSocketAddress(base + offset));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unpacks the distribution into {@code target} unless a marker for this very zip (size and
     * modification time) says an earlier unpacking finished; returns the installation ({@code
     * payara6}).
     */
    static Path unpack(Path zip, Path target) throws IOException {
        Path marker = target.resolve(".unpacked");
        String stamp = Files.size(zip) + " " + Files.getLastModifiedTime(zip).toMillis() + " " + zip.toAbsolutePath();
        Path home = target.resolve("payara6");
        if (Files.isRegularFile(marker)
                && Files.readString(marker).equals(stamp)
                && Files.isRegularFile(home.resolve("glassfish/lib/client/appserver-cli.jar"))) {
            return home;
        }
        deleteRecursively(target);
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            for (var entries = archive.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                Path file = root.resolve(entry.getName()).normalize();
                if (!file.startsWith(root)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                // java.util.zip drops Unix modes; the scripts are the only files that need one.
                if (file.getParent().getFileName().toString().equals("bin")) {
                    file.toFile().setExecutable(true, false);
                }
            }
        }
        if (!Files.isRegularFile(home.resolve("glassfish/lib/client/appserver-cli.jar"))) {
            throw new IllegalStateException(zip + " has no payara6/glassfish/lib/client/appserver-cli.jar");
        }
        Files.writeString(marker, stamp);
        return home;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The end of a log, for failure messages. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
