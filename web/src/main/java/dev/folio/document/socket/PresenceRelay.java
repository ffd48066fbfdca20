package dev.folio.document.socket;

import dev.folio.presence.PresenceBroadcast;
import dev.folio.presence.PresenceChange;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Relays presence (who is on a document, and where their caret is) between the sessions of each
 * document, and keeps each session's last presence frame for those that join later. Sessions on
 * other nodes count too: changes here are broadcast ({@link PresenceBroadcast}), theirs arrive as
 * {@link PresenceChange} events and are kept, per document with sessions here, until they leave or
 * go unrefreshed for {@link #REMOTE_EXPIRY_NANOS} (their node died). Every node repeats its
 * sessions' presence every few seconds ({@link #refresh}).
 * Ephemeral on purpose: nothing here reaches the document manager or the database, and a
 * document's entry goes when its last session does (docs/protocol.md, "presence").
 *
 * <p>Each document's changes run inside {@link ConcurrentHashMap#compute}, so that a session
 * joining and another showing its presence cannot miss each other: the joiner either is among the
 * receivers when the frame goes out, or finds the frame kept. Sending only queues ({@link
 * ClientChannel}), so holding the map's lock meanwhile is short. {@link #enter} runs under the
 * document manager's lock ({@link ClientChannel#joined}); nothing here takes that lock, so the
 * two are always taken in that order.
 *
 * <p>A session's presence goes to the other nodes at most once per {@link #PUBLISH_DELAY_MILLIS},
 * the latest only: a caret dragged across the text sends tens of frames a second, and each publish
 * is a message to every node. Before, each one was published at once, on the session's thread, and
 * one session could keep its node publishing as fast as it could (issue 19). The others on this
 * node still get every frame at once.
 */
@ApplicationScoped
public class PresenceRelay {

    private static final Logger LOG = Logger.getLogger(PresenceRelay.class.getName());

    /** A remote session's presence is dropped this long after its last refresh (three refreshes). */
    static final long REMOTE_EXPIRY_NANOS = 30_000_000_000L;

    /** How long a session's new presence waits for the next before going to the other nodes. */
    static final long PUBLISH_DELAY_MILLIS = 50;

    private final ConcurrentHashMap<UUID, Room> rooms = new ConcurrentHashMap<>();

    /** Each session's latest presence not yet published to the other nodes. */
    private final ConcurrentHashMap<ClientChannel, PresenceChange> unpublished = new ConcurrentHashMap<>();

    @Inject
    PresenceBroadcast broadcast;

    @Resource
    ManagedThreadFactory threads;

    /** One thread: what a session publishes goes out in the order it happened, its leaving last. */
    ScheduledExecutorService publisher;

    @PostConstruct
    void start() {
        publisher = Executors.newSingleThreadScheduledExecutor(threads);
    }

    /**
     * Made with the application, in the web module: made later, on first use, it could be inside a
     * call to the document manager or the presence listener, whose naming environment (in the EAR,
     * the EJB module's) does not hold this bean's resources, and the injection fails.
     */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // Observing is enough: the container makes the bean to deliver the event.
    }

    @PreDestroy
    void stop() {
        publisher.shutdownNow();
    }

    /**
     * The session has its {@code joined} frame queued: it gets every other session's presence now,
     * after that frame, and every change from now on.
     */
    void enter(ClientChannel channel) {
        rooms.compute(channel.documentId, (document, room) -> {
            if (channel.hasEnded()) {
                return room; // closed while the join was under way: it would never leave
            }
            Room entered = room == null ? new Room() : room;
            entered.shown.forEach((other, frame) -> {
                if (other != channel) {
                    channel.send(frame);
                }
            });
            entered.remote.values().forEach(remote -> channel.send(remote.frame));
            entered.receivers.add(channel);
            return entered;
        });
    }

    /** The session's new presence, already encoded: kept for later joiners, sent to the others. */
    void show(ClientChannel channel, String frame) {
        boolean[] shown = {false};
        rooms.compute(channel.documentId, (document, room) -> {
            if (channel.hasEnded()) {
                return room;
            }
            shown[0] = true;
            Room shownIn = room == null ? new Room() : room;
            if (shownIn.shown.put(channel, frame) == null) {
                LOG.fine(() -> "document " + document + ": site " + channel.site() + " shows its presence to "
                        + shownIn.receivers.size() + " sessions");
            }
            for (ClientChannel receiver : shownIn.receivers) {
                if (receiver != channel) {
                    receiver.send(frame);
                }
            }
            return shownIn;
        });
        if (!shown[0]) {
            return;
        }
        PresenceChange change = new PresenceChange(channel.documentId, broadcast.node(), channel.site(), frame);
        if (unpublished.put(channel, change) == null) {
            publishLater(() -> publish(unpublished.remove(channel)), PUBLISH_DELAY_MILLIS);
        }
    }

    /** The session is closed: the others learn it left if it had shown its presence. */
    void leave(ClientChannel channel) {
        boolean[] hadShown = {false};
        rooms.computeIfPresent(channel.documentId, (document, room) -> {
            room.receivers.remove(channel);
            if (room.shown.remove(channel) != null) {
                hadShown[0] = true;
                String left = Frames.presenceLeft(channel.site());
                room.receivers.forEach(receiver -> receiver.send(left));
                LOG.fine(() -> "document " + document + ": site " + channel.site() + " left; told "
                        + room.receivers.size() + " sessions");
            }
            if (room.isEmpty()) {
                LOG.fine(() -> "document " + document + ": no session left, presence dropped");
                return null;
            }
            return room;
        });
        unpublished.remove(channel);
        if (hadShown[0]) {
            PresenceChange left = new PresenceChange(channel.documentId, broadcast.node(), channel.site(), null);
            publishLater(() -> publish(left), 0);
        }
    }

    private void publishLater(Runnable publishing, long delayMillis) {
        try {
            publisher.schedule(publishing, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.fine("presence not published: the node is stopping");
        }
    }

    private void publish(PresenceChange change) {
        if (change == null) {
            return; // the session left meanwhile
        }
        try {
            broadcast.publish(change);
        } catch (RuntimeException e) {
            // Presence is ephemeral and repeated every 10 s (refresh): the broker being away is
            // reported by the edits, which cannot wait.
            LOG.log(Level.FINE, "document " + change.documentId() + ": presence not published", e);
        }
    }

    /** Another node's session showed its presence or left: passed on to this node's sessions. */
    void remote(@Observes PresenceChange change) {
        rooms.computeIfPresent(change.documentId(), (document, room) -> {
            if (change.left()) {
                if (room.remote.remove(change.site()) != null) {
                    String left = Frames.presenceLeft(change.site());
                    room.receivers.forEach(receiver -> receiver.send(left));
                }
            } else {
                Remote before = room.remote.put(change.site(), new Remote(change.frame(), System.nanoTime()));
                if (before == null || !before.frame.equals(change.frame())) {
                    room.receivers.forEach(receiver -> receiver.send(change.frame()));
                }
            }
            return room;
        });
    }

    /**
     * Repeats this node's presence to the other nodes, so that a node that opens a document later
     * learns it, and drops other nodes' sessions that went unrefreshed (their node is gone).
     */
    void refresh() {
        long now = System.nanoTime();
        List<PresenceChange> mine = new ArrayList<>();
        for (UUID document : rooms.keySet()) {
            rooms.computeIfPresent(document, (id, room) -> {
                room.shown.forEach(
                        (channel, frame) -> mine.add(new PresenceChange(id, broadcast.node(), channel.site(), frame)));
                for (var remote = room.remote.entrySet().iterator(); remote.hasNext(); ) {
                    var entry = remote.next();
                    if (now - entry.getValue().refreshedNanos > REMOTE_EXPIRY_NANOS) {
                        remote.remove();
                        String left = Frames.presenceLeft(entry.getKey());
                        room.receivers.forEach(receiver -> receiver.send(left));
                    }
                }
                return room.isEmpty() ? null : room;
            });
        }
        mine.forEach(broadcast::publish);
    }

    /**
     * One document's sessions: those that receive presence (joined) and the last presence frame of
     * each that has shown one. Only touched inside {@code compute} for its document.
     */
    private static final class Room {
        final Set<ClientChannel> receivers = new LinkedHashSet<>();
        final Map<ClientChannel, String> shown = new LinkedHashMap<>();
        final Map<Integer, Remote> remote = new HashMap<>();

        /** Other nodes' presence is kept only while this node has sessions on the document. */
        boolean isEmpty() {
            return receivers.isEmpty() && shown.isEmpty();
        }
    }

    /** Another node's session's last presence frame, and when it was last refreshed. */
    private record Remote(String frame, long refreshedNanos) {}
}
