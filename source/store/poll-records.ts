// What one finished hive poll contributes to the flaky-API detection: which reads failed and how. The
// messages come from our own sources (hive-client.ts, hive-http.ts), so their wording is known here.
import type {HiveSnapshot, PollRecord, ReadFailureKind, SourceStatus} from '../contract/snapshot.js';

export const POLL_RECORD_LIMIT = 20;

/** Our messages name the failure in their first words; the rest may quote a hostile body. */
const CLASSIFY_CHARS = 600;

export function classifyReadFailure(full: string): ReadFailureKind {
	const message = full.slice(0, CLASSIFY_CHARS);
	if (/\bHTTP 5\d\d\b/.test(message)) return 'http-5xx';
	if (/no answer within|cancelled \(poll deadline/.test(message)) return 'timeout';
	if (/malformed|not valid JSON|invalid JSON|is \S+ a hive\?|expected |answered with an error|closed mid-request/.test(message)) return 'malformed';
	return 'other';
}

/** "GET /health" from "GET /health: hive error HTTP 500 …", or "*" when no endpoint is named. */
function endpointOf(message: string): string {
	const match = /\b(GET|POST|PUT|DELETE) (\/[^\s:?]{0,200})/.exec(message.slice(0, CLASSIFY_CHARS));
	return match ? `${match[1]} ${match[2]}` : '*';
}

export function pollRecord(at: number, status: SourceStatus, snapshot: HiveSnapshot | undefined): PollRecord {
	if (snapshot) {
		return {at, ok: true, failures: snapshot.partialErrors.map((m) => ({endpoint: endpointOf(m), kind: classifyReadFailure(m)}))};
	}
	// A whole poll that failed: every read is lost, whatever endpoint the message happens to lead with.
	return {at, ok: false, failures: [{endpoint: '*', kind: classifyReadFailure(status.lastError ?? '')}]};
}
