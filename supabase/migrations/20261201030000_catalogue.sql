-- The sealed catalogue (issue 11 "Records in this issue"): products (catalog domain), suppliers and product
-- sources (sourcing domain), stock movements (plaintext), and the signed write statements every row points
-- at (crypto/SPEC.md §17, DESIGN.md "Signed writes").
--
-- Each domain's envelopes live in their own table, so RLS can deny a role a whole domain: a role reads a
-- table only if it decrypts the table's domain (DESIGN.md "Who may read and write what"), or is the auditor,
-- who decrypts nothing but reads ciphertext and statements to check them. Stock movements are plaintext;
-- they are gated as `logistics` (owner, viewer, three_pl; auditor), so a distributor sees no stock levels.
-- Statements (app.writes) hold hashes only; every member reads them, since every reader checks its rows.
--
-- Who writes: the API, as `authenticated` in the request's transaction, after it verified the request's
-- statement with crypto/verify.ts (signature by the author's key on the verified chain, leaves recomputed
-- from the submitted columns, citation of the current head, the author's counter, version compare-and-swap).
-- The policies restate the write rights the database can check (SPEC.md §17.7): only an owner of the tenant
-- inserts or updates. (three_pl's right to write stock movements comes with locations, operations issue.)
-- Unlike organisations there is no bootstrapping problem (the writer is already a member), so plain
-- insert/update policies suffice and no SECURITY DEFINER writer is needed. Nothing is deleted: archiving
-- is a signed flag, and signed `delete` statements (tombstones) come with their first use.
--
-- Every key and foreign key includes tenant_id (DESIGN.md "Scale-out").

-- ---- helpers (SECURITY DEFINER, search_path = '', owned by stowage_membership) --------------------------

-- "tenant/domain" for every domain whose rows the caller's role may receive: the domains it decrypts
-- (as private.my_key_scopes()), and for the auditor (5) all three, as ciphertext.
grant create on schema private to stowage_membership;
create function private.my_read_scopes() returns setof text
  language sql stable security definer set search_path = ''
  as $$
    select m.tenant_id || '/' || d.domain
      from app.members m
      join (values (1::smallint, 'catalog'), (1, 'sourcing'), (1, 'logistics'),
                   (2, 'catalog'), (2, 'sourcing'), (2, 'logistics'),
                   (3, 'catalog'),
                   (4, 'catalog'), (4, 'logistics'),
                   (5, 'catalog'), (5, 'sourcing'), (5, 'logistics')) as d (role, domain) on d.role = m.role
     where m.user_id = (select auth.uid())
  $$;

-- The tenants in which the caller is an owner (SPEC.md §16.4 code 1): the writers of every table (§17.7).
create function private.my_owned_tenants() returns setof text
  language sql stable security definer set search_path = ''
  as $$ select m.tenant_id from app.members m where m.user_id = (select auth.uid()) and m.role = 1 $$;

alter function private.my_read_scopes() owner to stowage_membership;
alter function private.my_owned_tenants() owner to stowage_membership;
revoke all on function private.my_read_scopes(), private.my_owned_tenants() from public;
grant execute on function private.my_read_scopes(), private.my_owned_tenants() to authenticated;
revoke create on schema private from stowage_membership;

-- ---- tables ----------------------------------------------------------------------------------------------

-- One signed write statement (SPEC.md §17.3) per request, with its sorted leaf list (§17.2, 32 bytes each,
-- concatenated). The other columns are copies of what the verified statement says, for lookups.
create table app.writes (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$')
    references app.organisations (tenant_id),
  hash bytea not null check (octet_length(hash) = 32),           -- SPEC.md §17.4 statementHash
  statement bytea not null check (octet_length(statement) between 73 and 2048),
  leaves bytea not null check (octet_length(leaves) between 32 and 33554432 and octet_length(leaves) % 32 = 0),
  -- Member id = user id. No foreign key to app.members: a removed member's statements stay (teams issue).
  author_id uuid not null,
  counter bigint not null check (counter between 1 and 9007199254740991),
  prev_hash bytea check (octet_length(prev_hash) = 32),
  kind smallint not null check (kind between 1 and 3),           -- 1 write, 2 reencrypt, 3 delete
  cited_seq bigint not null check (cited_seq between 1 and 4294967295),
  cited_hash bytea not null check (octet_length(cited_hash) = 32),
  created_at timestamptz not null default now(),
  primary key (tenant_id, hash),
  unique (tenant_id, author_id, counter),
  check ((counter = 1) = (prev_hash is null)),
  foreign key (tenant_id, cited_seq) references app.chain_links (tenant_id, seq)
);

-- A product; its catalog envelope seals name, SKU, ASIN, FNSKU, barcode, selling price, notes and the extra
-- imported columns (SPEC.md §6). sku_index/asin_index: SPEC.md §10 blind indexes (16 bytes) under the key of
-- `epoch`. SKU is unique per tenant and epoch (§10.3: an index is only comparable within its epoch; during a
-- rotation the browser checks the other epoch too, DESIGN.md "Removal rotates"), archived rows included, so
-- a restore never collides. ASIN is indexed, not unique (one ASIN under several SKUs).
-- version/prev_leaf/leaf: SPEC.md §17.1 (compare-and-swap on version; prev_leaf null exactly at version 1).
create table app.products (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$'),
  id uuid not null,
  version bigint not null check (version between 1 and 4294967295),
  prev_leaf bytea check (octet_length(prev_leaf) = 32),
  leaf bytea not null check (octet_length(leaf) = 32),
  catalog bytea not null check (octet_length(catalog) between 40 and 65536),
  sku_index bytea not null check (octet_length(sku_index) = 16),
  asin_index bytea check (octet_length(asin_index) = 16),
  epoch bigint not null check (epoch between 1 and 4294967295),
  reorder_point bigint check (reorder_point between 0 and 2147483647),
  archived boolean not null default false,
  write_hash bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  constraint products_sku_unique unique (tenant_id, epoch, sku_index),
  check ((version = 1) = (prev_leaf is null)),
  foreign key (tenant_id, write_hash) references app.writes (tenant_id, hash)
);
create index products_asin_idx on app.products (tenant_id, asin_index) where asin_index is not null;
create index products_write_idx on app.products (tenant_id, write_hash);

-- A supplier; its sourcing envelope seals name, contact, email, phone, address, country, payment terms,
-- lead time and notes.
create table app.suppliers (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$'),
  id uuid not null,
  version bigint not null check (version between 1 and 4294967295),
  prev_leaf bytea check (octet_length(prev_leaf) = 32),
  leaf bytea not null check (octet_length(leaf) = 32),
  sourcing bytea not null check (octet_length(sourcing) between 40 and 65536),
  epoch bigint not null check (epoch between 1 and 4294967295),
  archived boolean not null default false,
  write_hash bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((version = 1) = (prev_leaf is null)),
  foreign key (tenant_id, write_hash) references app.writes (tenant_id, hash)
);
create index suppliers_write_idx on app.suppliers (tenant_id, write_hash);

-- A product × supplier; its sourcing envelope seals supplier SKU, unit cost (integer minor units), currency
-- (ISO 4217) and minimum order quantity. The link itself is plaintext (documented leakage).
create table app.product_sources (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$'),
  id uuid not null,
  product_id uuid not null,
  supplier_id uuid not null,
  version bigint not null check (version between 1 and 4294967295),
  prev_leaf bytea check (octet_length(prev_leaf) = 32),
  leaf bytea not null check (octet_length(leaf) = 32),
  sourcing bytea not null check (octet_length(sourcing) between 40 and 65536),
  epoch bigint not null check (epoch between 1 and 4294967295),
  archived boolean not null default false,
  write_hash bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((version = 1) = (prev_leaf is null)),
  foreign key (tenant_id, product_id) references app.products (tenant_id, id),
  foreign key (tenant_id, supplier_id) references app.suppliers (tenant_id, id),
  foreign key (tenant_id, write_hash) references app.writes (tenant_id, hash)
);
create index product_sources_product_idx on app.product_sources (tenant_id, product_id);
create index product_sources_supplier_idx on app.product_sources (tenant_id, supplier_id);
create index product_sources_write_idx on app.product_sources (tenant_id, write_hash);

-- A stock movement: plaintext product, delta, reason and time (documented leakage). Quantity on hand is the
-- sum of a product's movements; a count writes the difference. Movements are never edited (version 1 in
-- its leaf, no previous leaf); a correction is another movement. occurred_at is signed as integer
-- microseconds since the Unix epoch (SPEC.md §17.1: the table's choice).
create table app.stock_movements (
  tenant_id text collate "C" not null check (tenant_id ~ '^[0-9a-f]{64}$'),
  id uuid not null,
  product_id uuid not null,
  delta bigint not null check (delta between -2147483648 and 2147483647),
  reason text collate "C" not null check (reason in ('count', 'import', 'adjustment')),
  occurred_at timestamptz not null check (occurred_at between '2000-01-01 00:00:00+00' and '2200-01-01 00:00:00+00'),
  leaf bytea not null check (octet_length(leaf) = 32),
  write_hash bytea not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, product_id) references app.products (tenant_id, id),
  foreign key (tenant_id, write_hash) references app.writes (tenant_id, hash)
);
create index stock_movements_product_idx on app.stock_movements (tenant_id, product_id);
create index stock_movements_write_idx on app.stock_movements (tenant_id, write_hash);

-- ---- row-level security ---------------------------------------------------------------------------------

alter table app.writes enable row level security;
alter table app.writes force row level security;
alter table app.products enable row level security;
alter table app.products force row level security;
alter table app.suppliers enable row level security;
alter table app.suppliers force row level security;
alter table app.product_sources enable row level security;
alter table app.product_sources force row level security;
alter table app.stock_movements enable row level security;
alter table app.stock_movements force row level security;
revoke all on app.writes, app.products, app.suppliers, app.product_sources, app.stock_movements
  from public, anon, authenticated, stowage_auth;

grant select, insert on app.writes to authenticated;
grant select, insert, update on app.products, app.suppliers, app.product_sources to authenticated;
-- Movements are immutable (a correction is another movement): no update grant.
grant select, insert on app.stock_movements to authenticated;

create policy "Members read their organisation's write statements" on app.writes
  for select to authenticated using (tenant_id = any (array(select private.my_tenants())));
create policy "Owners add write statements as themselves" on app.writes
  for insert to authenticated with check (
    tenant_id = any (array(select private.my_owned_tenants())) and author_id = (select auth.uid())
  );

create policy "Members whose role reads the catalog read products" on app.products
  for select to authenticated using (
    tenant_id = any (array(select private.my_tenants()))
    and (tenant_id || '/catalog') = any (array(select private.my_read_scopes()))
  );
create policy "Owners add products" on app.products
  for insert to authenticated with check (tenant_id = any (array(select private.my_owned_tenants())));
create policy "Owners update products" on app.products
  for update to authenticated
  using (tenant_id = any (array(select private.my_owned_tenants())))
  with check (tenant_id = any (array(select private.my_owned_tenants())));

create policy "Members whose role reads sourcing read suppliers" on app.suppliers
  for select to authenticated using (
    tenant_id = any (array(select private.my_tenants()))
    and (tenant_id || '/sourcing') = any (array(select private.my_read_scopes()))
  );
create policy "Owners add suppliers" on app.suppliers
  for insert to authenticated with check (tenant_id = any (array(select private.my_owned_tenants())));
create policy "Owners update suppliers" on app.suppliers
  for update to authenticated
  using (tenant_id = any (array(select private.my_owned_tenants())))
  with check (tenant_id = any (array(select private.my_owned_tenants())));

create policy "Members whose role reads sourcing read product sources" on app.product_sources
  for select to authenticated using (
    tenant_id = any (array(select private.my_tenants()))
    and (tenant_id || '/sourcing') = any (array(select private.my_read_scopes()))
  );
create policy "Owners add product sources" on app.product_sources
  for insert to authenticated with check (tenant_id = any (array(select private.my_owned_tenants())));
create policy "Owners update product sources" on app.product_sources
  for update to authenticated
  using (tenant_id = any (array(select private.my_owned_tenants())))
  with check (tenant_id = any (array(select private.my_owned_tenants())));

create policy "Members whose role reads logistics read stock movements" on app.stock_movements
  for select to authenticated using (
    tenant_id = any (array(select private.my_tenants()))
    and (tenant_id || '/logistics') = any (array(select private.my_read_scopes()))
  );
create policy "Owners add stock movements" on app.stock_movements
  for insert to authenticated with check (tenant_id = any (array(select private.my_owned_tenants())));
