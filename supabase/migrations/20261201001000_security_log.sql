-- Per-user security log (sign-ins, failed sign-ins, factor and session changes) and the ledger that
-- makes step tokens single use. The audit issue will chain the log; here it is append-only.

create table app.security_events (
  id bigint generated always as identity primary key,
  user_id uuid not null references app.users (id) on delete cascade,
  at timestamptz not null default now(),
  kind text not null check (kind in (
    'signed_in', 'sign_in_failed', 'signed_out', 'session_revoked', 'signed_out_everywhere',
    'refresh_token_reused', 'session_expired', 'reauth_failed', 'password_changed', 'recovered',
    'recovery_key_rotated', 'totp_enabled', 'totp_disabled', 'passkey_added', 'passkey_removed',
    'recent_factors_removed'
  )),
  ip text check (length(ip) <= 64),
  user_agent text check (length(user_agent) <= 512),
  -- Non-secret facts only (a method, a passkey name, counts): never a key, code or token.
  detail jsonb not null default '{}'::jsonb check (octet_length(detail::text) <= 2048)
);
create index security_events_user_idx on app.security_events (user_id, at desc);

-- Step tokens (2FA step, recovery, clean-up) used once: a second use finds its id here. Rows outlive
-- the token's expiry only until the next insert sweeps them.
create table app.used_step_tokens (
  jti text primary key check (length(jti) between 16 and 64),
  expires_at timestamptz not null
);

alter table app.security_events enable row level security;
alter table app.security_events force row level security;
alter table app.used_step_tokens enable row level security;
alter table app.used_step_tokens force row level security;
revoke all on app.security_events, app.used_step_tokens from public, anon, authenticated;

-- Append-only: the auth service adds and reads events; nobody updates or deletes one (the rows go
-- only with the account, by cascade).
grant select, insert on app.security_events to stowage_auth;
create policy "The auth service appends security events" on app.security_events
  for insert to stowage_auth with check (true);
create policy "The auth service reads security events" on app.security_events
  for select to stowage_auth using (true);

grant select, insert, delete on app.used_step_tokens to stowage_auth;
create policy "The auth service records used step tokens" on app.used_step_tokens
  for insert to stowage_auth with check (true);
create policy "The auth service reads used step tokens" on app.used_step_tokens
  for select to stowage_auth using (true);
create policy "The auth service sweeps expired step tokens" on app.used_step_tokens
  for delete to stowage_auth using (expires_at < now());

grant select (id, user_id, at, kind, ip, user_agent, detail) on app.security_events to authenticated;
create policy "Users read their own security events" on app.security_events
  for select to authenticated using (user_id = (select auth.uid()));
