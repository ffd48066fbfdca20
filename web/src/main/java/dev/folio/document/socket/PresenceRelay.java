package dev.folio.document.socket;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Relays presence (who is on a document, and where their caret is) between the sessions of each
 * document on this node, and keeps each session's last presence frame for those that join later.
 * Ephemeral on purpose: nothing here reaches the document manager or the database, and a
 * document's entry goes when its last session does (docs/protocol.md, "presence").
 *
 * <p>Each document's changes run inside {@link ConcurrentHashMap#compute}, so that a session
 * joining and another showing its presence cannot miss each other: the joiner either is among the
 * receivers when the frame goes out, or finds the frame kept. Sending only queues ({@link
 * ClientChannel}), so holding the map's lock meanwhile is short. {@link #enter} runs under the
 * document manager's lock ({@link ClientChannel#joined}); nothing here takes that lock, so the
 * two are always taken in that order.
 */
@ApplicationScoped
public class PresenceRelay {

    private static final Logger LOG = Logger.getLogger(PresenceRelay.class.getName());

    private final ConcurrentHashMap<UUID, Room> rooms = new ConcurrentHashMap<>();

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
            entered.receivers.add(channel);
            return entered;
        });
    }

    /** The session's new presence, already encoded: kept for later joiners, sent to the others. */
    void show(ClientChannel channel, String frame) {
        rooms.compute(channel.documentId, (document, room) -> {
            if (channel.hasEnded()) {
                return room;
            }
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
    }

    /** The session is closed: the others learn it left if it had shown its presence. */
    void leave(ClientChannel channel) {
        rooms.computeIfPresent(channel.documentId, (document, room) -> {
            room.receivers.remove(channel);
            if (room.shown.remove(channel) != null) {
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
    }

    /**
     * One document's sessions: those that receive presence (joined) and the last presence frame of
     * each that has shown one. Only touched inside {@code compute} for its document.
     */
    private static final class Room {
        final Set<ClientChannel> receivers = new LinkedHashSet<>();
        final Map<ClientChannel, String> shown = new LinkedHashMap<>();

        boolean isEmpty() {
            return receivers.isEmpty() && shown.isEmpty();
        }
    }
}
