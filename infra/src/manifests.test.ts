/**
 * The deployment files (infra/k8s, infra/docker-compose.yml, infra/docker/Dockerfile) checked
 * where a mistake would only show in a cluster: probes, selectors, secrets, drain, ports. The
 * environments they build are run through each server's own env parser, so a value a server
 * would refuse at start fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SERVER_NODE_FLAGS } from "@rushgate/api";
import { parseCouponEnv } from "@rushgate/coupon";
import { parseIssuerEnv } from "@rushgate/issuer";
import { parseRouterEnv } from "@rushgate/router";
import { parseWaitingRoomEnv } from "@rushgate/waiting-room";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import {
  type ComposeFile,
  type Container,
  type Deployment,
  type EnvVar,
  type K8sObject,
  parseDockerfile,
  resolveCompose,
} from "./manifests";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(`${repo}${path}`, "utf8");

const servers = ["router", "waiting-room", "coupon", "issuer"] as const;
type Server = (typeof servers)[number];
const parsers: Record<Server, (env: NodeJS.ProcessEnv) => unknown> = {
  router: parseRouterEnv,
  "waiting-room": parseWaitingRoomEnv,
  coupon: parseCouponEnv,
  issuer: parseIssuerEnv,
};
const secretNames = ["ADMIN_TOKEN", "ADMISSION_SECRET", "IDENTITY_SECRET", "DATABASE_URL"];
/** What each server's env schema reads, straight from servers/<name>/src/env.ts. */
const envSource = (s: Server) => read(`servers/${s}/src/env.ts`);
const defaultPort = (s: Server) => Number(/PORT: port\((\d+)\)/.exec(envSource(s))?.[1]);
const readsVariable = (s: Server, name: string) => new RegExp(`\\b${name}:`).test(envSource(s));

const k8sFiles = readdirSync(`${repo}infra/k8s`).filter((f) => f.endsWith(".yaml"));
const objects: (K8sObject & { file: string })[] = k8sFiles
  .filter((f) => f !== "kustomization.yaml")
  .flatMap((file) =>
    parseAllDocuments(read(`infra/k8s/${file}`)).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      return { ...(doc.toJS() as K8sObject), file };
    }),
  );
const ofKind = <T extends K8sObject>(kind: string) =>
  objects.filter((o) => o.kind === kind) as unknown as T[];
