// fast-check arbitraries from OpenAPI JSON Schemas: well-shaped values, and the same with fields mutated.
import fc from 'fast-check';

export type JsonSchema = {
	$ref?: string;
	type?: string | string[];
	nullable?: boolean;
	enum?: unknown[];
	const?: unknown;
	anyOf?: JsonSchema[];
	oneOf?: JsonSchema[];
	allOf?: JsonSchema[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	minItems?: number;
	maxItems?: number;
	minLength?: number;
	maxLength?: number;
	pattern?: string;
	format?: string;
	minimum?: number;
	maximum?: number;
	exclusiveMinimum?: number;
	exclusiveMaximum?: number;
	example?: unknown;
	default?: unknown;
};

type Components = { schemas?: Record<string, JsonSchema> };

/**
 * A placeholder for a value only known when the request is sent (the account's auth key, its session
 * id): the generator offers it for properties of that name, and `resolveHints` fills it in.
 */
export class Hint {
	/** `variant` picks among the real values a hint has (the account's own, another's, a stale one). */
	constructor(
		readonly name: string,
		readonly variant = 0
	) {}
}

/** Replaces every Hint in `value` with what `lookup` gives for it (a fresh copy; input unchanged). */
export function resolveHints(value: unknown, lookup: (hint: Hint) => unknown): unknown {
	if (value instanceof Hint) return lookup(value);
	if (Array.isArray(value)) return value.map((v) => resolveHints(v, lookup));
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value)) {
			// defineProperty: a key named `__proto__` must stay an own key, not set the prototype.
			Object.defineProperty(out, key, {
				value: resolveHints((value as Record<string, unknown>)[key], lookup),
				enumerable: true,
				writable: true,
				configurable: true
			});
		}
		return out;
	}
	return value;
}

/** Text that has broken parsers, encoders and databases: NUL, quotes, array-literal syntax, surrogates. */
export const HOSTILE_STRINGS = [
	'',
	' ',
	'\u0000',
	'a\u0000b',
	'"',
	"'",
	'\\',
	'}',
	'{',
	'{a,b}',
	'{"a":1}',
	'a,b',
	'\ud800',
	'\udfff',
	'\u202e',
	'\u2028',
	'\r\n',
	'\t',
	'\ufeff',
	'%00',
	'%',
	'%ZZ',
	'..',
	'../../etc/passwd',
	"' or '1'='1",
	'$1',
	'${x}',
	'<script>alert(1)</script>',
	'null',
	'undefined',
	'true',
	'-0',
	'1e309',
	'NaN',
	'é',
	'𝕏',
	'👩‍💻',
	'İ',
	'ß',
	'\u0130\u0131',
	'x'.repeat(5000),
	'é'.repeat(3000)
];

/** Numbers at and beyond every integer and float boundary. */
export const HOSTILE_NUMBERS = [
	0,
	-0,
	-1,
	0.5,
	1e-7,
	Number.MIN_VALUE,
	2 ** 31,
	-(2 ** 31) - 1,
	2 ** 32,
	2 ** 53 + 2,
	-(2 ** 53) - 2,
	2 ** 63,
	1e21,
	1e308,
	-1e308
];

const WRONG_TYPES: unknown[] = [null, true, false, 0, 1, '', 'x', [], {}, [null], { '': null }, [[]]];

const EXTRA_KEYS = [
	'__proto__',
	'constructor',
	'prototype',
	'toString',
	'extra',
	'role',
	'sub',
	'isAdmin',
	''
];

/** Characters of unpadded base64url for `n` bytes. */
const b64Length = (n: number) => Math.ceil((n * 4) / 3);

