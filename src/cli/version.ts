// `kubedrill --version`: the package's version, and the Kubernetes release whose defaults,
// rules and messages kubedrill models.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one Kubernetes release kubedrill models (README: "What is modelled"). */
export const KUBERNETES_RELEASE = 'v1.35';

/** kubedrill's version, from the package.json above this module (src/ under the test runner,
 *  dist/src/ once built); '' if none is found. */
export function kubedrillVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'kubedrill' && typeof pkg.version === 'string') return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return '';
    dir = up;
  }
}
