// How long something has lasted, said in prose (banners, status text, action notes): "40 s", "3 min",
// "2 h 5 min", "3 d 4 h". Table cells have their own one-unit form in ui/format.ts (`duration`: "3 m"),
// because a cell has five columns and a sentence does not.

/** "40 s", "3 min", "2 h 5 min", "3 d 4 h"; negative (clock skew) shows as "0 s". */
export function shortDuration(seconds: number): string {
	const s = Number.isFinite(seconds) ? Math.max(0, seconds) : 0;
	if (s < 90) return `${Math.round(s)} s`;
	if (s < 5400) return `${Math.round(s / 60)} min`;
	// Rounded in the smaller unit first, so 1 h 59.7 min is "2 h", never "1 h 60 min".
	if (s < 172_800) {
		const minutes = Math.round(s / 60);
		const m = minutes % 60;
		return `${Math.floor(minutes / 60)} h${m ? ` ${m} min` : ''}`;
	}
	const hours = Math.round(s / 3600);
	const h = hours % 24;
	return `${Math.floor(hours / 24)} d${h ? ` ${h} h` : ''}`;
}
