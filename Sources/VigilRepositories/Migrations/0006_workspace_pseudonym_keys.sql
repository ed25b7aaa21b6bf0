-- Each workspace's own secret for pseudonymising personal data in metric tags
-- (HMAC-SHA256 tokens like [EMAIL:3f9a1c2b7d4e]). 32 bytes from PostgreSQL's cryptographic
-- random source (gen_random_uuid), hashed; existing workspaces get theirs now. Never shown
-- by the API; a data-subject request recomputes tokens with it.
SET LOCAL ROLE vigil_owner;

ALTER TABLE workspaces
    ADD COLUMN pseudonym_key bytea NOT NULL
        DEFAULT sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8'));
