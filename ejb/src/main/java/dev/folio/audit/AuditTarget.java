package dev.folio.audit;

/**
 * How an audit entry names what was acted on. Not static methods of {@link AuditLog}: Payara warns
 * at every deployment of an EJB whose local interface has them.
 */
public final class AuditTarget {

    private AuditTarget() {}

    public static String document(Object id) {
        return "document:" + id;
    }

    public static String user(String id) {
        return "user:" + id;
    }
}
