// Test support: runs `f` and names its outcome by CryptoError code ('OK' when it does not throw), so
// a test states the one code it expects. Any other throw is a bug and propagates.
import { CryptoError } from '../errors';

export function errorCode(f: () => unknown): string {
	try {
		f();
	} catch (e) {
		if (e instanceof CryptoError) return e.code;
		throw e;
	}
	return 'OK';
}
