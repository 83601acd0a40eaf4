-- What the inference service does when an entity's row is missing from the online store, or
-- older than the view's max age: refuse the request, fill the features' declared defaults, or
-- (for stale rows only) serve the old values and say so. Views made before this keep the
-- behaviour they had: missing rows refused, stale rows served.
ALTER TABLE feature_view
    ADD COLUMN on_missing text NOT NULL DEFAULT 'reject'
        CHECK (on_missing IN ('reject', 'defaults')),
    ADD COLUMN on_stale text NOT NULL DEFAULT 'serve-stale'
        CHECK (on_stale IN ('reject', 'defaults', 'serve-stale'));
