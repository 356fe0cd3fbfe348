// The Hono API: middleware in the order a request meets it, then one chained sub-app per resource.
// Importable and testable on its own (`createApi(deps).request(...)`); served at /api by server/http-server.js
// (and by SvelteKit's catch-all route under `vite dev`).
import { bodyLimit } from './middleware/body-limit';
import { jsonOnly } from './middleware/json-only';
import { requestLog } from './middleware/request-log';
import { sameOrigin } from './middleware/same-origin';
import { securityHeaders } from './middleware/security-headers';
import { problemFor, problemResponse, toProblem } from './problem';
import { createRouter } from './router';
import { cspReportRoutes } from './routes/csp-reports';
import { mountDocs } from './routes/docs';
import { healthRoutes } from './routes/health';
import { liveRoutes } from './routes/live';
import { loginRoutes } from './routes/auth/login';
import { meRoutes } from './routes/auth/me';
import { passkeyLoginRoutes } from './routes/auth/passkey-login';
import { passkeyRoutes } from './routes/auth/passkeys';
import { passwordRoutes } from './routes/auth/password';
import { preloginRoutes } from './routes/auth/prelogin';
import { recoveryKeyRoutes } from './routes/auth/recovery-key';
import { recoveryRoutes } from './routes/auth/recovery';
import { securityRoutes } from './routes/auth/security';
import { sessionRoutes } from './routes/auth/sessions';
import { signupRoutes } from './routes/auth/signup';
import { tokenRoutes } from './routes/auth/token';
import { totpRoutes } from './routes/auth/totp';
import { organisationRoutes } from './routes/orgs';
import { catalogueRoutes } from './routes/catalogue';
import { checkpointRoutes } from './routes/checkpoints';
import type { ApiDeps } from './env';

export function createApi(deps: ApiDeps) {
	const base = createRouter().basePath('/api');
	// Not chained: Hono's `use` returns a plain Hono, which would drop the OpenAPI methods and types.
	base.use(requestLog(deps.logger));
	base.use(securityHeaders());
	// Before anything reads a body: a cross-site request is refused unread.
	base.use(sameOrigin(deps.webauthn.origin));
	base.use(bodyLimit(deps.bodyLimit));
	base.use(jsonOnly());
	const app = base
		.route('/', healthRoutes(deps))
		.route('/', liveRoutes())
		.route('/', cspReportRoutes(deps))
		.route('/', preloginRoutes(deps))
		.route('/', signupRoutes(deps))
		.route('/', loginRoutes(deps))
		.route('/', tokenRoutes(deps))
		.route('/', meRoutes(deps))
		.route('/', passwordRoutes(deps))
		.route('/', sessionRoutes(deps))
		.route('/', securityRoutes(deps))
		.route('/', recoveryRoutes(deps))
		.route('/', recoveryKeyRoutes(deps))
		.route('/', totpRoutes(deps))
		.route('/', passkeyRoutes(deps))
		.route('/', passkeyLoginRoutes(deps))
		.route('/', organisationRoutes(deps))
		.route('/', catalogueRoutes(deps))
		.route('/', checkpointRoutes(deps));
	app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
		type: 'http',
		scheme: 'bearer',
		bearerFormat: 'JWT'
	});

	app.notFound((c) => problemResponse(c, problemFor(404, 'No such endpoint.')));
	app.onError((error, c) => {
		const { problem, headers, expected } = toProblem(error);
		if (!expected) deps.logger.error({ err: error, requestId: c.get('requestId') }, 'unhandled error');
		return problemResponse(c, problem, headers);
	});
	return mountDocs(app);
}

/** The API's type, for the typed client (`hc<ApiApp>`). */
export type ApiApp = ReturnType<typeof createApi>;
