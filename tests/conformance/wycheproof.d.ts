// Wycheproof JSON files, resolved through the $wycheproof alias (vitest.conformance.config.ts).
declare module '$wycheproof/*.json' {
	const value: {
		algorithm: string;
		numberOfTests: number;
		testGroups: Array<Record<string, unknown> & { tests: Array<Record<string, unknown>> }>;
	};
	export default value;
}
