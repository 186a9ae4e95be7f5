// What the headless commands share: config errors as exit 64, output that survives a closed pipe (stdout-pipe.ts), and
// an exit guard so a connection that refuses to close can never keep a cron job alive.
import {ConfigError, resolveConfig, type ResolvedConfig} from '../config/resolve.js';
import {EXIT} from '../app/exit-codes.js';
import {intervalForDeadline} from '../poller/backoff.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import {parseSince} from '../actions/audit-log.js';

export {stdoutClosed, watchStdout, writeOut} from './stdout-pipe.js';

/** The resolved config, or the exit code after printing why not (64 for a bad flag or config file). */
export async function configOrExit(flags: Record<string, unknown>, env = process.env): Promise<ResolvedConfig | number> {
	try {
		const config = await resolveConfig(flags, env);
		for (const warning of config.warnings) process.stderr.write(`hive-console: warning: ${sanitise(warning)}\n`);
		return config;
	} catch (error) {
		if (error instanceof ConfigError) {
			for (const line of error.message.split('\n')) process.stderr.write(`hive-console: ${sanitise(line)}\n`);
			return EXIT.usage;
		}
		process.stderr.write(`hive-console: ${sanitise(describeError(error))}\n`);
		return EXIT.software;
	}
}

/**
 * The config a one-shot command (status, check) builds its sources with: they read once, so the poll
 * interval means nothing to them and only the deadline counts. The shared wiring derives every deadline
 * (the poll's, and the per-request and statement timeouts inside it) from the interval, so the interval is
 * set to the one whose deadline is --timeout.
 */
export function oneShotConfig(config: ResolvedConfig): ResolvedConfig {
	return {...config, intervalMs: intervalForDeadline(config.timeoutMs)};
}

/**
 * After a one-shot command has written everything and closed its sources, a stuck socket must not keep
 * the process alive: exit anyway a little later. The timer is unref'd, so a clean exit is not delayed.
 */
export function armExitGuard(code: number, graceMs = 1500): void {
	setTimeout(() => {
		// Reaching this means a connection or timer outlived close(): a bug worth hearing about, not hiding.
		process.stderr.write(`hive-console: note: something was still open ${graceMs / 1000} s after closing the connections; exited anyway\n`);
		process.exit(code);
	}, graceMs).unref();
}

/**
 * A `--since` flag (30m, 2h, 1d or an ISO time) as epoch ms; undefined when not given. A value that is
 * neither is reported on stderr for `command`, and null returned: the caller exits with EX_USAGE.
 */
export function sinceFlag(command: string, value: unknown): number | null | undefined {
	if (value === undefined) return undefined;
	const parsed = typeof value === 'string' ? parseSince(value) : null;
	if (parsed === null) process.stderr.write(`hive-console ${command}: --since ${sanitise(value)}: expected a duration such as 30m, 2h, 1d, or an ISO time such as 2025-08-07T10:00:00Z\n`);
	return parsed;
}

/** --count N of the repeating commands (watch, fleet): a whole number ≥ 1, or undefined; else exit 64 after saying so. */
export function countFlag(command: string, value: unknown): number | undefined | {exit: number} {
	if (value === undefined) return undefined;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
	process.stderr.write(`hive-console ${command}: --count: expected a whole number ≥ 1\n`);
	return {exit: EXIT.usage};
}
