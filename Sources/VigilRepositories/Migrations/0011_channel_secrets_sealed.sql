-- Channel secrets are sealed at rest (AES-256-GCM under VIGIL_SECRETS_KEY; see
-- VigilCore/Secrets): `secrets` keeps its shape, name -> value, but each value becomes a
-- `v1:<key id>:<base64>` envelope bound to its workspace, channel and name.
--
-- SQL has no key, so existing rows cannot be sealed here: they stay legacy plaintext (false)
-- until their next write or `vigil secrets reseal`. Every write from this version on stores
-- envelopes and sets the flag, so a value is never guessed to be one or the other from its
-- text. The default stays false: a row written by an older binary during a rolling upgrade is
-- plaintext and says so. Grants and the forced row-level security of 0007 are unchanged.
SET LOCAL ROLE vigil_owner;

ALTER TABLE notification_channels ADD COLUMN secrets_sealed boolean NOT NULL DEFAULT false;
