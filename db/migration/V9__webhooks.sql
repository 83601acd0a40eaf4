-- Webhook deliveries not yet made: written in the transaction of the change they announce, so an
-- acknowledged change is never left unannounced by a crash, and deleted once the receiver
-- answered 2xx (or after the last attempt). Delivery is at least once: receivers deduplicate by
-- the delivery id.
CREATE TABLE webhook_delivery (
    id              bigserial   PRIMARY KEY,
    webhook         text        NOT NULL,
    event           text        NOT NULL,
    payload         jsonb       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL
);
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at);
