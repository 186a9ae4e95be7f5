// Secrets (tokens, passwords in URLs) must never reach the screen, a log or an error message. Every
// error text that may contain a URL, a connection string or a header passes through here.

// A scheme is short; bounding it keeps the search linear ("a.a.a.…" made an unbounded `[a-z0-9+.-]*`
// rescan the rest of the run from every letter: 0.7 s for 40,000 characters).
const URL_SCHEME = /\b[a-z][a-z0-9+.-]{0,31}:\/\//gi;
const WHITESPACE = /\s/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const PASSWORD_PAIR = /\b(password|passwd|pwd|token|secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi;

/**
 * A URL for display: user and password removed, everything else kept. A password with an unencoded
 * `/ ? #` or `@` in it ends the URL's authority early, and the URL parser then reads the rest of it as
 * host, path, query or fragment (redis://:p@ss/w0rd#x@host has the host "ss" and the path "/w0rd"):
 * when an `@` follows the authority, everything up to the last `@` is taken for the user information.
 */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (hasAtAfterAuthority(parsed)) return redactUserinfo(url);
		if (!parsed.username && !parsed.password) return url;
		parsed.username = parsed.username ? '***' : '';
		parsed.password = parsed.password ? '***' : '';
		return parsed.toString();
	} catch {
		return redactText(url);
	}
}

function hasAtAfterAuthority(parsed: URL): boolean {
	return parsed.pathname.includes('@') || parsed.search.includes('@') || parsed.hash.includes('@');
}

/** True when the URL text parses, and no part of a password can have spilled out of its user information. */
export function isCleanUrl(url: string): boolean {
	try {
		return !hasAtAfterAuthority(new URL(url));
	} catch {
		return false;
	}
}

/**
 * Every `scheme://…@` in free text with everything between `://` and the last `@` before the next
 * whitespace replaced: `***@` (user only) or `***:***@` / `:***@` (password). Reads each character a
 * bounded number of times: after a URL, the search resumes past it.
 */
function redactUserinfo(text: string): string {
	let out = '';
	let copied = 0;
	URL_SCHEME.lastIndex = 0;
	for (let m = URL_SCHEME.exec(text); m; m = URL_SCHEME.exec(text)) {
		const start = m.index + m[0].length;
		WHITESPACE.lastIndex = start;
		const space = WHITESPACE.exec(text);
		const end = space ? space.index : text.length;
		const at = text.lastIndexOf('@', end - 1);
		if (at >= start) {
			const userinfo = text.slice(start, at);
			const colon = userinfo.indexOf(':');
			const masked = colon === -1 ? '***' : `${colon > 0 ? '***' : ''}:***`;
			out += text.slice(copied, start) + masked;
			copied = at;
		}
		URL_SCHEME.lastIndex = Math.max(end, start);
	}
	return copied === 0 ? text : out + text.slice(copied);
}

/**
 * A URL that did not parse cleanly, for an error message: everything between the scheme (if any) and the
 * last `@` is replaced, since a password that was not percent-encoded can reach any part of it.
 */
export function redactMalformedUrl(url: string): string {
	const at = url.lastIndexOf('@');
	const scheme = /^[a-z][a-z0-9+.-]{0,31}:\/\//i.exec(url);
	const start = scheme ? scheme[0].length : 0;
	if (at >= start) return url.slice(0, start) + '***' + redactText(url.slice(at));
	// No @ at all, but what follows the scheme starts like ":password": the host was left out.
	if (url[start] === ':') return `${url.slice(0, start)}***`;
	return redactText(url);
}

const knownSecrets = new Set<string>();

/** Registers a secret value (a token read from a file, a password) so redactText removes it anywhere. */
export function registerSecret(secret: string | undefined | null): void {
	if (secret && secret.length >= 4) knownSecrets.add(secret);
}

export function redactText(text: string): string {
	let out = redactUserinfo(text)
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
