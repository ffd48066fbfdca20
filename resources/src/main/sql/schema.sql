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
