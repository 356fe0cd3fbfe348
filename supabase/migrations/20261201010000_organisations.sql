-- Organisations (tenants) and their team chain (crypto/SPEC.md §16), mirrored into app.members for RLS,
-- and the domain-key wraps each member receives (SPEC.md §7.2, §7.4).
--
-- The tenant id is 64 lowercase hex digits (SPEC.md §16.6), stored as `text collate "C"`, never a uuid.
-- Every key and foreign key includes tenant_id (DESIGN.md "Scale-out"); the only foreign key that cannot
-- is members → app.users, a global table (under Citus, a reference table).
--
-- Who writes: nobody directly. `authenticated` gets SELECT only, under policies over app.members. An
-- organisation is created through one narrow SECURITY DEFINER function, private.create_organisation, after
-- the API verified the create link with crypto/verify.ts. The creator is not a member before the
-- organisation exists, so an insert policy for `authenticated` would have to let a non-member insert
-- the first member of a tenant; a function that inserts the organisation first (its primary key refuses a
-- second creator) and only then its owner, the caller with their registered keys, is that rule in one
-- place, and leaves `authenticated` with no write grant on any of these tables.

-- Login-less roles that own the helpers. With FORCE ROW LEVEL SECURITY a helper owned by the tables'
-- owner would see nothing (DESIGN.md "Databases"), so each owner gets exactly what its functions read.
do $$
begin
  begin create role stowage_membership nologin noinherit; exception when duplicate_object then null; end;
  begin create role stowage_org_creator nologin noinherit; exception when duplicate_object then null; end;
  -- A non-superuser migrator (Supabase's `postgres`) must be a member to hand functions to them.
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant stowage_membership, stowage_org_creator to %I', current_user);
  end if;
end
$$;
grant usage on schema app, auth to stowage_membership, stowage_org_creator;

create table app.organisations (
  tenant_id text collate "C" primary key check (tenant_id ~ '^[0-9a-f]{64}$'),
  -- Stored in clear: the server knows whom it serves (DESIGN.md leakage list).
  display_name text not null check (char_length(display_name) between 1 and 100 and display_name !~ '[[:cntrl:]]'),
  created_at timestamptz not null default now()
);

-- The team chain, link by link, exactly as signed (SPEC.md §16.1). link_hash = SPEC.md §16.2.
create table app.chain_links (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$')
    references app.organisations (tenant_id),
  seq bigint not null check (seq between 1 and 4294967295),
  -- SPEC.md §16.3 type code, as parsed by the verifier (for queries such as "the last membership link").
  type smallint not null check (type between 1 and 255),
  link bytea not null check (octet_length(link) between 73 and 1048576),
  link_hash bytea not null check (octet_length(link_hash) = 32),
  stored_at timestamptz not null default now(),
  primary key (tenant_id, seq),
  unique (tenant_id, link_hash)
);

-- The chain's verified state, mirrored for RLS. Member id (SPEC.md §16.1) = the user id as lowercase text.
create table app.members (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$')
    references app.organisations (tenant_id),
  user_id uuid not null references app.users (id),
  -- SPEC.md §16.4: owner 1, viewer 2, distributor 3, three_pl 4, auditor 5.
  role smallint not null check (role between 1 and 5),
  x25519_public bytea not null check (octet_length(x25519_public) = 32),
  ed25519_public bytea not null check (octet_length(ed25519_public) = 32),
  -- The seq of the link that made this member what they are now (ChainMember.since).
  since_seq bigint not null check (since_seq between 1 and 4294967295),
  added_at timestamptz not null default now(),
  primary key (tenant_id, user_id),
  foreign key (tenant_id, since_seq) references app.chain_links (tenant_id, seq)
);
-- private.my_tenants() looks memberships up by user.
create index members_user_idx on app.members (user_id, tenant_id);

-- A domain key of one epoch wrapped to one member (SPEC.md §7.2), with the granter's signed statement
-- (§7.4). The commitment is not copied here: a reader takes it from the chain it verified.
create table app.domain_key_wraps (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$'),
  domain text collate "C" not null check (domain in ('catalog', 'sourcing', 'logistics')),
  epoch bigint not null check (epoch between 1 and 4294967295),
  user_id uuid not null,
  wrap bytea not null check (octet_length(wrap) = 97),
  statement bytea not null check (octet_length(statement) between 73 and 2048),
  created_at timestamptz not null default now(),
  primary key (tenant_id, domain, epoch, user_id),
  foreign key (tenant_id, user_id) references app.members (tenant_id, user_id)
);
create index domain_key_wraps_member_idx on app.domain_key_wraps (tenant_id, user_id);

-- ---- membership helpers (SECURITY DEFINER, search_path = '', owned by stowage_membership) -------------

-- The caller's tenants, for policies in the measured form `tenant_id = any(array(select private.my_tenants()))`.
create function private.my_tenants() returns setof text
  language sql stable security definer set search_path = ''
  as $$ select m.tenant_id from app.members m where m.user_id = (select auth.uid()) $$;

-- The caller's role in one tenant (SPEC.md §16.4 code), null when not a member.
create function private.my_role(tenant text) returns smallint
  language sql stable security definer set search_path = ''
  as $$ select m.role from app.members m where m.tenant_id = tenant and m.user_id = (select auth.uid()) $$;

-- "tenant/domain" for every domain the caller's role decrypts in each of their tenants (SPEC.md §4.4,
-- DESIGN.md "Who may read and write what"): owner, viewer all three; distributor catalog; three_pl
-- catalog and logistics; auditor none.
create function private.my_key_scopes() returns setof text
  language sql stable security definer set search_path = ''
  as $$
    select m.tenant_id || '/' || d.domain
      from app.members m
      join (values (1::smallint, 'catalog'), (1, 'sourcing'), (1, 'logistics'),
                   (2, 'catalog'), (2, 'sourcing'), (2, 'logistics'),
                   (3, 'catalog'),
                   (4, 'catalog'), (4, 'logistics')) as d (role, domain) on d.role = m.role
     where m.user_id = (select auth.uid())
  $$;

