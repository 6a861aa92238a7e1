import mysql from "mysql2/promise";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface InvariantInput {
  databaseUrl: string;
  eventId: number;
  stock: number;
  users: number;
  /** Issued count from Redis (the admin stats, read after the drain). */
  redisIssued: number;
  /** userId -> couponId of every 201 the driver saw. */
  seen: ReadonlyMap<string, string>;
}

/** SPEC §5, checked against MySQL after the issuer drained. */
export async function checkInvariants(input: InvariantInput): Promise<Check[]> {
  const conn = await mysql.createConnection({ uri: input.databaseUrl });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT user_id, coupon_id FROM coupon_issuances WHERE event_id = ?",
      [input.eventId],
    );
    return evaluate(
      input,
      rows.map((r) => ({ userId: String(r.user_id), couponId: String(r.coupon_id) })),
    );
  } finally {
    await conn.end();
  }
}

/** The checks themselves, on the rows MySQL holds for the event (pure, so it is tested). */
export function evaluate(
  input: Omit<InvariantInput, "databaseUrl">,
  rows: { userId: string; couponId: string }[],
): Check[] {
  const expected = Math.min(input.stock, input.users);
  const perUser = new Map<string, number>();
  const perCoupon = new Map<string, { count: number; userId: string }>();
  for (const r of rows) {
    perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
    const c = perCoupon.get(r.couponId);
    perCoupon.set(r.couponId, { count: (c?.count ?? 0) + 1, userId: r.userId });
  }
  const duplicates = [...perUser.values()].filter((n) => n > 1).length;
  const missing: string[] = [];
  for (const [userId, couponId] of input.seen) {
    const row = perCoupon.get(couponId);
    if (row?.count !== 1 || row.userId !== userId) missing.push(`${userId}:${couponId}`);
  }
  return [
    {
      name: "issued = min(stock, users)",
      ok: rows.length === expected,
      detail: `${rows.length} rows, expected min(${input.stock}, ${input.users}) = ${expected}`,
    },
    {
      name: "issued <= stock",
      ok: rows.length <= input.stock && input.redisIssued <= input.stock,
      detail: `MySQL ${rows.length}, Redis ${input.redisIssued}, stock ${input.stock}`,
    },
    {
      name: "one row per (event, user)",
      ok: duplicates === 0,
      detail: `${duplicates} users with more than one row`,
    },
    {
      name: "MySQL rows = Redis issued",
      ok: rows.length === input.redisIssued,
      detail: `MySQL ${rows.length}, Redis ${input.redisIssued}`,
    },
    {
      name: "every 201 couponId in MySQL exactly once",
      ok: missing.length === 0,
      detail:
        missing.length === 0
          ? `${input.seen.size} coupons seen by the driver, all present once for their user`
          : `${missing.length} of ${input.seen.size} not found exactly once, e.g. ${missing.slice(0, 3).join(", ")}`,
    },
  ];
}
