// Node entry of the crypto benchmark: prints one JSON line for scripts/bench.mjs (`cold`: one fresh Argon2id;
// `--rows=N`: the signed-write verification at N rows instead of the full FULL_VERIFY_ROWS).
import { coldArgonMs, runCryptoBench } from './crypto-bench';

const rows = process.argv.find((a) => a.startsWith('--rows='));
const verifyRows = rows === undefined ? undefined : Number(rows.slice('--rows='.length));
if (verifyRows !== undefined && !(Number.isSafeInteger(verifyRows) && verifyRows > 0)) {
	throw new Error('--rows takes a positive integer');
}
const result = process.argv.includes('cold')
	? { coldMs: await coldArgonMs() }
	: await runCryptoBench({ verifyRows });
console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
