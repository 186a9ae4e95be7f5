// FastAPI's error shapes (docs/hive-contract.md, section 3): `{detail: "..."}` for HTTP errors and a `detail` list of pydantic
// issues for 422, so the console's error handling meets what the real server sends.
import {z} from 'zod';

export interface ValidationIssue {
	type: string;
	loc: Array<string | number>;
	msg: string;
	input: unknown;
	ctx?: Record<string, unknown>;
}

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly detail: string | ValidationIssue[],
	) {
		super(typeof detail === 'string' ? detail : 'validation error');
	}
}

export function validationError(issues: ValidationIssue[]): HttpError {
	return new HttpError(422, issues);
}

/** Pydantic's lax int: 30, "30" and 30.0 are all 30. */
export const laxInt = z.preprocess((v) => {
	if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
	return v;
}, z.number().int());

/** Pydantic's lax bool for query strings. */
export function parseBool(value: string | null, name: string, fallback: boolean): boolean {
	if (value === null) return fallback;
	const v = value.toLowerCase();
	if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return true;
	if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return false;
	throw validationError([{type: 'bool_parsing', loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', input: value}]);
}

export function parseIntQuery(value: string | null, name: string, fallback: number, min: number, max: number): number {
	if (value === null) return fallback;
	if (!/^\s*-?\d+\s*$/.test(value)) {
		throw validationError([{type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: value}]);
	}
	const n = Number(value);
	if (n < min) throw validationError([{type: 'greater_than_equal', loc: ['query', name], msg: `Input should be greater than or equal to ${min}`, input: value, ctx: {ge: min}}]);
	if (n > max) throw validationError([{type: 'less_than_equal', loc: ['query', name], msg: `Input should be less than or equal to ${max}`, input: value, ctx: {le: max}}]);
	return n;
}

function valueAt(input: unknown, path: Array<string | number>): unknown {
	let v = input;
	for (const key of path) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<string | number, unknown>)[key];
	}
	return v;
}

/** Validates a JSON body with zod and reports failures as pydantic would. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
	if (body === undefined) {
		throw validationError([{type: 'missing', loc: ['body'], msg: 'Field required', input: null}]);
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw validationError([{type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body}]);
	}
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	throw validationError(
		result.error.issues.map((issue) => {
			const loc = ['body', ...issue.path];
			const input = valueAt(body, issue.path);
			if (input === undefined) return {type: 'missing', loc, msg: 'Field required', input: body};
			if (issue.code === 'too_small') {
				return {type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${issue.minimum}`, input, ctx: {ge: issue.minimum}};
			}
			if (issue.code === 'too_big') {
				return {type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${issue.maximum}`, input, ctx: {le: issue.maximum}};
			}
			if (issue.code === 'invalid_type' && issue.expected === 'number') {
				return {type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input};
			}
			if (issue.code === 'invalid_type' && issue.expected === 'integer') {
				return {type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input};
			}
			if (issue.code === 'invalid_type' && issue.expected === 'string') {
				return {type: 'string_type', loc, msg: 'Input should be a valid string', input};
			}
			return {type: 'value_error', loc, msg: issue.message, input};
		}),
	);
}
