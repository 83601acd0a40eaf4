-- Failed token requests and console sign-ins, counted per principal (a client id or a username,
-- whether it exists or not) and source address. A lockout holds only that pair: an attacker at one
-- address cannot lock the real client or user out at another, and an unknown client id is counted
-- and locked exactly like a known one, so lockouts do not tell which ids exist. Rows whose last
-- failure is old and whose lock has ended are purged.
CREATE TABLE sign_in_failure (
    kind            text        NOT NULL CHECK (kind IN ('client', 'user')),
    principal       text        NOT NULL,
    source_address  text        NOT NULL,
    failed_attempts integer     NOT NULL,
    locked_until    timestamptz,
    last_failure_at timestamptz NOT NULL,
    PRIMARY KEY (kind, principal, source_address)
);
CREATE INDEX sign_in_failure_last_failure_idx ON sign_in_failure (last_failure_at);
