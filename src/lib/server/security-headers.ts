// Security headers for every response, pages and API alike. Pages get their CSP from SvelteKit's
// `kit.csp` (with nonces); API responses get a CSP that allows nothing, since they are data.

/** Where browsers send CSP violation reports (the `report-to csp` directive names it). */
export const REPORTING_ENDPOINTS = 'csp="/api/csp-reports"';

export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
	'Reporting-Endpoints': REPORTING_ENDPOINTS
};

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Adds each header the response does not already set (a route may set a stricter or special one). */
export function applySecurityHeaders(headers: Headers): void {
	for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) {
		if (!headers.has(name)) headers.set(name, value);
	}
}