export function schemaArbitraries(components: Components, hints: readonly string[] = []) {
	const resolve = (schema: JsonSchema): JsonSchema => {
		let s = schema;
		for (let depth = 0; s.$ref && depth < 16; depth++) {
			const name = /^#\/components\/schemas\/(.+)$/.exec(s.$ref)?.[1];
			const target = name && components.schemas?.[name];
			if (!target) throw new Error(`Unresolvable $ref ${s.$ref}`);
			s = target;
		}
		return s;
	};

	const typesOf = (s: JsonSchema): string[] => {
		const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
		return s.nullable && !types.includes('null') ? [...types, 'null'] : types;
	};

	function stringArb(s: JsonSchema): fc.Arbitrary<string> {
		const min = s.minLength ?? 0;
		const max = s.maxLength ?? Math.max(min, 64);
		if (s.format === 'uuid') return fc.uuid({ version: 4 });
		if (s.format === 'email') {
			return fc.oneof(
				fc.stringMatching(/^[a-z0-9]{1,12}$/).map((local) => `${local}@example.com`),
				fc.emailAddress()
			);
		}
		if (s.format === 'base64url') {
			// Whole bytes, encoded: canonical, and every length the byte range allows.
			let lo = 0;
			while (b64Length(lo) < min) lo++;
			let hi = lo;
			while (b64Length(hi + 1) <= (s.maxLength ?? b64Length(64))) hi++;
			const bytes = (n: number) =>
				fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64url'));
			return fc.oneof(bytes(lo), bytes(hi), fc.integer({ min: lo, max: hi }).chain(bytes));
		}
		if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
		if (s.pattern) {
			const re = new RegExp(s.pattern, 'u');
			return fc.stringMatching(re, { size: 'small' }).filter((v) => v.length >= min && v.length <= max);
		}
		const inRange = (unit: 'grapheme-ascii' | 'grapheme') =>
			fc.string({ unit, minLength: min, maxLength: Math.min(max, min + 32) }).filter((v) => v.length <= max);
		return fc.oneof(
			inRange('grapheme-ascii'),
			inRange('grapheme'),
			fc.constant('a'.repeat(min)),
			fc.constant('a'.repeat(Math.min(max, 20_000))),
			...(typeof s.example === 'string' ? [fc.constant(s.example)] : [])
		);
	}

	function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
		const lo =
			s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : -1e6);
		const hi =
			s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : 1e6);
		const within = integer
			? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
			: fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
		return fc.oneof(
			fc.constant(integer ? Math.ceil(lo) : lo),
			fc.constant(integer ? Math.floor(hi) : hi),
			within
		);
	}

	const hint = (name: string) => fc.nat({ max: 3 }).map((variant) => new Hint(name, variant));

	function valid(schema: JsonSchema): fc.Arbitrary<unknown> {
		const s = resolve(schema);
		if (s.const !== undefined) return fc.constant(s.const);
		if (s.enum) return fc.constantFrom(...s.enum);
		const branches = s.anyOf ?? s.oneOf;
		if (branches) return fc.oneof(...branches.map((b) => valid(b)));
		if (s.allOf) return valid(Object.assign({}, ...s.allOf.map(resolve)) as JsonSchema);
		const types = typesOf(s);
		if (types.length > 1) return fc.oneof(...types.map((type) => valid({ ...s, type, nullable: false })));
		switch (types[0]) {
			case 'null':
				return fc.constant(null);
			case 'boolean':
				return fc.boolean();
			case 'integer':
				return numberArb(s, true);
			case 'number':
				return numberArb(s, false);
			case 'string':
				return stringArb(s);
			case 'array': {
				const min = s.minItems ?? 0;
				const max = s.maxItems ?? min + 4;
				const item = s.items ? valid(s.items) : fc.jsonValue({ maxDepth: 1 });
				// At its limit, a few items cycled to fill it: as valid for the schema, and cheap at 512 items.
				const full =
					max === 0
						? fc.constant([])
						: fc
								.array(item, { minLength: 1, maxLength: Math.min(max, 4) })
								.map((xs) => Array.from({ length: max }, (_, i) => xs[i % xs.length]));
				return fc.oneof(fc.array(item, { minLength: min, maxLength: Math.min(max, min + 4) }), full);
			}
			case 'object': {
				const props = s.properties ?? {};
				const required = s.required ?? [];
				const model: Record<string, fc.Arbitrary<unknown>> = {};
				for (const [name, sub] of Object.entries(props)) {
					// A known-good value (the account's key, its session) now and then, to get past the checks.
					model[name] = hints.includes(name) ? fc.oneof(valid(sub), hint(name)) : valid(sub);
				}
				return fc.record(model, { requiredKeys: required.filter((k) => k in props) });
			}
			default:
				return fc.jsonValue({ maxDepth: 2 });
		}
	}

	/** Every place in a value, with the schema that describes it there (when one branch fits). */
	function sites(value: unknown, schema: JsonSchema | undefined, path: (string | number)[] = []): Site[] {
		const s = schema && pick(resolve(schema), value);
		const here: Site = { path, schema: s, value };
		if (Array.isArray(value)) {
			return [here, ...value.flatMap((v, i) => sites(v, s?.items, [...path, i]))];
		}
		if (value !== null && typeof value === 'object' && !(value instanceof Hint)) {
			return [here, ...Object.entries(value).flatMap(([k, v]) => sites(v, s?.properties?.[k], [...path, k]))];
		}
		return [here];
	}

	/** The branch of a union that describes this value, if one does. */
	function pick(s: JsonSchema, value: unknown): JsonSchema | undefined {
		const branches = s.anyOf ?? s.oneOf;
		if (!branches) return s;
		const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
		const fits = branches.map(resolve).filter((b) => {
			const types = typesOf(b);
			const typeOk =
				types.length === 0 ||
				types.some((t) => t === kind || ((t === 'integer' || t === 'number') && kind === 'number'));
			const keysOk =
				kind !== 'object' || (b.required ?? []).every((k) => k in (value as Record<string, unknown>));
			return typeOk && keysOk;
		});
		return fits[0] && pick(fits[0], value);
	}

	/** Values past the schema's bounds at a site: lengths, sizes and ranges one beyond. */
	function beyond(site: Site): unknown[] {
		const s = site.schema;
		if (!s) return [];
		const out: unknown[] = [];
		if (typeof site.value === 'string') {
			if (s.minLength !== undefined && s.minLength > 0) out.push('a'.repeat(s.minLength - 1));
			if (s.maxLength !== undefined)
				out.push('a'.repeat(s.maxLength + 1), site.value.padEnd(s.maxLength + 1, 'A'));
		}
		if (typeof site.value === 'number') {
			if (s.minimum !== undefined) out.push(s.minimum - 1, s.minimum - 0.5);
			if (s.maximum !== undefined) out.push(s.maximum + 1, s.maximum + 0.5);
			if (typesOf(s).includes('integer')) out.push(site.value + 0.5);
		}
		if (Array.isArray(site.value) && s.maxItems !== undefined) {
			const items: unknown[] = site.value;
			out.push(Array.from({ length: s.maxItems + 1 }, (_, i) => items[i % Math.max(1, items.length)] ?? 'a'));
		}
		return out;
	}

	const mutation: fc.Arbitrary<Mutation> = fc.oneof(
		fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
		fc.record({
			kind: fc.constant('replace' as const),
			at: fc.nat(),
			with: fc.oneof(
				fc.constantFrom(...WRONG_TYPES),
				fc.constantFrom(...HOSTILE_STRINGS),
				fc.constantFrom(...HOSTILE_NUMBERS),
				fc.jsonValue({ maxDepth: 2 })
			)
		}),
		fc.record({ kind: fc.constant('beyond' as const), at: fc.nat(), choice: fc.nat() }),
		fc.record({
			kind: fc.constant('append' as const),
			at: fc.nat(),
			suffix: fc.constantFrom(...HOSTILE_STRINGS)
		}),
		fc.record({
			kind: fc.constant('extra' as const),
			at: fc.nat(),
			key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 8 })),
			with: fc.jsonValue({ maxDepth: 2 })
		})
	);

	function apply(value: unknown, schema: JsonSchema, m: Mutation): unknown {
		const all = sites(value, schema);
		const candidates = all.filter((site) => {
			switch (m.kind) {
				case 'drop':
					return site.path.length > 0;
				case 'replace':
					return true;
				case 'beyond':
					return beyond(site).length > 0;
				case 'append':
					return typeof site.value === 'string';
				case 'extra':
					return site.value !== null && typeof site.value === 'object' && !Array.isArray(site.value);
			}
		});
		const site = candidates[m.at % Math.max(1, candidates.length)];
		if (!site) return value;
		const replace = (next: unknown) => setAt(value, site.path, next);
		switch (m.kind) {
			case 'drop':
				return setAt(value, site.path, DROP);
			case 'replace':
				return replace(m.with);
			case 'beyond': {
				const options = beyond(site);
				return replace(options[m.choice % options.length]);
			}
			case 'append':
				return replace(`${site.value as string}${m.suffix}`);
			case 'extra': {
				const target = { ...(site.value as Record<string, unknown>) };
				Object.defineProperty(target, m.key, {
					value: m.with,
					enumerable: true,
					writable: true,
					configurable: true
				});
				return replace(target);
			}
		}
	}

	/** A valid value with one to three mutations applied in turn. */
	function mutated(schema: JsonSchema): fc.Arbitrary<unknown> {
		return fc
			.tuple(valid(schema), fc.array(mutation, { minLength: 1, maxLength: 3 }))
			.map(([value, ms]) => ms.reduce((v, m) => apply(v, schema, m), value));
	}

	return { valid, mutated, hint };
}

