-- A stored plan is ~45 KB of JSON, compressed by TOAST on every write and decompressed on every
-- read. lz4 does both several times faster than PostgreSQL's default pglz (measured on this
-- project's bench: 1.4 to 0.8 ms of server CPU per plan insert) at a similar size. It applies to
-- values written from now on, and rows written before read the same as ever.
-- PostgreSQL built without lz4 (PGlite is) refuses with feature_not_supported: pglz stays there.
-- (No semicolons in these comments: the schema engine splits the script on them.)
DO $$
BEGIN
  ALTER TABLE "PlanRevision"
    ALTER COLUMN "topology" SET COMPRESSION lz4,
    ALTER COLUMN "result" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available: plan JSON keeps the default compression (pglz)';
END
$$;
