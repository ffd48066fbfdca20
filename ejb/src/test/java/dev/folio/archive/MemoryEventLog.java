package dev.folio.archive;

import dev.folio.eventlog.EventLog;
import dev.folio.eventlog.LoggedDelta;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** The event log as a sorted map, its deletes able to fail part-way like a crash. */
public final class MemoryEventLog implements EventLog {

    private final TreeMap<String, LoggedDelta> events = new TreeMap<>();
    private int deletesBeforeFailing = Integer.MAX_VALUE;

    private static String key(LoggedDelta event) {
        return String.format("%019d/%019d/%s", event.kafkaOffset(), event.version(), event.operationId());
    }

    public void failDeletesAfter(int count) {
        deletesBeforeFailing = count;
    }

    public List<LoggedDelta> all() {
        return List.copyOf(events.values());
    }

    @Override
    public boolean append(LoggedDelta event) {
        return events.putIfAbsent(key(event), event) == null;
    }

    @Override
    public void write(List<LoggedDelta> written) {
        written.forEach(this::append);
    }

    @Override
    public List<LoggedDelta> replay(UUID documentId, long afterOffset, int limit) {
        return events.values().stream()
                .filter(event -> event.documentId().equals(documentId) && event.kafkaOffset() > afterOffset)
                .sorted(Comparator.comparingLong(LoggedDelta::kafkaOffset))
                .limit(limit)
                .toList();
    }

    @Override
    public Set<UUID> documentIds() {
        Set<UUID> ids = new TreeSet<>();
        events.values().forEach(event -> ids.add(event.documentId()));
        return ids;
    }

    @Override
    public void delete(List<LoggedDelta> deleted) {
        for (LoggedDelta event : deleted) {
            if (deletesBeforeFailing-- <= 0) {
                deletesBeforeFailing = Integer.MAX_VALUE;
                throw new IllegalStateException("the node died while removing events");
            }
            events.remove(key(event));
        }
    }
}
