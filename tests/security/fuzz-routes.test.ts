// Every route in the API's OpenAPI document, fuzzed with mutated well-shaped requests: never a 5xx.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_INFO } from '../../src/lib/server/api/routes/docs';
import { REFRESH_PATH } from '../../src/lib/server/api/refresh-cookie';
import type { Database } from '../../src/lib/server/db/types';
import { testApi, TEST_ORIGIN } from '../helpers/api';
import { newAccount } from '../helpers/account-client';
import { seedCatalogue } from '../helpers/catalogue';
import { createBody } from '../helpers/organisations';
import type { UserIdentity } from '../../crypto/index';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import {
	Hint,
	HOSTILE_STRINGS,
	resolveHints,
	schemaArbitraries,
	type JsonSchema
} from '../helpers/json-schema-arbitrary';

// Fixed seeds, so a failure reproduces. FUZZ_SEED and FUZZ_RUNS explore further by hand; FUZZ_STATS=1
// prints what each route answered.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
/** Cases per route, sent with a token and without (half also with a forged one): < 60 s on both databases. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; schema: JsonSchema };
type Operation = {
	requestBody?: { content: Record<string, { schema: JsonSchema }> };
	parameters?: Parameter[];
};
type OpenApiDocument = {
	paths: Record<string, Record<string, Operation>>;
	components?: { schemas?: Record<string, JsonSchema> };
};

// The document, read at collection time so each route gets a test of its own (and a new route is
// fuzzed without touching this file). The app is built around no database: declaring routes touches
// none. The first test checks that the served document is this one.
const doc = testApi({} as Database).app.getOpenAPI31Document(OPENAPI_INFO) as unknown as OpenApiDocument;
const routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
	Object.entries(ops).map(([method, op]) => ({
		key: `${method.toUpperCase()} ${template}`,
		method,
		template,
		op
	}))
);
type Route = (typeof routes)[number];

/** Fields for which the generator also offers a real value (the account's key, a live step token). */
const HINTS = [
	'authKey',
	'recoveryAuthKey',
	'email',
	'id',
	'challengeId',
	'mfaToken',
	'recoveryToken',
	'cleanupToken',
	'hash'
];
const arbs = schemaArbitraries(doc.components ?? {}, HINTS);

