// Route profile detection (docs/hive-contract.md, section 1): with --api-profile auto the hive is probed once per connection
// and the answer remembered. FastAPI answers 404 for a route it does not have, so any other HTTP status
// from the beehive-only probe (even a 500 from a sick database) proves the beehive routes exist.
import {profileProbe} from '../contract/routes.js';
import type {ApiProfile} from '../contract/types.js';
import {HiveRequestError, type HiveClient, type HiveResponse} from './hive-client.js';

export type ProfileSetting = 'auto' | ApiProfile;

export interface ProfileResolver {
	/** The profile in use, or null while auto detection has not succeeded yet. */
	current(): ApiProfile | null;
	source(): 'auto' | 'configured';
	/** Resolves the profile, probing the hive at most once until forget() is called. */
	resolve(signal?: AbortSignal): Promise<ApiProfile>;
	/** Drops a detected profile (after the hive went away: the next one may be another server). */
	forget(): void;
	/**
	 * Learns the profile from a request the caller made to a beehive-only route anyway (the poll asks for
	 * the beehive agents list instead of a separate probe): its status decides as the probe's would.
	 * Throws the probe's unauthorised error for 401/403.
	 */
	adopt(response: HiveResponse): ApiProfile;
}

/** The profile a beehive-only route's status proves (FastAPI: 404/405 for a route it does not have). */
function profileFrom(response: HiveResponse): ApiProfile {
	if (response.status === 401 || response.status === 403) {
		throw new HiveRequestError(
			response.endpoint,
			'unauthorised',
			`${response.endpoint}: unauthorised (HTTP ${response.status}) while detecting the API profile; check HIVE_TOKEN or --token-file`,
			response.status,
		);
	}
	return response.status === 404 || response.status === 405 ? 'runbook' : 'beehive';
}

export function createProfileResolver(client: HiveClient, setting: ProfileSetting): ProfileResolver {
	let detected: ApiProfile | null = setting === 'auto' ? null : setting;
	let inflight: Promise<ApiProfile> | null = null;
	return {
		current: () => detected,
		source: () => (setting === 'auto' ? 'auto' : 'configured'),
		forget: () => {
			if (setting === 'auto') detected = null;
		},
		adopt: (response) => {
			const profile = profileFrom(response);
			if (setting === 'auto') detected = profile;
			return detected ?? profile;
		},
		resolve: async (signal) => {
			if (detected) return detected;
			inflight ??= (async () => {
				try {
					const response = await client.request(profileProbe, {signal, discardBody: true});
					detected = profileFrom(response);
					return detected;
				} finally {
					inflight = null;
				}
			})();
			return inflight;
		},
	};
}
