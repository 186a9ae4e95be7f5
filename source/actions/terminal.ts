// Plain-terminal presentation of actions for the one-shot commands: the plan (exact requests, what it
// does, what cannot be undone), the confirmation question read from stdin, and progress lines. Every
// string from the hive passes the sanitiser first.
import readline from 'node:readline';
import {cutToWidth, sanitise} from '../util/terminal-text.js';
import type {ConfirmationAnswer, PreparedAction} from './gate.js';
import type {ActionRun, RunProgress} from './history.js';

/** A hive can send a name of any length: one line of text output shows its first 60 columns. */
const NAME_COLUMNS = 60;
const name = (text: string) => cutToWidth(sanitise(text), NAME_COLUMNS);

export function planText(prepared: PreparedAction, contextLine: string): string {
	const {action, plan, targets} = prepared;
	const lines = [
		`${action.title} (${action.id}, ${action.severity}) on ${contextLine}`,
		`Targets: ${targets.map((t) => (t.name === t.id ? name(t.id) : `${name(t.name)} (${name(t.id)})`)).join(', ') || 'none'}`,
	];
	const inputs = Object.entries(prepared.inputs);
	if (inputs.length) lines.push(`Inputs: ${inputs.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
	lines.push('Sends:');
	for (const r of plan.requests) lines.push(`  ${r.display}`);
	if (plan.requests.length === 0) lines.push('  nothing');
	lines.push(`Does: ${plan.summary}`);
	if (plan.irreversible) lines.push(`Cannot be undone: ${plan.irreversible}`);
	for (const note of plan.notes) lines.push(`  - ${note}`);
	return lines.map((l) => sanitise(l)).join('\n');
}

export function progressLine(p: RunProgress): string {
	return sanitise(`  ${name(p.targetName)}: ${p.state}${p.message ? ` (${p.message})` : ''}`);
}

export function runLine(run: ActionRun): string {
	return sanitise(`${run.actionId}: ${run.status}: ${run.message}`);
}

/** Reads one line from stdin (the caller has checked it is a terminal). */
export function readLine(question: string, output: NodeJS.WritableStream = process.stderr): Promise<string | null> {
	return new Promise((resolve) => {
		const rl = readline.createInterface({input: process.stdin, output, terminal: false});
		let answered = false;
		output.write(question);
		rl.once('line', (line) => {
			answered = true;
			rl.close();
			resolve(line);
		});
		rl.once('close', () => {
			if (!answered) resolve(null);
		});
	});
}

/** Asks on the terminal as the severity requires; null when declined. */
export async function askOnTerminal(prepared: PreparedAction): Promise<ConfirmationAnswer | null> {
	const need = prepared.confirmation;
	if (need.kind === 'typed') {
		const line = await readLine(`${prepared.action.title} is critical. Type "${need.expected}" to confirm (anything else cancels): `);
		return line === null ? null : {kind: 'typed', text: line};
	}
	if (need.kind === 'confirm') {
		const line = await readLine(`Type "confirm" to run ${prepared.action.title} (anything else cancels): `);
		return line?.trim().toLowerCase() === 'confirm' ? {kind: 'confirm'} : null;
	}
	const line = await readLine(`Run ${prepared.action.title}? [y/N] `);
	return line !== null && /^y(es)?$/i.test(line.trim()) ? {kind: 'yes'} : null;
}
