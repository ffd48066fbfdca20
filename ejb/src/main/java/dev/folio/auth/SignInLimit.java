package dev.folio.auth;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many wrong passwords a user name, and a remote address, may be tried with: {@code
 * failures-per-name} and {@code failures-per-address} within {@code window-seconds}, as token
 * buckets (the full number at once, then one more every window / number). Before, 300 wrong
 * passwords for {@code admin} took half a second (issue 19).
 *
 * <p>Every attempt takes one from both buckets before its password is checked, and a successful one
 * gives them back: so a limited name is refused whether the password is right or not (the answer
 * tells a guesser nothing), and people who type their password right never use any. Nobody is
 * locked out for good: a name is free again one refill after its guesser stops. Each bucket set
 * remembers at most {@code tracked} keys ({@link AttemptBuckets}).
 */
@ApplicationScoped
public class SignInLimit {

    /** Longer names are no user's; they are told apart by this much, so a key stays small. */
    static final int MAX_NAME_KEY = 255;

    @Inject
    @ConfigProperty(name = "folio.auth.sign-in.failures-per-name", defaultValue = "10")
    int failuresPerName;

    @Inject
    @ConfigProperty(name = "folio.auth.sign-in.failures-per-address", defaultValue = "30")
    int failuresPerAddress;

    @Inject
    @ConfigProperty(name = "folio.auth.sign-in.window-seconds", defaultValue = "60")
    int windowSeconds;

    @Inject
    @ConfigProperty(name = "folio.auth.sign-in.tracked", defaultValue = "10000")
    int tracked;

    private AttemptBuckets byName;
    private AttemptBuckets byAddress;

    SignInLimit() {}

    /** A limit with these settings, which the caller starts (tests). */
    SignInLimit(int failuresPerName, int failuresPerAddress, int windowSeconds, int tracked) {
        this.failuresPerName = failuresPerName;
        this.failuresPerAddress = failuresPerAddress;
        this.windowSeconds = windowSeconds;
        this.tracked = tracked;
    }

    @PostConstruct
    void start() {
        start(System::nanoTime);
    }

    void start(LongSupplier nanoClock) {
        if (failuresPerName < 1 || failuresPerAddress < 1 || windowSeconds < 1 || tracked < 1) {
            throw new IllegalArgumentException("folio.auth.sign-in.* are positive");
        }
        Duration window = Duration.ofSeconds(windowSeconds);
        byName = new AttemptBuckets(failuresPerName, window.dividedBy(failuresPerName), tracked, nanoClock);
        byAddress = new AttemptBuckets(failuresPerAddress, window.dividedBy(failuresPerAddress), tracked, nanoClock);
    }

    /**
     * Counts an attempt to sign in as {@code name} from {@code address}, to be given back by {@link
     * #succeeded} if its password is right.
     *
     * @throws SignInLimitedException when the name or the address has no attempt left
     */
    public void attempt(String name, String address) {
        Optional<Duration> nameWait = byName.take(nameKey(name));
        if (nameWait.isPresent()) {
            throw new SignInLimitedException(nameWait.get());
        }
        Optional<Duration> addressWait = byAddress.take(String.valueOf(address));
        if (addressWait.isPresent()) {
            byName.giveBack(nameKey(name));
            throw new SignInLimitedException(addressWait.get());
        }
    }

    /** The attempt {@link #attempt} counted had the right password: it does not count. */
    public void succeeded(String name, String address) {
        byName.giveBack(nameKey(name));
        byAddress.giveBack(String.valueOf(address));
    }

    /** The settings in force, by configuration name (for {@code GET /api/admin/limits}). */
    public Map<String, Number> byName() {
        Map<String, Number> settings = new LinkedHashMap<>();
        settings.put("folio.auth.sign-in.failures-per-name", failuresPerName);
        settings.put("folio.auth.sign-in.failures-per-address", failuresPerAddress);
        settings.put("folio.auth.sign-in.window-seconds", windowSeconds);
        settings.put("folio.auth.sign-in.tracked", tracked);
        return settings;
    }

    /** Names and addresses remembered now, together (tests: bounded whatever is sent). */
    int remembered() {
        return byName.remembered() + byAddress.remembered();
    }

    private static String nameKey(String name) {
        return name.length() > MAX_NAME_KEY ? name.substring(0, MAX_NAME_KEY) : name;
    }
}
