// Route profile detection (docs/hive-contract.md, section 1): with --api-profile auto the hive is probed once per connection
// and the answer remembered. FastAPI answers 404 for a route it does not have, so any other HTTP status
// from the beehive-only probe (even a 500 from a sick database) proves the beehive routes exist.
import {profileProbe} from '../contract/routes.js';
import type {ApiProfile} from '../contract/types.js';
import {HiveRequestError, type HiveClient} from './hive-client.js';

export type ProfileSetting = 'auto' | ApiProfile;

export interface ProfileResolver {
	/** The profile in use, or null while auto detection has not succeeded yet. */
	current(): ApiProfile | null;
	source(): 'auto' | 'configured';
	/** Resolves the profile, probing the hive at most once until forget() is called. */
	resolve(signal?: AbortSignal): Promise<ApiProfile>;
	/** Drops a detected profile (after the hive went away: the next one may be another server). */
	forget(): void;
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
		resolve: async (signal) => {
			if (detected) return detected;
			inflight ??= (async () => {
				try {
					const response = await client.request(profileProbe, {signal, discardBody: true});
					if (response.status === 401 || response.status === 403) {
						throw new HiveRequestError(
							response.endpoint,
							'unauthorised',
							`${response.endpoint}: unauthorised (HTTP ${response.status}) while detecting the API profile; check HIVE_TOKEN or --token-file`,
							response.status,
						);
					}
					detected = response.status === 404 || response.status === 405 ? 'runbook' : 'beehive';
					return detected;
				} finally {
					inflight = null;
				}
			})();
			return inflight;
		},
	};
}
