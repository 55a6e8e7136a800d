-- Content-addressed results of LLM analyses. The key is a SHA-256 of the blob id, the file's
-- extension, the analyzer and its version, the model alias and task class, the prompt version, the
-- path's instructions and the operator's namespace (dev.drep.core.llm.CacheKeys); the value is the
-- model's findings and the changed lines they were produced for (JSON text, read back with Jackson).
CREATE TABLE analysis_cache (
    cache_key  varchar(64) PRIMARY KEY,
    result     text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX analysis_cache_created_at ON analysis_cache (created_at);
