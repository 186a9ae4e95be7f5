// Secrets (tokens, passwords in URLs) must never reach the screen, a log or an error message. Every
// error text that may contain a URL, a connection string or a header passes through here.

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+)(?::([^/\s@]*))?@/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const PASSWORD_PAIR = /\b(password|passwd|pwd|token|secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi;

/** A URL for display: user and password removed, everything else kept. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (!parsed.username && !parsed.password) return url;
		parsed.username = parsed.username ? '***' : '';
		parsed.password = parsed.password ? '***' : '';
		return parsed.toString();
	} catch {
		return redactText(url);
	}
}

const knownSecrets = new Set<string>();

/** Registers a secret value (a token read from a file, a password) so redactText removes it anywhere. */
export function registerSecret(secret: string | undefined | null): void {
	if (secret && secret.length >= 4) knownSecrets.add(secret);
}

export function redactText(text: string): string {
	let out = text
		.replace(URL_CREDENTIALS, (_m, scheme: string, user: string, pass?: string) =>
			pass === undefined ? `${scheme}***@` : `${scheme}${user ? '***' : ''}:***@`,
		)
		.replace(BEARER, '$1***')
		.replace(PASSWORD_PAIR, '$1$2***');
	for (const secret of knownSecrets) out = out.split(secret).join('***');
	return out;
}

/** An error's message, safe to show: redacted, one line. */
export function describeError(error: unknown): string {
	const raw = error instanceof Error ? error.message || error.name : String(error);
	return redactText(raw).replace(/\s+/g, ' ').trim();
}
