-- Folio's PostgreSQL schema, version 1: the schema.sql that owned it until migrations came (issue 15),
-- unchanged. The application applies it with Flyway at start (dev.folio.persistence.SchemaMigrations);
-- EclipseLink never generates the schema (it would map types differently). Every statement may run
-- on a database that schema.sql made: such a database is baselined at version 0 and gets this one
-- too, which completes one made by an older schema.sql. Never edit a released migration (Flyway
-- checks their checksums): a change is a new file V<n>__what.sql (docs/operations.md).

-- Each document's latest snapshot, exactly as the design gives it. `content` holds the LSEQ
-- snapshot (docs/lseq.md) and the offset of the last log record it covers, `version` the
-- document version it is at.
CREATE TABLE IF NOT EXISTS documents (
    id         UUID PRIMARY KEY,
    title      TEXT,
    author_id  UUID,
    content    JSONB,
    version    BIGINT,
    metadata   JSONB,
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW()
);

-- The recent-deltas table of the single-node server is retired: the log (Kafka, and the DynamoDB
-- event log) now holds every delta after a snapshot. Dropped here so an older database follows.
DROP TABLE IF EXISTS document_deltas;

-- LSEQ site numbers (docs/lseq.md): every editing session that has none gets the next one, so two
-- replicas never share a site, on any node. Site 0 is the server's own replica, which never inserts.
CREATE SEQUENCE IF NOT EXISTS lseq_sites START WITH 1 MAXVALUE 2147483647 NO CYCLE;

-- Who may open a document, and how (issue 6, docs/security.md): one row per person a document is
-- shared with. The creator is its 'owner' (exactly one); 'editor' edits, 'viewer' only reads.
-- user_id is the token's subject: text, since an external issuer's subjects need not be UUIDs.
CREATE TABLE IF NOT EXISTS document_members (
    document_id UUID NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    granted_at  TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (document_id, user_id)
);
CREATE INDEX IF NOT EXISTS document_members_by_user ON document_members (user_id, role);

-- The people the server has seen sign in (and the development issuer's demo users), by subject,
-- with the name to show: sharing picks from them.
CREATE TABLE IF NOT EXISTS known_users (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    seen_at TIMESTAMP NOT NULL DEFAULT NOW()
);

-- The token revocation list, shared by every node: single tokens by their jti (sign-out, a used
-- refresh token), kept until the token would have expired anyway ...
CREATE TABLE IF NOT EXISTS revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);
-- ... and every token of a user issued up to a moment ("sign out everywhere").
CREATE TABLE IF NOT EXISTS user_sign_outs (
    user_id       TEXT PRIMARY KEY,
    signed_out_at TIMESTAMP NOT NULL
);

-- Who each LSEQ site was given to: a client may come back with a site only if it is its user's,
-- so nobody can insert, acknowledge or show presence as another person's replica.
CREATE TABLE IF NOT EXISTS lseq_site_owners (
    site    INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL
);

-- What administrators did (issue 16, docs/operations.md "The audit log"): one row per action that
-- changed something, written with the action (in its transaction where the action has one), never
-- updated. actor_id is the token's subject; target names what was acted on ("document:<id>",
-- "user:<id>", "compaction"); detail is a short human line (a role given, sessions closed).
CREATE TABLE IF NOT EXISTS audit_log (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMP NOT NULL DEFAULT (NOW() AT TIME ZONE 'UTC'),
    actor_id   TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    node       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at DESC, id DESC);
