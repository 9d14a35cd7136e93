/**
 * Kept for imports written before the move: the JUnit renderer now lives in
 * src/reporting/junitXml.ts.
 *
 * @module
 */
export { junitXml, xmlEscape } from '../reporting/junitXml.ts';
