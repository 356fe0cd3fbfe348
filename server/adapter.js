// The SvelteKit adapter: adapter-node's build, then our server (server/index.js and the modules it
// imports) written over adapter-node's `<out>/index.js`, so that /api reaches Hono without SvelteKit.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import adapterNode from '@sveltejs/adapter-node';

/** What the built server runs, copied beside adapter-node's handler.js (which index.js imports). */
export const SERVER_FILES = ['index.js', 'http-server.js', 'client-address.js'];

/**
 * @param {import('@sveltejs/adapter-node').AdapterOptions} [options] adapter-node's options
 * @returns {import('@sveltejs/kit').Adapter}
 */
export default function adapter(options = {}) {
	// server/index.js reads adapter-node's variables by their plain names.
	if (options.envPrefix) throw new Error('server/adapter.js does not support envPrefix');
	const node = adapterNode(options);
	const out = options.out ?? 'build';
	return {
		...node,
		name: 'stowage (adapter-node with its own server)',
		async adapt(builder) {
			// adapter-node would wrap its own index.js with the instrumentation; ours would lose it.
			if (builder.hasServerInstrumentationFile?.()) {
				throw new Error('src/instrumentation.server.ts is not supported by server/adapter.js');
			}
			await node.adapt(builder);
			for (const file of SERVER_FILES) {
				const target = join(out, file);
				if (file !== 'index.js' && existsSync(target)) {
					throw new Error(`adapter-node now writes ${target}; rename server/${file}`);
				}
				copyFileSync(new URL(file, import.meta.url), target);
			}
			// The source map of the entry we replaced would point into the wrong file.
			rmSync(join(out, 'index.js.map'), { force: true });
			builder.log.minor(`Wrote the Stowage server (${SERVER_FILES.join(', ')}) into ${out}`);
		}
	};
}
