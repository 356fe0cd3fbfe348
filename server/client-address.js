// The client's address for the API, read exactly as adapter-node reads it for pages (ADDRESS_HEADER,
// XFF_DEPTH), so that rate limits and logs name the same address whichever side answers.

/** @typedef {(req: import('node:http').IncomingMessage) => string | undefined} ClientAddress */

/**
 * Without a header, the socket's peer: a header is trusted only when the operator names it, because
 * any client can send `X-Forwarded-For` and would otherwise pick its own rate-limit key.
 * @param {{ addressHeader?: string, xffDepth?: string }} env ADDRESS_HEADER and XFF_DEPTH, as set
 * @returns {ClientAddress}
 */
export function clientAddressFrom({ addressHeader = '', xffDepth = '1' }) {
	const header = addressHeader.toLowerCase();
	if (!header) return (req) => req.socket.remoteAddress;

	if (header !== 'x-forwarded-for') return (req) => headerValue(req, header);

	// Checked at start-up (adapter-node checks per request): a bad depth is a deployment error.
	const depth = Number(xffDepth);
	if (!/^\d+$/.test(xffDepth) || depth < 1) {
		throw new Error(`XFF_DEPTH must be a positive integer (got ${JSON.stringify(xffDepth)})`);
	}
	return (req) => {
		// The proxy appends the peer it saw; entries further left were written by the client itself.
		const addresses = headerValue(req, header).split(',');
		const address = addresses[addresses.length - depth];
		if (address === undefined) {
			throw new Error(`XFF_DEPTH is ${depth}, but only found ${addresses.length} addresses`);
		}
		return address.trim();
	};
}

/**
 * A configured header that is missing means the request did not come through the proxy: refuse to
 * guess (as adapter-node does), rather than key every such request on the proxy's own address.
 * @param {import('node:http').IncomingMessage} req
 * @param {string} header
 */
function headerValue(req, header) {
	const value = req.headers[header];
	if (value === undefined) {
		throw new Error(`Address header was specified with ADDRESS_HEADER=${header} but is absent from request`);
	}
	return Array.isArray(value) ? value.join(',') : value;
}
