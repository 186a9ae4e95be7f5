// Copy over SSH and tmux with OSC 52: the terminal (not this machine) puts the text on the clipboard, so it
// works from an SSH session. Inside tmux the sequence goes to tmux, which keeps it in its paste buffer and
// passes it on when its `set-clipboard` option is on; with `set-clipboard off` (or `external`, which ignores
// programs) and no `allow-passthrough`, nothing would reach the clipboard, so we say so instead of
// pretending. GNU screen needs the sequence wrapped in its DCS passthrough, in pieces it accepts. Text over
// the size most terminals take is not sent: it is saved to a file in the state directory, and the toast
// names the file. The text is sanitised before it is encoded: a copied name cannot carry a control.
import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {sanitise} from '../util/terminal-text.js';

const ESC = '\u001b';
const BEL = '\u0007';
const ST = `${ESC}\\`;

/** Base64 bytes most terminals accept in one OSC 52 (xterm's default limit is about 100 kB). */
export const OSC52_MAX_BASE64 = 100_000;
/** GNU screen cuts a DCS string longer than this; the sequence goes in pieces. */
const SCREEN_CHUNK = 768;

export type Multiplexer = {kind: 'none'} | {kind: 'tmux'; setClipboard: string; passthrough: boolean} | {kind: 'screen'};

/** What the console runs under, from the environment (and tmux's own options, asked once). */
export function detectMultiplexer(env: NodeJS.ProcessEnv = process.env, askTmux: (option: string) => string | null = tmuxOption): Multiplexer {
	if (env.TMUX) return {kind: 'tmux', setClipboard: askTmux('set-clipboard') ?? 'external', passthrough: /^(on|all)$/.test(askTmux('allow-passthrough') ?? 'off')};
	if (env.STY) return {kind: 'screen'};
	return {kind: 'none'};
}

function tmuxOption(option: string): string | null {
	try {
		return execFileSync('tmux', ['show-options', '-gqv', option], {encoding: 'utf8', timeout: 1000, stdio: ['ignore', 'pipe', 'ignore']}).trim() || null;
	} catch {
		return null;
	}
}

/** The bare OSC 52 sequence that sets the clipboard ("c") to `text`. */
export function osc52(text: string): string {
	return `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
}

export type CopyPlan = {ok: true; sequence: string; bytes: number; via: string} | {ok: false; reason: string; bytes: number};

/** How to copy `text` here: the bytes to write, or why OSC 52 cannot work. */
export function planCopy(rawText: string, mux: Multiplexer): CopyPlan {
	const text = sanitise(rawText, {multiline: true});
	const bytes = Buffer.byteLength(text, 'utf8');
	const seq = osc52(text);
	if (seq.length - 8 > OSC52_MAX_BASE64) return {ok: false, bytes, reason: `${bytes} bytes is more than a terminal takes through OSC 52`};
	switch (mux.kind) {
		case 'none':
			return {ok: true, sequence: seq, bytes, via: 'OSC 52'};
		case 'screen': {
			// Each piece is its own DCS string; screen joins what it passes through.
			const pieces: string[] = [];
			for (let i = 0; i < seq.length; i += SCREEN_CHUNK) pieces.push(`${ESC}P${seq.slice(i, i + SCREEN_CHUNK)}${ST}`);
			return {ok: true, sequence: pieces.join(''), bytes, via: 'OSC 52 through screen'};
		}
		case 'tmux':
			if (mux.setClipboard === 'on') return {ok: true, sequence: seq, bytes, via: 'OSC 52 to tmux (set-clipboard on)'};
			if (mux.passthrough) return {ok: true, sequence: `${ESC}Ptmux;${seq.replaceAll(ESC, ESC + ESC)}${ST}`, bytes, via: 'OSC 52 through tmux passthrough'};
			return {ok: false, bytes, reason: `tmux has set-clipboard ${mux.setClipboard} and allow-passthrough off (tmux set -g set-clipboard on enables copying)`};
	}
}

export interface CopyResult {
	/** The toast's text: what was copied, how many bytes, or where the text went instead. */
	message: string;
	ok: boolean;
}

/**
 * Copies `text` (described as `what`): writes the sequence to the terminal, or saves the text to
 * `clipboard.txt` in the state directory when OSC 52 cannot work here.
 */
export function copyText(what: string, text: string, options: {write: (sequence: string) => void; mux: Multiplexer; stateDir: string}): CopyResult {
	const plan = planCopy(text, options.mux);
	if (plan.ok) {
		options.write(plan.sequence);
		return {ok: true, message: `copied ${what} (${plan.bytes} bytes, ${plan.via})`};
	}
	try {
		mkdirSync(options.stateDir, {recursive: true, mode: 0o700});
		const file = path.join(options.stateDir, 'clipboard.txt');
		writeFileSync(file, sanitise(text, {multiline: true}) + '\n', {mode: 0o600});
		// The file first: a narrow footer cuts the end of the line, and the file is what the reader needs.
		return {ok: false, message: `not copied, ${what} saved to ${file}: ${plan.reason}`};
	} catch (error) {
		return {ok: false, message: `not copied: ${plan.reason}; and the state directory could not be written (${(error as Error).message})`};
	}
}

export interface Clipboard {
	copy(what: string, text: string): CopyResult;
}

/** The console's clipboard: writes to its terminal; asks tmux for its options on the first copy only. */
export function createClipboard(options: {write: (sequence: string) => void; stateDir: string; env?: NodeJS.ProcessEnv}): Clipboard {
	let mux: Multiplexer | null = null;
	return {
		copy(what, text) {
			mux ??= detectMultiplexer(options.env ?? process.env);
			return copyText(what, text, {write: options.write, mux, stateDir: options.stateDir});
		},
	};
}
