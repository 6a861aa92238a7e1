/**
 * `pnpm start`: the whole platform on one machine with a demo event. Creates the database,
 * applies the migrations, starts the four servers from their bundles, seeds a demo event through
 * the admin API, prints where everything is, and stops everything on Ctrl-C. `INSTANCES=n` runs n
 * of each server (ports base, base + 10, …); routers balance over every coupon
 * server, and the waiting rooms share the scheduler lease.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SERVER_NODE_FLAGS } from "@rushgate/api";
import { createDb, ensureDatabase, runMigrations } from "@rushgate/db";

const env = process.env;
const DATABASE_URL = env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/rushgate";
const ADMIN_TOKEN = env.ADMIN_TOKEN ?? "dev-admin-token";
const root = fileURLToPath(new URL("../../", import.meta.url));

const INSTANCES = Math.max(1, Math.min(9, Number(env.INSTANCES ?? 1) || 1));
const bases = {
  "waiting-room": Number(env.WAITING_ROOM_PORT ?? 8081),
  coupon: Number(env.COUPON_PORT ?? 8082),
  issuer: Number(env.ISSUER_PORT ?? 8083),
  router: Number(env.ROUTER_PORT ?? 8080),
} as const;
const ports = (name: keyof typeof bases) => Array.from({ length: INSTANCES }, (_, i) => bases[name] + 10 * i);
const urls = (name: keyof typeof bases) =>
  ports(name)
    .map((port) => `http://127.0.0.1:${port}`)
    .join(",");
const servers = (["waiting-room", "coupon", "issuer", "router"] as const).flatMap((name) =>
  ports(name).map((port) => ({ name, port })),
);

const children: ChildProcess[] = [];
let stopping = false;

function say(message: string) {
  process.stdout.write(`\x1b[1m[rushgate]\x1b[0m ${message}\n`);
}

function launch(name: string, port: number): ChildProcess {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, `${root}servers/${name}/dist/index.js`], {
    env: {
      ...env,
      PORT: String(port),
      DATABASE_URL,
      ADMIN_TOKEN,
      COUPON_URL: urls("coupon"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) =>
      process.stdout.write(`${name.padEnd(12)} | ${line}\n`),
    );
  }
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the rest`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitReady(name: string, port: number) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become ready on port ${port}`);
}

async function seedDemo(router: string): Promise<{ id: number; name: string }> {
  const list = (await (await fetch(`${router}/api/events`)).json()) as {
    events: { id: number; name: string; status: string }[];
  };
  const existing = list.events.find((e) => e.name === "Demo drop" && e.status === "open");
  if (existing) return existing;
  const now = Date.now();
  const res = await fetch(`${router}/admin/api/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Demo drop",
      stock: 100,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 24 * 3600_000).toISOString(),
      rpmThreshold: 60,
    }),
  });
  if (res.status !== 201)
    throw new Error(`could not create the demo event: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number; name: string };
}

async function stop(code: number) {
  stopping = true;
  const exits = children
    .filter((c) => c.exitCode === null && c.signalCode === null)
    .map((c) => new Promise((resolve) => c.once("exit", resolve)));
  for (const c of children) c.kill("SIGTERM");
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 15_000))]);
  process.exit(code);
}

async function main() {
  say(`database ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}: creating if missing, applying migrations`);
  await ensureDatabase(DATABASE_URL);
  const database = createDb(DATABASE_URL, { connectionLimit: 1 });
  await runMigrations(database.db, fileURLToPath(new URL("./drizzle", import.meta.url)));
  await database.close();

  for (const s of servers) {
    launch(s.name, s.port);
    await waitReady(s.name, s.port);
  }
  const router = `http://127.0.0.1:${bases.router}`;
  const demo = await seedDemo(router);
  say(INSTANCES === 1 ? "all four servers are up:" : `${INSTANCES} instances of each server are up:`);
  for (const s of servers) say(`  ${s.name.padEnd(12)} http://127.0.0.1:${s.port}`);
  say(`demo event ${demo.id} "${demo.name}" (stock 100, threshold 60 requests/minute)`);
  say("try it (development mode takes a plain X-User-Id; production needs a signed identity, see README):");
  say(`  curl -s -X POST ${router}/api/events/${demo.id}/entry -H 'X-User-Id: alice'`);
  say(`  curl -s ${router}/api/queue/${demo.id}/status -H 'X-User-Id: alice'`);
  say(
    `  curl -s -X POST ${router}/api/events/${demo.id}/issue -H 'X-User-Id: alice' -H 'Authorization: Bearer <token>'`,
  );
  say(`  curl -s ${router}/admin/api/events/${demo.id}/stats -H 'Authorization: Bearer ${ADMIN_TOKEN}'`);
  say("Ctrl-C stops everything.");
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
main().catch((err) => {
  say(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
