package dev.folio.system;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.event.container.AfterUnDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * An Arquillian extension (on the tests' side; META-INF/services names it): once the Payara Micro
 * adapter has stopped its node, waits for the process to end and closes its output.
 *
 * <p>The adapter (3.1) only signals the process, so the next test class could start while the
 * node still holds its port and its place among the stack's consumers; and it leaves a thread
 * reading the output in a loop that, once the output ends, spins on end-of-file for as long as the
 * JVM lives: a core of the machine lost for the rest of the suite. Reading a closed stream fails,
 * which ends that loop.
 */
public class MicroStopped implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Observer.class);
    }

    /** Observes the adapter's undeployment, which is where it stops Micro. */
    public static class Observer {

        public void awaitExitAndCloseOutput(@Observes AfterUnDeploy event) throws Exception {
            Process micro = microProcess(event.getDeployableContainer());
            if (micro == null) {
                return;
            }
            if (!micro.waitFor(1, TimeUnit.MINUTES)) {
                micro.destroyForcibly().waitFor();
            }
            micro.getInputStream().close();
            // Micro's log ends before its shutdown does: this line tells that it is over.
            System.out.println("MicroStopped: Arquillian's Payara Micro exited with " + micro.exitValue());
        }

        /** The adapter's process field: the adapter offers no other way to it. */
        private static Process microProcess(DeployableContainer<?> container) throws ReflectiveOperationException {
            Field process;
            try {
                process = container.getClass().getDeclaredField("payaraMicroProcess");
            } catch (NoSuchFieldException anotherAdapter) {
                return null;
            }
            process.setAccessible(true);
            return (Process) process.get(container);
        }
    }
}
