-- Deployments (the desired state of each served endpoint) and the routing revision that the data
-- plane follows.

-- One row: the revision of everything the data plane routes by. Every change that affects routing
-- bumps it in its own transaction; the row lock serialises those transactions, so revisions are
-- committed in order and none is skipped.
CREATE TABLE routing_state (
    id         integer     PRIMARY KEY CHECK (id = 1),
    revision   bigint      NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO routing_state (id, revision, changed_at) VALUES (1, 0, now());

CREATE TABLE deployment (
    name       text        PRIMARY KEY,
    model_id   bigint      NOT NULL REFERENCES model (id),
    spec       jsonb       NOT NULL,
    -- Optimistic-concurrency revision of this deployment, exposed as its ETag.
    revision   bigint      NOT NULL,
    -- Hashing salt of the sticky split, fixed for the deployment's life so users keep their version.
    salt       text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE deployment_history (
    name             text        NOT NULL REFERENCES deployment (name),
    revision         bigint      NOT NULL,
    spec             jsonb       NOT NULL,
    routing_revision bigint      NOT NULL,
    changed_by       text        NOT NULL,
    changed_at       timestamptz NOT NULL,
    PRIMARY KEY (name, revision)
);
