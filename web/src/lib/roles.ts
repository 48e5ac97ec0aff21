/** What the signed-in person may run, from the session (the API decides; this only hides what it would refuse). */
import type { Session } from "../api/client.js";

/** They own the workspace (or are the local owner of a server without accounts). */
export function ownsWorkspace(session: Session | null): boolean {
  return Boolean(session && (session.local || session.user.workspaceRole === "owner"));
}

/** The teams whose channels they may connect: those they own or lead (every team for the workspace owner). */
export function ledTeamIds(session: Session | null): number[] {
  return (session?.teams ?? []).filter((t) => t.role === "owner" || t.role === "leader").map((t) => t.id);
}

/** Whether the Integrations page has anything for them to do: webhooks, or a team's channels. */
export function managesIntegrations(session: Session | null): boolean {
  return ownsWorkspace(session) || ledTeamIds(session).length > 0;
}
