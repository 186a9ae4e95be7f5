// The command line's flags: each command declares them (source/cli.ts), Node's util.parseArgs reads them,
// and this turns the result into camelCase values of the declared types, or a message naming the flag.
import {parseArgs} from 'node:util';
import {describeError, redactText} from './util/redact.js';
import {sanitise} from './util/terminal-text.js';

export type FlagType = 'string' | 'boolean' | 'number';
export interface FlagSpec {
	type: FlagType;
	description: string;
	isMultiple?: boolean;
	shortFlag?: string;
	default?: unknown;
}

export function kebab(name: string): string {
	return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function camel(name: string): string {
	return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The command's flags by their camelCase names (`--api-profile` → apiProfile, `--no-color` → color: false,
 * numbers as numbers, `--set` repeated as a list), and the words after the command; or what is wrong, as
 * a message naming the flag.
 */
export function parseFlags(argv: string[], specs: Record<string, FlagSpec>, commandName: string): {flags: Record<string, unknown>; input: string[]} | string {
	const options: Record<string, {type: 'string' | 'boolean'; multiple?: boolean; short?: string}> = {};
	for (const [flag, f] of Object.entries(specs)) {
		options[kebab(flag)] = {type: f.type === 'boolean' ? 'boolean' : 'string', ...(f.isMultiple ? {multiple: true} : {}), ...(f.shortFlag ? {short: f.shortFlag} : {})};
	}
	let result: ReturnType<typeof parseArgs<{options: typeof options; strict: false; allowPositionals: true; allowNegative: true; tokens: true}>>;
	try {
		result = parseArgs({args: argv, options, strict: false, allowPositionals: true, allowNegative: true, tokens: true});
	} catch (error) {
		return describeError(error);
	}
	for (const token of result.tokens) {
		if (token.kind !== 'option') continue;
		const spec = specs[camel(token.name)];
		if (!spec) return `unknown flag --${sanitise(redactText(token.name)).slice(0, 40)} for "${commandName}".`;
		// parseArgs takes the next word as the value even when it is another flag (`--hive --json`).
		if (spec.type !== 'boolean' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))) return `--${token.name} needs a value.`;
		if (spec.type === 'boolean' && token.value !== undefined && token.value !== 'true' && token.value !== 'false') return `--${token.name} takes no value (or =true, =false).`;
	}
	const flags: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(result.values)) {
		const key = camel(name);
		if (specs[key]?.type === 'boolean') {
			flags[key] = value === true || value === 'true';
			continue;
		}
		if (specs[key]?.type !== 'number') {
			flags[key] = value;
			continue;
		}
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
		if (!Number.isFinite(number)) return `--${name} needs a number.`;
		flags[key] = number;
	}
	return {flags, input: result.positionals};
}

