// The one entry point. Parses the command line with Node's own util.parseArgs, rejects unknown commands and
// flags with exit code 64 (EX_USAGE), and loads only the chosen command's module: `status` and `check` never
// import Ink. (meow did the parsing before; its bundled dependencies were 250 KB, 40 % of what `status`
// loaded, and about 70 ms of its start-up.)
import {kebab, parseFlags, type FlagSpec} from './cli-flags.js';
import {describeError, redactText} from './util/redact.js';
import {sanitise} from './util/terminal-text.js';
import {EXIT} from './app/exit-codes.js';
import {watchStdout} from './headless/stdout-pipe.js';
import {DEMO_AGENTS, DEMO_SPEED} from './commands/demo-defaults.js';
import type {CommandContext} from './commands/command.js';

// Flags common to every command that talks to a hive (README, Configuration).
const connectionFlags: Record<string, FlagSpec> = {
	hive: {type: 'string', description: 'Hive API base URL (env HIVE_URL; default http://localhost:8000)'},
	redis: {type: 'string', description: 'Redis URL, redis:// or rediss:// (env REDIS_URL)'},
	database: {type: 'string', description: 'PostgreSQL URL (env DATABASE_URL)'},
	alertmanager: {type: 'string', description: 'Alertmanager base URL (env ALERTMANAGER_URL)'},
	apiProfile: {type: 'string', description: 'Route profile: auto, runbook or beehive (default auto)'},
	interval: {type: 'number', description: 'Poll interval in seconds'},
	context: {type: 'string', description: 'Named context from the config file'},
	config: {type: 'string', description: 'Config file (default $XDG_CONFIG_HOME/hive-console/config.json)'},
	tokenFile: {type: 'string', description: 'File holding the hive bearer token (or env HIVE_TOKEN)'},
	logs: {type: 'string', description: 'Log source: a file to follow, or "cmd:COMMAND" to run'},
};

/** The one-shot commands' deadline, independent of the poll interval. */
const timeoutFlag: FlagSpec = {type: 'number', description: 'Seconds to wait for every source to answer, 1-30 (default 10)'};

const uiFlags: Record<string, FlagSpec> = {
	readOnly: {type: 'boolean', description: 'Make every recovery action unavailable'},
	color: {type: 'boolean', description: 'Use --no-color to disable colour (or set NO_COLOR)'},
	ascii: {type: 'boolean', description: 'No box-drawing or braille glyphs'},
	auditLog: {type: 'string', description: 'Audit log file (default $XDG_STATE_HOME/hive-console/audit.jsonl)'},
};

const simulatorFlags: Record<string, FlagSpec> = {
	port: {type: 'number', description: 'Port to listen on; 0 picks a free one (default 8000)'},
	host: {type: 'string', description: 'Address to listen on (default 127.0.0.1)'},
	scenario: {type: 'string', description: 'Scenario to start in (default healthy)'},
	agents: {type: 'number', description: 'Number of agents (default 8)'},
	speed: {type: 'number', description: 'Simulated seconds per real second (default 1)'},
	logFile: {type: 'string', description: 'Write hive-style API log lines to this file'},
	seed: {type: 'number', description: 'Random seed, for repeatable runs'},
	profile: {type: 'string', description: 'Route families to serve: runbook, beehive or both (default both); the other family then 404s'},
};

interface CommandSpec {
	summary: string;
	usage: string;
	flags: Record<string, FlagSpec>;
	/** Takes words after the command (an action id, a scenario); every other command refuses them. */
	positional?: true;
	load: () => Promise<{run: (ctx: CommandContext) => Promise<number>}>;
}

