// Deterministic fault injection for tests (POST /_sim/fault): the next N requests to one path misbehave in
// a chosen way. Kept apart from the scenarios, which are random; these are exact.
import {z} from 'zod';

export const FAULT_MODES = [
	'status-500',
	'hang',
	'malformed-json',
	'malformed-prometheus',
	'error-metric',
	'wrong-type',
	'slow',
	/** 200 text/html: a proxy's or login page's HTML where the API should answer. */
	'html',
	/** The full Content-Length promised, half the body sent, then the connection cut. */
	'truncated',
	/** 200 application/json with random bytes that are neither UTF-8 nor JSON. */
	'garbage',
	/** A valid-looking body of over 1 MB: a number with 1,000,000 digits where the first value was. */
	'huge',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const faultRequestSchema = z.object({
	path: z.string().startsWith('/'),
	mode: z.enum(FAULT_MODES),
	count: z.number().int().min(1).optional(),
	delayMs: z.number().int().min(0).max(600_000).optional(),
});

export interface Fault {
	path: string;
	mode: FaultMode;
	/** null: until cleared. */
	remaining: number | null;
	delayMs: number;
}

export class FaultTable {
	private readonly faults = new Map<string, Fault>();

	set(path: string, mode: FaultMode, count: number | undefined, delayMs: number | undefined): Fault {
		const fault = {path, mode, remaining: count ?? null, delayMs: delayMs ?? 3000};
		this.faults.set(path, fault);
		return fault;
	}

	/** The fault for this request, counted as used. */
	take(path: string): Fault | null {
		const fault = this.faults.get(path);
		if (!fault) return null;
		if (fault.remaining !== null) {
			fault.remaining--;
			if (fault.remaining <= 0) this.faults.delete(path);
		}
		return {...fault};
	}

	clear(): void {
		this.faults.clear();
	}

	list(): Fault[] {
		return Array.from(this.faults.values());
	}
}
