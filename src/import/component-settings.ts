import {
  EXPOSURES,
  ROLES,
  WORKLOADS,
  type Exposure,
  type Problem,
  type Role,
  type Workload,
} from '../planner/types.js';

/**
 * What a Compose service (labels or `x-exposure-planner`) or a Backstage entity (annotations) may
 * say about itself, read the same way by both imports: docs/compose.md and docs/backstage.md list them.
 */
export type ComponentSettings = {
  exposure?: Exposure;
  role?: Role;
  workload?: Workload;
  host?: string;
  tls?: boolean;
  path?: string;
};

/** The one namespace of those labels and annotations: `exposure-planner.io/<setting>`. */
export const SETTING_PREFIX = 'exposure-planner.io/';

const CHOICES = { exposure: EXPOSURES, role: ROLES, workload: WORKLOADS } as const;

export const SETTING_NAMES = ['exposure', 'role', 'workload', 'host', 'tls', 'path'] as const;

/**
 * Reads one setting into `settings`, or lists at `where` why its value is not one. False when `name`
 * is not a setting, so that a caller can read its own (Backstage's `ports`) or say what is allowed.
 * Labels and annotations are text; Compose's YAML extension may also give a boolean for `tls`.
 */
export function readSetting(
  settings: ComponentSettings,
  name: string,
  value: unknown,
  where: string,
  problems: Problem[],
): boolean {
  switch (name) {
    case 'exposure':
    case 'role':
    case 'workload': {
      const allowed: readonly string[] = CHOICES[name];
      if (typeof value === 'string' && allowed.includes(value)) {
        // Checked against the setting's own list just above.
        Object.assign(settings, { [name]: value });
      } else {
        problems.push({ path: where, message: `${JSON.stringify(value)} is not one of ${allowed.join(', ')}` });
      }
      return true;
    }
    case 'host':
    case 'path':
      if (typeof value === 'string' && value !== '') {
        settings[name] = value;
      } else {
        problems.push({ path: where, message: `${name} must be a non-empty string` });
      }
      return true;
    case 'tls':
      if (value === true || value === 'true' || value === false || value === 'false') {
        settings.tls = value === true || value === 'true';
      } else {
        problems.push({ path: where, message: 'tls must be true or false' });
      }
      return true;
    default:
      return false;
  }
}
