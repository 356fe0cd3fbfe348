-- Under `supabase db push`, Stowage's own ledger does not exist: the CLI records what it applied in
-- supabase_migrations.schema_migrations (created before it runs any file). The app, started with
-- STOWAGE_MIGRATE=off, checks that ledger instead, reading it as `stowage_auth` as it reads its own.
do $$
begin
  if to_regclass('supabase_migrations.schema_migrations') is not null then
    grant usage on schema supabase_migrations to stowage_auth;
    grant select on supabase_migrations.schema_migrations to stowage_auth;
  end if;
end
$$;
