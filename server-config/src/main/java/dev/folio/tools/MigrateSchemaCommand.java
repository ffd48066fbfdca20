package dev.folio.tools;

import dev.folio.persistence.SchemaMigrations;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code MigrateSchemaCommand}: applies the schema's pending migrations to the database the
 * application uses, without starting it, as the application does at start ({@link
 * SchemaMigrations}, the same migrations and settings). For an operator who migrates before rolling
 * out a new version (docs/operations.md, "Schema migrations"); {@code server-config/bin/folio-migrate}
 * runs it. The database is the application's: {@code FOLIO_DB_URL}, {@code FOLIO_DB_USER}, {@code
 * FOLIO_DB_PASSWORD}, with the same defaults.
 */
public final class MigrateSchemaCommand {

    private MigrateSchemaCommand() {}

    public static void main(String[] args) {
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setURL(setting("FOLIO_DB_URL", "jdbc:postgresql://127.0.0.1:5433/folio"));
        database.setUser(setting("FOLIO_DB_USER", "folio"));
        database.setPassword(setting("FOLIO_DB_PASSWORD", "folio"));
        MigrateResult result = SchemaMigrations.applyTo(database);
        if (result.migrationsExecuted == 0) {
            System.out.println("schema up to date at version " + result.initialSchemaVersion);
        } else {
            System.out.println("schema migrated from "
                    + (result.initialSchemaVersion == null ? "empty" : "version " + result.initialSchemaVersion)
                    + " to version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
                    + " migrations)");
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
