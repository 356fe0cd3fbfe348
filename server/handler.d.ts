// Types for `<out>/handler.js`, which adapter-node writes beside server/index.js in the build: a Node
// request handler for everything SvelteKit serves (assets, prerendered pages, rendered pages).
import type { IncomingMessage, ServerResponse } from 'node:http';

export declare const handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => unknown;
