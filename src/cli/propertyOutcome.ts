/**
 * Kept for imports written before the move: property outcomes now live in
 * src/reporting/propertyOutcome.ts (the JUnit renderer needs them).
 *
 * @module
 */
export { propertyOutcome, verdictWord, type PropertyOutcome } from '../reporting/propertyOutcome.ts';
