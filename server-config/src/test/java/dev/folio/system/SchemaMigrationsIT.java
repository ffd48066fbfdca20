package dev.folio.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.folio.persistence.SchemaMigrations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The schema's migrations (dev.folio.persistence.SchemaMigrations, as the application runs them at
 * start) on a database of their own in the system tests' cluster: from empty, on a database that
 * the retired schema.sql made, and from several nodes at once.
 */
class SchemaMigrationsIT {

    static final String DATABASE = "folio_migrations";

    /** What V1 makes: schema.sql's tables, and Flyway's history. */
    static final Set<String> TABLES = Set.of(
            "audit_log",
            "document_members",
            "documents",
            "flyway_schema_history",
            "known_users",
            "lseq_site_owners",
            "revoked_tokens",
            "user_sign_outs");

    static String jdbcUrl;

    @BeforeAll
    static void startPostgres() throws IOException, InterruptedException {
        Path work = SuitePaths.work().resolve("schema-migrations");
        FolioStack.startPostgres(SuitePaths.repo(), work);
        jdbcUrl = FolioStack.database(SuitePaths.repo(), work, DATABASE);
    }

    @BeforeEach
    void emptyDatabase() throws SQLException {
        sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    @Timeout(60)
    void anEmptyDatabaseGetsTheWholeSchemaAndASecondStartChangesNothing() throws SQLException {
        MigrateResult first = SchemaMigrations.applyTo(node());
        MigrateResult second = SchemaMigrations.applyTo(node());

        assertEquals("1", first.targetSchemaVersion);
        assertEquals(1, first.migrationsExecuted);
        assertEquals(0, second.migrationsExecuted);
        assertEquals("1", second.initialSchemaVersion);
        assertEquals(new TreeSet<>(TABLES), tables());
        assertEquals(List.of("1 success"), history());
        assertEquals("1", query("SELECT nextval('lseq_sites')"));
    }

    @Test
    @Timeout(60)
    void aDatabaseThatSchemaSqlMadeIsAdoptedAndKeepsItsRows() throws Exception {
        // V1 is schema.sql as it last was (only its header comment is new): run as psql ran it,
        // without Flyway, it makes the database bin/local-postgres used to make.
        sql(migration("V1__initial_schema.sql"));
        sql("INSERT INTO documents (id, title) VALUES ('6f1c7d4e-0000-4000-8000-000000000001', 'kept')");
        sql("INSERT INTO audit_log (actor_id, actor_name, action, target) VALUES ('a', 'A', 'test', 'x')");

        MigrateResult result = SchemaMigrations.applyTo(node());

        assertEquals("1", result.targetSchemaVersion);
        assertEquals(List.of("0 success", "1 success"), history());
        assertEquals(new TreeSet<>(TABLES), tables());
        assertEquals("kept", query("SELECT title FROM documents"));
        assertEquals("1", query("SELECT count(*) FROM audit_log"));
    }

    @Test
    @Timeout(60)
    void aDatabaseThatAnOlderSchemaSqlMadeIsCompleted() throws SQLException {
        // Before issue 6 and issue 16: documents and the single-node server's recent deltas only.
        sql("CREATE TABLE documents (id UUID PRIMARY KEY, title TEXT, author_id UUID, content JSONB,"
                + " version BIGINT, metadata JSONB, created_at TIMESTAMP DEFAULT NOW(),"
                + " updated_at TIMESTAMP DEFAULT NOW());"
                + " CREATE TABLE document_deltas (document_id UUID, version BIGINT, delta JSONB)");

        SchemaMigrations.applyTo(node());

        Set<String> tables = tables();
        assertEquals(new TreeSet<>(TABLES), tables);
        assertFalse(tables.contains("document_deltas"));
    }

    @Test
    @Timeout(60)
    void nodesStartingTogetherOnAnEmptyDatabaseApplyEachMigrationOnce() throws Exception {
        assertEquals(1, appliedByNodesStartingTogether(4));
        assertEquals(List.of("1 success"), history());
        assertEquals(new TreeSet<>(TABLES), tables());
    }

    @Test
    @Timeout(60)
    void nodesStartingTogetherOnASchemaSqlDatabaseAdoptItOnce() throws Exception {
        sql(migration("V1__initial_schema.sql"));

        assertEquals(1, appliedByNodesStartingTogether(4));
        assertEquals(List.of("0 success", "1 success"), history());
        assertEquals(new TreeSet<>(TABLES), tables());
    }

    /** Starts that many nodes' migrations at the same moment; returns how many migrations they ran in all. */
    private static int appliedByNodesStartingTogether(int nodes) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService starting = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<MigrateResult>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                results.add(starting.submit(() -> {
                    start.await();
                    return SchemaMigrations.applyTo(node());
                }));
            }
            start.countDown();
            int applied = 0;
            for (Future<MigrateResult> result : results) {
                applied += result.get().migrationsExecuted;
            }
            return applied;
        } finally {
            starting.shutdownNow();
        }
    }

    @Test
    @Timeout(180)
    void anOperatorMigratesWithoutStartingTheApplicationAndAStartAfterFindsNothingToDo() throws Exception {
        ProcessBuilder command = new ProcessBuilder(SuitePaths.repo()
                        .resolve("server-config/bin/folio-migrate")
                        .toString())
                .redirectErrorStream(true);
        // The application's own settings, naming this test's database.
        command.environment().put("FOLIO_DB_URL", jdbcUrl);
        command.environment().put("FOLIO_DB_USER", "folio");
        command.environment().put("FOLIO_DB_PASSWORD", "folio");
        Process migrate = command.start();
        migrate.getOutputStream().close();
        String output;
        try (InputStream out = migrate.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, migrate.waitFor(), output);
        assertTrue(output.contains("schema migrated from empty to version 1"), output);
        assertEquals(new TreeSet<>(TABLES), tables());
        assertEquals(0, SchemaMigrations.applyTo(node()).migrationsExecuted, "the node's start finds it done");
    }

    /** A data source of its own, as each node has. */
    private static PGSimpleDataSource node() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(jdbcUrl);
        source.setUser("folio");
        source.setPassword("folio");
        return source;
    }

    private static String migration(String name) throws IOException {
        try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream("db/migration/" + name)) {
            assertTrue(in != null, "no db/migration/" + name + " on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> tables() throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Connection db = node().getConnection();
                ResultSet rows = db.createStatement()
                        .executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    /** Flyway's history: "version success" per row, in order; "0" is the baseline of an adopted database. */
    private static List<String> history() throws SQLException {
        List<String> history = new ArrayList<>();
        try (Connection db = node().getConnection();
                ResultSet rows = db.createStatement()
                        .executeQuery("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rows.next()) {
                history.add(rows.getString(1) + (rows.getBoolean(2) ? " success" : " failed"));
            }
        }
        return history;
    }

    private static String query(String query) throws SQLException {
        try (Connection db = node().getConnection();
                ResultSet row = db.createStatement().executeQuery(query)) {
            assertTrue(row.next(), query + " returned no row");
            return row.getString(1);
        }
    }

    private static void sql(String statements) throws SQLException {
        try (Connection db = node().getConnection();
                Statement statement = db.createStatement()) {
            statement.execute(statements);
        }
    }
}
