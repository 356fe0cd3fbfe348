// Organisations (tenants) on a signed team chain (crypto/SPEC.md §16): create one from a `create` link the
// browser signed, list the caller's, read a chain for the browser to verify, and the caller's key wraps.
// The server checks every link with crypto/verify.ts (the browsers' own verifier) before it stores it.
// A tenant the caller is not a member of answers 404, exactly like one that does not exist.
import { createRoute, z } from '@hono/zod-openapi';
import {
	isCryptoError,
	ready,
	ROLES,
	verifyChain,
	verifyWrapStatement,
	type Role,
	type VerifiedChainState
} from '$crypto/verify';
import {
	chainLinks,
	createOrganisation,
	ownMembership,
	ownWraps,
	listOwnOrganisations,
	type Membership
} from '../../db/organisations';
import { keyMaterial } from '../../db/users';
import { clientOf } from '../client-info';
import { authenticate } from '../middleware/authenticate';
import type { ApiDeps } from '../env';
import { ApiError } from '../problem';
import { jsonBody, problems } from '../openapi';
import { createRouter } from '../router';
import { b64, Bytes, TenantId } from '../schemas';

const DOMAINS = ['catalog', 'sourcing', 'logistics'] as const;
type Domain = (typeof DOMAINS)[number];

const ROLE_NAMES = Object.fromEntries(Object.entries(ROLES).map(([name, code]) => [code, name])) as Record<
	number,
	Role
>;
const roleName = (code: number): Role => {
	const name = ROLE_NAMES[code];
	if (!name) throw new Error(`unknown role code ${code}`);
	return name;
};

/** Links per page of GET …/chain. */
const CHAIN_PAGE = 256;

const DisplayName = z
	.string()
	.trim()
	.min(1)
	.max(100)
	// eslint-disable-next-line no-control-regex
	.regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'must not contain control characters')
	.openapi({ example: 'Acme Trading' });

const Wrap = z.strictObject({
	domain: z.enum(DOMAINS),
	epoch: z.literal(1),
	/** SPEC.md §7.2: version byte + sealed box, 97 bytes. */
	wrap: Bytes(97),
	/** SPEC.md §7.4, signed by the creator. */
	statement: Bytes(73, 1024)
});

const CreateBody = z
	.strictObject({
		displayName: DisplayName,
		/** SPEC.md §16.1 create link: 559 + 2 × member id length bytes (at most 128-byte ids). */
		link: Bytes(73, 1024),
		wraps: z
			.array(Wrap)
			.length(3)
			.refine((ws) => new Set(ws.map((w) => w.domain)).size === 3, 'must hold one wrap per domain')
	})
	.openapi('CreateOrganisation');

const Head = z.object({ seq: z.number().int(), hash: z.string() });

const Organisation = z
	.object({
		tenantId: z.string(),
		displayName: z.string(),
		role: z.enum(Object.keys(ROLES) as [Role, ...Role[]]),
		createdAt: z.string()
	})
	.openapi('Organisation');

const Created = Organisation.extend({ createLink: Head }).openapi('OrganisationCreated');

const create = createRoute({
	method: 'post',
	path: '/orgs',
	tags: ['Organisations'],
	summary: 'Create an organisation from a signed create link (idempotent for the same link)',
	security: [{ bearer: [] }],
	request: { body: jsonBody(CreateBody) },
	responses: {
		201: { description: 'Created', content: { 'application/json': { schema: Created } } },
		200: {
			description: 'Already created by this same link (a retry)',
			content: { 'application/json': { schema: Created } }
		},
		...problems(400, 401, 403, 409)
	}
});

const list = createRoute({
	method: 'get',
	path: '/orgs',
	tags: ['Organisations'],
	summary: "The caller's organisations",
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: 'Organisations',
			content: { 'application/json': { schema: z.object({ organisations: z.array(Organisation) }) } }
		},
		...problems(401)
	}
});

const TenantParams = z.object({ tenantId: TenantId });

const chain = createRoute({
	method: 'get',
	path: '/orgs/{tenantId}/chain',
	tags: ['Organisations'],
	summary: 'Team chain links after a seq, for the browser to verify',
	security: [{ bearer: [] }],
	request: {
		params: TenantParams,
		query: z.object({
			after: z
				.string()
				.regex(/^\d{1,10}$/, 'must be a seq')
				.transform(Number)
				.refine((n) => n <= 0xffffffff, 'must be a seq')
				.optional()
				.openapi({ type: 'string', pattern: '^\\d{1,10}$', example: '0' })
		})
	},
	responses: {
		200: {
			description: `Links in seq order, at most ${CHAIN_PAGE}; \`more\` when there are further links`,
			content: {
				'application/json': {
					schema: z
						.object({
							tenantId: z.string(),
							links: z.array(z.object({ seq: z.number().int(), link: z.string() })),
							more: z.boolean()
						})
						.openapi('ChainPage')
				}
			}
		},
		...problems(400, 401, 404)
	}
});

const keys = createRoute({
	method: 'get',
	path: '/orgs/{tenantId}/keys',
	tags: ['Organisations'],
	summary: "The caller's domain-key wraps and their statements",
	security: [{ bearer: [] }],
	request: { params: TenantParams },
	responses: {
		200: {
			description: 'Wraps (only of the domains the caller\u2019s role decrypts)',
			content: {
				'application/json': {
					schema: z
						.object({
							tenantId: z.string(),
							wraps: z.array(
								z.object({
									domain: z.string(),
									epoch: z.number().int(),
									wrap: z.string(),
									statement: z.string()
								})
							)
						})
						.openapi('KeyWraps')
				}
			}
		},
		...problems(400, 401, 404)
	}
});

