package dev.folio.tools;

import java.lang.reflect.Field;
import java.util.Arrays;

/**
 * Starts DynamoDB Local listening on one address only. DynamoDB Local has no host option and
 * listens on every interface, with no authentication, while its tables hold every document's
 * edits (issue 19): this starts the same server, made by DynamoDB Local's own command-line code,
 * with its Jetty connector bound to the given address before it opens.
 *
 * <p>Reflection rather than a compile-time dependency, so that this file runs as a single-file
 * program on DynamoDB Local's class path, like the stack's other tools.
 *
 * <pre>java -cp 'DynamoDBLocal/*' DynamoDbLocalServer.java 127.0.0.1 -port 8000 -dbPath data -sharedDb</pre>
 */
public final class DynamoDbLocalServer {

    private DynamoDbLocalServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DynamoDbLocalServer <address> [DynamoDB Local options]");
            System.exit(2);
        }
        String address = args[0];
        Object server = Class.forName("com.amazonaws.services.dynamodbv2.local.main.ServerRunner")
                .getMethod("createServerFromCommandLineArgs", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        Field jettyField = server.getClass().getDeclaredField("server");
        jettyField.setAccessible(true);
        Object jetty = jettyField.get(server);
        Object[] connectors =
                (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local made no connector to bind");
        }
        for (Object connector : connectors) {
            connector.getClass().getMethod("setHost", String.class).invoke(connector, address);
        }
        server.getClass().getMethod("start").invoke(server);
        System.err.println("DynamoDB Local listens on " + address + " only");
    }
}
