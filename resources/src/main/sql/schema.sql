-- Folio's PostgreSQL schema. The application never generates it (EclipseLink would map types
-- differently); this script owns it and is safe to run again.

-- Each document's latest snapshot, exactly as the design gives it. `content` holds the LSEQ
-- snapshot (docs/lseq.md), `version` the number of the last accepted delta it covers.
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

-- Deltas accepted since the document's snapshot. A delta is written here, in a batch per
-- document, before its client gets the ack; loading a document replays the rows above the
-- snapshot's version, and writing a snapshot deletes the rows it covers. `delta` is the binary
-- delta encoding of docs/lseq.md. `op_id` is the client's operation id, kept so that a client
-- that resends after a restart is acknowledged with the version its delta already has.
CREATE TABLE IF NOT EXISTS document_deltas (
    document_id UUID   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    op_id       TEXT   NOT NULL,
    site        INTEGER NOT NULL,
    delta       BYTEA  NOT NULL,
    accepted_at TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (document_id, version)
);

-- LSEQ site numbers (docs/lseq.md): every editing session that has none gets the next one, so two
-- replicas never share a site, on any node. Site 0 is the server's own replica, which never inserts.
CREATE SEQUENCE IF NOT EXISTS lseq_sites START WITH 1 MAXVALUE 2147483647 NO CYCLE;
