// Whether the request connection logs in as a role that sees nothing on its own (PostgREST's
// `authenticator` pattern). Statements that escape the transaction's role (`reset role`) run as this
// role, so it must own nothing, hold no rights, and reach no role that bypasses RLS.
import type { Driver } from './types';

type RoleFacts = {
	superuser: boolean;
	bypassrls: boolean;
	inherit: boolean;
	createrole: boolean;
	createdb: boolean;
	owns: number;
	grants: number;
	members_of: number;
	risky: string[];
};

// `pg_shdepend` records, cluster-wide, each object a role owns ('o') and each ACL naming it ('a');
// the bootstrap superuser has no entries, but is caught as a superuser.
const FACTS = `
	with me as (select * from pg_roles where rolname = session_user)
	select me.rolsuper as superuser, me.rolbypassrls as bypassrls, me.rolinherit as inherit,
	       me.rolcreaterole as createrole, me.rolcreatedb as createdb,
	       (select count(*) from pg_shdepend d
	         where d.refclassid = 'pg_authid'::regclass and d.refobjid = me.oid and d.deptype = 'o')::int as owns,
	       (select count(*) from pg_shdepend d
	         where d.refclassid = 'pg_authid'::regclass and d.refobjid = me.oid and d.deptype = 'a'
	           -- CONNECT on a database is what a login role is for.
	           and d.classid <> 'pg_database'::regclass)::int as grants,
	       (select count(*) from pg_auth_members m where m.member = me.oid)::int as members_of,
	       array(select t.rolname::text from pg_roles t
	              where t.oid <> me.oid and pg_has_role(me.oid, t.oid, 'member')
	                and (t.rolsuper or t.rolbypassrls or t.rolcreaterole or exists (
	                  select from pg_shdepend d
	                   where d.refclassid = 'pg_authid'::regclass and d.refobjid = t.oid and d.deptype = 'o'))
	              order by 1) as risky
	from me`;

/** What lets this connection's login role see past RLS; empty when it is contained. PGlite: []. */
export async function loginRoleFindings(driver: Driver): Promise<string[]> {
	// PGlite has one user, a superuser, and no network: nothing to separate.
	if (driver.kind === 'pglite') return [];
	const [facts] = await driver.transaction((tx) => tx.query<RoleFacts>(FACTS));
	if (!facts) return ['its role is not in pg_roles'];
	const findings: string[] = [];
	if (facts.superuser) findings.push('is a superuser');
	if (facts.bypassrls) findings.push('bypasses row-level security');
	if (facts.createrole) findings.push('may create roles');
	if (facts.createdb) findings.push('may create databases');
	if (facts.inherit && facts.members_of > 0)
		findings.push('inherits the rights of the roles it may switch to');
	if (facts.owns > 0) findings.push(`owns ${facts.owns} object(s)`);
	if (facts.grants > 0) findings.push(`holds ${facts.grants} grant(s) of its own`);
	if (facts.risky.length > 0) findings.push(`may switch to ${facts.risky.join(', ')}`);
	return findings;
}
