-- Token signing keys are encrypted at rest. The private JWK is stored as AES-256-GCM ciphertext
-- (a 12-byte nonce, then the ciphertext with its tag), under a key-encryption key (KEK) that lives
-- in the control plane's configuration, never in the database; kek_id names that KEK (a prefix of
-- its SHA-256) so a rotated KEK can be told apart. The jwk column keeps only the public key.
-- Rows written before this migration still hold the whole JWK in plain text, with both new columns
-- NULL: the control plane encrypts them at its next start.
ALTER TABLE signing_key
    ADD COLUMN private_jwk bytea,
    ADD COLUMN kek_id      text,
    ADD CONSTRAINT signing_key_encrypted_with_kek CHECK ((private_jwk IS NULL) = (kek_id IS NULL));
