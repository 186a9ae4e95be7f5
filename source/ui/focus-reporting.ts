// Focus reporting (DEC mode 1004): the terminal, or tmux with `focus-events on`, sends ESC [ I when the
// console's pane gains focus and ESC [ O when it loses it. Ink would read those bytes as the keys "I" and
// "O" (both recovery actions), so they are taken out of stdin before Ink reads it: Ink reads with
// stdin.read() on 'readable', and that one method is wrapped here. A terminal without focus events sends
// nothing and the console behaves as without this.
const ENABLE = '\u001b[?1004h';
export const DISABLE_FOCUS_REPORTING = '\u001b[?1004l';
const FOCUS_IN = '\u001b[I';
const FOCUS_OUT = '\u001b[O';

type Readable = Pick<NodeJS.ReadStream, 'read'>;

/** Removes the focus sequences from `text`, calling `onFocus` for each, in order. Linear in the text. */
export function takeFocusEvents(text: string, onFocus: (focused: boolean) => void): string {
	if (!text.includes('\u001b[')) return text;
	let out = '';
	let from = 0;
	for (let at = text.indexOf('\u001b[', from); at !== -1; at = text.indexOf('\u001b[', from)) {
		const three = text.slice(at, at + 3);
		if (three === FOCUS_IN || three === FOCUS_OUT) {
			out += text.slice(from, at);
			onFocus(three === FOCUS_IN);
			from = at + 3;
		} else {
			out += text.slice(from, at + 2);
			from = at + 2;
		}
	}
	return out + text.slice(from);
}

/** Switches focus reporting on and filters stdin; the returned function switches it off again. */
export function enableFocusReporting(stdin: Readable, stdout: Pick<NodeJS.WriteStream, 'write'>, onFocus: (focused: boolean) => void): () => void {
	const read = stdin.read;
	stdin.read = function (this: NodeJS.ReadStream, ...args: Parameters<NodeJS.ReadStream['read']>) {
		const chunk = read.apply(this, args) as string | Buffer | null;
		if (chunk === null) return null;
		const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
		return takeFocusEvents(text, onFocus);
	} as NodeJS.ReadStream['read'];
	stdout.write(ENABLE);
	return () => {
		stdin.read = read;
		stdout.write(DISABLE_FOCUS_REPORTING);
	};
}
