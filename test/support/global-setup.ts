import { buildHandlers } from '../../scripts/bundles';

/** The constructs deploy the handlers' prebuilt bundles: build them from today's source first (esbuild, milliseconds). */
export default function globalSetup(): void {
  buildHandlers();
}
