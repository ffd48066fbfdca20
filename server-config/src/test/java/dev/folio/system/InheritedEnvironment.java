package dev.folio.system;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Environment variables put into this JVM's own environment for a while, so that a process started
 * meanwhile inherits them; as a JUnit extension, they go again after the test class.
 *
 * <p>For {@link InContainerIT}: the Arquillian Payara Micro adapter starts Micro with this JVM's
 * environment and takes no variables of its own, while Folio reads its database and broker from
 * environment variables only (Payara's {@code ${ENV=...}} in the data source and the messaging
 * definitions). Java has no setenv: this writes into the map behind {@link System#getenv()}, which
 * {@link ProcessBuilder#environment()} copies, and so needs {@code --add-opens
 * java.base/java.util=ALL-UNNAMED} (Failsafe's argLine in server-config/pom.xml).
 */
final class InheritedEnvironment implements AfterAllCallback {

    /** Each variable set, with its value before (empty: it had none). */
    private static final Map<String, Optional<String>> replaced = new HashMap<>();

    /** Sets {@code variables} in this JVM's environment until {@link #restore}. */
    static synchronized void add(Map<String, String> variables) {
        Map<String, String> environment = writable();
        variables.forEach((name, value) -> {
            replaced.putIfAbsent(name, Optional.ofNullable(environment.get(name)));
            environment.put(name, value);
        });
    }

    /** Puts back what {@link #add} replaced. */
    static synchronized void restore() {
        if (replaced.isEmpty()) {
            return;
        }
        Map<String, String> environment = writable();
        replaced.forEach((name, before) -> {
            if (before.isPresent()) {
                environment.put(name, before.get());
            } else {
                environment.remove(name);
            }
        });
        replaced.clear();
    }

    /** Runs outside the server and inside it alike: inside, nothing was added. */
    @Override
    public void afterAll(ExtensionContext context) {
        restore();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> writable() {
        Map<String, String> view = System.getenv();
        try {
            // System.getenv() is Collections.unmodifiableMap over the map ProcessBuilder copies.
            Field wrapped = view.getClass().getDeclaredField("m");
            wrapped.setAccessible(true);
            return (Map<String, String>) wrapped.get(view);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot change this JVM's environment (is java.base/java.util opened to the tests?)", e);
        }
    }
}
