/**
 * Vitest global set-up: starts one throwaway PostgreSQL cluster for the whole run and hands its
 * URL to the tests. Each test database is created inside it (see dialects.ts). With CI=true a
 * missing PostgreSQL is a failure; elsewhere the PostgreSQL half of each suite is skipped with a note.
 */
import type { TestProject } from "vitest/node";
import { type Cluster, findPostgresBin, startCluster } from "./postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

let cluster: Cluster | null = null;

export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("postgresUrl", process.env.TEST_DATABASE_URL);
    return () => {};
  }
  if (!findPostgresBin()) {
    if (process.env.CI === "true") {
      throw new Error("PostgreSQL is required in CI: install it (apt-get install -y postgresql).");
    }
    console.warn("PostgreSQL not found: the PostgreSQL half of the store tests is skipped.");
    project.provide("postgresUrl", null);
    return () => {};
  }
  cluster = await startCluster();
  // A run that is interrupted (Ctrl-C, a time limit) skips the teardown; stop the cluster anyway.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      cluster?.stop();
      process.exit(130);
    });
  }
  process.once("exit", () => cluster?.stop());
  project.provide("postgresUrl", cluster.url);
  return () => cluster?.stop();
}