type Site = { path: (string | number)[]; schema: JsonSchema | undefined; value: unknown };

type Mutation =
	| { kind: 'drop'; at: number }
	| { kind: 'replace'; at: number; with: unknown }
	| { kind: 'beyond'; at: number; choice: number }
	| { kind: 'append'; at: number; suffix: string }
	| { kind: 'extra'; at: number; key: string; with: unknown };

const DROP = Symbol('drop');

/** A copy of `value` with the thing at `path` replaced (or removed, for DROP). */
function setAt(value: unknown, path: (string | number)[], next: unknown): unknown {
	if (path.length === 0) return next === DROP ? undefined : next;
	const [head, ...rest] = path as [string | number, ...(string | number)[]];
	if (Array.isArray(value)) {
		const copy = [...value];
		const child = setAt(copy[head as number], rest, next);
		if (child === undefined && rest.length === 0 && next === DROP) copy.splice(head as number, 1);
		else copy[head as number] = child;
		return copy;
	}
	const copy: Record<string, unknown> = {};
	for (const key of Object.keys(value as object)) {
		const v = (value as Record<string, unknown>)[key];
		const child = key === head ? setAt(v, rest, next) : v;
		if (key === head && rest.length === 0 && next === DROP) continue;
		Object.defineProperty(copy, key, { value: child, enumerable: true, writable: true, configurable: true });
	}
	return copy;
}
