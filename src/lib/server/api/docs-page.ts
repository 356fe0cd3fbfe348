// The API reference as one self-contained HTML page, rendered on the server from the OpenAPI document:
// no script, no CDN, no web fonts, so it works offline and under a CSP that allows nothing but its own
// inline stylesheet (by hash).
import { createHash } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const esc = (value: unknown): string =>
	String(value ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An anchor id from any text (paths contain slashes and braces). */
const slug = (text: string) =>
	text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

function schemaName(schema: Json | undefined): string {
	if (!isObj(schema)) return '';
	if (typeof schema.$ref === 'string') {
		const name = schema.$ref.split('/').pop()!;
		return `<a href="#schema-${slug(name)}"><code>${esc(name)}</code></a>`;
	}
	if (schema.type === 'array') return `array of ${schemaName(schema.items) || 'items'}`;
	return typeof schema.type === 'string' ? `<code>${esc(schema.type)}</code>` : '';
}

function schemaBlock(schema: Json | undefined): string {
	if (!isObj(schema)) return '';
	if (typeof schema.$ref === 'string') return `<p class="schema-ref">Schema: ${schemaName(schema)}</p>`;
	return `<pre tabindex="0">${esc(JSON.stringify(schema, null, 2))}</pre>`;
}

function content(body: Json | undefined): string {
	if (!isObj(body) || !isObj(body.content)) return '';
	return Object.entries(body.content)
		.map(
			([type, media]) =>
				`<p class="media"><code>${esc(type)}</code></p>${isObj(media) ? schemaBlock(media.schema) : ''}`
		)
		.join('');
}

function parameters(params: Json | undefined): string {
	if (!Array.isArray(params) || params.length === 0) return '';
	const rows = params
		.filter(isObj)
		.map(
			(p) =>
				`<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${schemaName(p.schema)}</td><td>${esc(p.description)}</td></tr>`
		)
		.join('');
	return `<h4>Parameters</h4><div class="table" tabindex="0" role="region" aria-label="Parameters"><table><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function operation(path: string, method: string, op: Obj): string {
	const id = slug(`${method} ${path}`);
	const responses = isObj(op.responses)
		? Object.entries(op.responses)
				.map(([status, res]) => {
					const r = isObj(res) ? res : {};
					return `<li><details><summary><span class="status s${esc(status[0])}">${esc(status)}</span> ${esc(r.description)}</summary>${content(r)}</details></li>`;
				})
				.join('')
		: '';
	const body = op.requestBody ? `<h4>Request body</h4>${content(op.requestBody)}` : '';
	return `<section class="op" id="${id}" aria-labelledby="${id}-h">
<h3 id="${id}-h"><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code class="path">${esc(path)}</code></h3>
${op.summary ? `<p class="summary">${esc(op.summary)}</p>` : ''}${op.description ? `<p>${esc(op.description)}</p>` : ''}
${parameters(op.parameters)}${body}
${responses ? `<h4>Responses</h4><ul class="responses">${responses}</ul>` : ''}
</section>`;
}

const STYLE = `
:root{color-scheme:light dark;--ink:light-dark(#13213a,#e7ebf3);--soft:light-dark(#44526b,#b5bfd0);--paper:light-dark(#f6f7fb,#0e1420);--card:light-dark(#fff,#161e2e);--line:light-dark(#e2e6ef,#2a3548);--brand:light-dark(#1d3557,#9dbcff);--get:light-dark(#146c2e,#5fd08a);--post:light-dark(#1d4ed8,#9dbcff);--del:light-dark(#b91c1c,#ff8a8a);--put:light-dark(#a34a06,#f0a64b)}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--paper)}
a{color:var(--brand)}
code,pre{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.9em}
:focus-visible{outline:3px solid light-dark(#2563eb,#7aa7ff);outline-offset:2px}
.layout{display:grid;grid-template-columns:260px minmax(0,1fr);max-width:1200px;margin:0 auto}
nav{position:sticky;top:0;align-self:start;max-height:100vh;overflow-y:auto;padding:1.5rem 1rem;border-right:1px solid var(--line)}
nav ul{list-style:none;margin:0 0 1rem;padding:0}
nav li a{display:block;padding:.2rem .4rem;border-radius:6px;text-decoration:none;color:var(--ink);font-size:.88rem;overflow-wrap:anywhere}
nav h2{font-size:.75rem;text-transform:uppercase;letter-spacing:.1em;color:var(--soft);margin:1rem 0 .3rem}
main{padding:1.5rem;min-width:0}
h1{margin:0 0 .5rem;font-size:1.8rem}
.lede{color:var(--soft);max-width:70ch}
.op,.schema{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem;margin:1rem 0}
.op h3{margin:0 0 .25rem;font-size:1.05rem;display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}
.path{overflow-wrap:anywhere}
.method{font:700 .75rem/1 system-ui,sans-serif;padding:.3rem .45rem;border-radius:5px;border:1.5px solid currentColor}
.get{color:var(--get)}.post{color:var(--post)}.delete{color:var(--del)}.put,.patch{color:var(--put)}
.summary{font-weight:600;margin:.25rem 0}
h4{margin:1rem 0 .35rem;font-size:.9rem;color:var(--soft)}
pre{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:.75rem;overflow:auto;max-height:420px;margin:.35rem 0}
.table{overflow-x:auto}
table{border-collapse:collapse;font-size:.9rem;min-width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
.responses{list-style:none;padding:0;margin:0}
summary{cursor:pointer;padding:.2rem 0}
.status{font-family:ui-monospace,monospace;font-weight:700}
.s2{color:var(--get)}.s4,.s5{color:var(--del)}.s3{color:var(--put)}
.media{margin:.35rem 0 0}
@media (max-width:760px){.layout{grid-template-columns:minmax(0,1fr)}nav{position:static;max-height:none;border-right:0;border-bottom:1px solid var(--line)}main{padding:1rem}}
`;

/** The 'sha256-…' source for STYLE, for the page's CSP. */
export const DOCS_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export function renderDocsPage(doc: Obj): string {
	const info = isObj(doc.info) ? doc.info : {};
	const paths = isObj(doc.paths) ? doc.paths : {};
	const byTag = new Map<string, string[]>();
	const toc = new Map<string, string[]>();
	for (const [path, item] of Object.entries(paths)) {
		if (!isObj(item)) continue;
		for (const method of METHODS) {
			const op = item[method];
			if (!isObj(op)) continue;
			const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'Other';
			if (!byTag.has(tag)) {
				byTag.set(tag, []);
				toc.set(tag, []);
			}
			byTag.get(tag)!.push(operation(path, method, op));
			toc
				.get(tag)!
				.push(
					`<li><a href="#${slug(`${method} ${path}`)}">${esc(method.toUpperCase())} ${esc(path)}</a></li>`
				);
		}
	}
	const schemas = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
	const schemaSections = Object.entries(schemas)
		.map(
			([name, schema]) =>
				`<section class="schema" id="schema-${slug(name)}"><h3><code>${esc(name)}</code></h3><pre tabindex="0">${esc(JSON.stringify(schema, null, 2))}</pre></section>`
		)
		.join('');
	const nav = [...toc].map(([tag, items]) => `<h2>${esc(tag)}</h2><ul>${items.join('')}</ul>`).join('');
	const sections = [...byTag]
		.map(
			([tag, ops]) =>
				`<section aria-labelledby="tag-${slug(tag)}"><h2 id="tag-${slug(tag)}">${esc(tag)}</h2>${ops.join('')}</section>`
		)
		.join('');
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(info.title)} reference</title>
<style>${STYLE}</style>
</head>
<body>
<div class="layout">
<nav aria-label="Operations">${nav}${schemaSections ? '<h2>Schemas</h2><ul><li><a href="#schemas">All schemas</a></li></ul>' : ''}</nav>
<main id="main">
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p class="lede">${esc(info.description)}</p>
<p class="lede">Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(doc.openapi)}). <a href="/">Back to Stowage</a></p>
${sections}
${schemaSections ? `<section id="schemas" aria-labelledby="schemas-h"><h2 id="schemas-h">Schemas</h2>${schemaSections}</section>` : ''}
</main>
</div>
</body>
</html>`;
}
