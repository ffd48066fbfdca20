package dev.folio.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The system under test, started once for all system tests: PostgreSQL from Debian (through
 * bin/local-postgres, on its own port and cluster), the event pipeline's services ({@link
 * PipelineServices}: Artemis, Kafka with {@link KafkaBroker#PARTITIONS} partitions, DynamoDB Local),
 * S3Proxy for the archive ({@link S3Proxy}),
 * and one Payara Micro node running the resource adapter, its resources and the WAR; a second node
 * on the same database and services when a test asks for it. Each test creates its own documents,
 * so tests share the stack without sharing state. Everything stops when the test JVM exits, the
 * nodes first.
 */
final class FolioStack {

    static final int DB_PORT = 5434;
    static final String DB_NAME = "folio_it";
    static final int HTTP_PORT = 18180;
    static final int SECOND_HTTP_PORT = 18181;

    private static FolioStack shared;

    final Path repo = SuitePaths.repo();
    final Path work = SuitePaths.work();
    final PipelineServices services;
    final S3Proxy s3;
    final MicroNode node;
    private MicroNode secondNode;

    private FolioStack() throws Exception {
        // PostgreSQL and the three services do not depend on each other: start them side by side.
        CompletableFuture<Void> postgres = InBackground.start(() -> {
            startPostgres(repo, work);
            return null;
        });
        CompletableFuture<S3Proxy> s3Proxy = InBackground.start(S3Proxy::shared);
        services = PipelineServices.shared();
        InBackground.await(postgres);
        s3 = InBackground.await(s3Proxy);
        node = startNode("it-node-1", HTTP_PORT);
    }

    static synchronized FolioStack shared() throws Exception {
        if (shared == null) {
            shared = new FolioStack();
        }
        return shared;
    }

    /**
     * A second node, started on first use (about 15 s) and kept for the rest of the run: same
     * database, broker, topic and event table as {@link #node}, its own HTTP port and node name. What
     * one node accepts reaches the other only through the pipeline (the nodes are not clustered).
     */
    synchronized MicroNode secondNode() throws IOException, InterruptedException {
        if (secondNode == null) {
            secondNode = startNode("it-node-2", SECOND_HTTP_PORT);
        }
        return secondNode;
    }

    /** Starts again any node of the stack that is down (stopped or killed by a test). */
    synchronized void restartStoppedNodes() throws IOException, InterruptedException {
        for (MicroNode started : secondNode == null ? List.of(node) : List.of(node, secondNode)) {
            if (!started.isRunning()) {
                started.start();
            }
        }
    }

    private MicroNode startNode(String name, int port) throws IOException, InterruptedException {
        MicroNode started = MicroNode.folio(port, work, nodeEnvironment(name));
        started.stopOnExit();
        started.start();
        return started;
    }

    /**
     * The environment of the stack's nodes, for one named {@code name} (unique among the nodes on
     * the stack's services); a copy that the caller may add to.
     */
    Map<String, String> nodeEnvironment(String name) {
        Map<String, String> environment = services.nodeEnvironment(name, jdbcUrl());
        // Small enough that the tests see snapshots written during an editing session.
        environment.put("FOLIO_SNAPSHOT_EVERY_OPERATIONS", "200");
        environment.put("FOLIO_SNAPSHOT_EVERY_SECONDS", "5");
        // Short, so that a test sees a document unloaded; a connected document never is.
        environment.put("FOLIO_DOCUMENT_IDLE_SECONDS", "3");
        // Short, so that a test sees a silent session closed; test clients are never silent that long.
        environment.put("FOLIO_WS_IDLE_SECONDS", "8");
        // Low, so that a test can outrun the rate on any machine; the burst still covers the tests
        // that type a few hundred deltas at full speed (and every session has its own).
        environment.put("FOLIO_WS_MAX_DELTAS_PER_SECOND", "20");
        environment.put("FOLIO_WS_DELTA_BURST", "600");
        // Short, so that a test sees a client that stopped reading disconnected.
        environment.put("FOLIO_WS_SEND_TIMEOUT_SECONDS", "10");
        // Low, so that a test reaches it in a few requests.
        environment.put("FOLIO_DOCUMENT_MAX_MEMBERS", "20");
        // The archive; compaction only when a test asks (CompactionIT, through the admin API), and
        // then of everything older than the snapshot: no scheduled run comes during the suite.
        environment.putAll(s3.nodeEnvironment());
        environment.put("FOLIO_COMPACTION_EVERY_SECONDS", "86400");
        environment.put("FOLIO_COMPACTION_RETENTION_SECONDS", "0");
        return environment;
    }

    URI http() {
        return node.http();
    }

    URI ws() {
        return node.ws();
    }

    static String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + DB_PORT + "/" + DB_NAME;
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "folio", "folio");
    }

    /**
     * The system tests' PostgreSQL: bin/local-postgres on its own port and cluster, logging into
     * {@code work}. Shared by every fixture that runs the app (safe to call again: a running
     * cluster is kept).
     */
    static void startPostgres(Path repo, Path work) throws IOException, InterruptedException {
        boolean first = postgresStopRegistered.compareAndSet(false, true);
        if (first) {
            // The suite leaves nothing running: the cluster stops after the nodes that use it.
            ExitStops.register(
                    ExitStops.Layer.SERVICES, "PostgreSQL cluster folio-it", () -> postgres(repo, work, "stop"));
        }
        postgres(repo, work, "start");
        if (first) {
            emptyDatabase();
        }
    }

    /**
     * The cluster outlives a run (it is the machine's, not the work folder's): a run starts from
     * empty tables, or the documents of earlier runs would count against the users' limits. The
     * schema's migration history stays: it says what the tables are, not what is in them.
     */
    private static void emptyDatabase() throws IOException {
        try (Connection db = DriverManager.getConnection(jdbcUrl(), "folio", "folio");
                var statement = db.createStatement()) {
            statement.execute(
                    """
                    DO $$ DECLARE t text; BEGIN
                      FOR t IN SELECT tablename FROM pg_tables
                               WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history' LOOP
                        EXECUTE format('TRUNCATE TABLE %I CASCADE', t);
                      END LOOP;
                    END $$""");
        } catch (SQLException e) {
            throw new IOException("could not empty the system tests' database", e);
        }
    }

    /**
     * Another database, {@code name}, in the system tests' cluster (made by bin/local-postgres when
     * missing, with the same owner); the cluster must have been started. Returns its JDBC URL.
     */
    static String database(Path repo, Path work, String name) throws IOException, InterruptedException {
        postgres(repo, work, "start", name);
        return "jdbc:postgresql://127.0.0.1:" + DB_PORT + "/" + name;
    }

    /** Stops the system tests' PostgreSQL cluster (a fault test starts it again). */
    static void stopPostgres(Path repo, Path work) throws IOException, InterruptedException {
        postgres(repo, work, "stop");
    }

    private static final java.util.concurrent.atomic.AtomicBoolean postgresStopRegistered =
            new java.util.concurrent.atomic.AtomicBoolean();

    private static void postgres(Path repo, Path work, String action) throws IOException, InterruptedException {
        postgres(repo, work, action, DB_NAME);
    }

    private static void postgres(Path repo, Path work, String action, String database)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        ProcessBuilder script = new ProcessBuilder(
                        repo.resolve("server-config/bin/local-postgres").toString(), action)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("postgres.log").toFile()));
        script.environment()
                .putAll(Map.of(
                        "FOLIO_DB_PORT",
                        Integer.toString(DB_PORT),
                        "FOLIO_DB_NAME",
                        database,
                        "FOLIO_PG_CLUSTER",
                        "folio-it"));
        int exit = script.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(
                    "bin/local-postgres " + action + " failed (" + exit + "); see " + work.resolve("postgres.log"));
        }
    }
}
