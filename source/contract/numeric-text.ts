// Decimal numbers written as text, by the hive (counters stored as strings) and by Prometheus exporters.
// A hand-written scanner instead of a regular expression: the natural pattern for a decimal,
// /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, can split a run of digits between `\d+` and `\d*` in every
// way, so V8 needs time quadratic in the digits to reject "1111…1!" (9 s for 100,000 digits: the console
// froze, and no deadline can interrupt a synchronous match). This scanner reads each character once.

/** No real count, rate or duration needs more characters than this; longer text is refused unread. */
export const MAX_NUMBER_TEXT = 64;

function isDigit(code: number): boolean {
	return code >= 48 && code <= 57;
}

/**
 * True when `text` is exactly a decimal: optional sign, digits with an optional point (`12`, `12.`, `12.5`,
 * `.5`), optional exponent (`1e6`, `2.5E-3`). No spaces, no hex, no `Infinity`. Linear in its length.
 */
export function isDecimalText(text: string): boolean {
	const n = text.length;
	let i = 0;
	if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++; // + -
	let intDigits = 0;
	while (i < n && isDigit(text.charCodeAt(i))) {
		i++;
		intDigits++;
	}
	let fracDigits = 0;
	if (i < n && text.charCodeAt(i) === 46) {
		// "."
		i++;
		while (i < n && isDigit(text.charCodeAt(i))) {
			i++;
			fracDigits++;
		}
	}
	if (intDigits === 0 && fracDigits === 0) return false;
	if (i < n && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
		// e E
		i++;
		if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
		let expDigits = 0;
		while (i < n && isDigit(text.charCodeAt(i))) {
			i++;
			expDigits++;
		}
		if (expDigits === 0) return false;
	}
	return i === n;
}

export type DecimalResult = {ok: true; value: number} | {ok: false; reason: 'too-long' | 'not-a-number' | 'not-finite'};

/**
 * Reads a decimal written as text. Longer than MAX_NUMBER_TEXT is refused before it is scanned; a value
 * that overflows a double (1e999) is not finite and refused too, so callers never see Infinity by accident.
 */
export function readDecimalText(text: string): DecimalResult {
	if (text.length > MAX_NUMBER_TEXT) return {ok: false, reason: 'too-long'};
	if (!isDecimalText(text)) return {ok: false, reason: 'not-a-number'};
	const value = Number(text);
	return Number.isFinite(value) ? {ok: true, value} : {ok: false, reason: 'not-finite'};
}
