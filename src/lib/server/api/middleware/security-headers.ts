// Security headers on every API response, including errors.
import { createMiddleware } from 'hono/factory';
import { API_CSP, applySecurityHeaders } from '../../security-headers';

export const securityHeaders = () =>
	createMiddleware(async (c, next) => {
		await next();
		applySecurityHeaders(c.res.headers, { 'Content-Security-Policy': API_CSP, 'Cache-Control': 'no-store' });
	});
