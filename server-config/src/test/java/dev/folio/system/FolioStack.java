package dev.folio.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The system under test, started once for all system tests: PostgreSQL from Debian (through
 * bin/local-postgres, on its own port and cluster) and one Payara Micro node running the WAR.
 * Each test creates its own documents, so tests share the stack without sharing state.
 */
final class FolioStack {

    static final int DB_PORT = 5434;
    static final String DB_NAME = "folio_it";
    static final int HTTP_PORT = 18180;

    private static FolioStack shared;

    final Path repo = Path.of(System.getProperty("folio.repo", "..")).toAbsolutePath();
    final Path work = Path.of(System.getProperty("folio.work", "target/system-tests"));
    final MicroNode node;

    private FolioStack() throws IOException, InterruptedException {
        startPostgres(repo, work);
        Map<String, String> environment = Map.of(
                "FOLIO_DB_URL", jdbcUrl(),
                "FOLIO_DB_USER", "folio",
                "FOLIO_DB_PASSWORD", "folio",
                // Small enough that the tests see snapshots written during an editing session.
                "FOLIO_SNAPSHOT_EVERY_OPERATIONS", "200",
                "FOLIO_SNAPSHOT_EVERY_SECONDS", "5",
                // Short, so that a test sees a document unloaded; a connected document never is.
                "FOLIO_DOCUMENT_IDLE_SECONDS", "3",
                // Short, so that a test sees a silent session closed; test clients are never silent that long.
                "FOLIO_WS_IDLE_SECONDS", "8");
        node = new MicroNode(
                Path.of(System.getProperty("folio.payara", "target/payara")).resolve("payara-micro.jar"),
                Path.of(System.getProperty("folio.war", "../web/target/folio.war")),
                work,
                HTTP_PORT,
                environment);
        node.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    static synchronized FolioStack shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new FolioStack();
        }
        return shared;
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
        Files.createDirectories(work);
        ProcessBuilder script = new ProcessBuilder(
                        repo.resolve("server-config/bin/local-postgres").toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("postgres.log").toFile());
        script.environment()
                .putAll(Map.of(
                        "FOLIO_DB_PORT",
                        Integer.toString(DB_PORT),
                        "FOLIO_DB_NAME",
                        DB_NAME,
                        "FOLIO_PG_CLUSTER",
                        "folio-it"));
        int exit = script.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(
                    "bin/local-postgres failed (" + exit + "); see " + work.resolve("postgres.log"));
        }
    }
}
