package dev.folio.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The Payara Micro node that Arquillian starts for {@link InContainerIT}, prepared on the test's
 * side: the suite's stack up (started here if no test has yet), the environment of the stack's
 * nodes under a name of its own, the Artemis resource adapter and its resources deployed before the
 * application as on every node, and Folio's built WAR with the test classes added. The rest of the
 * command line (port, JVM options, boot commands) is in src/test/resources/arquillian.xml.
 *
 * <p>The adapter deploys the one archive it is given: the adapter and the resources come in
 * through the post-boot commands, which Micro runs after it boots and before it deploys archives.
 */
final class ArquillianNode {

    /** Its FOLIO_NODE_NAME: unique among the nodes on the stack's services. */
    static final String NAME = "it-arquillian";

    private ArquillianNode() {}

    /** Folio's WAR with {@code testClasses}; Micro started after this call inherits its environment. */
    static WebArchive folio(Class<?>... testClasses) throws Exception {
        FolioStack stack = FolioStack.shared();
        writePostBootCommands(stack);
        Map<String, String> environment = stack.nodeEnvironment(NAME);
        // As MicroNode does for the suite's nodes (micro-pre-boot.asadmin reads it).
        environment.put("FOLIO_BIND_ADDRESS", "127.0.0.1");
        InheritedEnvironment.add(environment);
        return ShrinkWrap.create(ZipImporter.class, "folio.war")
                .importFrom(SuitePaths.war().toFile())
                .as(WebArchive.class)
                .addClasses(testClasses);
    }

    /**
     * micro-post-boot.asadmin (as bin/folio-local and MicroNode run it), then the adapter and its
     * resources, at the path arquillian.xml names.
     */
    private static void writePostBootCommands(FolioStack stack) throws IOException {
        Path commands = SuitePaths.work().resolve("arquillian/micro-post-boot.asadmin");
        Files.createDirectories(commands.getParent());
        List<String> lines = new java.util.ArrayList<>(
                Files.readAllLines(stack.repo.resolve("server-config/stack/micro-post-boot.asadmin")));
        lines.add("deploy --name artemis " + SuitePaths.artemisRar());
        lines.add("deploy --name artemis-resources --contextroot /artemis-resources " + SuitePaths.artemisResources());
        Files.write(commands, lines);
    }
}
