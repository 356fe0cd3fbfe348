-- Idempotent batches (issue 12): an import sends each batch as one signed write statement with an
-- Idempotency-Key header. A batch whose response was lost may come back re-sealed and re-signed (another tab,
-- a reloaded page that lost the prepared body): new nonces, a new statement, the same rows. The key, and a
-- digest of which rows at which versions the request writes, are stored with the statement, in the same
-- transaction as its rows; a request that brings a stored key back gets the stored statement's answer when
-- its digest matches (nothing is written twice) and is refused when it does not (the key names another batch).
--
-- The key is the client's random choice (16–64 base64url characters, no content: DESIGN.md leakage list);
-- it is unique per author within a tenant, so no other member's key can collide with or probe it.

alter table app.writes
  add column idempotency_key text collate "C" check (idempotency_key ~ '^[A-Za-z0-9_-]{16,64}$'),
  add column request_digest bytea check (octet_length(request_digest) = 32),
  add constraint writes_idempotency_pair check ((idempotency_key is null) = (request_digest is null));

create unique index writes_idempotency_key on app.writes (tenant_id, author_id, idempotency_key)
  where idempotency_key is not null;
