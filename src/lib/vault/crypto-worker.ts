// The vault's crypto worker: Argon2id, the identity's secret keys and bulk seal/open, off the main
// thread and out of the page's reach. It serves operations.ts through comlink. Browser-only.
import * as Comlink from 'comlink';
import { ready } from '$crypto';
import { createOperations } from './operations';
import { serve } from './result';

Comlink.expose(serve(createOperations(), ready));
