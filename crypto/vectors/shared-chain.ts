// JSON form of write-statement columns (SPEC.md §17.1), shared by the chain vector generator and its test.
import { fromHex, toHex } from '../bytes';
import type { ColumnValue } from '../writes';

export type ColumnJson =
	| { type: 'null' }
	| { type: 'text'; value: string }
	| { type: 'bytes'; value: string }
	| { type: 'integer'; value: string }
	| { type: 'boolean'; value: boolean };

export function columnsToJson(columns: Readonly<Record<string, ColumnValue>>): Record<string, ColumnJson> {
	const out: Record<string, ColumnJson> = {};
	for (const [k, v] of Object.entries(columns)) {
		if (v === null) out[k] = { type: 'null' };
		else if (typeof v === 'string') out[k] = { type: 'text', value: v };
		else if (v instanceof Uint8Array) out[k] = { type: 'bytes', value: toHex(v) };
		else if (typeof v === 'boolean') out[k] = { type: 'boolean', value: v };
		else out[k] = { type: 'integer', value: String(v) };
	}
	return out;
}

export function columnsFromJson(json: Record<string, { type: string; value?: string | boolean }>): Record<string, ColumnValue> {
	const out: Record<string, ColumnValue> = {};
	for (const [k, c] of Object.entries(json)) {
		if (c.type === 'null') out[k] = null;
		else if (c.type === 'text') out[k] = c.value as string;
		else if (c.type === 'bytes') out[k] = fromHex(c.value as string);
		else if (c.type === 'boolean') out[k] = c.value as boolean;
		else if (c.type === 'integer') out[k] = BigInt(c.value as string);
		else throw new Error(`unknown column type ${c.type}`);
	}
	return out;
}
