/** The PostgreSQL schema of a cluster run, from its Redis key prefix (`bench-1a2b3c4d:`). */
export const benchSchema = (prefix) => `chat_bench_${prefix.replace(/[^a-z0-9]/giu, '').toLowerCase()}`;
