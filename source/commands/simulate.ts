// `hive-console simulate`: runs the simulated hive until SIGINT/SIGTERM. The first stdout line is the
// contract scripts and tests read: `hive simulator listening on http://HOST:PORT`.
import {redactText} from '../util/redact.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

function optionalString(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

export async function run(ctx: CommandContext): Promise<number> {
	const {startSimulator, SimulatorOptionError} = await import('../simulator/index.js');
	const f = ctx.flags;
	if (ctx.input.length > 0) {
		process.stderr.write(`hive-console simulate: unexpected argument "${redactText(ctx.input[0]!)}"; simulate takes only flags (see --help).\n`);
		return EXIT.usage;
	}
	let simulator;
	try {
		simulator = await startSimulator({
			port: f.port as number | undefined,
			host: optionalString(f.host) ?? undefined,
			scenario: f.scenario as string | undefined,
			agents: f.agents as number | undefined,
			speed: f.speed as number | undefined,
			seed: f.seed as number | undefined,
			redisUrl: optionalString(f.redis),
			databaseUrl: optionalString(f.database),
			logFile: optionalString(f.logFile),
			profile: f.profile as string | undefined,
		});
	} catch (error) {
		if (error instanceof SimulatorOptionError) {
			process.stderr.write(`hive-console simulate: ${redactText(error.message)}\n`);
			return EXIT.usage;
		}
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
			process.stderr.write(`hive-console simulate: cannot listen on ${redactText(String(f.host ?? '127.0.0.1'))}:${String(f.port ?? 8000)} (${code}); choose another --port (0 picks a free one) or --host.\n`);
			return EXIT.usage;
		}
		throw error;
	}
	const stopped = new Promise<void>((resolve) => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			resolve();
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
	process.stdout.write(`hive simulator listening on ${simulator.url}\n`);
	await stopped;
	await simulator.close();
	return EXIT.ok;
}
