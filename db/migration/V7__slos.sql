-- Service level objectives of deployments: one row per deployment that has any, holding the whole
-- list as the API takes it, so a PUT replaces it at once. They change no routing, so no routing
-- revision is bumped; the Prometheus rules the control plane writes from them are read fresh.
CREATE TABLE slo (
    deployment text        PRIMARY KEY REFERENCES deployment (name),
    -- The objectives as a JSON array of {name, sli, objective, window, thresholdMs, maxAgeSeconds}.
    objectives jsonb       NOT NULL CHECK (jsonb_typeof(objectives) = 'array'),
    -- Optimistic-concurrency revision of this deployment's SLOs, exposed as their ETag.
    revision   bigint      NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Every state a deployment's SLOs had, appended to and never changed.
CREATE TABLE slo_history (
    deployment text        NOT NULL REFERENCES slo (deployment),
    revision   bigint      NOT NULL,
    objectives jsonb       NOT NULL,
    changed_by text        NOT NULL,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (deployment, revision)
);
