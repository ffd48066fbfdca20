package dev.folio.document.socket;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

/** Every 10 seconds: this node's presence to the other nodes, and theirs expired if unrefreshed. */
@Singleton
public class PresenceRefresh {

    @Inject
    PresenceRelay relay;

    @Schedule(second = "*/10", minute = "*", hour = "*", persistent = false)
    void refresh() {
        relay.refresh();
    }
}