grant select on app.members to stowage_membership;
-- Superusers may hand functions to any role; others need CREATE on the schema for the moment it takes.
grant create on schema private to stowage_membership, stowage_org_creator;
alter function private.my_tenants() owner to stowage_membership;
alter function private.my_role(text) owner to stowage_membership;
alter function private.my_key_scopes() owner to stowage_membership;
revoke all on function private.my_tenants(), private.my_role(text), private.my_key_scopes() from public;
grant execute on function private.my_tenants(), private.my_role(text), private.my_key_scopes() to authenticated;

-- ---- creating an organisation ---------------------------------------------------------------------------

-- Called by the API, as `authenticated`, after it verified the link (crypto/verify.ts verifyChain from seq 1),
-- derived the tenant id and checked the three epoch-1 wrap statements. What the database itself makes
-- sure of: the organisation did not exist (its primary key; a concurrent creator waits and then finds
-- it), the only member is the caller, as owner, with the public keys their account registered, and the
-- wraps are theirs, epoch 1. Returns 'created', or 'exists' when the tenant id was taken, in which case it
-- wrote nothing (the API then compares the stored link, under RLS, to answer a retry).
create function private.create_organisation(
  p_tenant_id text, p_display_name text, p_link bytea, p_link_hash bytea,
  p_x25519_public bytea, p_ed25519_public bytea,
  p_catalog_wrap bytea, p_catalog_statement bytea,
  p_sourcing_wrap bytea, p_sourcing_statement bytea,
  p_logistics_wrap bytea, p_logistics_statement bytea
) returns text
  language plpgsql volatile security definer set search_path = ''
  as $$
declare
  me uuid := (select auth.uid());
  inserted integer;
