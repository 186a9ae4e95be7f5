// Readers for the shipped server's replies that the console shows or reasons about (success rate, task
// distribution, diagnostics, failures, auto-heal), built from the zod schemas in
// source/contract/server-routes.ts, which stay the one spelling of those shapes. The schemas there are
// strict, for the contract test; a console reading a live hive must not lose a whole view because a newer
// server adds a field, an older one lacks one, or one value is malformed. So each schema is loosened here:
// every field optional, unknown fields dropped, length limits lifted, and a field that does not fit reads
// as missing rather than failing the reply.
import {z} from 'zod';
import {schemas} from '../../contract/server-routes.js';

/** The schema with every object field optional and forgiving (see the file comment). */
export function lenient(schema: z.ZodTypeAny): z.ZodTypeAny {
	if (schema instanceof z.ZodObject) {
		const shape = schema.shape as Record<string, z.ZodTypeAny>;
		const loose: Record<string, z.ZodTypeAny> = {};
		for (const [key, field] of Object.entries(shape)) loose[key] = lenient(field).optional().catch(undefined);
		return z.object(loose).strip();
	}
	if (schema instanceof z.ZodArray) return z.array(lenient(schema.element as z.ZodTypeAny));
	if (schema instanceof z.ZodNullable) return lenient(schema.unwrap() as z.ZodTypeAny).nullable();
	if (schema instanceof z.ZodOptional) return lenient(schema.unwrap() as z.ZodTypeAny).optional();
	if (schema instanceof z.ZodUnion) {
		// The exact shapes first, so an {error, connectivity: failed} is not read as a healthy shape with fields missing.
		const options = schema.options as z.ZodTypeAny[];
		return z.union([...options, ...options.map(lenient)] as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]]);
	}
	if (schema instanceof z.ZodRecord) return z.record(lenient(schema.valueSchema as z.ZodTypeAny));
	return schema;
}

/** Deep partial of a strict server shape: what lenient() lets through. */
type Loose<T> = T extends Array<infer U> ? Array<Loose<U>> : T extends object ? {[K in keyof T]?: Loose<T[K]>} : T;

export type SuccessRateReply = Loose<z.infer<typeof schemas.successRate>>;
export type DistributionReply = Loose<z.infer<typeof schemas.distribution>>;
export type DiagnosticsReply = Loose<z.infer<typeof schemas.diagnostics>>;
export type FailuresReply = Loose<z.infer<typeof schemas.failures>>;
export type AutoHealReply = Loose<z.infer<typeof schemas.autoHeal>>;
export type SystemHealthReply = Loose<z.infer<typeof schemas.systemHealth>>;

const readers = {
	successRate: lenient(schemas.successRate),
	distribution: lenient(schemas.distribution),
	diagnostics: lenient(schemas.diagnostics),
	failures: lenient(schemas.failures),
	autoHeal: lenient(schemas.autoHeal),
	systemHealth: lenient(schemas.systemHealth),
};

function read<T>(reader: z.ZodTypeAny, body: unknown): T | null {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
	const parsed = reader.safeParse(body);
	return parsed.success ? (parsed.data as T) : null;
}

/** The beehive success-rate reply, or null when the body is another shape (the runbook's weekly analysis). */
export function readSuccessRate(body: unknown): SuccessRateReply | null {
	const reply = read<SuccessRateReply>(readers.successRate, body);
	return reply?.current_metrics ? reply : null;
}

/** The beehive task distribution, or null when the body is another shape (the runbook's distribution analysis). */
export function readDistribution(body: unknown): DistributionReply | null {
	const reply = read<DistributionReply>(readers.distribution, body);
	return reply?.agent_distribution ? reply : null;
}

export function readDiagnostics(body: unknown): DiagnosticsReply | null {
	const reply = read<DiagnosticsReply>(readers.diagnostics, body);
	return reply?.diagnostics ? reply : null;
}

export function readFailures(body: unknown): FailuresReply | null {
	const reply = read<FailuresReply>(readers.failures, body);
	return reply && (reply.detailed_failures || reply.analysis || reply.total_failures !== undefined) ? reply : null;
}

/** The beehive system/health reply, or null when the body is another shape. */
export function readSystemHealth(body: unknown): SystemHealthReply | null {
	const reply = read<SystemHealthReply>(readers.systemHealth, body);
	return reply?.overall_health ? reply : null;
}

export function readAutoHeal(body: unknown): AutoHealReply | null {
	const reply = read<AutoHealReply>(readers.autoHeal, body);
	return reply?.actions ? reply : null;
}
