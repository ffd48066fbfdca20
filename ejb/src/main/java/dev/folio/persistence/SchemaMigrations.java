package dev.folio.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database's schema up to date when the application starts, before anything else uses
 * it: the migrations are the jpa module's {@code db/migration/V<n>__*.sql} (docs/operations.md,
 * "Schema migrations"), applied with Flyway on the persistence unit's own datasource. The startup
 * beans that use the database name this bean in their {@code @DependsOn}; a migration that fails
 * fails the deployment, so a node never serves on a schema it does not know.
 *
 * <p>Several nodes may start at once against one database: Flyway holds a PostgreSQL advisory lock
 * while it migrates, so one node applies the pending migrations and the others wait for it, then
 * find nothing left to do.
 */
@Singleton
@Startup
// Flyway commits each migration itself: no container transaction around it.
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    /** Where the migrations are, on the class path of the module that holds this class. */
    static final String LOCATION = "classpath:db/migration";

    /**
     * The version a database that {@code schema.sql} made (before migrations) is taken to be at:
     * below 1, so that V1, whose every statement may run again, is applied to it too and completes
     * one made by an older {@code schema.sql}.
     */
    static final String ADOPTED_AT = "0";

    @Resource(lookup = "java:app/jdbc/folio")
    DataSource database;

    @PostConstruct
    void migrate() {
        MigrateResult result = applyTo(database);
        if (result.migrationsExecuted == 0) {
            LOG.info(() -> "database schema up to date at version " + result.initialSchemaVersion);
        } else {
            String from = result.initialSchemaVersion == null ? "empty" : "version " + result.initialSchemaVersion;
            LOG.info(() -> "database schema migrated from " + from + " to version " + result.targetSchemaVersion + " ("
                    + result.migrationsExecuted + " migrations)");
        }
    }

    /** Applies the pending migrations to {@code database}: an empty one, or one made by schema.sql. */
    public static MigrateResult applyTo(DataSource database) {
        // The class loader that holds this class sees the jpa module's jar (WEB-INF/lib in the WAR,
        // lib/ in the EAR), whatever the thread's context class loader is.
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(database)
                .locations(LOCATION)
                .baselineOnMigrate(true)
                .baselineVersion(ADOPTED_AT)
                .baselineDescription("schema.sql, before migrations")
                .load()
                .migrate();
    }
}