/** Body text that a JSON parser or a UTF-8 decoder must refuse (or take) cleanly. */
const RAW_EDITS: ((json: string) => string | Uint8Array<ArrayBuffer>)[] = [
	(j) => j.slice(0, Math.floor(j.length / 2)),
	(j) => `\ufeff${j}`,
	(j) => `${j}x`,
	(j) => j.replace(/-?\d+(\.\d+)?/, '1e999'),
	(j) => j.replace(/-?\d+(\.\d+)?/, `1${'0'.repeat(400)}`),
	// A duplicate key: parsers keep the last one.
	(j) => (j.startsWith('{"') ? `${j.slice(0, -1)},${j.slice(1, j.indexOf(':'))}:{"$gt":""}}` : j),
	(j) => (j.startsWith('{') ? `{"__proto__":{"admin":true},${j.slice(1)}` : j),
	() => `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
	() => `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
	(j) =>
		new Uint8Array(
			Buffer.concat([Buffer.from(j.slice(0, 2)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(j.slice(2))])
		),
	() => ''
];

/** Media types beside the declared ones: parameters, case, near misses and forms (415). */
const CONTENT_TYPES = [
	'application/json; charset=utf-8',
	'application/json; charset=latin1',
	'APPLICATION/JSON',
	'application/merge-patch+json',
	'text/plain',
	'application/x-www-form-urlencoded',
	'multipart/form-data; boundary=x',
	''
];

/** Path segments sent as written, not encoded: malformed escapes, separators, dot segments. */
const RAW_SEGMENTS = ['%', '%ZZ', '%00', '%2F', '..', '.', 'a/b', '%E0%A4%A', 'x'.repeat(5000)];

/** Refresh cookies an attacker could send instead of the real one. */
const FORGED_COOKIES = [
	() => `__Secure-stowage_refresh=${randomBytes(32).toString('base64url')}`,
	() => '__Secure-stowage_refresh=%E0%A4%A',
	() => '__Secure-stowage_refresh="quoted"',
	() => `__Secure-stowage_refresh=${'x'.repeat(5000)}`,
	() => '__Secure-stowage_refresh=a; __Secure-stowage_refresh=b'
];

type BodyCase =
	{ kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; value: unknown; edit: number };
type Case = {
	body: BodyCase;
	contentType: string;
	path: Record<string, string | Hint>;
	query: [string, string][];
	/** Below FORGED_KINDS: also sent with that kind of forged bearer token (and refresh cookie). */
	forged: number;
};

const FORGED_KINDS = 4;

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** encodeURIComponent, but a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
function encode(v: string): string {
	try {
		return encodeURIComponent(v);
	} catch {
		return encodeURIComponent(v.toWellFormed()).replaceAll('%EF%BF%BD', '%ED%A0%80');
	}
}

function caseArbitrary(route: Route): fc.Arbitrary<Case> {
	const content = route.op.requestBody?.content ?? {};
	const declared = Object.keys(content);
	const schema = declared[0] ? content[declared[0]]!.schema : undefined;
	const json = (value: unknown) => ({ kind: 'json' as const, value });
	const body: fc.Arbitrary<BodyCase> =
		route.method === 'get'
			? fc.constant({ kind: 'none' }) // fetch refuses a body on GET
			: schema
				? fc.oneof(
						{ weight: 2, arbitrary: arbs.valid(schema).map(json) },
						{ weight: 5, arbitrary: arbs.mutated(schema).map(json) },
						{
							weight: 1,
							arbitrary: fc
								.tuple(arbs.valid(schema), fc.nat({ max: RAW_EDITS.length - 1 }))
								.map(([value, edit]) => ({ kind: 'raw' as const, value, edit }))
						}
					)
				: fc.oneof(
						{ weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
						{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map(json) }
					);
	const params = route.op.parameters ?? [];
	const encoded = (v: unknown) => encode(String(asText(v)));
	const path = fc.record(
		Object.fromEntries(
			params
				.filter((p) => p.in === 'path')
				.map((p) => [
					p.name,
					fc.oneof(
						{ weight: 1, arbitrary: arbs.hint(p.name) },
						{ weight: 1, arbitrary: arbs.valid(p.schema).map(encoded) },
						{ weight: 2, arbitrary: arbs.mutated(p.schema).map(encoded) },
						{ weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) }
					)
				])
		)
	) as fc.Arbitrary<Record<string, string | Hint>>;
	type Pairs = [string, string][];
	const query = fc
		.tuple(
			...params
				.filter((p) => p.in === 'query')
				.map((p) =>
					fc.oneof(
						fc.constant<Pairs>([]),
						arbs.valid(p.schema).map((v): Pairs => [[p.name, String(asText(v))]]),
						arbs.mutated(p.schema).map((v): Pairs => [[p.name, String(asText(v))]]),
						fc.constantFrom(...HOSTILE_STRINGS).map((v): Pairs => [[p.name, v]]),
						fc.constant<Pairs>([
							[p.name, '1'],
							[p.name, '2']
						])
					)
				),
			fc.option(fc.constant<Pairs>([['unexpected', 'x']]), { nil: [] })
		)
		.map((parts) => parts.flat());
	const contentType = fc.oneof(
		{ weight: 6, arbitrary: fc.constantFrom(...(declared.length ? declared : ['application/json'])) },
		{ weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }
	);
	return fc.record({ body, contentType, path, query, forged: fc.nat({ max: 2 * FORGED_KINDS - 1 }) });
}

/** Answers given before a handler runs: a route that only ever gets these was not really fuzzed. */
const SHALLOW = [
	'validation_failed',
	'bad_request',
	'payload_too_large',
	'unsupported_media_type',
	'unauthenticated'
];

/** A stable seed per route, so adding a route leaves the others' cases as they were. */
const seedOf = (key: string) => [...key].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) | 0, SEED);

