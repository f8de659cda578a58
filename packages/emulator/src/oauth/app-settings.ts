/** App settings with a meaning for OAuth rules (tolerance, JWT apps), checked wherever apps are built. */
import type { FieldError } from '../errors/zoom.js';

/** Settings with a meaning for OAuth rules: checked so that a typo fails loudly. */
export function validateRuleSettings(settings: Record<string, unknown>, prefix = 'settings.'): FieldError[] {
  const errors: FieldError[] = [];
  const tol = settings.token_tolerance;
  if (
    tol !== undefined &&
    tol !== null &&
    !(Number.isInteger(tol) && (tol as number) >= 1 && (tol as number) <= 100)
  )
    errors.push({ field: `${prefix}token_tolerance`, message: 'Must be an integer from 1 to 100.' });
  for (const key of ['refresh_grace_seconds', 'refresh_token_ttl_seconds']) {
    const v = settings[key];
    if (
      v !== undefined &&
      v !== null &&
      !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10 * 365 * 86400)
    )
      errors.push({ field: `${prefix}${key}`, message: 'Must be a whole number of seconds.' });
  }
  for (const flag of ['legacy_single_token', 'jwt_enabled', 'strict_ttl']) {
    const v = settings[flag];
    if (v !== undefined && v !== null && typeof v !== 'boolean')
      errors.push({ field: `${prefix}${flag}`, message: 'Must be a boolean.' });
  }
  return errors;
}