const named = <T extends K8sObject>(kind: string, name: string) => {
  const found = ofKind<T>(kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const deployment = (s: Server) => named<Deployment>("Deployment", `rushgate-${s}`);
const container = (s: Server): Container => deployment(s).spec.template.spec.containers[0]!;
const config = named<K8sObject & { data: Record<string, string> }>("ConfigMap", "rushgate-config").data;
const secret = named<K8sObject & { stringData: Record<string, string> }>("Secret", "rushgate-secrets");
const podSpecs = () => [
  ...ofKind<Deployment>("Deployment").map((d) => d.spec.template.spec),
  ...ofKind<Deployment>("Job").map((j) => j.spec.template.spec),
];

/** The environment a pod sees: the ConfigMap, then its own env, secrets filled in from `secrets`. */
function podEnv(c: Container, secrets: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const from of c.envFrom ?? [])
    if (from.configMapRef?.name === "rushgate-config") Object.assign(env, config);
  for (const v of c.env ?? []) env[v.name] = v.value ?? secrets[v.valueFrom?.secretKeyRef?.key ?? ""];
  return env;
}
const strongSecrets = {
  ADMIN_TOKEN: "a".repeat(40),
  ADMISSION_SECRET: "s".repeat(40),
  IDENTITY_SECRET: "i".repeat(40),
  DATABASE_URL: "mysql://rushgate:pw@mysql:3306/rushgate",
};

describe("Kubernetes manifests", () => {
  it("put every object in the rushgate namespace", () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects.filter((o) => o.kind !== "Namespace")) {
      expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe("rushgate");
    }
  });

  it.each(servers)("give %s a Service, an autoscaler and a disruption budget that select its pods", (s) => {
    const d = deployment(s);
    const selector = d.spec.selector.matchLabels;
    expect(d.spec.template.metadata.labels).toMatchObject(selector);
    expect(d.spec.replicas, "the autoscaler owns the replica count").toBeUndefined();
    const service = named<K8sObject & { spec: { type: string; selector: object } }>(
      "Service",
      `rushgate-${s}`,
    );
    expect(service.spec).toMatchObject({ type: "ClusterIP", selector });
    const hpa = named<
      K8sObject & { spec: { scaleTargetRef: object; metrics: object[]; minReplicas: number } }
    >("HorizontalPodAutoscaler", `rushgate-${s}`);
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: d.metadata.name,
    });
    expect(hpa.spec.metrics).toContainEqual(
      expect.objectContaining({ resource: expect.objectContaining({ name: "cpu" }) }),
    );
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = named<K8sObject & { spec: { selector: object } }>("PodDisruptionBudget", `rushgate-${s}`);
    expect(pdb.spec.selector).toEqual({ matchLabels: selector });
    // No other server's pods match this selector.
    for (const other of servers.filter((o) => o !== s)) {
      expect(deployment(other).spec.template.metadata.labels).not.toMatchObject(selector);
    }
  });

  it.each(servers)("probe %s on its own port: readiness /readyz, liveness /healthz", (s) => {
    const c = container(s);
    const port = (p: number | string | undefined) =>
      typeof p === "number" ? p : c.ports?.find((cp) => cp.name === p)?.containerPort;
    expect(c.ports?.map((p) => p.containerPort)).toEqual([defaultPort(s), defaultPort(s) + 1000]);
    expect(c.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(port(c.readinessProbe?.httpGet?.port)).toBe(defaultPort(s));
    expect(c.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(port(c.livenessProbe?.httpGet?.port)).toBe(defaultPort(s));
  });

  it.each(servers)("scrape %s on its metrics port, which no Service (so no Ingress) routes to", (s) => {
    const env = parsers[s](podEnv(container(s), strongSecrets)) as { PORT: number; METRICS_PORT?: number };
    const port = env.METRICS_PORT;
    expect(port).toBe(defaultPort(s) + 1000);
    if (port === undefined) return;
    expect(container(s).ports).toContainEqual({ name: "metrics", containerPort: port });
    expect(deployment(s).spec.template.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": String(port),
      "prometheus.io/path": "/metrics",
    });
    for (const service of ofKind<K8sObject & { spec: { ports: ServicePort[] } }>("Service")) {
      for (const p of service.spec.ports) {
        expect(p.targetPort, `${service.metadata.name}`).not.toBe("metrics");
        expect([p.port, p.targetPort], `${service.metadata.name}`).not.toContain(port);
      }
    }
  });

  it("set cpu and memory requests and limits on every container", () => {
    for (const c of podSpecs().flatMap((p) => p.containers)) {
      for (const kind of ["requests", "limits"] as const) {
        expect(Object.keys(c.resources?.[kind] ?? {}).sort(), `${c.name} ${kind}`).toEqual(["cpu", "memory"]);
      }
    }
  });

  it("run every pod as non-root, read-only, without privilege escalation", () => {
    for (const pod of podSpecs()) {
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      for (const c of pod.containers) {
        expect(c.securityContext, c.name).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        });
      }
    }
  });

  it("take secrets from the Secret by reference, never as literal values", () => {
    const containers = podSpecs().flatMap((p) => p.containers);
    for (const v of containers
      .flatMap((c): EnvVar[] => c.env ?? [])
      .filter((v) => secretNames.includes(v.name))) {
      expect(v.value, v.name).toBeUndefined();
      expect(v.valueFrom?.secretKeyRef).toEqual({ name: "rushgate-secrets", key: v.name });
    }
    for (const name of secretNames) expect(Object.keys(config)).not.toContain(name);
    expect(Object.keys(secret.stringData).sort()).toEqual([...secretNames].sort());
  });

  it.each(servers)("hand %s exactly the secrets its env schema reads", (s) => {
    const given = (container(s).env ?? []).filter((v) => v.valueFrom?.secretKeyRef).map((v) => v.name);
    expect(given.sort()).toEqual(secretNames.filter((n) => readsVariable(s, n)).sort());
  });

  it.each(servers)("give %s an environment it accepts in production", (s) => {
    const env = podEnv(container(s), strongSecrets);
    expect(env.NODE_ENV).toBe("production");
    expect(parsers[s](env)).toMatchObject({ NODE_ENV: "production", PORT: defaultPort(s) });
  });

  it.each(servers)("ship placeholder secrets that %s refuses to start with", (s) => {
    const placeholders = secret.stringData;
    for (const name of ["ADMIN_TOKEN", "ADMISSION_SECRET", "IDENTITY_SECRET"])
      expect(placeholders[name]).toMatch(/CHANGE-ME/);
    if (!readsVariable(s, "ADMIN_TOKEN") && !readsVariable(s, "ADMISSION_SECRET")) return;
    expect(() => parsers[s](podEnv(container(s), placeholders))).toThrow(/ADMIN_TOKEN|ADMISSION_SECRET/);
  });

  it("let pods outlive the shutdown drain: grace period above SHUTDOWN_DRAIN_MS + 10 s", () => {
    for (const s of servers) {
      const drainMs = Number(podEnv(container(s), strongSecrets).SHUTDOWN_DRAIN_MS ?? 1000);
      expect(deployment(s).spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
        drainMs / 1000 + 10,
      );
    }
  });

  it("point the router at the coupon Service (it answers the queue's requests itself)", () => {
    expect(config.WAITING_ROOM_URL).toBeUndefined();
    expect(config.COUPON_URL).toBe(`http://rushgate-coupon:${defaultPort("coupon")}`);
  });

  it("expose only the router, through exactly one Ingress, but not its /metrics", () => {
    const ingresses = ofKind<K8sObject & { spec: IngressSpec }>("Ingress");
    expect(ingresses).toHaveLength(1);
    const spec = ingresses[0]!.spec;
    expect(spec.defaultBackend).toBeUndefined();
    const paths = spec.rules.flatMap((r) => r.http.paths);
    const router = { name: "rushgate-router", port: { name: "http" } };
    expect(paths.find((p) => p.path === "/")?.backend.service).toEqual(router);
    expect(paths.find((p) => p.path === "/metrics")?.backend.service).not.toEqual(
      expect.objectContaining({ name: "rushgate-router" }),
    );
    // Every other path goes to the router, and no other Service of ours is reachable.
    for (const p of paths.filter((p) => p.path !== "/metrics")) expect(p.backend.service).toEqual(router);
    const services = ofKind<K8sObject>("Service").map((o) => o.metadata.name);
    for (const p of paths.filter((p) => p.path === "/metrics"))
      expect(services).not.toContain(p.backend.service.name);
  });

  it("drop a client-sent X-User-Id at the Ingress, and have the router trust only its proxies", () => {
    const ingress = ofKind<K8sObject & { metadata: { annotations?: Record<string, string> } }>("Ingress")[0]!;
    expect(ingress.metadata.annotations?.["nginx.ingress.kubernetes.io/configuration-snippet"]).toMatch(
      /^more_clear_input_headers "X-User-Id";$/m,
    );
    const env = podEnv(container("router"), strongSecrets);
    expect(env.TRUST_PROXY).toBeUndefined();
    const parsed = parseRouterEnv(env);
    expect(parsed.TRUSTED_PROXIES.list).not.toBe("");
    expect(parsed.IDENTITY_SOURCES).not.toContain("plain");
    expect(parsed.IDENTITY_SOURCES).not.toContain("proxy");
  });

  it("migrate with one Job pod that gets the database URL from the Secret", () => {
    const job = named<Deployment & { spec: { parallelism: number } }>("Job", "rushgate-migrate");
    expect(job.spec.parallelism).toBe(1);
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    expect(job.spec.template.spec.containers[0]?.image).toMatch(/migrate/);
  });

  it("list in kustomization.yaml every manifest but the placeholder Secret and the Job", () => {
    const kustomization = parse(read("infra/k8s/kustomization.yaml")) as { resources: string[] };
    const expected = k8sFiles.filter(
      (f) => !["kustomization.yaml", "secret.yaml", "migrate-job.yaml"].includes(f),
    );
    expect([...kustomization.resources].sort()).toEqual(expected.sort());
  });
});

