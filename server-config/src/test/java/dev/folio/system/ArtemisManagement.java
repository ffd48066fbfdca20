package dev.folio.system;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * Read-only questions to an Artemis broker through its core client and management address (no JMX
 * needed; the local brokers run with security off): whether a queue exists and how, and an
 * address's settings. Nothing is sent to or taken from any queue.
 */
final class ArtemisManagement implements AutoCloseable {

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;

    private ArtemisManagement(ServerLocator locator, ClientSessionFactory factory, ClientSession session) {
        this.locator = locator;
        this.factory = factory;
        this.session = session;
    }

    static ArtemisManagement connect(String url) throws Exception {
        ServerLocator locator = ActiveMQClient.createServerLocator(url);
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session = factory.createSession();
        session.start();
        return new ArtemisManagement(locator, factory, session);
    }

    ClientSession.QueueQuery queue(String name) throws Exception {
        return session.queueQuery(SimpleString.of(name));
    }

    /** The settings that apply to {@code address}, all matches merged, as the broker reports them. */
    JsonObject addressSettings(String address) throws Exception {
        try (ClientRequestor requestor =
                new ClientRequestor(session, ActiveMQDefaultConfiguration.getDefaultManagementAddress())) {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, "getAddressSettingsAsJSON", address);
            ClientMessage reply = requestor.request(request, 10_000);
            if (reply == null || !ManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException("getAddressSettingsAsJSON(" + address + ") failed: "
                        + (reply == null ? "no reply" : ManagementHelper.getResult(reply)));
            }
            return Json.createReader(new StringReader(String.valueOf(ManagementHelper.getResult(reply))))
                    .readObject();
        }
    }

    @Override
    public void close() throws Exception {
        session.close();
        factory.close();
        locator.close();
    }
}