const notFound = () => new ApiError(404, 'not_found', 'Not found', 'No such organisation.');

const badLink = (detail: string) => new ApiError(400, 'invalid_link', 'Invalid chain link', detail);

const view = (m: Membership) => ({
	tenantId: m.tenantId,
	displayName: m.displayName,
	role: roleName(m.role),
	createdAt: m.createdAt.toISOString()
});

/** SPEC.md §16.8 from seq 1: the link must verify as a whole chain of one create link. */
async function verifyCreateLink(link: Uint8Array): Promise<VerifiedChainState> {
	await ready();
	try {
		return verifyChain([link]);
	} catch (error) {
		if (isCryptoError(error)) throw badLink(`The create link does not verify (${error.code}).`);
		throw error;
	}
}

export const organisationRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/orgs', authenticate(deps));
	app.use('/orgs/*', authenticate(deps));
	const asUser = (userId: string) => ({ role: 'authenticated' as const, sub: userId });

	return app
		.openapi(create, async (c) => {
			const { userId } = c.get('session');
			await deps.limits.hit('orgCreate', { ip: clientOf(c).ip, account: userId });
			const body = c.req.valid('json');
			const state = await verifyCreateLink(body.link);
			const { tenantId } = state;
			const head = state.head;
			const creator = state.members[0]!;
			// The author is the creator (verifyChain checked it against the genesis) and must be the caller:
			// their member id is their user id, and the keys those their account registered.
			const account = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => keyMaterial(tx, userId));
			if (
				creator.memberId !== userId ||
				!account ||
				!equal(account.ed25519Public, creator.signPublicKey) ||
				!equal(account.x25519Public, creator.boxPublicKey)
			) {
				throw new ApiError(
					403,
					'not_your_link',
					'Forbidden',
					'The create link must be signed by your own account, as your user id, with your registered keys.'
				);
			}
			const wraps = {} as Record<Domain, { wrap: Uint8Array; statement: Uint8Array }>;
			for (const w of body.wraps) {
				try {
					verifyWrapStatement(w.statement, creator.signPublicKey, {
						tenantId,
						domain: w.domain,
						epoch: 1,
						memberId: creator.memberId,
						memberKeys: { boxPublicKey: creator.boxPublicKey, signPublicKey: creator.signPublicKey },
						wrap: w.wrap
					});
				} catch (error) {
					if (!isCryptoError(error)) throw error;
					throw new ApiError(
						400,
						'invalid_wrap',
						'Invalid key wrap',
						`The ${w.domain} wrap statement does not verify (${error.code}).`
					);
				}
				if (w.wrap[0] !== 0x01) {
					throw new ApiError(400, 'invalid_wrap', 'Invalid key wrap', `The ${w.domain} wrap is not wrap v1.`);
				}
				wraps[w.domain] = { wrap: w.wrap, statement: w.statement };
			}
			const result = await deps.db.withClaims(asUser(userId), async (tx) => {
				const outcome = await createOrganisation(tx, {
					tenantId,
					displayName: body.displayName,
					link: body.link,
					linkHash: head.hash,
					x25519Public: creator.boxPublicKey,
					ed25519Public: creator.signPublicKey,
					wraps
				});
				// A retry (or a concurrent twin) of this very link is the caller's own organisation: under RLS
				// they see its first link only if they are a member.
				const membership = await ownMembership(tx, tenantId);
				if (!membership) return null;
				if (outcome === 'exists') {
					const [first] = await chainLinks(tx, tenantId, 0, 1);
					if (!first || !equal(first.link, body.link)) return null;
				}
				return { outcome, membership };
			});
			if (!result) {
				throw new ApiError(
					409,
					'organisation_exists',
					'Conflict',
					'An organisation with this tenant id already exists with another create link.'
				);
			}
			return c.json(
				{ ...view(result.membership), createLink: { seq: head.seq, hash: b64(head.hash) } },
				result.outcome === 'created' ? 201 : 200
			);
		})
		.openapi(list, async (c) => {
			const { userId } = c.get('session');
			const organisations = await deps.db.withClaims(asUser(userId), (tx) => listOwnOrganisations(tx));
			return c.json({ organisations: organisations.map(view) }, 200);
		})
		.openapi(chain, async (c) => {
			const { userId } = c.get('session');
			const { tenantId } = c.req.valid('param');
			const after = c.req.valid('query').after ?? 0;
			const page = await deps.db.withClaims(asUser(userId), async (tx) => {
				if (!(await ownMembership(tx, tenantId))) return null;
				return chainLinks(tx, tenantId, after, CHAIN_PAGE + 1);
			});
			if (!page) throw notFound();
			return c.json(
				{
					tenantId,
					links: page.slice(0, CHAIN_PAGE).map((l) => ({ seq: l.seq, link: b64(l.link) })),
					more: page.length > CHAIN_PAGE
				},
				200
			);
		})
		.openapi(keys, async (c) => {
			const { userId } = c.get('session');
			const { tenantId } = c.req.valid('param');
			const wraps = await deps.db.withClaims(asUser(userId), async (tx) => {
				if (!(await ownMembership(tx, tenantId))) return null;
				return ownWraps(tx, tenantId);
			});
			if (!wraps) throw notFound();
			return c.json(
				{
					tenantId,
					wraps: wraps.map((w) => ({
						domain: w.domain,
						epoch: w.epoch,
						wrap: b64(w.wrap),
						statement: b64(w.statement)
					}))
				},
				200
			);
		});
};

function equal(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}
