package dev.folio.system;

import dev.folio.lseq.Delta;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import dev.folio.lseq.TextChange;
import dev.folio.lseq.json.JsonDeltaCodec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Load benchmark of the Folio server: many editing clients on one hot document or spread over
 * several documents, each typing at a fixed rate (one insert per delta, like a person typing) or
 * sending as fast as acknowledgements allow with a window of deltas in flight. Prints one JSON line
 * per scenario: acknowledged deltas per second, acknowledgement latency (send to ack, the ack
 * meaning "stored in PostgreSQL"), broadcast latency (send at one client to applied at another,
 * matched by the version the server gave the delta), the server's RSS and CPU, PostgreSQL's CPU,
 * and whether every client and the server ended with the same text.
 *
 * <p>Not a test: the name ends in Benchmark, so neither surefire nor failsafe runs it, and timings
 * are never pass/fail. {@code server-config/bin/benchmark-server} runs it next to the same workload
 * on y-websocket's server and Hocuspocus (server-config/benchmarks/load) and prints the ratios.
 *
 * <p>System properties (defaults in brackets):
 *
 * <ul>
 *   <li>{@code folio.bench.url}: a running server to load (e.g. http://127.0.0.1:18080); without
 *       it the benchmark starts its own PostgreSQL (bin/local-postgres, cluster {@code
 *       folio.bench.pg-cluster} [folio-bench] on {@code folio.bench.db-port} [5436], database
 *       folio_bench) and Payara Micro with the WAR on {@code folio.bench.port} [18280], so it never
 *       meets the system tests' 18180/5434; the event pipeline's services (Artemis, Kafka, DynamoDB
 *       Local) run on the system tests' ports (61716, 19092/19093, 18000), so not while they run
 *   <li>{@code folio.bench.scenarios} [1x10@20,10x5@20,1x50@5,1x10@max16,1x50@20]: DOCSxCLIENTS@RATE
 *       types RATE keystrokes per second per client; DOCSxCLIENTS@maxN keeps N deltas in flight per
 *       client
 *   <li>{@code folio.bench.warmup-seconds} [5], {@code folio.bench.seconds} [10]: per scenario,
 *       typing before the measurement window and the window itself
 *   <li>{@code folio.bench.jit-warmup-seconds} [10]: one unmeasured run of the first scenario
 *       first
 *   <li>{@code folio.bench.seed-chars} [1000]: text each document starts with; client i of C starts
 *       typing at i/C of it
 *   <li>{@code folio.repo}, {@code folio.payara}, {@code folio.war}, {@code folio.work}: as for the
 *       system tests
 * </ul>
 */
public final class LoadBenchmark {

    private static final String TYPED = "the quick brown fox jumps over the lazy dog ";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** How long after the measurement window the clients wait for acks and convergence. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    /** Timestamps are nanoseconds since this, plus one: 0 means "none". */
    private static final long ORIGIN = System.nanoTime();

    private final URI http;
    private final URI ws;
    private final Api api;
    private final long serverPid;
    private final String pgCluster;
    private final int warmupSeconds = Integer.getInteger("folio.bench.warmup-seconds", 5);
    private final int seconds = Integer.getInteger("folio.bench.seconds", 10);
    private final int seedChars = Integer.getInteger("folio.bench.seed-chars", 1000);
    private final ScheduledExecutorService typists = Executors.newScheduledThreadPool(2, daemon("typist"));
    private final ExecutorService listeners = Executors.newFixedThreadPool(4, daemon("listener"));
    private final List<HttpClient> httpClients = new ArrayList<>();

    private LoadBenchmark(URI http, long serverPid, String pgCluster) {
        this.http = http;
        this.ws = URI.create(http.toString().replaceFirst("^http", "ws"));
        this.api = new Api(http);
        this.serverPid = serverPid;
        this.pgCluster = pgCluster;
        // A few HTTP clients (one selector thread each) shared by all WebSockets, with one small
        // pool for the listeners: 50 clients need not mean 100 threads on a 2-core machine.
        for (int i = 0; i < 4; i++) {
            httpClients.add(HttpClient.newBuilder().executor(listeners).build());
        }
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("folio.bench.url");
        List<Scenario> scenarios = Arrays.stream(
                        System.getProperty("folio.bench.scenarios", "1x10@20,10x5@20,1x50@5,1x10@max16,1x50@20")
                                .split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Scenario::parse)
                .toList();
        String pgCluster = System.getProperty("folio.bench.pg-cluster", "folio-bench");
        MicroNode node = null;
        URI http;
        if (url != null) {
            http = URI.create(url);
        } else {
            node = startStack(pgCluster);
            http = node.http();
        }
        int port = http.getPort();
        long pid = serverPid(port);
        LoadBenchmark benchmark = new LoadBenchmark(http, pid, pgCluster);
        try {
            log("server at " + http + ", pid " + pid);
            // A fresh server, before any client: what it costs to be up.
            JsonObject idle = Json.createObjectBuilder()
                    .add("server", "folio")
                    .add("scenario", "idle")
                    .add("serverRssMiB", Proc.rssMiB(pid))
                    .build();
            System.out.println(idle);
            int jitWarmup = Integer.getInteger("folio.bench.jit-warmup-seconds", 10);
            if (jitWarmup > 0 && !scenarios.isEmpty()) {
                log("JIT warm-up: " + scenarios.get(0).name() + " for " + jitWarmup + " s, not recorded");
                benchmark.run(scenarios.get(0), 0, jitWarmup);
            }
            for (Scenario scenario : scenarios) {
                log("scenario " + scenario.name());
                JsonObject result = benchmark.run(scenario, benchmark.warmupSeconds, benchmark.seconds);
                System.out.println(result);
                System.out.flush();
            }
        } finally {
            benchmark.typists.shutdownNow();
            if (node != null) {
                keepServerLog(pid, port);
                node.close();
            }
            benchmark.listeners.shutdownNow();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------
    // The stack, on ports of its own

    private static MicroNode startStack(String cluster) throws Exception {
        Path repo = Path.of(System.getProperty("folio.repo", "..")).toAbsolutePath();
        Path work = work();
        int port = Integer.getInteger("folio.bench.port", 18280);
        int dbPort = Integer.getInteger("folio.bench.db-port", 5436);
        String dbName = "folio_bench";
        requireFree(port);
        Files.createDirectories(work);
        ProcessBuilder postgres = new ProcessBuilder(
                        repo.resolve("server-config/bin/local-postgres").toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("postgres.log").toFile());
        postgres.environment()
                .putAll(Map.of(
                        "FOLIO_DB_PORT", Integer.toString(dbPort),
                        "FOLIO_DB_NAME", dbName,
                        "FOLIO_PG_CLUSTER", cluster));
        int exit = postgres.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(
                    "bin/local-postgres failed (" + exit + "); see " + work.resolve("postgres.log"));
        }
        // The event pipeline every node needs: the system tests' fixtures, on their ports, with their
        // data under this work folder; stopped when the benchmark exits, after the node.
        log("starting Artemis, Kafka and DynamoDB Local (data in " + work.resolve("stack") + ")");
        PipelineServices services = PipelineServices.shared();
        // The production defaults for snapshots (every 1000 operations or 30 s), not the tests' small ones.
        Map<String, String> environment =
                services.nodeEnvironment("bench-node", "jdbc:postgresql://127.0.0.1:" + dbPort + "/" + dbName);
        MicroNode node = MicroNode.folio(port, work, environment);
        log("starting Payara Micro on port " + port + " (PostgreSQL on " + dbPort + ", logs in " + work + ")");
        long started = System.nanoTime();
        node.stopOnExit();
        node.start();
        log("Payara Micro ready in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
        return node;
    }

    private static Path work() {
        return Path.of(System.getProperty("folio.work", "target/load-benchmark"))
                .toAbsolutePath();
    }

    /** Keeps Payara Micro's server.log (in a temporary directory it deletes on exit) beside its console log. */
    private static void keepServerLog(long pid, int port) {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    Path target = Files.readSymbolicLink(descriptor);
                    if (target.toString().endsWith("/logs/server.log")) {
                        Files.copy(
                                target,
                                work().resolve("micro-" + port + "-server.log"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        return;
                    }
                } catch (IOException | RuntimeException closedMeanwhile) {
                    // not a file, or gone
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the server is gone
        }
    }

    private static void requireFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IOException("port " + port + " is in use; pass -Dfolio.bench.port=...", e);
        }
    }

    /** The Payara Micro process listening on {@code port}: a child of ours, or any process given that port. */
    private static long serverPid(int port) {
        String portArg = Integer.toString(port);
        Optional<ProcessHandle> found = Stream.concat(
                        ProcessHandle.current().descendants(), ProcessHandle.allProcesses())
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> Arrays.asList(a).contains("--port")
                                && Arrays.asList(a).contains(portArg)
                                && String.join(" ", a).contains("payara-micro"))
                        .orElse(false))
                .findFirst();
        return found.map(ProcessHandle::pid).orElse(-1L);
    }

    // ---------------------------------------------------------------------------------------
    // One scenario

    /** DOCSxCLIENTS@RATE (keystrokes per second per client) or DOCSxCLIENTS@maxWINDOW. */
    record Scenario(int docs, int clientsPerDoc, int rate, int window) {

        static Scenario parse(String spec) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)x(\\d+)@(max)?(\\d+)")
                    .matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "scenario " + spec + " is not DOCSxCLIENTS@RATE or DOCSxCLIENTS@maxN");
            }
            int docs = Integer.parseInt(m.group(1));
            int clients = Integer.parseInt(m.group(2));
            int number = Integer.parseInt(m.group(4));
            return m.group(3) != null ? new Scenario(docs, clients, 0, number) : new Scenario(docs, clients, number, 0);
        }

        String name() {
            return docs + "x" + clientsPerDoc + "@" + (window > 0 ? "max" + window : Integer.toString(rate));
        }

        int clients() {
            return docs * clientsPerDoc;
        }
    }

    private JsonObject run(Scenario scenario, int warmup, int measured) throws Exception {
        List<List<Client>> documents = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        String seed = TYPED.repeat(seedChars / TYPED.length() + 1).substring(0, seedChars);
        for (int d = 0; d < scenario.docs(); d++) {
            UUID id = api.createDocument("load " + scenario.name() + " " + d);
            ids.add(id);
            List<Client> clients = new ArrayList<>();
            Client first = join(id, documents.size() * scenario.clientsPerDoc());
            first.seed(seed);
            clients.add(first);
            for (int c = 1; c < scenario.clientsPerDoc(); c++) {
                clients.add(join(id, documents.size() * scenario.clientsPerDoc() + c));
            }
            for (int c = 0; c < clients.size(); c++) {
                clients.get(c).startAt((int) ((long) c * seedChars / clients.size()));
            }
            documents.add(clients);
        }
        List<Client> all = documents.stream().flatMap(List::stream).toList();

        Sampler sampler = new Sampler(serverPid);
        sampler.start();
        long start = now();
        long windowStart = start + TimeUnit.SECONDS.toNanos(warmup);
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(measured);
        all.forEach(c -> c.window = windowStart);
        List<ScheduledFuture<?>> ticking = new ArrayList<>();
        Random phase = new Random(42);
        if (scenario.window() > 0) {
            for (Client client : all) {
                client.windowSize = scenario.window();
                typists.execute(client::pump);
            }
        } else {
            long period = TimeUnit.SECONDS.toNanos(1) / scenario.rate();
            for (Client client : all) {
                ticking.add(typists.scheduleAtFixedRate(
                        client::typeOne, (long) (phase.nextDouble() * period), period, TimeUnit.NANOSECONDS));
            }
        }
        sleepUntil(windowStart);
        Usage before = usage();
        sleepUntil(windowEnd);
        Usage after = usage();
        double loadAverage = Proc.loadAverage();
        all.forEach(Client::stop);
        ticking.forEach(f -> f.cancel(false));
        sampler.stop();

        // Every delta acknowledged, every client up to the last version, the same text everywhere,
        // the server's included: waited for at most DRAIN after the window. A server that fell
        // behind is not an exception: the line says how far (unacked, drained, converged).
        long deadline = now() + DRAIN.toNanos();
        boolean drained = true;
        for (Client client : all) {
            drained &= client.awaitUntil(() -> client.inFlight() == 0, deadline);
        }
        double drainSeconds = round((now() - windowEnd) / 1e9);
        long unacked = all.stream().mapToLong(Client::inFlight).sum();
        boolean converged = drained;
        int textChars = 0;
        for (int d = 0; d < documents.size() && converged; d++) {
            List<Client> clients = documents.get(d);
            long last = clients.stream().mapToLong(Client::lastVersion).max().orElse(0);
            for (Client client : clients) {
                converged &= client.awaitUntil(() -> client.version >= last, deadline);
            }
            String text = clients.get(0).text();
            textChars += text.codePointCount(0, text.length());
            for (Client client : clients) {
                converged &= client.text().equals(text);
            }
            converged &= api.document(ids.get(d)).getString("text").equals(text);
        }
        JsonObject result = result(scenario, measured, documents, windowStart, windowEnd, before, after, sampler)
                .add("loadAverage", loadAverage)
                .add("drained", drained)
                .add("drainSeconds", drainSeconds)
                .add("unacked", unacked)
                .add("converged", converged)
                .add("textChars", textChars)
                .build();
        for (Client client : all) {
            if (drained) {
                client.close();
            } else {
                client.socket.abort();
            }
        }
        return result;
    }

    private JsonObjectBuilder result(
            Scenario scenario,
            int measured,
            List<List<Client>> documents,
            long windowStart,
            long windowEnd,
            Usage before,
            Usage after,
            Sampler sampler) {
        long sent = 0;
        long acked = 0;
        long errors = 0;
        List<Long> ackLatencies = new ArrayList<>();
        List<Long> broadcastLatencies = new ArrayList<>();
        long deliveries = 0;
        for (List<Client> clients : documents) {
            Map<Long, Long> sentAtByVersion = new HashMap<>();
            for (Client client : clients) {
                errors += client.errors;
                for (int seq = 0; seq < client.sequence; seq++) {
                    long sentAt = client.sentAt[seq];
                    long ackAt = client.ackedAt[seq];
                    if (ackAt >= windowStart && ackAt < windowEnd) {
                        acked++;
                    }
                    if (sentAt >= windowStart && sentAt < windowEnd) {
                        sent++;
                        if (ackAt > 0) {
                            ackLatencies.add(ackAt - sentAt);
                            sentAtByVersion.put(client.ackVersion[seq], sentAt);
                        }
                    }
                }
            }
            for (Client client : clients) {
                for (int i = 0; i < client.received; i++) {
                    long at = client.receivedAt[i];
                    if (at >= windowStart && at < windowEnd) {
                        deliveries++;
                    }
                    Long sentAt = sentAtByVersion.get(client.receivedVersion[i]);
                    if (sentAt != null) {
                        broadcastLatencies.add(at - sentAt);
                    }
                }
            }
        }
        double wall = (after.wallNanos - before.wallNanos) / 1e9;
        long[] ack = sorted(ackLatencies);
        long[] broadcast = sorted(broadcastLatencies);
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("server", "folio")
                .add("scenario", scenario.name())
                .add("mode", scenario.window() > 0 ? "window" : "typing")
                .add("docs", scenario.docs())
                .add("clients", scenario.clients())
                .add("rate", scenario.rate())
                .add("window", scenario.window())
                .add("seconds", measured)
                .add("targetPerSecond", scenario.rate() * scenario.clients())
                .add("sent", sent)
                .add("acked", acked)
                .add("ackedPerSecond", round(acked / (double) measured))
                .add("ackP50Ms", millis(ack, 0.50))
                .add("ackP95Ms", millis(ack, 0.95))
                .add("ackP99Ms", millis(ack, 0.99))
                .add("ackMaxMs", millis(ack, 1.0))
                .add("broadcastP50Ms", millis(broadcast, 0.50))
                .add("broadcastP99Ms", millis(broadcast, 0.99))
                .add("deliveriesPerSecond", round(deliveries / (double) measured))
                .add("serverRssMiB", Proc.rssMiB(serverPid))
                .add("serverRssPeakMiB", sampler.peakMiB)
                .add("serverCpuCores", round((after.serverTicks - before.serverTicks) / Proc.ticksPerSecond() / wall))
                .add("dbCpuCores", round((after.dbTicks - before.dbTicks) / Proc.ticksPerSecond() / wall))
                .add("clientCpuCores", round((after.clientNanos - before.clientNanos) / 1e9 / wall))
                .add(
                        "otherCpuCores",
                        round(((after.machineTicks - before.machineTicks)
                                                - (after.serverTicks - before.serverTicks)
                                                - (after.dbTicks - before.dbTicks))
                                        / Proc.ticksPerSecond()
                                        / wall
                                - (after.clientNanos - before.clientNanos) / 1e9 / wall))
                .add("errors", errors)
                .add("ackMeans", "stored in PostgreSQL");
        return json;
    }

    private record Usage(long wallNanos, long serverTicks, long dbTicks, long clientNanos, long machineTicks) {}

    private Usage usage() {
        long db = Proc.pidsWithCommandLine(pgCluster).stream()
                .mapToLong(Proc::cpuTicks)
                .sum();
        long client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Usage(now(), Proc.cpuTicks(serverPid), db, client, Proc.machineBusyTicks());
    }

    private Client join(UUID document, int number) throws Exception {
        Client client = new Client(document, "c" + number);
        client.socket = httpClients
                .get(number % httpClients.size())
                .newWebSocketBuilder()
                .buildAsync(client.uri, client)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        client.sendText("{\"type\":\"join\"}");
        client.await(() -> client.replica != null, "joined");
        return client;
    }

    // ---------------------------------------------------------------------------------------
    // A typing client: an LSEQ replica with a cursor, as EditorClient, plus timestamps

    private final class Client implements WebSocket.Listener {

        final URI uri;
        final String name;
        final int offset;
        WebSocket socket;
        Replica replica;
        long version = -1;
        int cursor;
        long errors;
        volatile boolean running = true;
        volatile long window;
        volatile int windowSize;

        /** Per delta sent, by sequence number (the opId is name-sequence). */
        long[] sentAt = new long[1024];

        long[] ackedAt = new long[1024];
        long[] ackVersion = new long[1024];
        int sequence;
        int acknowledged;

        /** Deltas of other clients as applied here: version and time. */
        long[] receivedVersion = new long[4096];

        long[] receivedAt = new long[4096];
        int received;

        private final StringBuilder partial = new StringBuilder();
        private final Object sending = new Object();
        private final java.util.concurrent.atomic.AtomicBoolean pumpScheduled =
                new java.util.concurrent.atomic.AtomicBoolean();

        Client(UUID document, String name) {
            this.uri = ws.resolve("/ws/documents/" + document);
            this.name = name;
            this.offset = Math.abs(name.hashCode());
        }

        /** One delta with the document's first text; waits for its ack. */
        void seed(String text) throws Exception {
            send(replica -> replica.insert(0, text), false);
            await(() -> acknowledged == sequence, "seed acknowledged");
        }

        synchronized void startAt(int index) {
            cursor = Math.min(index, replica.length());
        }

        /** One keystroke at the cursor. */
        void typeOne() {
            if (running) {
                send(
                        replica -> {
                            int at = Math.min(cursor, replica.length());
                            Delta delta = replica.insert(
                                    at, String.valueOf(TYPED.charAt((offset + sequence) % TYPED.length())));
                            cursor = at + 1;
                            return delta;
                        },
                        true);
            }
        }

        /** Max-throughput mode: keeps windowSize deltas in flight. */
        void pump() {
            while (running && inFlight() < windowSize) {
                typeOne();
            }
        }

        private void send(java.util.function.Function<Replica, Delta> edit, boolean timed) {
            synchronized (sending) {
                String frame;
                synchronized (this) {
                    grow();
                    long now = now();
                    Delta delta = edit.apply(replica);
                    int seq = sequence++;
                    sentAt[seq] = timed ? now : 0;
                    frame = EditorClient.frame(name + "-" + seq, delta);
                }
                sendText(frame);
            }
        }

        private void grow() {
            if (sequence == sentAt.length) {
                sentAt = Arrays.copyOf(sentAt, sequence * 2);
                ackedAt = Arrays.copyOf(ackedAt, sequence * 2);
                ackVersion = Arrays.copyOf(ackVersion, sequence * 2);
            }
        }

        void sendText(String frame) {
            try {
                socket.sendText(frame, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(name + ": send failed", e);
            }
        }

        synchronized int inFlight() {
            return sequence - acknowledged;
        }

        synchronized long lastVersion() {
            return version;
        }

        synchronized String text() {
            return replica.text();
        }

        void stop() {
            running = false;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            boolean acked = false;
            if (last) {
                for (JsonObject frame : Api.frames(partial.toString())) {
                    acked |= handle(frame);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            // Max-throughput mode: refill the window from a typist thread, never from a listener
            // thread, which must not block on a send.
            if (acked && windowSize > 0 && running && pumpScheduled.compareAndSet(false, true)) {
                typists.execute(() -> {
                    pumpScheduled.set(false);
                    pump();
                });
            }
            return null;
        }

        private synchronized boolean handle(JsonObject frame) {
            boolean acked = false;
            switch (frame.getString("type")) {
                case "joined" -> {
                    int site = frame.getInt("site");
                    replica = frame.containsKey("snapshot")
                            ? SnapshotCodec.decode(Base64.getDecoder().decode(frame.getString("snapshot")), site, 0)
                            : new Replica(site);
                    version = frame.getJsonNumber("version").longValue();
                }
                case "delta" -> {
                    long deltaVersion = frame.getJsonNumber("version").longValue();
                    if (deltaVersion > version) {
                        for (TextChange change : replica.apply(JsonDeltaCodec.fromJson(frame))) {
                            if (change.index() < cursor) {
                                cursor += change.isInsert() ? 1 : -1;
                            }
                        }
                        version = deltaVersion;
                    }
                    long now = now();
                    if (received == receivedAt.length) {
                        receivedAt = Arrays.copyOf(receivedAt, received * 2);
                        receivedVersion = Arrays.copyOf(receivedVersion, received * 2);
                    }
                    receivedVersion[received] = deltaVersion;
                    receivedAt[received++] = now;
                }
                case "ack" -> {
                    long now = now();
                    String opId = frame.getString("opId");
                    int seq = Integer.parseInt(opId.substring(opId.lastIndexOf('-') + 1));
                    long ackedVersion = frame.getJsonNumber("version").longValue();
                    ackedAt[seq] = sentAt[seq] == 0 ? 0 : now;
                    ackVersion[seq] = ackedVersion;
                    acknowledged++;
                    version = Math.max(version, ackedVersion);
                    acked = true;
                }
                case "error" -> {
                    errors++;
                    log(name + ": " + frame);
                }
                default -> {}
            }
            notifyAll();
            return acked;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            log(name + ": " + error);
            synchronized (this) {
                errors++;
                notifyAll();
            }
        }

        /** Waits for {@code condition} until {@code deadline} (see {@link #now}); false if it never held. */
        synchronized boolean awaitUntil(BooleanSupplier condition, long deadline) throws InterruptedException {
            while (!condition.getAsBoolean()) {
                long left = deadline - now();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        synchronized void await(BooleanSupplier condition, String what) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(name + " waited for " + what);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Processes, from /proc

    /** Samples the server's RSS every 250 ms for the peak. */
    private static final class Sampler implements Runnable {

        private final long pid;
        private volatile boolean running = true;
        private final Thread thread = new Thread(this, "rss-sampler");
        volatile long peakMiB;

        Sampler(long pid) {
            this.pid = pid;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void run() {
            while (running) {
                peakMiB = Math.max(peakMiB, Proc.rssMiB(pid));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static final class Proc {

        private static double ticksPerSecond;

        /** VmRSS of the process in MiB, or -1 if it cannot be read. */
        static long rssMiB(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone, or not Linux
            }
            return -1;
        }

        /** utime + stime of the process, in clock ticks. */
        static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        static List<Long> pidsWithCommandLine(String needle) {
            List<Long> pids = new ArrayList<>();
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                processes
                        .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .forEach(p -> {
                            try {
                                String command =
                                        new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                                if (command.contains(needle)) {
                                    pids.add(Long.parseLong(p.getFileName().toString()));
                                }
                            } catch (IOException | RuntimeException gone) {
                                // the process ended meanwhile
                            }
                        });
            } catch (IOException e) {
                // not Linux
            }
            return pids;
        }

        /** CPU time spent by the whole machine (all but idle and iowait), in clock ticks. */
        static long machineBusyTicks() {
            try {
                String[] cpu =
                        Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                    busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);
                }
                return busy;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** The machine's load average over the last minute (runnable threads, this benchmark's included). */
        static double loadAverage() {
            try {
                return Double.parseDouble(
                        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        static synchronized double ticksPerSecond() {
            if (ticksPerSecond == 0) {
                ticksPerSecond = 100;
                try {
                    Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
                    String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (getconf.waitFor() == 0) {
                        ticksPerSecond = Double.parseDouble(out);
                    }
                } catch (IOException | RuntimeException | InterruptedException e) {
                    // keep Linux's usual 100
                }
            }
            return ticksPerSecond;
        }
    }

    // ---------------------------------------------------------------------------------------

    private static long[] sorted(List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    /** The q-quantile (nearest rank) in milliseconds, two decimals; -1 when there is none. */
    private static double millis(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * sortedNanos.length);
        return round(sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static long now() {
        return System.nanoTime() - ORIGIN + 1;
    }

    private static void sleepUntil(long time) throws InterruptedException {
        long left;
        while ((left = time - now()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void log(String message) {
        System.err.println("# " + message);
    }
}
