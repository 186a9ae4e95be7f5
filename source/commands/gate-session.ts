// What the one-shot commands that change the hive share (`action`, `playbook`): opening the gate from the
// config, and asking for a confirmation the way the severity needs (typed name for critical ones) on a
// terminal, or taking `--yes` from a script. No terminal and no --yes is a refusal, never a silent yes.
import {openActionSession, type ActionSession} from '../actions/session.js';
import {askOnTerminal} from '../actions/terminal.js';
import type {ConfirmationAnswer, PreparedAction, ReadOnlyMode} from '../actions/gate.js';
import type {ResolvedConfig} from '../config/resolve.js';
import {describeError} from '../util/redact.js';
import {EXIT} from '../app/exit-codes.js';

const err = (s: string) => process.stderr.write(s + '\n');

/** The session (gate, env) for `command`, or the exit code after saying why the hive cannot be reached. */
export async function openSessionOrExit(command: string, config: ResolvedConfig, readOnly: ReadOnlyMode): Promise<ActionSession | number> {
	try {
		return await openActionSession(config, {readOnly});
	} catch (error) {
		err(`hive-console ${command}: cannot reach the hive: ${describeError(error)}`);
		return EXIT.warning;
	}
}

export type ConfirmationOutcome =
	| {kind: 'answer'; answer: ConfirmationAnswer}
	/** Declined on the terminal (anything but the expected answer). */
	| {kind: 'declined'}
	/** No terminal to ask on and no --yes: the caller exits 64 with `reason`. */
	| {kind: 'no-terminal'; reason: string};

/** The confirmation for a prepared action: `--yes`, or asked on the terminal as its severity needs. */
export async function confirmationFor(prepared: PreparedAction, options: {yes: boolean}): Promise<ConfirmationOutcome> {
	if (!prepared.action.mutates) return {kind: 'answer', answer: {kind: 'yes'}};
	if (options.yes) return {kind: 'answer', answer: {kind: 'flag-yes'}};
	if (!process.stdin.isTTY) {
		return {kind: 'no-terminal', reason: `${prepared.action.id} needs a confirmation and stdin is not a terminal; pass --yes to confirm from a script. Nothing was sent.`};
	}
	const answer = await askOnTerminal(prepared);
	return answer ? {kind: 'answer', answer} : {kind: 'declined'};
}
