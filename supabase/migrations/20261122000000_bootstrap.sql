-- Bootstrap: what a Supabase project already has, created only where it is missing, so the same
-- migrations run on PGlite, on a plain PostgreSQL 15+ and on Supabase.

-- Supabase's API roles. None can log in; the API connects as its own user and `set local role`s
-- into `anon` or `authenticated` for each request. `service_role` bypasses RLS and is never used
-- on the request path.
-- Roles are cluster-wide: another database on the same server may create them concurrently, hence
-- the duplicate_object handlers.
do $$
begin
  begin create role anon nologin noinherit; exception when duplicate_object then null; end;
  begin create role authenticated nologin noinherit; exception when duplicate_object then null; end;
  begin create role service_role nologin noinherit bypassrls; exception when duplicate_object then null; end;
  -- A non-superuser connection (as on Supabase) needs membership to switch into the request roles.
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant anon, authenticated to %I', current_user);
  end if;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- auth.uid() / auth.jwt() as Supabase defines them: read the per-transaction claims.
-- `nullif(…, '')`: after any SET LOCAL the unset setting reads as '' rather than NULL.
do $$
begin
  if to_regprocedure('auth.jwt()') is null then
    create function auth.jwt() returns jsonb
      language sql stable
      as $fn$
        select coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')
        )::jsonb
      $fn$;
  end if;
  if to_regprocedure('auth.uid()') is null then
    create function auth.uid() returns uuid
      language sql stable
      as $fn$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $fn$;
  end if;
  if to_regprocedure('auth.role()') is null then
    create function auth.role() returns text
      language sql stable
      as $fn$
        select coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
        )::text
      $fn$;
  end if;
end
$$;

-- Stowage's tables live in `app`, which Supabase's auto-generated REST API does not expose.
create schema if not exists app;
revoke all on schema app from public;
grant usage on schema app to anon, authenticated, service_role;
-- New tables start with no grants; each migration grants exactly what a role needs.
alter default privileges in schema app revoke all on tables from public, anon, authenticated;
alter default privileges in schema app revoke all on functions from public;

-- Helpers that policies call (SECURITY DEFINER, search_path = '') live in a schema no API exposes.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to anon, authenticated;
