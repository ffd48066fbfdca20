package dev.folio.messaging;

/**
 * The names of the application's messaging resources. They are defined, on the Artemis resource
 * adapter (artemis.rar), by artemis-resources.war (resources/src/main/artemis-resources), which is
 * deployed after the adapter and before the application: not by annotations here, because Payara
 * refuses an application whose resource definitions name an adapter that is not deployed, and the
 * application still runs without messaging for now. Hence global names; once the adapter is always
 * deployed the definitions can move here as {@code @ConnectionFactoryDefinition} and {@code
 * @JMSDestinationDefinition} under java:app.
 */
public final class MessagingResources {

    /** The deployed adapter's name: its archive's file name without ".rar". */
    public static final String RESOURCE_ADAPTER = "artemis";

    /** Pooled XA connection factory to the broker at FOLIO_ARTEMIS_HOST:FOLIO_ARTEMIS_PORT. */
    public static final String CONNECTION_FACTORY = "java:global/jms/folio";

    /**
     * The same broker through local transactions, for beans whose transaction holds no other
     * resource: a send then commits in one round trip, without XA's start and end (issue 13).
     */
    public static final String LOCAL_CONNECTION_FACTORY = "java:global/jms/folioLocal";

    /** The queue accepted deltas go to, and its address on the broker. */
    public static final String DELTAS = "java:global/jms/deltas";

    public static final String DELTAS_ADDRESS = "folio.deltas";

    /**
     * Where the bridge puts messages it can never forward (no document id, not a log record), with
     * why, for someone to look at; and its address on the broker.
     */
    public static final String DEAD_DELTAS = "java:global/jms/deadDeltas";

    public static final String DEAD_DELTAS_ADDRESS = "folio.deltas.dead";

    /** String property of every delta message: the document's id. */
    public static final String DOCUMENT_ID = "documentId";

    /** Properties the bridge adds to a dead letter: why, and the original message's id. */
    public static final String DEAD_REASON = "deadReason";

    public static final String ORIGINAL_MESSAGE_ID = "originalMessageId";

    /** The topic of presence changes between nodes (non-persistent; never Kafka). */
    public static final String PRESENCE_ADDRESS = "folio.presence";

    /** Message properties of presence changes: the sending node, the session's site, whether it left. */
    public static final String NODE = "node";

    public static final String SITE = "site";

    public static final String LEFT = "left";

    /**
     * On the same topic, an access change ({@code dev.folio.access.AccessChange}): the user whose
     * role on the document in {@link #DOCUMENT_ID} changed. A message with it is no presence change.
     */
    public static final String ACCESS_CHANGED_FOR = "accessChangedFor";

    /** On the same topic: a node command's kind ({@code dev.folio.cluster.NodeCommand}). */
    public static final String NODE_COMMAND = "nodeCommand";

    /**
     * On the same topic, a node's status ({@code dev.folio.cluster.NodeStatus}), in the properties
     * below and {@link #NODE}, {@link #LEFT} (the node is leaving).
     */
    public static final String NODE_STATUS = "nodeStatus";

    public static final String STARTED_AT = "startedAt";
    public static final String SENT_AT = "sentAt";
    public static final String OPEN_DOCUMENTS = "openDocuments";
    public static final String SESSIONS = "sessions";
    public static final String HEAP_USED = "heapUsed";
    public static final String HEAP_MAX = "heapMax";
    public static final String CPU_LOAD = "cpuLoad";
    public static final String FEED_LAG = "feedLag";
    public static final String EVENT_LOG_LAG = "eventLogLag";
    public static final String EVENT_LOG_STOPPED = "eventLogStopped";
    public static final String DOCUMENT_SESSIONS = "documentSessions";

    /**
     * How message-driven beans reach the broker: the adapter connects them itself, not through the
     * connection factory, so they name the broker too; Payara expands {@code ${ENV=...}} in
     * activation properties.
     */
    public static final String BROKER_CONNECTOR =
            "org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory";

    public static final String BROKER_PARAMETERS =
            "host=${ENV=FOLIO_ARTEMIS_HOST:127.0.0.1};port=${ENV=FOLIO_ARTEMIS_PORT:61616}";

    private MessagingResources() {}
}
