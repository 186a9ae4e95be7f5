// `hive-console audit [--since 2h|ISO] [--json]`: lists the audit log of recovery actions. Text for people
// (one line per phase: intent, reply, effect), JSON lines for scripts. Every field is sanitised: the log
// holds names that came from the hive.
import {configOrExit, sinceFlag} from '../headless/session.js';
import {readAuditLog} from '../actions/audit-log.js';
import {cutToWidth, fitCell, sanitise} from '../util/terminal-text.js';
import {toSafeJson} from '../util/safe-json.js';
import {describeError} from '../util/redact.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

/** Columns for one target's name (as `status` cuts names) and for the targets and message together. */
const NAME_WIDTH = 60;
const TAIL_WIDTH = 400;

export async function run(ctx: CommandContext): Promise<number> {
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	const since = sinceFlag('audit', ctx.flags.since);
	if (since === null) return EXIT.usage;
	let result;
	try {
		result = await readAuditLog(config.auditLogPath, since === undefined ? {} : {since});
	} catch (error) {
		process.stderr.write(`hive-console audit: ${describeError(error)}\n`);
		return EXIT.software;
	}
	if (result.skipped > 0) process.stderr.write(`hive-console audit: skipped ${result.skipped} unreadable line(s) in ${sanitise(config.auditLogPath)}\n`);
	if (ctx.flags.json) {
		for (const entry of result.entries) process.stdout.write(toSafeJson(entry, 0) + '\n');
		return EXIT.ok;
	}
	if (result.entries.length === 0) {
		process.stdout.write(`No audit entries${since === undefined ? '' : ' in that period'} (${sanitise(config.auditLogPath)}).\n`);
		return EXIT.ok;
	}
	const header = [fitCell('TIME', 20), fitCell('USER@HOST', 18), fitCell('CONTEXT', 16), fitCell('ACTION', 26), fitCell('PHASE', 8), fitCell('RESULT', 11), 'TARGETS / MESSAGE'].join(' ');
	process.stdout.write(header + '\n');
	for (const e of result.entries) {
		// Names come from the hive and have no length limit: each is cut, and so is the whole line's tail.
		// A hand-edited or foreign line may have any shape: only arrays and objects are read as such.
		const targets = (Array.isArray(e.targets) ? e.targets : []).map((t) => cutToWidth(sanitise(t?.name || t?.id), NAME_WIDTH)).join(', ');
		const requests = Array.isArray(e.requests) ? e.requests.join('; ') : '';
		const message = sanitise(e.message ?? (e.phase === 'intent' ? requests : ''));
		const tail = cutToWidth([targets, message].filter(Boolean).join(' — '), TAIL_WIDTH);
		const line = [
			fitCell(e.time.replace('T', ' ').slice(0, 19), 20),
			fitCell(`${e.user}@${e.host}`, 18),
			fitCell(e.context, 16),
			fitCell(e.action, 26),
			fitCell(e.phase, 8),
			fitCell(e.result, 11),
			tail,
		].join(' ');
		process.stdout.write(line + '\n');
	}
	return EXIT.ok;
}
