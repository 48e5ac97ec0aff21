/**
 * The name of every migration in `MIGRATIONS` (index.ts), in the same order: what opening a
 * database compares with `kysely_migration` before loading any migration (issue 17, cli24). A
 * run that finds them all applied (every CLI command, every server start after the first) never
 * loads the migrations nor kysely's migrator, some 65 KB of the CLI bundle. A new migration is
 * added here and to index.ts; src/store/migrations/names.test.ts checks the two and the folder agree.
 */
export const MIGRATION_NAMES: readonly string[] = [
  "0001-initial",
  "0002-goal-mode",
  "0003-accounts",
  "0004-import-keys",
  "0005-collaboration",
  "0006-jobs-and-settings",
  "0007-integrations",
  "0008-goal-rollups",
  "0009-team-view-answers",
  "0011-webhook-deliveries-as-jobs",
  "0012-step-occurrences",
  "0013-removed-plan-parts",
  "0014-retired-key-results",
  "0015-archived-goals",
  "0016-audit-by-actor",
  "0017-password-resets",
  "0018-sealed-hook-secrets",
  "0019-idempotency-keys",
  "0021-reminders",
  "0022-step-due-time",
  "0023-planner-state",
  "0024-channel-events",
  "0025-report-rows",
  "0026-step-key-results",
  "0027-goal-change-seq",
  "0030-report-reader-stamps",
  "0031-one-goal-bump",
  "0032-checkin-write-costs",
  "0033-report-open-parts",
];
