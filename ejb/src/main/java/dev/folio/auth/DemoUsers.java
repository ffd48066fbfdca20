package dev.folio.auth;

import dev.folio.access.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The development issuer's users (docs/security.md): fixed ids, the password is the user name.
 * Only ever signed in when {@code folio.auth.dev-issuer} is on.
 */
public final class DemoUsers {

    public record User(String id, String name, Set<String> groups) {}

    public static final List<User> ALL = List.of(
            new User("00000000-0000-4000-8000-000000000001", "editor", Set.of(Caller.WRITER)),
            new User("00000000-0000-4000-8000-000000000002", "editor2", Set.of(Caller.WRITER)),
            new User("00000000-0000-4000-8000-000000000003", "viewer", Set.of()),
            new User("00000000-0000-4000-8000-000000000004", "admin", Set.of(Caller.WRITER, Caller.ADMIN)));

    private DemoUsers() {}

    /** The user with this name and password; compared in constant time. */
    public static Optional<User> signIn(String name, String password) {
        for (User user : ALL) {
            if (user.name().equals(name)
                    && MessageDigest.isEqual(
                            user.name().getBytes(StandardCharsets.UTF_8),
                            String.valueOf(password).getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(user);
            }
        }
        return Optional.empty();
    }

    public static Optional<User> byId(String id) {
        return ALL.stream().filter(user -> user.id().equals(id)).findFirst();
    }
}
