// Node entry of the crypto benchmark: prints one JSON line for scripts/bench.mjs.
import { runCryptoBench } from './crypto-bench';

const result = await runCryptoBench();
console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
