// Numbers, durations and ages for narrow cells: always short, never NaN, huge values compacted (1.2e+21
// becomes "1.2E"), unknown shown as "?" or a word, never as 0.
const UNITS = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

export function compactNumber(value: number | null | undefined): string {
	if (value === null || value === undefined || Number.isNaN(value)) return '?';
	if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
	const sign = value < 0 ? '-' : '';
	let abs = Math.abs(value);
	if (abs < 1000) return sign + (Number.isInteger(abs) ? String(abs) : abs.toFixed(abs < 10 ? 2 : 1).replace(/\.?0+$/, ''));
	let unit = 0;
	while (abs >= 1000 && unit < UNITS.length - 1) {
		abs /= 1000;
		unit++;
	}
	if (abs >= 1000) return sign + value.toExponential(1).replace('+', '');
	return sign + (abs < 10 ? abs.toFixed(1) : Math.round(abs).toString()) + UNITS[unit];
}

export function percent(value: number | null | undefined, digits = 1): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '?';
	if (Math.abs(value) >= 10_000) return compactNumber(value) + '%';
	return value.toFixed(digits).replace(/\.0+$/, '') + '%';
}

/** "4 s", "3 m", "2 h", "5 d"; negative (clock skew) shows as "0 s". */
export function duration(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '?';
	const s = Math.max(0, seconds);
	if (s < 60) return `${Math.floor(s)} s`;
	if (s < 3600) return `${Math.floor(s / 60)} m`;
	if (s < 86_400) return `${Math.floor(s / 3600)} h`;
	const days = Math.floor(s / 86_400);
	return days >= 10_000 ? `${compactNumber(days)} d` : `${days} d`;
}

export function ageSince(at: number | null | undefined, now: number): string {
	if (at === null || at === undefined || !Number.isFinite(at)) return 'never';
	return duration((now - at) / 1000);
}

export function milliseconds(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms)) return '?';
	if (ms < 1) return `${ms.toFixed(2)} ms`;
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	return duration(ms / 1000);
}

export function seconds(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '?';
	if (value < 100) return `${value.toFixed(1)} s`;
	return duration(value);
}

export function clock(now: number): string {
	const d = new Date(now);
	return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
