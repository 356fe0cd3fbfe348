-- The user's chain checkpoints (crypto/SPEC.md §18): one blob per user, signed and sealed in the browser
-- to the user's own keys, so a new device starts from the highest `(seq, head hash)` any of the user's
-- devices verified. The server stores it and cannot read it; the browser refuses a blob it did not seal.
-- Owner-only, like the account tables: a user reads and writes their own row and nobody else's.

create table app.chain_checkpoints (
  user_id uuid primary key references app.users (id) on delete cascade,
  -- 0x01 ‖ crypto_box_seal(message ‖ signature): at least the version, the sealed box's 48 bytes, the
  -- message header and the signature; at most what the API accepts (routes/checkpoints.ts).
  blob bytea not null check (octet_length(blob) between 122 and 262144),
  updated_at timestamptz not null default now()
);

alter table app.chain_checkpoints enable row level security;
alter table app.chain_checkpoints force row level security;
revoke all on app.chain_checkpoints from public, anon, authenticated;
grant select, insert, update, delete on app.chain_checkpoints to authenticated;

create policy "Users read their own checkpoints" on app.chain_checkpoints
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Users store their own checkpoints" on app.chain_checkpoints
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "Users replace their own checkpoints" on app.chain_checkpoints
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "Users delete their own checkpoints" on app.chain_checkpoints
  for delete to authenticated using (user_id = (select auth.uid()));
