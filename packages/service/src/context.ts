import type { Logger } from "@rushgate/logger";
import type { AdminActor } from "./admin-auth";

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    userId: string;
    /** Who an admin request is, set by adminApi() (audit.ts) on every `/admin/api/*` request. */
    admin: AdminActor | undefined;
    /** A handler's "before" value of what it changes, recorded in the audit trail. */
    auditBefore: unknown;
    /** What the change left, when the request body does not say it (e.g. a DELETE). */
    auditAfter: unknown;
    /** Set once a server behind this one has recorded the request (forwarded admin calls). */
    auditRecorded: boolean | undefined;
  };
}
