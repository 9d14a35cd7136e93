import { describeValue } from './describeValue.ts';
import { KNOWN_HOP_TYPES } from './hopPresets.ts';
import { suggestName } from './suggestName.ts';

/**
 * The message for a hop whose `type` cannot be used: an unknown name (with a
 * typo hint and the list of hop types), or a missing type.
 */
export function hopTypeMessage(type: unknown): string {
  const supported = `hop types: ${KNOWN_HOP_TYPES.join(', ')}`;
  if (type === undefined) return `required field is missing (${supported})`;
  if (typeof type === 'string') {
    const hint = suggestName(type, KNOWN_HOP_TYPES);
    return `${describeValue(type)} is not a hop type (${supported})${hint === undefined ? '' : ` (did you mean ${hint}?)`}`;
  }
  return `expected a hop type name, got ${describeValue(type)} (${supported})`;
}
