-- Training baselines of model versions (input drift): per input feature, the histogram of the
-- training data that inference instances compare what they serve with. Written once, in the
-- version's own transaction, and never changed; a version without one has no row.
CREATE TABLE model_version_baseline (
    model_id bigint  NOT NULL,
    version  integer NOT NULL,
    -- The features resolved to input columns: [{name, input, column, edges, proportions}].
    features jsonb   NOT NULL,
    PRIMARY KEY (model_id, version),
    FOREIGN KEY (model_id, version) REFERENCES model_version (model_id, version)
);
