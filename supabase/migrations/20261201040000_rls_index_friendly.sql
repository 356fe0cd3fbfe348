-- The catalogue's read policies in DESIGN.md's measured index-friendly form, one helper call per query
-- (BENCHMARKS.md "## RLS"). Who sees which rows is unchanged; only how the database finds them.
--
-- Before, each select policy was `tenant_id = any (array(select private.my_tenants())) and (tenant_id ||
-- '/<domain>') = any (array(select private.my_read_scopes()))`: two SECURITY DEFINER SQL helpers per query
-- (neither can be inlined, so each re-plans its body on every call), and a clause on an expression of
-- tenant_id whose selectivity the planner multiplies with the query's own `tenant_id = $1`, as if unrelated.
-- The read-scope clause alone already implies membership (my_read_scopes() yields only the caller's own
-- tenants, and a 64-hex-digit tenant id has no '/'), so one helper that returns the tenants themselves
-- gives the same rows in the plain `tenant_id = any (array(select …))` form, an index condition on every
-- tenant-keyed index.

-- ---- helpers (SECURITY DEFINER, search_path = '', owned by stowage_membership) --------------------------

grant create on schema private to stowage_membership;

-- The caller's tenants in which their role may receive `domain`'s rows: exactly the tenants for which
-- private.my_read_scopes() (dropped below) yielded 'tenant/domain', from the same role → domain table
-- (owner, viewer and auditor all three, the auditor as ciphertext; distributor catalog; three_pl catalog and
-- logistics). An unknown or null domain yields nothing. plpgsql, not sql: plpgsql keeps its query's plan for the connection (the
-- app's pool keeps its connections), where a non-inlinable SQL function plans its body on every call
-- (measured: BENCHMARKS.md "## RLS").
create function private.my_tenants_reading(domain text) returns setof text
  language plpgsql stable security definer set search_path = ''
  as $$
begin
  return query
    select m.tenant_id
      from app.members m
      join (values (1::smallint, 'catalog'), (1, 'sourcing'), (1, 'logistics'),
                   (2, 'catalog'), (2, 'sourcing'), (2, 'logistics'),
                   (3, 'catalog'),
                   (4, 'catalog'), (4, 'logistics'),
                   (5, 'catalog'), (5, 'sourcing'), (5, 'logistics')) as d (role, domain) on d.role = m.role
     where m.user_id = (select auth.uid()) and d.domain = my_tenants_reading.domain;
end
$$;

-- The helpers of the other single-clause policies (app.writes' reads, every owner insert and update, the
-- organisation tables), restated in plpgsql for the same reason: the same queries, so the same rows.
-- CREATE OR REPLACE keeps each one's owner (stowage_membership) and grants.
create or replace function private.my_tenants() returns setof text
  language plpgsql stable security definer set search_path = ''
  as $$
begin
  return query select m.tenant_id from app.members m where m.user_id = (select auth.uid());
end
$$;

create or replace function private.my_owned_tenants() returns setof text
  language plpgsql stable security definer set search_path = ''
  as $$
begin
  return query select m.tenant_id from app.members m where m.user_id = (select auth.uid()) and m.role = 1;
end
$$;

alter function private.my_tenants_reading(text) owner to stowage_membership;
revoke all on function private.my_tenants_reading(text) from public;
grant execute on function private.my_tenants_reading(text) to authenticated;
revoke create on schema private from stowage_membership;

-- ---- policies (names unchanged: the policy matrix and the names-as-sentences depend on them) -----------

alter policy "Members whose role reads the catalog read products" on app.products
  using (tenant_id = any (array(select private.my_tenants_reading('catalog'))));
alter policy "Members whose role reads sourcing read suppliers" on app.suppliers
  using (tenant_id = any (array(select private.my_tenants_reading('sourcing'))));
alter policy "Members whose role reads sourcing read product sources" on app.product_sources
  using (tenant_id = any (array(select private.my_tenants_reading('sourcing'))));
alter policy "Members whose role reads logistics read stock movements" on app.stock_movements
  using (tenant_id = any (array(select private.my_tenants_reading('logistics'))));

-- Nothing else calls my_read_scopes() (no policy, migration or server code), and a helper left behind is
-- one more SECURITY DEFINER entry point to keep right. my_key_scopes() stays: domain_key_wraps' policy uses it.
drop function private.my_read_scopes();
