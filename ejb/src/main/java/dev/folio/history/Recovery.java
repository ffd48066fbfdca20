package dev.folio.history;

import dev.folio.archive.ConfiguredEventArchive;
import dev.folio.document.DocumentLog;
import dev.folio.document.DocumentStore;
import dev.folio.eventlog.ConfiguredEventLog;
import dev.folio.eventlog.DocumentDeletion;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Disaster recovery (docs/operations.md): puts back every document the store lost, rebuilt from its
 * archives and the event log with the text and version every node had at its last logged record.
 * The documents are those with archives or events, less those deleted (a deletion the event log
 * still records, or the archive's mark). A document the store has is left as it is, so running it
 * again does no harm. Records Kafka still holds after the last one in DynamoDB are read when the
 * document is next opened, as after any snapshot.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

    @Inject
    ConfiguredEventLog eventLog;

    @Inject
    ConfiguredEventArchive archive;

    @Inject
    DocumentLog log;

    @EJB
    DocumentStore store;

    /** A document put back. */
    public record Recovered(UUID documentId, String title, long version) {}

    /**
     * What a run did.
     *
     * @param found documents with archives or events, deleted ones left out
     * @param present of those, documents the store had
     */
    public record Run(int found, int present, List<Recovered> recovered, List<String> failures) {}

    public Run recoverAll() {
        Set<UUID> found = new TreeSet<>(archive.documentIds());
        found.addAll(eventLog.documentIds());
        found.removeAll(archive.deletedDocumentIds());
        eventLog.deletions().stream().map(DocumentDeletion::documentId).forEach(found::remove);
        DocumentHistory history = new DocumentHistory(eventLog, archive, Clock.systemUTC());
        String logIdentity = log.identity();
        int present = 0;
        List<Recovered> recovered = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (UUID documentId : found) {
            try {
                if (store.find(documentId).isPresent()) {
                    present++;
                    continue;
                }
                recover(history, documentId, logIdentity).ifPresent(recovered::add);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "document " + documentId + " could not be recovered", e);
                failures.add(documentId + ": " + e.getMessage());
            }
        }
        LOG.info(() -> "recovery: " + found.size() + " documents in the history, " + recovered.size() + " put back, "
                + failures.size() + " failed");
        return new Run(found.size(), present, recovered, failures);
    }

    private Optional<Recovered> recover(DocumentHistory history, UUID documentId, String logIdentity) {
        DocumentHistory.Latest latest = history.latest(documentId);
        String title = latest.title().isBlank() ? "Recovered " + documentId : latest.title();
        Instant createdAt = latest.createdAt() == null ? Instant.now() : latest.createdAt();
        if (!store.recover(documentId, title, latest.authorId(), latest.state(), logIdentity, createdAt)) {
            return Optional.empty(); // put back meanwhile, by another run
        }
        LOG.info(() -> "document " + documentId + " recovered at version "
                + latest.state().snapshotVersion() + ", log offset "
                + latest.state().logOffset());
        return Optional.of(new Recovered(documentId, title, latest.state().snapshotVersion()));
    }
}
