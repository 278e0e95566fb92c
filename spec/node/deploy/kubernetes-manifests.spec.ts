// The Kubernetes manifests in deploy/kubernetes are checked offline: every document against
// the Kubernetes OpenAPI schema of its kind (kubernetes-models, the schema kubectl validates
// with; no cluster is reachable here), then the properties the graceful stop and the health
// server rely on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_HEALTH_PORT } from '../../../lib/node/config.js';

const DIR = join(process.cwd(), 'deploy', 'kubernetes');
/** The graceful stop's defaults (Pack.stop / runPack): grace 30 s, then the flush deadline 10 s. */
const STOP_SECONDS = 30 + 10;

type Doc = { apiVersion?: string; kind?: string; metadata?: { name?: string } } & Record<
  string,
  unknown
>;

type Validator = (doc: Doc) => { validate(): void };
/** By `apiVersion/kind`; kubernetes-models is ESM only, so it is imported dynamically. */
const VALIDATORS: Record<string, Validator> = {};

beforeAll(async () => {
  const { Deployment } = await import('kubernetes-models/apps/v1/Deployment');
  const { PodDisruptionBudget } = await import('kubernetes-models/policy/v1/PodDisruptionBudget');
  VALIDATORS['apps/v1/Deployment'] = (doc) => new Deployment(doc as never);
  VALIDATORS['policy/v1/PodDisruptionBudget'] = (doc) => new PodDisruptionBudget(doc as never);
});

function documents(): Array<{ file: string; doc: Doc }> {
  const kustomization = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'));
  const files = (kustomization[0]!.toJS() as { resources: string[] }).resources;
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors.map(String).join('; ')}`);
      return { file, doc: d.toJS() as Doc };
    }),
  );
}

function schemaProblems(doc: Doc): string | undefined {
  const key = `${doc.apiVersion}/${doc.kind}`;
  const make = VALIDATORS[key];
  if (!make) return `no schema known for ${key}`;
  try {
    make(doc).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('deploy/kubernetes', () => {
  it('lists a Deployment and a PodDisruptionBudget, each valid against its Kubernetes schema', () => {
    const docs = documents();
    expect(docs.map(({ doc }) => doc.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget']);
    for (const { file, doc } of docs) {
      expect(schemaProblems(doc)).withContext(`${file} (${doc.kind})`).toBeUndefined();
    }
  });

  it('the schema check catches a broken manifest', () => {
    const { doc } = documents().find(({ doc }) => doc.kind === 'Deployment')!;
    const broken = structuredClone(doc) as { spec: { selector?: unknown } };
    delete broken.spec.selector;
    expect(schemaProblems(broken as unknown as Doc)).toMatch(/selector/);
  });

  it('the schema check rejects a field of the wrong type, naming it', () => {
    const { doc } = documents().find(({ doc }) => doc.kind === 'Deployment')!;
    const broken = structuredClone(doc) as {
      spec: { replicas: unknown; template: { spec: { terminationGracePeriodSeconds: unknown } } };
    };
    broken.spec.replicas = 'three';
    expect(schemaProblems(broken as unknown as Doc)).toMatch(/spec\/replicas must be integer/);
    const pdb = structuredClone(
      documents().find(({ doc }) => doc.kind === 'PodDisruptionBudget')!.doc,
    ) as {
      spec: { selector: unknown };
    };
    pdb.spec.selector = 'app=rota-pack';
    expect(schemaProblems(pdb as unknown as Doc)).toMatch(/spec\/selector must be object/);
    broken.spec.replicas = 3;
    broken.spec.template.spec.terminationGracePeriodSeconds = '50s';
    expect(schemaProblems(broken as unknown as Doc)).toMatch(
      /terminationGracePeriodSeconds must be integer/,
    );
  });

  it('gives the graceful stop more time than grace + flush, probes the health port and has it scraped', () => {
    const deployment = documents().find(({ doc }) => doc.kind === 'Deployment')!.doc as never as {
      spec: {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: {
          metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
          spec: {
            terminationGracePeriodSeconds: number;
            containers: Array<{
              env: Array<{ name: string; value?: string }>;
              ports: Array<{ name: string; containerPort: number }>;
              readinessProbe: { httpGet: { path: string; port: string | number } };
              livenessProbe: { httpGet: { path: string; port: string | number } };
              resources: { requests: Record<string, string>; limits: Record<string, string> };
            }>;
          };
        };
      };
    };
    const pod = deployment.spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(STOP_SECONDS);
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    const [container] = pod.containers;
    const healthPort = Number(container!.env.find((e) => e.name === 'FLYTE_HEALTH_PORT')?.value);
    expect(healthPort).toBe(DEFAULT_HEALTH_PORT);
    const port = container!.ports.find((p) => p.containerPort === healthPort);
    expect(port).toBeDefined();
    expect(container!.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container!.livenessProbe.httpGet.path).toBe('/livez');
    for (const probe of [container!.readinessProbe, container!.livenessProbe]) {
      expect([port!.name, port!.containerPort]).toContain(probe.httpGet.port);
    }
    // Prometheus scrapes the metrics the health port serves.
    expect(deployment.spec.template.metadata.annotations).toEqual(
      jasmine.objectContaining({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(healthPort),
        'prometheus.io/path': '/metrics',
      }),
    );
    expect(Object.keys(container!.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(container!.resources.limits['memory']).toBeDefined();
    expect(deployment.spec.template.metadata.labels).toEqual(
      jasmine.objectContaining(deployment.spec.selector.matchLabels),
    );
  });

  it('the disruption budget selects the pack replicas and keeps all but one running', () => {
    const docs = documents();
    const deployment = docs.find(({ doc }) => doc.kind === 'Deployment')!.doc as never as {
      spec: { selector: { matchLabels: Record<string, string> } };
    };
    const pdb = docs.find(({ doc }) => doc.kind === 'PodDisruptionBudget')!.doc as never as {
      spec: { maxUnavailable?: number; selector: { matchLabels: Record<string, string> } };
    };
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.maxUnavailable).toBe(1);
  });
});
