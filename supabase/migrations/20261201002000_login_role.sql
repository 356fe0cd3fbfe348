-- The role the app logs in as on PostgreSQL, like PostgREST's `authenticator`: NOINHERIT, owns
-- nothing, and may only switch (SET ROLE, per transaction) to `anon`, `authenticated` and
-- `stowage_auth`. After `reset role` it can read nothing, so a query that escapes its transaction's
-- role escapes into an empty room. Created NOLOGIN: an operator gives it LOGIN and a password.
-- Not Supabase's own `authenticator`: that one is also granted `service_role` (bypasses RLS) and
-- `supabase_admin` (a superuser), and its password belongs to Supabase's REST API.
do $$
declare target text;
begin
  begin create role stowage_authenticator nologin noinherit; exception when duplicate_object then null; end;
  -- Where it already existed with INHERIT, it would hold the request roles' rights without switching.
  if (select rolinherit from pg_roles where rolname = 'stowage_authenticator') then
    alter role stowage_authenticator noinherit;
  end if;
  foreach target in array array['anon', 'authenticated', 'stowage_auth'] loop
    if not pg_has_role('stowage_authenticator', target, 'member') then
      execute format('grant %I to stowage_authenticator', target);
    end if;
  end loop;
end
$$;

-- The app checks the schema version through its own connection (when migrations run as the owner
-- through another URL, or are off): it reads Stowage's migration ledger as `stowage_auth`, not as
-- itself. The ledger exists where Stowage's runner applies migrations, not under `supabase db push`.
do $$
begin
  if to_regclass('stowage_meta.applied_migrations') is not null then
    grant usage on schema stowage_meta to stowage_auth;
    grant select on stowage_meta.applied_migrations to stowage_auth;
  end if;
end
$$;
