/**
 * Just enough of the Kubernetes, Compose and Dockerfile formats for manifests.test.ts: the fields
 * it checks, a Dockerfile reader, and Compose's `${VAR:-default}` interpolation.
 */

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

interface Probe {
  httpGet?: { path: string; port: number | string };
}

export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}

export interface PodSpec {
  containers: Container[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}

/** A Deployment, or a Job (same pod template shape). */
export interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
  };
}

export interface ComposeService {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: unknown };
  depends_on?: Record<string, { condition: string }>;
  networks?: Record<string, { ipv4_address?: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Resolves Compose interpolation as it would run with an empty shell environment and no .env. */
export function resolveCompose(environment: Record<string, string>, vars: Record<string, string> = {}) {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    resolved[name] = String(value).replace(
      /\$\{(\w+)(?::-([^}]*))?\}/g,
      (_, variable: string, fallback?: string) => vars[variable] ?? fallback ?? "",
    );
  }
  return resolved;
}

export interface DockerStage {
  name: string;
  base: string;
  instructions: { keyword: string; args: string }[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, continuation lines joined). */
export function parseDockerfile(text: string): DockerStage[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#") || (line === "" && pending === "")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push((pending + line).trim());
    pending = "";
  }
  const stages: DockerStage[] = [];
  for (const line of logical.filter(Boolean)) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === "FROM") {
      const [base = "", , name = `stage-${stages.length}`] = args.split(/\s+/);
      stages.push({ name, base, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}
