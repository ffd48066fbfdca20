package dev.folio.messaging;

/**
 * Kafka refused a record for good (too large for the topic, for instance): sending it again would
 * fail the same way. Checked, so that it passes from the forwarder to the bridge as it is, without
 * rolling back the bridge's transaction: the bridge dead-letters the message instead.
 */
public class RefusedRecordException extends Exception {

    public RefusedRecordException(Throwable cause) {
        super("Kafka refused the record: " + cause, cause);
    }
}
