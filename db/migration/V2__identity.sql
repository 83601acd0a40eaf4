-- Identity and access: API clients with their rate plans, people who use the console, and the
-- keys that sign access tokens. Secrets and passwords are stored only as hashes.

CREATE TABLE api_client (
    client_id                  text             PRIMARY KEY,
    description                text             NOT NULL DEFAULT '',
    tenant                     text             NOT NULL,
    scopes                     jsonb            NOT NULL,
    requests_per_second        double precision NOT NULL CHECK (requests_per_second > 0),
    burst                      integer          NOT NULL CHECK (burst > 0),
    daily_quota                bigint           CHECK (daily_quota > 0),
    secret_hash                text             NOT NULL,
    -- After a rotation the old secret keeps working until this time, so callers can switch over.
    previous_secret_hash       text,
    previous_secret_expires_at timestamptz,
    disabled_at                timestamptz,
    -- Consecutive failed token requests, and until when the client is refused after too many.
    failed_attempts            integer          NOT NULL DEFAULT 0,
    locked_until               timestamptz,
    revision                   bigint           NOT NULL DEFAULT 1,
    created_by                 text             NOT NULL,
    created_at                 timestamptz      NOT NULL,
    updated_at                 timestamptz      NOT NULL
);

CREATE TABLE app_user (
    username      text        PRIMARY KEY,
    password_hash text        NOT NULL,
    scopes        jsonb       NOT NULL,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL
);

-- Token signing keys, shared by every control-plane replica. The JWKS publishes the current and the
-- previous key, so tokens signed just before a rotation still validate.
CREATE TABLE signing_key (
    kid        text        PRIMARY KEY,
    state      text        NOT NULL CHECK (state IN ('CURRENT', 'PREVIOUS', 'RETIRED')),
    jwk        text        NOT NULL,
    created_at timestamptz NOT NULL,
    retired_at timestamptz
);
CREATE UNIQUE INDEX signing_key_one_current_idx ON signing_key (state) WHERE state = 'CURRENT';
CREATE UNIQUE INDEX signing_key_one_previous_idx ON signing_key (state) WHERE state = 'PREVIOUS';

-- An answer that carried a secret is not kept: a retry learns the request was handled, not the secret.
ALTER TABLE idempotency_record ADD COLUMN replayable boolean NOT NULL DEFAULT true;
