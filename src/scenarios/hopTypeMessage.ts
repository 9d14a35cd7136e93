import { describeValue } from './describeValue.ts';
import { hopPreset, KNOWN_HOP_TYPES, SUPPORTED_HOP_TYPES } from './hopPresets.ts';
import { suggestName } from './suggestName.ts';

/**
 * The message for a hop whose `type` cannot be used: a known product whose
 * model is not built yet (named with its documented defaults, never
 * approximated by another model), an unknown name (with a typo hint), or a
 * missing type.
 */
export function hopTypeMessage(type: unknown): string {
  const supported = `supported hop types: ${SUPPORTED_HOP_TYPES.join(', ')}`;
  if (type === undefined) return `required field is missing (${supported})`;
  if (typeof type === 'string') {
    const preset = hopPreset(type);
    if (preset !== undefined && !preset.built) {
      return `'${type}' is known (${preset.label}, ${preset.summary}) but its model is not built yet; ${supported}`;
    }
    const hint = suggestName(type, KNOWN_HOP_TYPES);
    const unbuilt = KNOWN_HOP_TYPES.filter((t) => !SUPPORTED_HOP_TYPES.includes(t));
    return `${describeValue(type)} is not a hop type (${supported}; known but not built yet: ${unbuilt.join(', ')})${hint === undefined ? '' : ` (did you mean ${hint}?)`}`;
  }
  return `expected a hop type name, got ${describeValue(type)} (${supported})`;
}