const commands: Record<string, CommandSpec> = {
	console: {
		summary: 'Open the live console (the default when no command is given)',
		usage: 'hive-console [console] [flags]',
		flags: {...connectionFlags, ...uiFlags},
		load: () => import('./commands/console.js'),
	},
	demo: {
		summary: 'Run the console on a built-in simulated hive (throwaway Redis and PostgreSQL when installed)',
		usage: `hive-console demo [--scenario NAME] [--agents ${DEMO_AGENTS}] [--speed ${DEMO_SPEED}] [--api-profile auto|runbook|beehive]`,
		flags: {
			...uiFlags,
			scenario: simulatorFlags.scenario,
			agents: {...simulatorFlags.agents, description: `Number of agents (default ${DEMO_AGENTS})`},
			speed: {...simulatorFlags.speed, description: `Simulated seconds per real second (default ${DEMO_SPEED}: a scenario from banner to recovery in about a minute)`},
			interval: connectionFlags.interval,
			apiProfile: connectionFlags.apiProfile,
		},
		load: () => import('./commands/demo.js'),
	},
	simulate: {
		summary: 'Run a simulated LeanVibe hive until interrupted',
		usage: 'hive-console simulate [--port 8000] [--host 127.0.0.1] [--scenario NAME] [--agents 8] [--redis URL] [--database URL] [--log-file PATH] [--speed 1] [--profile both]',
		// The simulator reads these flags only: a REDIS_URL left in the environment for the console must not
		// make it seed (and flush) that Redis.
		flags: {...simulatorFlags, redis: {type: 'string', description: 'Redis URL to seed with streams (flag only)'}, database: {type: 'string', description: 'PostgreSQL URL to seed with tables (flag only)'}},
		load: () => import('./commands/simulate.js'),
	},
	status: {
		summary: 'Print one snapshot of every source and exit (0 healthy, 1 warning, 2 critical, 3 unknown)',
		usage: 'hive-console status [--json] [--timeout 10]',
		flags: {...connectionFlags, color: uiFlags.color, json: {type: 'boolean', description: 'Machine-readable output (schema 1)'}, timeout: timeoutFlag},
		load: () => import('./commands/status.js'),
	},
	check: {
		summary: "The runbook's daily health check: log, alert through Alertmanager, resolve when healthy",
		usage: 'hive-console check [--log-file PATH] [--alertmanager URL] [--timeout 10]',
		flags: {...connectionFlags, color: uiFlags.color, logFile: {type: 'string', description: 'Append timestamped lines here'}, timeout: timeoutFlag},
		load: () => import('./commands/check.js'),
	},
	watch: {
		summary: 'Print a compact plain-text frame every interval (pipes, tmux logs, `watch`)',
		usage: 'hive-console watch [--interval 5] [--count N]',
		flags: {...connectionFlags, color: uiFlags.color, count: {type: 'number', description: 'Stop after N frames'}},
		load: () => import('./commands/watch.js'),
	},
	action: {
		summary: 'Run one recovery action through the safety gate, or `action list`',
		usage: 'hive-console action <id|list> [target] [--set key=value] [--yes] [--dry-run] [--json]',
		flags: {
			...connectionFlags,
			readOnly: uiFlags.readOnly,
			auditLog: uiFlags.auditLog,
			set: {type: 'string', isMultiple: true, description: 'Action input, e.g. --set count=2'},
			yes: {type: 'boolean', description: 'Do not ask for confirmation'},
			dryRun: {type: 'boolean', description: 'Show the requests without sending them'},
			json: {type: 'boolean', description: 'Machine-readable output'},
		},
		positional: true,
		load: () => import('./commands/action.js'),
	},
	playbook: {
		summary: "Run a runbook scenario's recovery playbook through the safety gate, or `playbook list`",
		usage: 'hive-console playbook <coordination-critical|communication-failure|task-distribution|list> [--yes] [--dry-run] [--json]',
		flags: {
			...connectionFlags,
			readOnly: uiFlags.readOnly,
			auditLog: uiFlags.auditLog,
			yes: {type: 'boolean', description: 'Do not ask for confirmation (for scripts)'},
			dryRun: {type: 'boolean', description: "Show every step's exact request without sending anything"},
			json: {type: 'boolean', description: 'One JSON line per step, then one with the outcome'},
		},
		positional: true,
		load: () => import('./commands/playbook.js'),
	},
	optimize: {
		summary: "Run the runbook's weekly optimisation through the safety gate",
		usage: 'hive-console optimize [--yes] [--dry-run]',
		flags: {
			...connectionFlags,
			readOnly: uiFlags.readOnly,
			auditLog: uiFlags.auditLog,
			yes: {type: 'boolean', description: 'Do not ask for confirmation'},
			dryRun: {type: 'boolean', description: 'Show the requests without sending them'},
		},
		load: () => import('./commands/optimize.js'),
	},
	timeline: {
		summary: "The context's timeline: every change that mattered and every action, newest first",
		usage: 'hive-console timeline [--since 1h|ISO] [--json] [--context NAME]',
		flags: {
			since: {type: 'string', description: 'Only entries newer than this (e.g. 30m, 2h, 1d, or an ISO time)'},
			json: {type: 'boolean', description: 'JSON lines'},
			config: connectionFlags.config,
			context: connectionFlags.context,
		},
		load: () => import('./commands/timeline.js'),
	},
	fleet: {
		summary: 'Every hive in the config file, one row each, worst first (--once: exit with the worst state)',
		usage: 'hive-console fleet [--once] [--json] [--interval 5] [--timeout 10] [--count N] [--config FILE]',
		flags: {
			once: {type: 'boolean', description: 'Read every hive once and exit 0 healthy, 1 warning, 2 critical, 3 unknown (the worst)'},
			json: {type: 'boolean', description: 'Machine-readable output (schema 1)'},
			interval: connectionFlags.interval,
			timeout: timeoutFlag,
			count: {type: 'number', description: 'Stop after N tables'},
			color: uiFlags.color,
			config: connectionFlags.config,
		},
		load: () => import('./commands/fleet.js'),
	},
	snapshot: {
		summary: 'Write an incident snapshot (Markdown and JSON): every source, the timeline, recent actions',
		usage: 'hive-console snapshot [--out DIR] [--timeout 10]',
		flags: {...connectionFlags, out: {type: 'string', description: 'Folder for the two files (default $XDG_STATE_HOME/hive-console/snapshots)'}, auditLog: uiFlags.auditLog, timeout: timeoutFlag},
		load: () => import('./commands/snapshot.js'),
	},
	audit: {
		summary: 'List the audit log of recovery actions',
		usage: 'hive-console audit [--since 1h|ISO] [--json]',
		flags: {
			auditLog: uiFlags.auditLog,
			since: {type: 'string', description: 'Only entries newer than this (e.g. 2h, 1d, or an ISO time)'},
			json: {type: 'boolean', description: 'JSON lines'},
			config: connectionFlags.config,
			context: connectionFlags.context,
		},
		load: () => import('./commands/audit.js'),
	},
};

