package dev.folio.system;

import dev.folio.document.json.JsonDeltaCodec;
import dev.folio.lseq.Delta;
import dev.folio.lseq.Replica;
import dev.folio.lseq.SnapshotCodec;
import dev.folio.lseq.TextChange;
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
 * meaning "back from the log": Kafka, acks=all), broadcast latency (send at one client to applied
 * at another, matched by the version the server gave the delta), the server's RSS and CPU,
 * PostgreSQL's CPU, and whether every client and the server ended with the same text.
 *
 * <p>Not a test: the name ends in Benchmark, so neither surefire nor failsafe runs it, and timings
 * are never pass/fail. {@code server-config/bin/benchmark-server} runs it next to the same workload
 * on y-websocket's server and Hocuspocus (server-config/benchmarks/load) and prints the ratios;
 * {@code server-config/bin/benchmark-pipeline} runs it against two nodes of one installation, with
 * {@link PipelineTap} reading the log beside them.
 *
 * <p>System properties (defaults in brackets):
 *
 * <ul>
 *   <li>{@code folio.bench.urls}: running nodes of one installation to load, comma-separated (e.g.
 *       http://127.0.0.1:18380,http://127.0.0.1:18381; {@code server-config/bin/benchmark-pipeline}
 *       starts two): the clients of each document are spread over the nodes in turn (client c on
 *       node c mod N), and broadcast latency is also given between clients of different nodes
 *       ({@code crossNode...}) and of the same node ({@code sameNode...})
 *   <li>{@code folio.bench.kafka}, {@code folio.bench.topic} [folio.deltas]: the nodes' Kafka; with
 *       it, {@link PipelineTap} reads the topic beside the nodes, and each line also says where a
 *       delta's time went (send to the record's CreateTime, to the record reaching a reader, to the
 *       other clients and the sender's ack), and each node's MicroProfile metrics (GET /metrics)
 *       over the window ({@code pipeline})
 *   <li>{@code folio.bench.stack-dir}: the services' FOLIO_STACK_DIR, to count the CPU of Artemis,
 *       Kafka and DynamoDB Local (their processes name it on their command lines)
 *   <li>{@code folio.bench.ramp} [none]: scenarios run after {@code folio.bench.scenarios}, in
 *       order, until one whose acks fell behind (under 95% of the target rate acknowledged in the
 *       window, or more than 2 s to acknowledge the rest after it): a ramp of increasing rates
 *   <li>{@code folio.bench.url}: a running server to load (e.g. http://127.0.0.1:18080); without
 *       it the benchmark starts its own PostgreSQL (bin/local-postgres, cluster {@code
 *       folio.bench.pg-cluster} [folio-bench] on {@code folio.bench.db-port} [5436], database
 *       folio_bench) and Payara Micro with the WAR on {@code folio.bench.port} [18280], so it never
 *       meets the system tests' 18180/5434; the event pipeline's services (Artemis, Kafka, DynamoDB
 *       Local) run on the system tests' ports (61716, 19092/19093, 18000), so not while they run
 *   <li>{@code folio.bench.scenarios} [1x10@20,10x5@20,1x50@5,1x10@max16,1x50@20]: DOCSxCLIENTS@RATE
 *       types RATE keystrokes per second per client; DOCSxCLIENTS@maxN keeps N deltas in flight per
 *       client; a suffix {@code :SECONDS} measures that scenario for SECONDS instead of {@code
 *       folio.bench.seconds}
 *   <li>{@code folio.bench.warmup-seconds} [5], {@code folio.bench.seconds} [10]: per scenario,
 *       typing before the measurement window and the window itself
 *   <li>{@code folio.bench.jit-warmup-seconds} [10]: one unmeasured run of {@code
 *       folio.bench.jit-warmup-scenario} [the first scenario] first
 *   <li>{@code folio.bench.seed-chars} [1000]: text each document starts with; client i of C starts
 *       typing at i/C of it
 *   <li>{@code folio.bench.signing-key}: the PKCS#8 PEM key the nodes of {@code folio.bench.urls} (or
 *       {@code folio.bench.url}) sign and check tokens with (their FOLIO_AUTH_SIGNING_KEY_LOCATION,
 *       development issuer on); a node this benchmark starts gets the system tests' key ({@link
 *       TestTokens}) and needs none
 *   <li>{@code folio.bench.auth} [true]: false loads a server from before authentication (issue 6)
 *       with the same clients, without tokens or sharing: to compare what authentication costs
 *   <li>{@code folio.repo}, {@code folio.payara}, {@code folio.war}, {@code folio.work}: as for the
 *       system tests
 * </ul>
 *
 * <p>Authentication (docs/security.md): every simulated client is a user of its own, minted here
 * with a token that outlives the run ({@link Users}), as distinct people editing one document are;
 * a document's first client creates it (so owns it) and shares it as editor with the others before
 * they join. The nodes keep their default limits but the deltas per second of a session (raised for
 * the as-fast-as-acks-allow shapes): one session per user per node is far below
 * FOLIO_WS_MAX_SESSIONS_PER_USER, and no user owns more than a few documents (the users are new
 * each run, so the benchmark's database never fills anyone's FOLIO_DOCUMENTS_MAX_PER_USER). All of
 * it happens before the measurement; what a delta meets on the server is the same either way (the
 * session's role and revocation looked up again every 10 s of editing). Each line also gives the
 * setup's handshake (WebSocket upgrade, with the token checked) and join (join to joined) times.
 */
public final class LoadBenchmark {

    private static final String TYPED = "the quick brown fox jumps over the lazy dog ";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** How long after the measurement window the clients wait for acks and convergence. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    /** Timestamps are nanoseconds since this, plus one: 0 means "none". */
    private static final long ORIGIN = System.nanoTime();

    /** Wall-clock nanoseconds (epoch) at {@link #now} = 0: see {@link #calibrateClock}. */
    private static volatile long epochNanosAtOrigin;

    /** The nodes' HTTP addresses; the first, node A, creates the documents and has their first client. */
    private final List<URI> nodes;

    /** The REST API of each node, as {@link #nodes}, with no particular user's token: see {@link #as}. */
    private final List<Api> apis;

    /** Who the clients are; null when {@code folio.bench.auth} is false. */
    private final Users users;
    /** The nodes' processes, as {@link #nodes}; serverPid is node A's. */
    private final List<Long> nodePids;

    private final long serverPid;
    private final String pgCluster;
    /** Reads the log beside the nodes, or null (no folio.bench.kafka). */
    private final LogTap tap;
    /** The services' FOLIO_STACK_DIR, or null: whose processes count as Artemis, Kafka and DynamoDB Local. */
    private final String stackDir;

    private final int warmupSeconds = Integer.getInteger("folio.bench.warmup-seconds", 5);
    private final int seconds = Integer.getInteger("folio.bench.seconds", 10);
    private final int seedChars = Integer.getInteger("folio.bench.seed-chars", 1000);
    private final ScheduledExecutorService typists = Executors.newScheduledThreadPool(2, daemon("typist"));
    private final ExecutorService listeners = Executors.newFixedThreadPool(4, daemon("listener"));
    private final List<HttpClient> httpClients = new ArrayList<>();

    private LoadBenchmark(
            List<URI> nodes, List<Long> nodePids, String pgCluster, LogTap tap, String stackDir, Users users) {
        this.nodes = List.copyOf(nodes);
        this.apis = nodes.stream().map(Api::new).toList();
        this.users = users;
        this.nodePids = List.copyOf(nodePids);
        this.serverPid = nodePids.get(0);
        this.pgCluster = pgCluster;
        this.tap = tap;
        this.stackDir = stackDir;
        // A few HTTP clients (one selector thread each) shared by all WebSockets, with one small
        // pool for the listeners: 50 clients need not mean 100 threads on a 2-core machine.
        for (int i = 0; i < 4; i++) {
            httpClients.add(HttpClient.newBuilder().executor(listeners).build());
        }
    }

    public static void main(String[] args) throws Exception {
        String urls = System.getProperty("folio.bench.urls", System.getProperty("folio.bench.url"));
        List<Scenario> scenarios =
                Scenario.list(System.getProperty("folio.bench.scenarios", "1x10@20,10x5@20,1x50@5,1x10@max16,1x50@20"));
        List<Scenario> ramp = Scenario.list(System.getProperty("folio.bench.ramp", ""));
        String pgCluster = System.getProperty("folio.bench.pg-cluster", "folio-bench");
        MicroNode node = null;
        List<URI> nodes;
        if (urls != null) {
            nodes = Arrays.stream(urls.split(","))
                    .map(String::trim)
                    .filter(u -> !u.isEmpty())
                    .map(URI::create)
                    .toList();
        } else {
            node = startStack(pgCluster);
            nodes = List.of(node.http());
        }
        List<Long> pids = nodes.stream().map(u -> serverPid(u.getPort())).toList();
        String kafka = System.getProperty("folio.bench.kafka");
        LogTap tap = kafka == null ? null : LogTap.open(kafka, System.getProperty("folio.bench.topic", "folio.deltas"));
        Users users = Boolean.parseBoolean(System.getProperty("folio.bench.auth", "true"))
                ? Users.signedWith(System.getProperty("folio.bench.signing-key"), node != null)
                : null;
        LoadBenchmark benchmark =
                new LoadBenchmark(nodes, pids, pgCluster, tap, System.getProperty("folio.bench.stack-dir"), users);
        try {
            for (int n = 0; n < nodes.size(); n++) {
                log("node " + (char) ('A' + n) + " at " + nodes.get(n) + ", pid " + pids.get(n));
            }
            log(
                    users == null
                            ? "no authentication (folio.bench.auth=false): for a server from before issue 6"
                            : "clients sign in as users of their own, " + users.describe());
            // A fresh server, before any client: what it costs to be up.
            JsonObjectBuilder idle = Json.createObjectBuilder()
                    .add("server", "folio")
                    .add("scenario", "idle")
                    .add("nodes", nodes.size())
                    .add("serverRssMiB", Proc.rssMiB(pids.get(0)));
            if (nodes.size() > 1) {
                idle.add(
                        "nodesRssMiB",
                        Json.createArrayBuilder(pids.stream().map(Proc::rssMiB).toList()));
            }
            if (nodes.size() > 1 || tap != null) {
                // What the installation costs doing nothing: every process, over 5 s.
                Usage before = benchmark.usage();
                Thread.sleep(5_000);
                benchmark.cpu(idle, before, benchmark.usage());
            }
            System.out.println(idle.build());
            int jitWarmup = Integer.getInteger("folio.bench.jit-warmup-seconds", 10);
            String warmupSpec = System.getProperty("folio.bench.jit-warmup-scenario");
            List<Scenario> all = java.util.stream.Stream.concat(scenarios.stream(), ramp.stream())
                    .toList();
            if (jitWarmup > 0 && !all.isEmpty()) {
                Scenario warmup = warmupSpec == null ? all.get(0) : Scenario.parse(warmupSpec);
                log("JIT warm-up: " + warmup.name() + " for " + jitWarmup + " s, not recorded");
                benchmark.run(warmup, 0, jitWarmup);
            }
            for (Scenario scenario : all) {
                log("scenario " + scenario.name());
                int measured = scenario.seconds() > 0 ? scenario.seconds() : benchmark.seconds;
                JsonObject result = benchmark.run(scenario, benchmark.warmupSeconds, measured);
                System.out.println(result);
                System.out.flush();
                if (ramp.contains(scenario) && lagging(result)) {
                    log("acks fell behind in " + scenario.name() + ": the rest of the ramp is skipped");
                    break;
                }
            }
        } finally {
            benchmark.typists.shutdownNow();
            if (tap != null) {
                tap.close();
            }
            if (node != null) {
                keepServerLog(pids.get(0), nodes.get(0).getPort());
                node.close();
            }
            benchmark.listeners.shutdownNow();
        }
        System.exit(0);
    }

    /**
     * Whether the server fell behind: less than 95% of the target rate acknowledged within the
     * window, or more than 2 s after it to acknowledge the rest (or never).
     */
    private static boolean lagging(JsonObject result) {
        int target = result.getInt("targetPerSecond");
        return !result.getBoolean("drained")
                || result.getJsonNumber("drainSeconds").doubleValue() > 2
                || (target > 0 && result.getJsonNumber("ackedPerSecond").doubleValue() < 0.95 * target);
    }

    /**
     * Reads the log (the Kafka topic) beside the nodes, as a node's feed does: {@link PipelineTap}.
     * It needs the Kafka client, so it is found by name, and only benchmark-pipeline compiles it
     * (benchmark-server compiles this class alone, without Kafka on its class path).
     */
    interface LogTap extends AutoCloseable {

        /**
         * The record that carried delta {@code opId} of {@code document}, as first seen: its
         * CreateTime (epoch milliseconds, taken by the bridge's producer as it sent the record) and
         * when the tap read it ({@link #now}); null if not seen.
         */
        Seen seen(UUID document, String opId);

        @Override
        void close();

        static LogTap open(String bootstrap, String topic) throws ReflectiveOperationException {
            return (LogTap) Class.forName("dev.folio.system.PipelineTap")
                    .getDeclaredConstructor(String.class, String.class)
                    .newInstance(bootstrap, topic);
        }
    }

    record Seen(long createTimeMillis, long readAt) {}

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
        // The as-fast-as-acks-allow shapes send more than a typist's 200 deltas a second per session:
        // raised, or the node would close them as flooding (docs/security.md, the limits).
        environment.put("FOLIO_WS_MAX_DELTAS_PER_SECOND", "100000");
        environment.put("FOLIO_WS_DELTA_BURST", "100000");
        // The 1,000-editor document has more members than the default allows, its owner too.
        environment.put("FOLIO_DOCUMENT_MAX_MEMBERS", "5000");
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

    /**
     * DOCSxCLIENTS@RATE (keystrokes per second per client) or DOCSxCLIENTS@maxWINDOW, optionally
     * with :SECONDS measured (0: folio.bench.seconds).
     */
    record Scenario(int docs, int clientsPerDoc, double rate, int window, int seconds) {

        static Scenario parse(String spec) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "(\\d+)x(\\d+)@(max)?(\\d+(?:\\.\\d+)?)(?::(\\d+))?")
                    .matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "scenario " + spec + " is not DOCSxCLIENTS@RATE or DOCSxCLIENTS@maxN, with :SECONDS or not");
            }
            int docs = Integer.parseInt(m.group(1));
            int clients = Integer.parseInt(m.group(2));
            double number = Double.parseDouble(m.group(4));
            int seconds = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            if (m.group(3) != null && number != Math.rint(number)) {
                throw new IllegalArgumentException("scenario " + spec + ": maxN takes a whole number of deltas");
            }
            return m.group(3) != null
                    ? new Scenario(docs, clients, 0, (int) number, seconds)
                    : new Scenario(docs, clients, number, 0, seconds);
        }

        /** Comma-separated specs, blanks ignored. */
        static List<Scenario> list(String specs) {
            return Arrays.stream(specs.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .map(Scenario::parse)
                    .toList();
        }

        String name() {
            return docs + "x" + clientsPerDoc + "@" + (window > 0 ? "max" + window : rateName());
        }

        /** The rate as written: 20, or 0.5 for one keystroke every two seconds. */
        private String rateName() {
            return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
        }

        int clients() {
            return docs * clientsPerDoc;
        }
    }

    private JsonObject run(Scenario scenario, int warmup, int measured) throws Exception {
        calibrateClock();
        List<List<Client>> documents = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        String seed = TYPED.repeat(seedChars / TYPED.length() + 1).substring(0, seedChars);
        handshakes.clear();
        joins.clear();
        for (int d = 0; d < scenario.docs(); d++) {
            int number = documents.size() * scenario.clientsPerDoc();
            // Its first client creates it, so owns it, and shares it with the others (docs/security.md).
            Api owner = as(0, number);
            UUID id = owner.createDocument("load " + scenario.name() + " " + d);
            if (users != null) {
                for (int c = 1; c < scenario.clientsPerDoc(); c++) {
                    as(0, number + c).becomeKnown();
                    owner.shareWithId(id, users.id(number + c), "editor");
                }
            }
            ids.add(id);
            List<Client> clients = new ArrayList<>();
            Client first = join(id, number, 0);
            first.seed(seed);
            clients.add(first);
            for (int c = 1; c < scenario.clientsPerDoc(); c++) {
                clients.add(join(id, number + c, c % nodes.size()));
            }
            for (int c = 0; c < clients.size(); c++) {
                clients.get(c).startAt((int) ((long) c * seedChars / clients.size()));
            }
            documents.add(clients);
        }
        List<Client> all = documents.stream().flatMap(List::stream).toList();
        long[] handshake = sorted(handshakes);
        long[] join = sorted(joins);

        boolean pipeline = tap != null || nodes.size() > 1;
        Sampler sampler = new Sampler(nodePids, pipeline ? nodes : List.of());
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
            long period = (long) (TimeUnit.SECONDS.toNanos(1) / scenario.rate());
            for (Client client : all) {
                ticking.add(typists.scheduleAtFixedRate(
                        client::typeOne, (long) (phase.nextDouble() * period), period, TimeUnit.NANOSECONDS));
            }
        }
        sleepUntil(windowStart);
        Usage before = usage();
        List<Map<String, Double>> metricsBefore = pipeline ? metrics() : List.of();
        sleepUntil(windowEnd);
        Usage after = usage();
        List<Map<String, Double>> metricsAfter = pipeline ? metrics() : List.of();
        double loadAverage = Proc.loadAverage();
        all.forEach(Client::stop);
        ticking.forEach(f -> f.cancel(false));
        sampler.stop();

        // Every delta acknowledged, every client up to the last version, the same text everywhere,
        // every node's included: waited for at most DRAIN after the window. A server that fell
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
            for (int n = 0; n < nodes.size(); n++) {
                converged &= as(n, d * scenario.clientsPerDoc())
                        .document(ids.get(d))
                        .getString("text")
                        .equals(text);
            }
        }
        JsonObjectBuilder result = result(
                        scenario, measured, documents, ids, windowStart, windowEnd, before, after, sampler)
                .add("loadAverage", loadAverage)
                .add("drained", drained)
                .add("drainSeconds", drainSeconds)
                .add("unacked", unacked)
                .add("converged", converged)
                .add("textChars", textChars)
                .add("auth", users != null)
                .add("handshakeP50Ms", millis(handshake, 0.50))
                .add("handshakeP99Ms", millis(handshake, 0.99))
                .add("handshakeMaxMs", millis(handshake, 1.0))
                .add("joinP50Ms", millis(join, 0.50))
                .add("joinP99Ms", millis(join, 0.99));
        if (pipeline) {
            result.add("metrics", metricsOverWindow(metricsBefore, metricsAfter, sampler));
        }
        if (!drained) {
            // What is still on its way would load the next scenario: let it through first (unmeasured).
            long more = now() + TimeUnit.SECONDS.toNanos(180);
            for (Client client : all) {
                client.awaitUntil(() -> client.inFlight() == 0, more);
            }
            log("the last acks came " + round((now() - windowEnd) / 1e9) + " s after the window");
        }
        for (Client client : all) {
            if (drained) {
                client.close();
            } else {
                client.socket.abort();
            }
        }
        return result.build();
    }

    /** A delta sent in the window: when, from which node, under which opId. */
    private record Sent(long at, int node, String opId) {}

    private JsonObjectBuilder result(
            Scenario scenario,
            int measured,
            List<List<Client>> documents,
            List<UUID> ids,
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
        List<Long> crossNode = new ArrayList<>();
        List<Long> sameNode = new ArrayList<>();
        // With the tap, where the time went: send, the record's CreateTime (the bridge sends it to
        // Kafka), the record read back from Kafka, then the other node's clients and the sender's ack.
        List<Long> toRecord = new ArrayList<>();
        List<Long> toReader = new ArrayList<>();
        List<Long> toOtherNode = new ArrayList<>();
        List<Long> toAck = new ArrayList<>();
        long deliveries = 0;
        for (int d = 0; d < documents.size(); d++) {
            List<Client> clients = documents.get(d);
            UUID id = ids.get(d);
            Map<Long, Sent> sentByVersion = new HashMap<>();
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
                            String opId = client.name + "-" + seq;
                            sentByVersion.put(client.ackVersion[seq], new Sent(sentAt, client.node, opId));
                            Seen seen = tap == null ? null : tap.seen(id, opId);
                            if (seen != null) {
                                long created = fromEpochMillis(seen.createTimeMillis());
                                toRecord.add(created - sentAt);
                                toReader.add(seen.readAt() - created);
                                toAck.add(ackAt - seen.readAt());
                            }
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
                    Sent origin = sentByVersion.get(client.receivedVersion[i]);
                    if (origin != null) {
                        broadcastLatencies.add(at - origin.at());
                        (origin.node() == client.node ? sameNode : crossNode).add(at - origin.at());
                        Seen seen = tap == null || origin.node() == client.node ? null : tap.seen(id, origin.opId());
                        if (seen != null) {
                            toOtherNode.add(at - seen.readAt());
                        }
                    }
                }
            }
        }
        double wall = (after.wallNanos - before.wallNanos) / 1e9;
        long[] ack = sorted(ackLatencies);
        long[] broadcast = sorted(broadcastLatencies);
        long nodeTicks = 0;
        for (int n = 0; n < nodePids.size(); n++) {
            nodeTicks += after.nodeTicks[n] - before.nodeTicks[n];
        }
        long serviceTicks = (after.artemisTicks - before.artemisTicks)
                + (after.kafkaTicks - before.kafkaTicks)
                + (after.dynamoTicks - before.dynamoTicks);
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("server", "folio")
                .add("scenario", scenario.name())
                .add("mode", scenario.window() > 0 ? "window" : "typing")
                .add("nodes", nodes.size())
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
                .add("serverRssPeakMiB", sampler.peakMiB[0])
                .add("serverCpuCores", cores(nodeTicks, wall))
                .add("dbCpuCores", cores(after.dbTicks - before.dbTicks, wall))
                .add("clientCpuCores", round((after.clientNanos - before.clientNanos) / 1e9 / wall))
                .add(
                        "otherCpuCores",
                        round(((after.machineTicks - before.machineTicks)
                                                - nodeTicks
                                                - (after.dbTicks - before.dbTicks)
                                                - serviceTicks)
                                        / Proc.ticksPerSecond()
                                        / wall
                                - (after.clientNanos - before.clientNanos) / 1e9 / wall))
                .add("errors", errors)
                .add("ackMeans", "in the log: back from Kafka (acks=all)");
        if (nodes.size() > 1) {
            long[] cross = sorted(crossNode);
            long[] same = sorted(sameNode);
            json.add("crossNodeDeliveries", cross.length)
                    .add("crossNodeP50Ms", millis(cross, 0.50))
                    .add("crossNodeP95Ms", millis(cross, 0.95))
                    .add("crossNodeP99Ms", millis(cross, 0.99))
                    .add("sameNodeDeliveries", same.length)
                    .add("sameNodeP50Ms", millis(same, 0.50))
                    .add("sameNodeP99Ms", millis(same, 0.99));
            jakarta.json.JsonArrayBuilder rss = Json.createArrayBuilder();
            for (int n = 0; n < nodePids.size(); n++) {
                rss.add(sampler.peakMiB[n]);
            }
            json.add("nodesRssPeakMiB", rss);
        }
        if (nodes.size() > 1 || stackDir != null) {
            cpu(json, before, after);
        }
        if (tap != null) {
            json.add(
                    "pipeline",
                    Json.createObjectBuilder()
                            .add("tapped", toRecord.size())
                            .add("sendToRecord", quantiles(toRecord))
                            .add("recordToReader", quantiles(toReader))
                            .add("readerToOtherNode", quantiles(toOtherNode))
                            .add("readerToAck", quantiles(toAck)));
        }
        return json;
    }

    /** p50, p95 and p99 in milliseconds. */
    private static JsonObject quantiles(List<Long> nanos) {
        long[] values = sorted(nanos);
        return Json.createObjectBuilder()
                .add("p50Ms", millis(values, 0.50))
                .add("p95Ms", millis(values, 0.95))
                .add("p99Ms", millis(values, 0.99))
                .build();
    }

    /** The CPU of every process of the installation between {@code before} and {@code after}. */
    private void cpu(JsonObjectBuilder json, Usage before, Usage after) {
        double wall = (after.wallNanos - before.wallNanos) / 1e9;
        jakarta.json.JsonArrayBuilder nodeCpu = Json.createArrayBuilder();
        for (int n = 0; n < nodePids.size(); n++) {
            nodeCpu.add(cores(after.nodeTicks[n] - before.nodeTicks[n], wall));
        }
        json.add("nodeCpuCores", nodeCpu).add("dbCpuCores", cores(after.dbTicks - before.dbTicks, wall));
        if (stackDir != null) {
            json.add("artemisCpuCores", cores(after.artemisTicks - before.artemisTicks, wall))
                    .add("kafkaCpuCores", cores(after.kafkaTicks - before.kafkaTicks, wall))
                    .add("dynamoCpuCores", cores(after.dynamoTicks - before.dynamoTicks, wall));
        }
        json.add("machineCpuCores", cores(after.machineTicks - before.machineTicks, wall));
    }

    private static double cores(long ticks, double wallSeconds) {
        return round(ticks / Proc.ticksPerSecond() / wallSeconds);
    }

    private record Usage(
            long wallNanos,
            long[] nodeTicks,
            long dbTicks,
            long artemisTicks,
            long kafkaTicks,
            long dynamoTicks,
            long clientNanos,
            long machineTicks) {}

    private Usage usage() {
        long client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long[] nodeTicks = nodePids.stream().mapToLong(Proc::cpuTicks).toArray();
        return new Usage(
                now(),
                nodeTicks,
                ticksOf("/" + pgCluster + "/", "/" + pgCluster + ":"),
                stackDir == null ? 0 : ticksOf(stackDir + "/artemis/"),
                stackDir == null ? 0 : ticksOf(stackDir + "/kafka/"),
                stackDir == null ? 0 : ticksOf(stackDir + "/dynamodb/"),
                client,
                Proc.machineBusyTicks());
    }

    /**
     * The CPU ticks of every process whose command line holds one of {@code needles}: PostgreSQL's
     * postmaster names its data folder (.../15/CLUSTER/...), its other processes are titled
     * "postgres: 15/CLUSTER: ..."; the services name their folders under FOLIO_STACK_DIR.
     */
    private static long ticksOf(String... needles) {
        java.util.Set<Long> pids = new java.util.HashSet<>();
        for (String needle : needles) {
            pids.addAll(Proc.pidsWithCommandLine(needle));
        }
        return pids.stream().mapToLong(Proc::cpuTicks).sum();
    }

    // ---------------------------------------------------------------------------------------
    // The nodes' MicroProfile metrics

    private static final HttpClient METRICS_HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final java.util.regex.Pattern QUANTILE = java.util.regex.Pattern.compile("quantile=\"([0-9.]+)\"");

    /** Every node's application metrics now, in the order of {@link #nodes}. */
    private List<Map<String, Double>> metrics() {
        return nodes.stream().map(LoadBenchmark::metrics).toList();
    }

    /**
     * A node's application metrics (GET /metrics?scope=application, Prometheus text) by name, a
     * summary's quantiles as NAME@QUANTILE; empty if the node did not answer.
     */
    static Map<String, Double> metrics(URI node) {
        Map<String, Double> values = new HashMap<>();
        try {
            String body = METRICS_HTTP
                    .send(
                            java.net.http.HttpRequest.newBuilder(node.resolve("/metrics?scope=application"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : body.split("\n")) {
                int space = line.lastIndexOf(' ');
                if (line.isBlank() || line.startsWith("#") || space < 0) {
                    continue;
                }
                String key = line.substring(0, space);
                int brace = key.indexOf('{');
                String name = brace < 0 ? key : key.substring(0, brace);
                java.util.regex.Matcher quantile = QUANTILE.matcher(key);
                try {
                    values.put(
                            quantile.find() ? name + "@" + quantile.group(1) : name,
                            Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException notANumber) {
                    // not a sample line
                }
            }
        } catch (IOException e) {
            // the node did not answer: no metrics
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return values;
    }

    /**
     * What the nodes' metrics say about the window: counters as their increase over it (per node,
     * in the order of {@link #nodes}, or summed), the publish timer's mean over the window (from its
     * sum and count) and the quantiles its reservoir held at the end (Payara's recent samples, not
     * only the window's), and the feed lag's highest value sampled every 5 s.
     */
    private JsonObject metricsOverWindow(
            List<Map<String, Double>> before, List<Map<String, Double>> after, Sampler sampler) {
        double accepted = 0;
        double publishes = 0;
        double publishSeconds = 0;
        double publishP50 = -1;
        double publishP99 = -1;
        double publishMax = -1;
        double eventLog = 0;
        jakarta.json.JsonArrayBuilder forwarded = Json.createArrayBuilder();
        jakarta.json.JsonArrayBuilder fed = Json.createArrayBuilder();
        jakarta.json.JsonArrayBuilder applied = Json.createArrayBuilder();
        jakarta.json.JsonArrayBuilder acceptedPerNode = Json.createArrayBuilder();
        for (int n = 0; n < nodes.size(); n++) {
            Map<String, Double> from = before.get(n);
            Map<String, Double> to = after.get(n);
            double nodeAccepted = increase(from, to, "folio_deltas_accepted_total");
            accepted += nodeAccepted;
            acceptedPerNode.add(round(nodeAccepted));
            double count = increase(from, to, "folio_deltas_publish_seconds_count");
            publishes += count;
            publishSeconds += increase(from, to, "folio_deltas_publish_seconds_sum");
            // Payara 6.2025.10 prints the timer's quantiles, mean and max in nanoseconds under a
            // name in seconds; its sum is in seconds. Tell them apart by the mean.
            double mean = to.getOrDefault("folio_deltas_publish_seconds_mean", 0.0);
            double lifetimeCount = to.getOrDefault("folio_deltas_publish_seconds_count", 0.0);
            double lifetimeSum = to.getOrDefault("folio_deltas_publish_seconds_sum", 0.0);
            double toMillis =
                    lifetimeCount > 0 && lifetimeSum > 0 && mean / (lifetimeSum / lifetimeCount) > 1e3 ? 1e-6 : 1e3;
            publishP50 = Math.max(publishP50, to.getOrDefault("folio_deltas_publish_seconds@0.5", -1.0) * toMillis);
            publishP99 = Math.max(publishP99, to.getOrDefault("folio_deltas_publish_seconds@0.99", -1.0) * toMillis);
            publishMax = Math.max(publishMax, to.getOrDefault("folio_deltas_publish_seconds_max", -1.0) * toMillis);
            eventLog += increase(from, to, "folio_eventlog_written_total");
            forwarded.add(round(increase(from, to, "folio_bridge_forwarded_total")));
            fed.add(round(increase(from, to, "folio_feed_records_total")));
            applied.add(round(increase(from, to, "folio_log_records_applied_total")));
        }
        return Json.createObjectBuilder()
                .add("accepted", acceptedPerNode)
                .add("publishes", round(publishes))
                .add("deltasPerPublish", publishes > 0 ? round(accepted / publishes) : -1)
                .add("publishMeanMs", publishes > 0 ? round(publishSeconds * 1000 / publishes) : -1)
                .add("publishP50Ms", round(publishP50))
                .add("publishP99Ms", round(publishP99))
                .add("publishMaxMs", round(publishMax))
                .add("bridgeForwarded", forwarded)
                .add("feedRecords", fed)
                .add("recordsApplied", applied)
                .add("eventLogWritten", round(eventLog))
                .add("feedLagMax", sampler.feedLagMax)
                .build();
    }

    private static double increase(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    /** The REST API of node {@code node} as client {@code number}'s user (a document's first client: its owner). */
    private Api as(int node, int number) {
        return users == null ? apis.get(node) : apis.get(node).as(users.token(number));
    }

    /** This scenario's setup: WebSocket handshakes (connect to open) and joins (join to joined), in nanoseconds. */
    private final List<Long> handshakes = new ArrayList<>();

    private final List<Long> joins = new ArrayList<>();

    private Client join(UUID document, int number, int node) throws Exception {
        Client client = new Client(document, "c" + number, node);
        WebSocket.Builder builder = httpClients.get(number % httpClients.size()).newWebSocketBuilder();
        if (users != null) {
            // As the browser sends it (docs/security.md): the server selects folio.v1.
            builder.subprotocols("folio.v1", "folio.bearer." + users.token(number));
        }
        long started = System.nanoTime();
        try {
            client.socket = builder.buildAsync(client.uri, client).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                throw new IllegalStateException(
                        client.name + ": handshake refused, "
                                + refused.getResponse().statusCode() + " "
                                + refused.getResponse().body(),
                        e);
            }
            throw e;
        }
        long open = System.nanoTime();
        client.sendText("{\"type\":\"join\"}");
        client.await(() -> client.replica != null, "joined");
        handshakes.add(open - started);
        joins.add(System.nanoTime() - open);
        return client;
    }

    /**
     * The benchmark's users: client {@code n} of a scenario is user {@code bench-c<n>} of this run
     * (an id new each run, group writer), with one access token minted for the whole run, signed
     * with the key the nodes trust as their development issuer's (docs/security.md).
     */
    static final class Users {

        /** Longer than any run: no session meets token-expiring or the 4401 close. */
        private static final Duration LIFETIME = Duration.ofHours(4);

        private final dev.folio.auth.TokenIssuer issuer;
        private final String keySource;
        private final String run = UUID.randomUUID().toString().substring(0, 8);
        private final Map<Integer, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

        private Users(dev.folio.auth.TokenIssuer issuer, String keySource) {
            this.issuer = issuer;
            this.keySource = keySource;
        }

        /**
         * Tokens signed with the PEM file {@code keyFile}, or without one, when the benchmark started
         * the node itself, with the system tests' key that the node was given.
         */
        static Users signedWith(String keyFile, boolean startedHere) throws Exception {
            if (keyFile != null) {
                return new Users(
                        TestTokens.issuerFor(keysFrom(Path.of(keyFile)), TestTokens.ISSUER, TestTokens.AUDIENCE),
                        keyFile);
            }
            if (!startedHere) {
                throw new IllegalArgumentException("pass -Dfolio.bench.signing-key=<the nodes'"
                        + " FOLIO_AUTH_SIGNING_KEY_LOCATION> to sign the clients' tokens, or -Dfolio.bench.auth=false"
                        + " for a server without authentication");
            }
            TestTokens tokens = TestTokens.shared();
            return new Users(tokens.issuerWith(TestTokens.ISSUER, TestTokens.AUDIENCE), tokens.keyFile.toString());
        }

        String describe() {
            return "bench-c<n> of run " + run + ", tokens signed with " + keySource;
        }

        String id(int number) {
            return UUID.nameUUIDFromBytes(("folio-bench " + run + " c" + number).getBytes(StandardCharsets.UTF_8))
                    .toString();
        }

        String token(int number) {
            return tokens.computeIfAbsent(number, n -> issuer.issue(
                            new dev.folio.auth.DemoUsers.User(
                                    id(n), "bench-c" + n, java.util.Set.of(dev.folio.access.Caller.WRITER)),
                            dev.folio.auth.TokenUse.ACCESS,
                            LIFETIME)
                    .token());
        }

        /** A PKCS#8 PEM RSA private key ({@code openssl genpkey -algorithm RSA}) and its public half. */
        private static java.security.KeyPair keysFrom(Path file) throws Exception {
            String body = Files.readString(file, StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
            var key = (java.security.interfaces.RSAPrivateCrtKey)
                    rsa.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                            Base64.getDecoder().decode(body)));
            return new java.security.KeyPair(
                    rsa.generatePublic(
                            new java.security.spec.RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())),
                    key);
        }
    }

    // ---------------------------------------------------------------------------------------
    // A typing client: an LSEQ replica with a cursor, as EditorClient, plus timestamps

    private final class Client implements WebSocket.Listener {

        final URI uri;
        final String name;
        /** Which of {@link #nodes} it is connected to. */
        final int node;

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

        Client(UUID document, String name, int node) {
            this.uri = URI.create(nodes.get(node).toString().replaceFirst("^http", "ws"))
                    .resolve("/ws/documents/" + document);
            this.name = name;
            this.node = node;
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
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                // The server closed it (4401 token, 4403 access, 4429 limits...): its error frame came first.
                log(name + ": closed by the server, " + statusCode + " " + reason);
            }
            return null;
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

    /**
     * Samples the nodes' RSS every 250 ms for the peak, and, with {@code metricsOf}, their feed lag
     * (folio.feed.lag, records behind the end of the log) every 5 s for the highest.
     */
    private static final class Sampler implements Runnable {

        private final List<Long> pids;
        private final List<URI> metricsOf;
        private volatile boolean running = true;
        private final Thread thread = new Thread(this, "rss-sampler");
        final long[] peakMiB;
        volatile long feedLagMax = -1;

        Sampler(List<Long> pids, List<URI> metricsOf) {
            this.pids = pids;
            this.metricsOf = metricsOf;
            this.peakMiB = new long[pids.size()];
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
            for (long tick = 0; running; tick++) {
                for (int i = 0; i < pids.size(); i++) {
                    peakMiB[i] = Math.max(peakMiB[i], Proc.rssMiB(pids.get(i)));
                }
                // Every 5 s, as often as the node updates it: each GET /metrics costs the node a few ms.
                if (tick % 20 == 0) {
                    for (URI node : metricsOf) {
                        feedLagMax = Math.max(
                                feedLagMax,
                                metrics(node)
                                        .getOrDefault("folio_feed_lag", -1.0)
                                        .longValue());
                    }
                }
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

    static long now() {
        return System.nanoTime() - ORIGIN + 1;
    }

    /**
     * Ties {@link #now} to the wall clock, which other processes of the machine use for their
     * timestamps (Kafka's CreateTime): again before each scenario, so that the wall clock's slewing
     * cannot add up. The closest of a few readings, to a few microseconds.
     */
    private static void calibrateClock() {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 20; i++) {
            long before = now();
            java.time.Instant wall = java.time.Instant.now();
            long after = now();
            if (after - before < best) {
                best = after - before;
                offset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before + after) / 2;
            }
        }
        epochNanosAtOrigin = offset;
    }

    /**
     * A wall-clock time in whole milliseconds (truncated, as System.currentTimeMillis() is) on the
     * clock of {@link #now}: the middle of that millisecond.
     */
    private static long fromEpochMillis(long millis) {
        return millis * 1_000_000L + 500_000L - epochNanosAtOrigin;
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
