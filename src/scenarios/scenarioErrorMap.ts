import type { z } from 'zod';
import { describeValue } from './describeValue.ts';
import { choiceMessage } from './fieldSchemas.ts';

/**
 * Fallback messages for zod issues that the schema does not word itself:
 * they always say what was found. Passed per parse (never installed
 * globally, so other users of zod are unaffected).
 */
export const scenarioErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? `required field is missing (expected ${iss.expected})` : `expected ${iss.expected}, got ${describeValue(iss.input)}`;
    case 'invalid_value':
      return choiceMessage(iss.input, iss.values.map((v) => String(v)));
    case 'too_big':
      return `${describeValue(iss.input)} is too large (maximum ${String(iss.maximum)})`;
    case 'too_small':
      return `${describeValue(iss.input)} is too small (minimum ${String(iss.minimum)})`;
    case 'invalid_format':
      return `${describeValue(iss.input)} is not a valid ${iss.format}`;
    default:
      return undefined;
  }
};