type Subject = {
	userId: string;
	sessionId: string;
	token: string;
	refresh: string;
	authKey: string;
	recoveryAuthKey: string;
	email: string;
	/** For the routes under /api/orgs/{tenantId}: the account's identity keys and its organisation, once made. */
	identity: UserIdentity;
	tenantId?: string;
	/** The organisation as its creator's browser holds it (for signed catalogue writes), and one write's hash. */
	org?: Parameters<typeof seedCatalogue>[2];
	writeHash?: string;
};

type Mode = 'token' | 'anonymous' | 'forged';

describe.each(databaseFactories)('fuzzing every route on $kind', (factory) => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	/** Another real account: its ids and keys are offered in the subject's requests. */
	let bystander: Subject;

	const post = (path: string, body: unknown, ip: string) =>
		api.app.request(
			path,
			{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
			{ clientAddress: ip }
		);

	async function subjectOf(
		res: Response,
		keys: Pick<Subject, 'authKey' | 'recoveryAuthKey' | 'email' | 'identity'>
	): Promise<Subject> {
		const { accessToken } = (await res.json()) as { accessToken: string };
		const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as {
			sub: string;
			sid: string;
		};
		return {
			userId: claims.sub,
			sessionId: claims.sid,
			token: accessToken,
			refresh: /(__Secure-stowage_refresh=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!,
			authKey: keys.authKey,
			recoveryAuthKey: keys.recoveryAuthKey,
			email: keys.email,
			identity: keys.identity
		};
	}

	/** The subject's own organisation (made on first use), so that {tenantId} routes reach their handler. */
	async function tenantOf(subject: Subject, ip: string): Promise<string> {
		if (subject.tenantId) return subject.tenantId;
		const { org, body } = await createBody(subject.identity, subject.userId);
		const res = await api.app.request(
			'/api/orgs',
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${subject.token}` },
				body: JSON.stringify(body)
			},
			{ clientAddress: ip }
		);
		expect(res.status).toBe(201);
		subject.tenantId = org.tenantId;
		subject.org = { tenantId: org.tenantId, org };
		return org.tenantId;
	}

	/** A signed write statement's hash in the subject's organisation (written on first use). */
	async function writeOf(subject: Subject, ip: string): Promise<string> {
		if (subject.writeHash) return subject.writeHash;
		await tenantOf(subject, ip);
		const seed = await seedCatalogue(api.app, subject, subject.org!);
		expect(seed.status).toBe(201);
		subject.writeHash = Buffer.from(seed.hash).toString('base64url');
		return subject.writeHash;
	}

	/** A real account, signed up through the API. */
	async function signUp(ip: string): Promise<Subject> {
		const account = await newAccount();
		const res = await post('/api/auth/signup', account.signupBody, ip);
		expect(res.status).toBe(201);
		return subjectOf(res, {
			authKey: account.signupBody.authKey as string,
			recoveryAuthKey: account.signupBody.recoveryAuthKey as string,
			email: account.email,
			identity: account.identity
		});
	}

	/** A new session of the same account (cheaper than a new account), or a new account if that fails. */
	async function signInAgain(subject: Subject, ip: string): Promise<Subject> {
		const res = await post('/api/auth/login', { email: subject.email, authKey: subject.authKey }, ip);
		return res.status === 200 ? subjectOf(res, subject) : signUp(ip);
	}

	beforeAll(async () => {
		t = await factory.create();
		api = testApi(t.db);
		bystander = await signUp('198.18.255.1');
	});
	afterAll(() => t.drop());

	it('fuzzes the document the API serves', async () => {
		const served = await api.app.request('/api/openapi.json');
		expect(await served.json()).toEqual(JSON.parse(JSON.stringify(doc)));
		expect(routes.length).toBeGreaterThan(20);
	});

	it.each(routes.map((r, i) => [r.key, r, i] as const))('%s', async (_, route, index) => {
		const ip = `198.18.${index}.1`;
		const cases = fc.sample(caseArbitrary(route), { seed: seedOf(route.key), numRuns: RUNS });
		let subject = await signUp(ip);
		const failures: string[] = [];
		const stats: Record<string, number> = {};
		let reached = 0;

		/** Bearer tokens a thief might try: real key, wrong claims; wrong audience; bad signature. */
		const forgedToken = (kind: number) => {
			switch (kind) {
				case 0:
					return api.deps.tokens.sign('access', { sub: randomUUID(), sid: randomUUID() });
				case 1:
					return api.deps.tokens.sign('access', { sub: subject.userId, sid: bystander.sessionId });
				case 2:
					return api.deps.tokens.sign('mfa', { sub: subject.userId, sid: subject.sessionId });
				default:
					return Promise.resolve(
						`${subject.token.slice(0, -2)}${subject.token.endsWith('AA') ? 'BB' : 'AA'}`
					);
			}
		};

		/** The real value behind a hint: the subject's own (variant 0), a stranger's, the bystander's… */
		const hintValue = async (hint: Hint, mode: Mode): Promise<unknown> => {
			const who = hint.variant === 2 ? bystander : subject;
			switch (hint.name) {
				case 'authKey':
				case 'recoveryAuthKey':
				case 'email':
					return who[hint.name];
				case 'id':
					return hint.variant === 1 ? randomUUID() : who.sessionId;
				case 'tenantId':
					// Own organisation, an unknown tenant id, or the bystander's (a 404 to the subject).
					return hint.variant === 1 ? randomBytes(32).toString('hex') : tenantOf(who, ip);
				case 'hash':
					// A statement of the subject's organisation, an unknown hash, or the bystander's.
					return hint.variant === 1 ? randomBytes(32).toString('base64url') : writeOf(who, ip);
				case 'mfaToken':
				case 'recoveryToken':
				case 'cleanupToken': {
					const kind = hint.name.slice(0, -'Token'.length) as 'mfa' | 'recovery' | 'cleanup';
					const sub = hint.variant === 1 ? randomUUID() : who.userId;
					return api.deps.tokens.sign(hint.variant === 3 ? 'access' : kind, {
						sub,
						...(kind === 'cleanup' ? { passkeys: [], totp: true } : {})
					});
				}
				case 'challengeId': {
					// A live challenge, so that verification itself is fuzzed rather than the lookup.
					const options = route.template.includes('/register')
						? '/api/auth/passkeys/register/options'
						: '/api/auth/passkeys/login/options';
					const res = await api.app.request(
						options,
						{
							method: 'POST',
							headers: {
								origin: TEST_ORIGIN,
								...(mode === 'token' ? { authorization: `Bearer ${subject.token}` } : {})
							}
						},
						{ clientAddress: ip }
					);
					return res.ok ? ((await res.json()) as { challengeId: string }).challengeId : randomUUID();
				}
				default:
					throw new Error(`No value for hint ${hint.name}`);
			}
		};

		/** Fills in the hints; says whether the subject's own proof went along. */
		async function resolve(value: unknown, mode: Mode) {
			const hints: Hint[] = [];
			resolveHints(value, (h) => hints.push(h));
			const values = new Map<Hint, unknown>();
			for (const h of hints) values.set(h, await hintValue(h, mode));
			const proof = hints.some(
				(h) => (h.name === 'authKey' || h.name === 'recoveryAuthKey') && h.variant !== 2
			);
			return { value: resolveHints(value, (h) => values.get(h)), proof };
		}

		const alive = async () =>
			(await api.app.request('/api/auth/me', { headers: { authorization: `Bearer ${subject.token}` } })).ok;

		for (const c of cases) {
			const modes: Mode[] = ['token', 'anonymous', ...(c.forged < FORGED_KINDS ? (['forged'] as const) : [])];
			for (const mode of modes) {
				let url = route.template;
				for (const [name, value] of Object.entries(c.path)) {
					const segment = value instanceof Hint ? encode(String(await hintValue(value, mode))) : value;
					url = url.replace(`{${name}}`, segment);
				}
				if (c.query.length) url += `?${c.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;

				let body: string | Uint8Array<ArrayBuffer> | undefined;
				let proof = false;
				if (c.body.kind !== 'none') {
					const resolved = await resolve(c.body.value, mode);
					proof = resolved.proof;
					const text = JSON.stringify(resolved.value) ?? 'null';
					body = c.body.kind === 'raw' ? RAW_EDITS[c.body.edit]!(text) : text;
				}
				const headers: Record<string, string> = {
					origin: TEST_ORIGIN,
					'sec-fetch-site': 'same-origin',
					'user-agent': 'stowage-fuzz'
				};
				if (body !== undefined) headers['content-type'] = c.contentType;
				if (mode === 'token') headers.authorization = `Bearer ${subject.token}`;
				if (mode === 'forged') headers.authorization = `Bearer ${await forgedToken(c.forged)}`;
				// Browsers send the refresh cookie to its one path only.
				if (route.template === REFRESH_PATH && mode !== 'anonymous') {
					headers.cookie =
						mode === 'token' ? subject.refresh : FORGED_COOKIES[c.forged % FORGED_COOKIES.length]!();
				}

				const res = await api.app.request(
					url,
					{ method: route.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) },
					{ clientAddress: ip }
				);
				const text = await res.text();
				const isProblem = res.headers.get('content-type') === 'application/problem+json';
				const problem = isProblem
					? (JSON.parse(text) as { status?: number; code?: string; requestId?: string })
					: undefined;
				const described = () =>
					`${route.method.toUpperCase()} ${url.slice(0, 300)} (${mode}) content-type ${c.contentType || '<none>'} ` +
					`body ${typeof body === 'string' ? body.slice(0, 400) : body ? `<${body.length} bytes>` : '<none>'}`;
				if (res.status >= 500) {
					const logged = api.logs
						.lines()
						.find((l) => l.requestId === problem?.requestId && l.msg === 'unhandled error');
					failures.push(
						`${res.status} for ${described()}\n  logged: ${JSON.stringify(logged?.err ?? null).slice(0, 600)}`
					);
				} else if (res.status >= 400 && problem?.status !== res.status) {
					failures.push(
						`${res.status} not as problem+json (${res.headers.get('content-type')}) for ${described()}`
					);
				}
				if (res.status < 400 || !SHALLOW.includes(problem?.code ?? '')) reached++;
				const key = `${res.status} ${mode} ${problem?.code ?? ''}`;
				stats[key] = (stats[key] ?? 0) + 1;

				if (mode !== 'token') continue;
				const rotated = /(__Secure-stowage_refresh=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
				if (rotated) subject.refresh = rotated;
				// A credential change may have spent the account, and a sign-out its session: start afresh.
				if (res.ok && route.method !== 'get') {
					if (proof) subject = await signUp(ip);
					else if (!(await alive())) subject = await signInAgain(subject, ip);
				}
			}
		}
		if (process.env.FUZZ_STATS) console.log(route.key, 'reached', reached, stats);
		expect(failures, failures.join('\n\n')).toEqual([]);
		// Some requests must get past validation, or the generator has drifted from the schemas.
		if (route.op.requestBody || route.op.parameters?.length) expect(reached).toBeGreaterThan(0);
	});
});
