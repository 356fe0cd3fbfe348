// Node entry of the crypto benchmark: prints one JSON line for scripts/bench.mjs (`cold`: one fresh Argon2id).
import { coldArgonMs, runCryptoBench } from './crypto-bench';

const result = process.argv.includes('cold') ? { coldMs: await coldArgonMs() } : await runCryptoBench();
console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