begin
  if me is null then
    raise exception 'no user' using errcode = '42501';
  end if;
  if not exists (
    select from app.users u
     where u.id = me and u.x25519_public = p_x25519_public and u.ed25519_public = p_ed25519_public
  ) then
    raise exception 'the creator''s keys are not the caller''s registered keys' using errcode = '42501';
  end if;
  insert into app.organisations (tenant_id, display_name) values (p_tenant_id, p_display_name)
    on conflict do nothing;
  get diagnostics inserted = row_count;
  if inserted = 0 then
    return 'exists';
  end if;
  insert into app.chain_links (tenant_id, seq, type, link, link_hash) values (p_tenant_id, 1, 1, p_link, p_link_hash);
  insert into app.members (tenant_id, user_id, role, x25519_public, ed25519_public, since_seq)
    values (p_tenant_id, me, 1, p_x25519_public, p_ed25519_public, 1);
  insert into app.domain_key_wraps (tenant_id, domain, epoch, user_id, wrap, statement) values
    (p_tenant_id, 'catalog', 1, me, p_catalog_wrap, p_catalog_statement),
    (p_tenant_id, 'sourcing', 1, me, p_sourcing_wrap, p_sourcing_statement),
    (p_tenant_id, 'logistics', 1, me, p_logistics_wrap, p_logistics_statement);
  return 'created';
end
$$;

grant select (id, x25519_public, ed25519_public) on app.users to stowage_org_creator;
grant insert on app.organisations, app.chain_links, app.members, app.domain_key_wraps to stowage_org_creator;
alter function private.create_organisation(text, text, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea)
  owner to stowage_org_creator;
revoke all on function private.create_organisation(text, text, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea)
  from public;
grant execute on function private.create_organisation(text, text, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea, bytea)
  to authenticated;
revoke create on schema private from stowage_membership, stowage_org_creator;

-- ---- row-level security ---------------------------------------------------------------------------------

alter table app.organisations enable row level security;
alter table app.organisations force row level security;
alter table app.chain_links enable row level security;
alter table app.chain_links force row level security;
alter table app.members enable row level security;
alter table app.members force row level security;
alter table app.domain_key_wraps enable row level security;
alter table app.domain_key_wraps force row level security;
revoke all on app.organisations, app.chain_links, app.members, app.domain_key_wraps
  from public, anon, authenticated, stowage_auth;

grant select on app.organisations, app.chain_links, app.members, app.domain_key_wraps to authenticated;

create policy "Members read their organisations" on app.organisations
  for select to authenticated using (tenant_id = any (array(select private.my_tenants())));
create policy "Members read their organisation's chain" on app.chain_links
  for select to authenticated using (tenant_id = any (array(select private.my_tenants())));
create policy "Members read their organisation's members" on app.members
  for select to authenticated using (tenant_id = any (array(select private.my_tenants())));
create policy "Members read their own wraps of the domains their role decrypts" on app.domain_key_wraps
  for select to authenticated using (
    tenant_id = any (array(select private.my_tenants()))
    and user_id = (select auth.uid())
    and (tenant_id || '/' || domain) = any (array(select private.my_key_scopes()))
  );

create policy "The membership helpers read memberships" on app.members
  for select to stowage_membership using (true);

create policy "The organisation creator reads the caller's public keys" on app.users
  for select to stowage_org_creator using (id = (select auth.uid()));
create policy "The organisation creator adds a new organisation" on app.organisations
  for insert to stowage_org_creator with check (true);
create policy "The organisation creator adds the create link" on app.chain_links
  for insert to stowage_org_creator with check (seq = 1 and type = 1);
create policy "The organisation creator adds the caller as its owner" on app.members
  for insert to stowage_org_creator with check (user_id = (select auth.uid()) and role = 1 and since_seq = 1);
create policy "The organisation creator adds the caller's epoch-1 wraps" on app.domain_key_wraps
  for insert to stowage_org_creator with check (user_id = (select auth.uid()) and epoch = 1);

-- No UPDATE or DELETE policy on these tables yet: the chain is append-only, and members and wraps change
-- only through later link types (teams issue), each through its own narrow function.
