/** The largest request body accepted (the original design's explicit limit); larger ones get a 413 problem. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
