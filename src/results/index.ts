/**
 * The results format: its schema and types, the validating reader, the atomic writer, and where
 * files are.
 */
export * from './results-schema.ts';
export { ResultsError, parseResults, readResults } from './read-results.ts';
export { writeFileAtomic, writeJsonAtomic, writeResults } from './write-results.ts';
export { newResults, toolVersion } from './new-results.ts';
export { newestResults, newestRun, resultsFilesIn } from './results-files.ts';
export { readJsonFile } from './read-json-file.ts';
export { ConformanceFileSchema, isConformanceFile, readConformance, type ConformanceCase, type ConformanceFile } from './conformance-schema.ts';
export { EndpointFileSchema, type EndpointFile } from './endpoint-schema.ts';
