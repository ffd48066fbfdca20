package dev.folio.audit;

/** What an administrator may do that the audit log records, by the name the log and the API show. */
public enum AuditAction {
    DOCUMENT_DELETE("document.delete"),
    DOCUMENT_CLOSE_SESSIONS("document.close-sessions"),
    DOCUMENT_RELOAD("document.reload"),
    DOCUMENT_SNAPSHOT("document.snapshot"),
    MEMBER_SET("document.member.set"),
    MEMBER_REMOVE("document.member.remove"),
    USER_SIGN_OUT("user.sign-out"),
    COMPACTION_RUN("compaction.run");

    private final String label;

    AuditAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
