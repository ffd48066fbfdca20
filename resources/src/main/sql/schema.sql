-- Folio's PostgreSQL schema. The application never generates it (EclipseLink would map types
-- differently); this script owns it and is safe to run again.

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
