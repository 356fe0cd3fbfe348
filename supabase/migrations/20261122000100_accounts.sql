-- Accounts: users, sessions (refresh-token families), TOTP backup codes, passkeys, WebAuthn challenges.
-- The server stores only what a zero-knowledge login needs: an Argon2id hash of a key derived from the
-- password (never the password), KDF parameters, public keys and key bundles sealed in the browser.

-- The auth service's own role, like Supabase's supabase_auth_admin: it manages account tables through
-- policies of its own and has no grant on any tenant data table.
do $$
begin
  begin create role stowage_auth nologin noinherit; exception when duplicate_object then null; end;
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant stowage_auth to %I', current_user);
  end if;
end
$$;
grant usage on schema app to stowage_auth;

create table app.users (
  id uuid primary key,
  -- Normalised by the API (trimmed, lower-cased); unique.
  email text not null unique check (email = lower(btrim(email)) and length(email) between 3 and 254),
  kdf_salt bytea not null check (octet_length(kdf_salt) = 16),
  kdf_ops integer not null check (kdf_ops >= 2),
  kdf_mem bigint not null check (kdf_mem >= 19 * 1024 * 1024),
  -- Argon2id PHC string of the client's auth key (crypto/SPEC.md, key hierarchy).
  auth_hash text not null,
  x25519_public bytea not null check (octet_length(x25519_public) = 32),
  ed25519_public bytea not null check (octet_length(ed25519_public) = 32),
  -- The identity key bundle, sealed in the browser under the master key / the recovery key.
  master_bundle bytea not null,
  recovery_bundle bytea not null,
  recovery_auth_hash text not null,
  -- TOTP secret encrypted with the server key; pending until the first code confirms it.
  totp_secret bytea,
  totp_pending_secret bytea,
  totp_enabled_at timestamptz,
  -- RFC 6238 step of the last accepted code: a code is accepted at most once.
  totp_last_step bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table app.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  ip text,
  user_agent text check (length(user_agent) <= 512),
  -- How the session was established: 'password', 'password+totp', 'passkey', 'recovery'.
  method text not null,
  revoked_at timestamptz,
  revoked_reason text
);
create index sessions_user_idx on app.sessions (user_id) where revoked_at is null;

-- Refresh tokens: stored as SHA-256, rotated on each use. Presenting a used one revokes the session
-- (the token family), since only a thief or a replay can hold a token that was already rotated.
create table app.refresh_tokens (
  token_hash bytea primary key check (octet_length(token_hash) = 32),
  session_id uuid not null references app.sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  used_at timestamptz
);
create index refresh_tokens_session_idx on app.refresh_tokens (session_id);

create table app.totp_backup_codes (
  user_id uuid not null references app.users (id) on delete cascade,
  code_hash bytea not null check (octet_length(code_hash) = 32),
  used_at timestamptz,
  primary key (user_id, code_hash)
);

create table app.passkeys (
  -- WebAuthn credential id, base64url.
  id text primary key,
  user_id uuid not null references app.users (id) on delete cascade,
  name text not null check (length(name) between 1 and 64),
  public_key bytea not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  device_type text not null,
  backed_up boolean not null,
  -- The identity bundle sealed in the browser under a key derived from the passkey's PRF output;
  -- null when the authenticator has no PRF (it then signs in, and the password unlocks).
  prf_bundle bytea,
  prf boolean generated always as (prf_bundle is not null) stored,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index passkeys_user_idx on app.passkeys (user_id);

create table app.webauthn_challenges (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references app.users (id) on delete cascade,
  purpose text not null check (purpose in ('register', 'authenticate')),
  challenge text not null,
  expires_at timestamptz not null
);

-- Row-level security: enabled and forced on every table, default grants revoked, then exactly what
-- each role needs.
do $$
declare t text;
begin
  foreach t in array array['users', 'sessions', 'refresh_tokens', 'totp_backup_codes', 'passkeys', 'webauthn_challenges']
  loop
    execute format('alter table app.%I enable row level security', t);
    execute format('alter table app.%I force row level security', t);
    execute format('revoke all on app.%I from public, anon, authenticated', t);
    execute format('grant select, insert, update, delete on app.%I to stowage_auth', t);
    execute format('create policy "The auth service manages %s" on app.%I for all to stowage_auth using (true) with check (true)', t, t);
  end loop;
end
$$;

-- Signed-in people read their own account, sessions and passkeys (columns without secrets only).
grant select (id, email, created_at, totp_enabled_at) on app.users to authenticated;
create policy "Users read their own account" on app.users for select to authenticated
  using (id = (select auth.uid()));

grant select (id, user_id, created_at, last_used_at, ip, user_agent, method, revoked_at) on app.sessions to authenticated;
create policy "Users read their own sessions" on app.sessions for select to authenticated
  using (user_id = (select auth.uid()));

grant select (id, user_id, name, device_type, backed_up, prf, created_at, last_used_at) on app.passkeys to authenticated;
create policy "Users read their own passkeys" on app.passkeys for select to authenticated
  using (user_id = (select auth.uid()));
