// The command palette's data: every global binding of the keymap (actions with their targets taken from
// the selection, as their keys take them; panes; views; polling and app commands) as entries, matched
// fuzzily against what was typed, most recent first when nothing is typed. Pure; the console draws it and
// runs the chosen command exactly as its key would, so an action still goes through the one gate.
import {keyLabel, type CommandId, type Keymap} from '../keymap.js';

export interface PaletteEntry {
	command: CommandId;
	description: string;
	/** The key that does the same, for learning it. */
	keys: string;
	/** Why the command is off on this hive (an action its profile lacks), or null. */
	off: string | null;
	/** An action on the selected row: the pane its targets are in. */
	targetPane?: 'agents' | 'tasks' | 'streams';
	/** One target of such an action: running the entry selects that row first. */
	target?: {pane: 'agents' | 'tasks' | 'streams'; key: string; label: string};
	/** "ctx NAME": switches the console to that context of the config file. */
	context?: string;
}

/** The config file's contexts as the console can switch between them. */
export interface ContextChoice {
	name: string;
	/** What it points at (a redacted URL, read-only), shown beside it. */
	description: string;
	current: boolean;
}

/** One "ctx NAME" entry per context of the config file, the current one marked and off. */
export function contextEntries(contexts: readonly ContextChoice[]): PaletteEntry[] {
	return contexts.map((c) => ({command: 'switch-context', description: `switch to context "${c.name}": ${c.description}`, keys: '', off: c.current ? 'the context in use' : null, context: c.name}));
}

/** The name an entry is matched and shown by: the command, with its target or context. */
export function entryName(entry: PaletteEntry): string {
	if (entry.context !== undefined) return `ctx ${entry.context}`;
	return entry.target ? `${entry.command} ${entry.target.label}` : entry.command;
}

export interface PaletteState {
	query: string;
	selected: number;
}

/** A typed "interval 10" (seconds, 1-3600): sets the poll interval. */
export function parseIntervalCommand(query: string): number | null {
	const words = query.trim().split(/\s+/);
	if (words.length !== 2 || !'interval'.startsWith(words[0]!.toLowerCase()) || words[0]!.length < 3) return null;
	if (!/^\d{1,4}$/.test(words[1]!)) return null;
	const seconds = Number(words[1]);
	return seconds >= 1 && seconds <= 3600 ? seconds : null;
}

export function paletteEntries(keymap: Keymap, notes: Record<string, string> = {}, demo = false, ascii = false): PaletteEntry[] {
	return keymap.bindings
		.filter((b) => !b.views && b.command !== 'palette' && (!b.demoOnly || demo))
		.map((b) => ({command: b.command, description: b.description, keys: b.keys.map((k) => keyLabel(k, ascii)).join(' '), off: notes[b.command] ?? null, ...(b.targetPane ? {targetPane: b.targetPane} : {})}));
}

/** For each action on a row, one entry per row it could act on ("restart-agent claude-backend-01"). */
export function targetEntries(entries: PaletteEntry[], rowsOf: (pane: 'agents' | 'tasks' | 'streams') => Array<{key: string; label: string}>): PaletteEntry[] {
	const out: PaletteEntry[] = [];
	for (const entry of entries) {
		if (!entry.targetPane) continue;
		for (const row of rowsOf(entry.targetPane)) out.push({...entry, target: {pane: entry.targetPane, key: row.key, label: row.label}});
	}
	return out;
}

/**
 * How well `query` matches `text` as a subsequence, or null when it does not: letters in a row and letters
 * at the start of a word score more, so "rsa" finds restart-agent before a word that merely contains them.
 * Both are short (a query, a command and its description), so the nested walk is cheap.
 */
const WORD_BREAK = /[\s\-_:(]/;
const startsWord = (t: string, at: number) => at === 0 || WORD_BREAK.test(t[at - 1]!);

export function fuzzyScore(query: string, text: string): number | null {
	const q = query.toLowerCase().replace(/\s+/g, '');
	if (q === '') return 0;
	const t = text.toLowerCase();
	let score = 0;
	let at = 0;
	let previous = -2;
	for (const ch of q) {
		const found = t.indexOf(ch, at);
		if (found === -1) return null;
		score += 1 + (found === previous + 1 ? 3 : 0) + (startsWord(t, found) ? 2 : 0);
		previous = found;
		at = found + 1;
	}
	// The query written out whole ("agents") beats the same letters scattered ("force-agent-restart"),
	// more so at the start of a word; shorter texts with the same letters rank first.
	const whole = t.indexOf(q);
	if (whole !== -1) score += 15 + (startsWord(t, whole) ? 5 : 0);
	return score - t.length / 100;
}

/** The entries matching the query, best first; with no query, the recent commands first, then the rest. */
export function paletteMatches(entries: PaletteEntry[], query: string, recent: CommandId[] = []): PaletteEntry[] {
	if (query.trim() === '') {
		entries = entries.filter((e) => !e.target);
		const byCommand = new Map(entries.filter((e) => e.context === undefined).map((e) => [e.command, e]));
		const first = recent.map((c) => byCommand.get(c)).filter((e): e is PaletteEntry => e !== undefined);
		return [...first, ...entries.filter((e) => !recent.includes(e.command))];
	}
	const scored: Array<{entry: PaletteEntry; score: number}> = [];
	for (const entry of entries) {
		const byName = fuzzyScore(query, entryName(entry));
		const byWords = entry.target ? null : fuzzyScore(query, `${entryName(entry)} ${entry.description}`);
		const score = byName !== null ? byName + 10 : byWords;
		if (score !== null) scored.push({entry, score});
	}
	return scored.sort((a, b) => b.score - a.score).map((s) => s.entry);
}