function helpText(): string {
	const width = Math.max(...Object.keys(commands).map((c) => c.length));
	const lines = [
		'Usage: hive-console [command] [flags]',
		'',
		'Commands:',
		...Object.entries(commands).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`),
		'',
		'Run `hive-console <command> --help` for the flags of one command.',
		'Exit codes: 0 healthy/ok, 1 warning, 2 critical, 3 unknown, 64 usage error, 77 read-only refusal.',
	];
	return lines.join('\n');
}

function commandHelp(name: string, spec: CommandSpec): string {
	const entries = Object.entries(spec.flags).map(([flag, f]) => {
		const label = f.type === 'boolean' ? `--${kebab(flag)}` : `--${kebab(flag)} ${f.type === 'number' ? 'N' : 'VALUE'}`;
		return [label, f.description] as const;
	});
	const width = Math.max(0, ...entries.map(([l]) => l.length));
	return [
		`Usage: ${spec.usage}`,
		'',
		spec.summary,
		'',
		'Flags:',
		...entries.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`),
		`  ${'--help'.padEnd(width)}  Show this help`,
	].join('\n');
}

function usageError(message: string): number {
	process.stderr.write(`hive-console: ${message}\nRun \`hive-console --help\` for the commands and flags.\n`);
	return EXIT.usage;
}

export async function main(argv: string[]): Promise<number> {
	const first = argv.find((a) => !a.startsWith('-'));
	const firstIndex = first === undefined ? -1 : argv.indexOf(first);
	// A leading word that is not a command is an error, not a positional of the console.
	let commandName = 'console';
	let rest = argv;
	if (first !== undefined && firstIndex === 0) {
		if (!(first in commands)) return usageError(`unknown command "${first}".`);
		commandName = first;
		rest = argv.slice(1);
	}
	if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
		if (argv.length > 0) {
			process.stdout.write(helpText() + '\n');
			return EXIT.ok;
		}
	}
	if (argv[0] === '--version') {
		process.stdout.write('hive-console 0.1.0\n');
		return EXIT.ok;
	}
	const spec = commands[commandName]!;
	if (rest.includes('--help') || rest.includes('-h')) {
		process.stdout.write((commandName === 'console' && firstIndex !== 0 ? helpText() : commandHelp(commandName, spec)) + '\n');
		return EXIT.ok;
	}
	const parsed = parseFlags(rest, spec.flags, commandName);
	if (typeof parsed === 'string') return usageError(parsed);
	const cli = parsed;
	// A stray word (`status prod`, a URL without its flag) is a mistake; doing something else silently is worse.
	if (!spec.positional && cli.input.length > 0 && commandName !== 'simulate') {
		const word = sanitise(redactText(cli.input[0]!)).slice(0, 80);
		return usageError(`"${commandName}" takes no arguments, only flags (got "${word}"); see \`hive-console ${commandName} --help\`.`);
	}
	// Every command but the console writes to a stdout that may be a pipe someone stops reading (`| head`).
	if (commandName !== 'console' && commandName !== 'demo') watchStdout();
	const module = await spec.load();
	return module.run({command: commandName, input: cli.input, flags: cli.flags as Record<string, unknown>});
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`hive-console: ${describeError(error)}\n`);
		process.exitCode = EXIT.software;
	},
);
