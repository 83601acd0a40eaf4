-- Model registry: models, immutable numbered versions, their content-addressed artifacts,
-- feature views, the audit log and idempotency records for retried POSTs.

CREATE TABLE model (
    id            bigserial PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    description   text        NOT NULL DEFAULT '',
    owner         text,
    tags          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    archived_at   timestamptz,
    -- Versions are numbered by bumping this counter under the model's row lock, so concurrent
    -- uploads serialise on it and a rolled-back upload leaves no gap.
    last_version  integer     NOT NULL DEFAULT 0,
    -- Optimistic-concurrency revision, exposed as the ETag.
    revision      bigint      NOT NULL DEFAULT 1,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX model_tags_idx ON model USING gin (tags jsonb_path_ops);

CREATE TABLE artifact (
    digest      char(64)    PRIMARY KEY,
    size_bytes  bigint      NOT NULL,
    chunk_count integer     NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Artifacts are stored in fixed-size chunks so that neither upload nor download ever holds
-- a whole model in memory.
CREATE TABLE artifact_chunk (
    digest char(64) NOT NULL REFERENCES artifact (digest) ON DELETE CASCADE,
    seq    integer  NOT NULL,
    data   bytea    NOT NULL,
    PRIMARY KEY (digest, seq)
);

CREATE TABLE feature_view (
    name            text        NOT NULL,
    version         integer     NOT NULL CHECK (version > 0),
    description     text        NOT NULL DEFAULT '',
    entity_keys     jsonb       NOT NULL,
    features        jsonb       NOT NULL,
    max_age_seconds bigint      NOT NULL CHECK (max_age_seconds > 0),
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE model_version (
    model_id             bigint      NOT NULL REFERENCES model (id),
    version              integer     NOT NULL CHECK (version > 0),
    label                text,
    description          text        NOT NULL DEFAULT '',
    labels               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    training_metrics     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    artifact_digest      char(64)    NOT NULL REFERENCES artifact (digest),
    signature            jsonb       NOT NULL,
    feature_binding      jsonb,
    feature_view_name    text,
    feature_view_version integer,
    archived_at          timestamptz,
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL,
    PRIMARY KEY (model_id, version),
    CONSTRAINT model_version_label_unique UNIQUE (model_id, label),
    FOREIGN KEY (feature_view_name, feature_view_version) REFERENCES feature_view (name, version)
);
CREATE INDEX model_version_artifact_idx ON model_version (artifact_digest);

CREATE TABLE audit_event (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    target_type text        NOT NULL,
    target      text        NOT NULL,
    before      jsonb,
    after       jsonb,
    request_id  text
);
CREATE INDEX audit_event_target_idx ON audit_event (target_type, target, id);
CREATE INDEX audit_event_actor_idx ON audit_event (actor, id);
CREATE INDEX audit_event_action_idx ON audit_event (action, id);

-- The answer to a POST that carried an Idempotency-Key, written in the same transaction as the
-- POST's effect: a retry either finds it and gets the same answer, or finds nothing because
-- the effect never committed.
CREATE TABLE idempotency_record (
    scope           text        NOT NULL,
    idempotency_key text        NOT NULL,
    method          text        NOT NULL,
    path            text        NOT NULL,
    request_hash    char(64)    NOT NULL,
    status          integer     NOT NULL,
    headers         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    body            bytea       NOT NULL DEFAULT ''::bytea,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_record_created_idx ON idempotency_record (created_at);
