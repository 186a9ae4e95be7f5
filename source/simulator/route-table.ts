// Looks up a profile's route in source/contract/routes.ts, so the simulator serves exactly the paths the
// console calls and a path is never spelled twice.
import {isAvailable, profileRoutes, type ProfileRouteName, type Route} from '../contract/routes.js';
import type {ApiProfile} from '../contract/types.js';

export function routeOf(profile: ApiProfile, name: ProfileRouteName): Route {
	const route = profileRoutes[profile][name];
	if (!isAvailable(route)) throw new Error(`route ${profile}.${name} is not offered by that profile`);
	return route;
}
