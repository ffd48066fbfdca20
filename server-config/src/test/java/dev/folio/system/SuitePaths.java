package dev.folio.system;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the system tests find the repository, their work folder and the built archives: the system
 * properties Failsafe sets (server-config/pom.xml), with defaults for a run from server-config.
 */
final class SuitePaths {

    private SuitePaths() {}

    static Path repo() {
        return Path.of(System.getProperty("folio.repo", "..")).toAbsolutePath();
    }

    /** Logs, data folders and unpacked servers of the run (under target/). */
    static Path work() {
        return Path.of(System.getProperty("folio.work", "target/system-tests")).toAbsolutePath();
    }

    static Path microJar() {
        return Path.of(System.getProperty("folio.payara", "target/payara")).resolve("payara-micro.jar");
    }

    static Path war() {
        return existing(Path.of(System.getProperty("folio.war", repo() + "/web/target/folio.war")));
    }

    /** The Artemis resource adapter; deployed first, its file name makes its name ("artemis"). */
    static Path artemisRar() {
        return existing(Path.of(System.getProperty("folio.artemis.rar", repo() + "/resources/target/artemis.rar")));
    }

    /** The connection factory and queues on the adapter; deployed after it, before the application. */
    static Path artemisResources() {
        return existing(Path.of(
                System.getProperty("folio.artemis.resources", repo() + "/resources/target/artemis-resources.war")));
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build it first (mvn install)");
        }
        return file.toAbsolutePath();
    }
}
