-- Rollouts (a canary moved through weight steps by the control plane itself), the decisions
-- taken at each step, the per-minute roll-up of the gateways' outcome counters that SLOs and
-- analysis read beyond the hours Redis keeps, and the lease that makes one replica the leader.

-- One row per named lease. The holder renews it before expires_at; another replica takes it
-- only once it has expired. Times are the database's clock, so replicas' clocks never disagree.
CREATE TABLE leader_lease (
    name       text        PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL,
    -- Bumped each time the lease changes hands: a former leader's late write names an old term.
    term       bigint      NOT NULL
);

CREATE TABLE rollout (
    id                bigserial   PRIMARY KEY,
    deployment        text        NOT NULL REFERENCES deployment (name),
    version           integer     NOT NULL,
    -- The stable version when the rollout began; the one it is judged against.
    stable_version    integer     NOT NULL,
    -- Steps (basis points), step interval and analysis thresholds, as the POST gave them.
    plan              jsonb       NOT NULL,
    state             text        NOT NULL
        CHECK (state IN ('Pending', 'Progressing', 'Paused', 'Promoted', 'RolledBack', 'Aborted')),
    -- Index into the plan's steps of the weight applied now; -1 before the first.
    current_step      integer     NOT NULL,
    step_started_at   timestamptz,
    -- How many times the current step was extended for lack of traffic.
    step_extensions   integer     NOT NULL DEFAULT 0,
    reason            text,
    -- The old stable version is kept warm (as a weightless canary) until then, after promotion.
    keep_warm_until   timestamptz,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    finished_at       timestamptz
);
-- At most one rollout per deployment that has not ended.
CREATE UNIQUE INDEX rollout_one_active_idx ON rollout (deployment)
    WHERE state IN ('Pending', 'Progressing', 'Paused');
CREATE INDEX rollout_deployment_idx ON rollout (deployment, id DESC);

CREATE TABLE rollout_decision (
    rollout_id      bigint      NOT NULL REFERENCES rollout (id),
    seq             integer     NOT NULL,
    step            integer     NOT NULL,
    weight          integer     NOT NULL,
    verdict         text        NOT NULL,
    reason          text        NOT NULL,
    -- The numbers behind the verdict: requests, errors and p99 of each side over the step's
    -- window, and the canary's fastest SLO burn rate. NULL where not measured.
    window_start    timestamptz,
    window_end      timestamptz,
    canary_requests bigint,
    canary_errors   bigint,
    canary_p99_ms   double precision,
    stable_requests bigint,
    stable_errors   bigint,
    stable_p99_ms   double precision,
    burn_rate       double precision,
    decided_by      text        NOT NULL,
    decided_at      timestamptz NOT NULL,
    PRIMARY KEY (rollout_id, seq)
);

-- The gateways' outcome counters for one deployment, version and minute, copied out of Redis
-- (where they live for hours) so SLO windows of weeks can be read. Rewritten whole while the
-- minute is recent, so a late flush from a gateway is not lost.
CREATE TABLE outcome_minute (
    deployment text        NOT NULL,
    version    integer     NOT NULL,
    minute     timestamptz NOT NULL,
    requests   bigint      NOT NULL,
    errors     bigint      NOT NULL,
    timeouts   bigint      NOT NULL,
    -- Requests per latency bucket, as the gateway counts them: {"le_25": 10, ..., "le_inf": 0}.
    latency    jsonb       NOT NULL,
    PRIMARY KEY (deployment, version, minute)
);
CREATE INDEX outcome_minute_minute_idx ON outcome_minute (minute);

-- How far the roll-up has copied: minutes before this are in outcome_minute for good.
CREATE TABLE outcome_rollup_state (
    id           integer     PRIMARY KEY CHECK (id = 1),
    rolled_up_to timestamptz NOT NULL
);
