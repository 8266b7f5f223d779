// Stands in for backend/native/addon.ts in the browser bundle (tsup.config.ts aliases it): there
// is no addon in a browser, so loading it fails and the backend selection takes the js backend.
import type { Backend } from './backend/types.js';

/** The raw addon's type, as in backend/native/addon.ts. */
export type NativeAddon = Omit<Backend, 'name'> & { readonly kernelArity: Readonly<Record<string, number>> };

/** There is no package folder in a browser. */
export function packageRoot(): string {
  throw new Error('outerloop/browser: no package folder in a browser');
}

/** Always fails: the browser build has the js backend only. */
export function loadAddon(): NativeAddon {
  throw new Error('outerloop/browser: the native addon does not exist in a browser (js backend only)');
}
