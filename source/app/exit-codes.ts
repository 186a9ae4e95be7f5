// Exit codes shared by every command: health states first, then sysexits(3) values.
export const EXIT = {
	ok: 0,
	healthy: 0,
	warning: 1,
	critical: 2,
	unknown: 3,
	usage: 64,
	software: 70,
	readOnly: 77,
} as const;