interface ServicePort {
  port: number;
  targetPort?: number | string;
}
interface IngressBackend {
  service: { name: string; port: { name?: string; number?: number } };
}
interface IngressSpec {
  defaultBackend?: IngressBackend;
  rules: { http: { paths: { path: string; backend: IngressBackend }[] } }[];
}

describe("docker compose", () => {
  const compose = parse(read("infra/docker-compose.yml"), { merge: true }) as ComposeFile;
  const { services } = compose;

  it("runs Redis, MySQL, the migration, the four servers and the edge proxy", () => {
    expect(Object.keys(services).sort()).toEqual(["edge", "migrate", "mysql", "redis", ...servers].sort());
  });

  it("publishes only the edge, which passes everything but /metrics to the router", () => {
    const published = Object.entries(services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(published.map(([name]) => name)).toEqual(["edge"]);
    expect(services.edge?.ports).toEqual([`\${ROUTER_PUBLISH:-127.0.0.1:8080}:8080`]);
    expect(services.edge?.volumes).toContain("./edge/nginx.conf:/etc/nginx/nginx.conf:ro");
    const conf = read("infra/edge/nginx.conf");
    expect(conf).toContain(`server router:${defaultPort("router")};`);
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
  });

  it("drops a client-sent X-User-Id at the edge, which alone the router trusts for X-Forwarded-For", () => {
    const conf = read("infra/edge/nginx.conf")
      .split("\n")
      .map((l) => l.trim());
    expect(conf).toContain('proxy_set_header X-User-Id "";');
    // The first hop replaces what the client wrote rather than appending to it.
    expect(conf).toContain("proxy_set_header X-Forwarded-For $remote_addr;");
    const edgeAddress = services.edge?.networks?.default?.ipv4_address;
    expect(edgeAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const env = resolveCompose(services.router?.environment ?? {});
    expect(env.TRUSTED_PROXIES).toBe(edgeAddress);
    expect(parseRouterEnv(env).IDENTITY_SOURCES).not.toContain("plain");
  });

  it("runs Redis on infra/redis/redis.conf, which keeps an AOF fsynced every second", () => {
    const redis = services.redis!;
    const mount = redis.volumes?.find((v) => v.startsWith("./redis/redis.conf:"));
    expect(mount).toBeDefined();
    const target = mount!.split(":")[1]!;
    expect(redis.command).toEqual(["redis-server", target]);
    expect(redis.volumes).toContainEqual(expect.stringMatching(/^redis-data:\/data$/));
    const conf = read("infra/redis/redis.conf").split("\n");
    for (const line of ["appendonly yes", "appendfsync everysec", "maxmemory-policy noeviction"]) {
      expect(conf).toContain(line);
    }
  });

  it("keeps MySQL on a volume behind a health check", () => {
    expect(services.mysql?.volumes).toContain("mysql-data:/var/lib/mysql");
    expect(services.mysql?.healthcheck?.test).toBeDefined();
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(["mysql-data", "redis-data"]);
  });

  it.each(servers)("builds %s from infra/docker/Dockerfile with its own SERVER and PORT", (s) => {
    expect(services[s]?.build).toEqual({
      context: "..",
      dockerfile: "infra/docker/Dockerfile",
      args: { SERVER: s, PORT: String(defaultPort(s)) },
    });
  });

  it("starts servers on healthy dependencies, coupon and issuer only after the migration", () => {
    const needs = (s: string) => services[s]?.depends_on ?? {};
    for (const s of servers) expect(needs(s).redis).toEqual({ condition: "service_healthy" });
    for (const s of ["coupon", "issuer"]) {
      expect(needs(s).migrate).toEqual({ condition: "service_completed_successfully" });
    }
    expect(needs("router")).toMatchObject({
      "waiting-room": { condition: "service_healthy" },
      coupon: { condition: "service_healthy" },
    });
    expect(needs("migrate").mysql).toEqual({ condition: "service_healthy" });
  });

  it.each(servers)("gives %s an environment it accepts in production, defaults included", (s) => {
    const env = resolveCompose(services[s]?.environment ?? {});
    expect(env.NODE_ENV).toBe("production");
    expect(parsers[s](env)).toMatchObject({ NODE_ENV: "production", PORT: defaultPort(s) });
    if (s === "router") {
      expect(env).toMatchObject({ COUPON_URL: "http://coupon:8082" });
      expect(env.WAITING_ROOM_URL).toBeUndefined();
    }
  });

  it("shares one admission secret between every server that reads it", () => {
    const values = servers
      .filter((s) => readsVariable(s, "ADMISSION_SECRET"))
      .map((s) => services[s]?.environment?.ADMISSION_SECRET);
    expect(values).toHaveLength(2); // router and coupon; the waiting room only schedules
    expect(new Set(values).size).toBe(1);
  });
});

describe("Dockerfile", () => {
  const stages = parseDockerfile(read("infra/docker/Dockerfile"));
  const final = stages.at(-1)!;
  const all = stages.flatMap((s) => s.instructions);

  it("builds in several stages and runs the servers and the migration as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(final.name).toBe("server");
    for (const stage of stages.filter((s) => s.instructions.some((i) => i.keyword === "CMD"))) {
      const user = stage.instructions.findLast((i) => i.keyword === "USER")?.args;
      expect(user, `USER in stage ${stage.name}`).toBeDefined();
      expect(user).not.toMatch(/^(root|0)(:|$)/);
    }
    expect(final.instructions.find((i) => i.keyword === "CMD")?.args).toBe(
      JSON.stringify(["node", ...SERVER_NODE_FLAGS, "dist/index.js"]).replaceAll(",", ", "),
    );
  });

  it("installs with the pinned pnpm and --frozen-lockfile after copying every workspace manifest", () => {
    const pinned = (JSON.parse(read("package.json")) as { packageManager: string }).packageManager;
    expect(all.some((i) => i.keyword === "RUN" && i.args.includes(`npm install --global ${pinned}`))).toBe(
      true,
    );
    const install = all.findIndex(
      (i) => i.keyword === "RUN" && /pnpm install --frozen-lockfile/.test(i.args),
    );
    expect(install).toBeGreaterThan(0);
    const copied = all
      .slice(0, install)
      .filter((i) => i.keyword === "COPY")
      .flatMap((i) => {
        const parts = i.args.split(/\s+/);
        const dest = parts.pop()!;
        return parts.map((p) => (dest === "./" ? p : `${dest}${p.split("/").pop()}`));
      });
    expect(copied).toEqual(expect.arrayContaining(["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"]));
    const workspace = parse(read("pnpm-workspace.yaml")) as { packages: string[] };
    const dirs = workspace.packages.flatMap((glob) =>
      glob.endsWith("/*")
        ? readdirSync(`${repo}${glob.slice(0, -2)}`).map((d) => `${glob.slice(0, -2)}/${d}`)
        : [glob],
    );
    for (const dir of dirs) expect(copied, dir).toContain(`${dir}/package.json`);
  });

  it("accepts exactly the four servers, each with its own port", () => {
    const check = all.find((i) => i.keyword === "RUN" && i.args.startsWith("case"))!;
    for (const s of servers) expect(check.args).toContain(`${s}:${defaultPort(s)}`);
    const exposed = final.instructions.filter((i) => i.keyword === "EXPOSE").map((i) => i.args);
    expect(exposed).toEqual([expect.stringMatching(/^\$\{PORT\}$/)]);
  });

  it("keeps dependencies, build output, git and local secrets out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of [
      "**/node_modules",
      "**/dist",
      "**/.turbo",
      ".git",
      "**/.env",
      "load-tests/results",
    ]) {
      expect(ignored).toContain(entry);
    }
  });
});
