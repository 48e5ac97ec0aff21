import { migration as m0001 } from "./0001-initial.js";
import { migration as m0002 } from "./0002-goal-mode.js";
import { migration as m0003 } from "./0003-accounts.js";
import { migration as m0004 } from "./0004-import-keys.js";
import { migration as m0005 } from "./0005-collaboration.js";
import { migration as m0006 } from "./0006-jobs-and-settings.js";
import { migration as m0007 } from "./0007-integrations.js";
import { migration as m0008 } from "./0008-goal-rollups.js";
import { migration as m0009 } from "./0009-team-view-answers.js";
import { migration as m0011 } from "./0011-webhook-deliveries-as-jobs.js";
import { migration as m0012 } from "./0012-step-occurrences.js";
import { migration as m0013 } from "./0013-removed-plan-parts.js";
import { migration as m0014 } from "./0014-retired-key-results.js";
import { migration as m0015 } from "./0015-archived-goals.js";
import { migration as m0016 } from "./0016-audit-by-actor.js";
import { migration as m0017 } from "./0017-password-resets.js";
import { migration as m0018 } from "./0018-sealed-hook-secrets.js";
import { migration as m0019 } from "./0019-idempotency-keys.js";
import { migration as m0021 } from "./0021-reminders.js";
import { migration as m0022 } from "./0022-step-due-time.js";
import { migration as m0023 } from "./0023-planner-state.js";

// Team channels connected before hear the new events
import { migration as m0024 } from "./0024-channel-events.js";

// The report's per-goal aggregates
import { migration as m0025 } from "./0025-report-rows.js";

// A step can belong to a key result
import { migration as m0026 } from "./0026-step-key-results.js";
import { migration as m0027 } from "./0027-goal-change-seq.js";

// The report's tag reads what grows with the reader (report19)
import { migration as m0030 } from "./0030-report-reader-stamps.js";

// One goal bump per statement on PostgreSQL (pgtrig22)
import { migration as m0031 } from "./0031-one-goal-bump.js";
import { migration as m0032 } from "./0032-checkin-write-costs.js";
// The report's stored open part (totals25)
import { migration as m0033 } from "./0033-report-open-parts.js";

import type { Migration } from "./types.js";

/** Every migration in order; names are stable once released. */
export const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-goal-mode": m0002,
  "0003-accounts": m0003,
  "0004-import-keys": m0004,
  "0005-collaboration": m0005,
  "0006-jobs-and-settings": m0006,
  "0007-integrations": m0007,
  "0008-goal-rollups": m0008,
  "0009-team-view-answers": m0009,
  "0011-webhook-deliveries-as-jobs": m0011,
  "0012-step-occurrences": m0012,
  "0013-removed-plan-parts": m0013,
  "0014-retired-key-results": m0014,
  "0015-archived-goals": m0015,
  "0016-audit-by-actor": m0016,
  "0017-password-resets": m0017,
  "0018-sealed-hook-secrets": m0018,
  "0019-idempotency-keys": m0019,
  "0021-reminders": m0021,
  "0022-step-due-time": m0022,
  "0023-planner-state": m0023,
  "0024-channel-events": m0024,
  "0025-report-rows": m0025,
  "0026-step-key-results": m0026,
  "0027-goal-change-seq": m0027,
  "0030-report-reader-stamps": m0030,
  "0031-one-goal-bump": m0031,
  "0032-checkin-write-costs": m0032,
  "0033-report-open-parts": m0033,
};
