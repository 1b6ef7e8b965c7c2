/**
 * The Save Page Now 2 API, played on the loopback simulator: `POST /save` starts a job,
 * `GET /save/status/{job}` reports on it. What happens to each submission is scripted per URL
 * and attempt; every submission and poll is logged with the test's (injected) clock.
 */
import type { IncomingMessage } from 'node:http';
import type { Route, SimHost } from './simulator.js';

export type SpnScript =
  /** A job that answers `pending` to `polls` status requests, then ends with `end`. */
  | {
      kind: 'capture';
      /** @default 1 */
      polls?: number;
      /** @default 'success' */
      end?: 'success' | { statusExt: string; message?: string };
      /** @default '20261128031500' */
      timestamp?: string;
    }
  /** HTTP 200 without `job_id`: `{"message": …}`. */
  | { kind: 'refuse'; message: string }
  /** HTTP 200 with `{"status": "error", "status_ext": …}` and no job. */
  | { kind: 'post-error'; statusExt: string; message?: string }
  /** Any status and body. */
  | { kind: 'http'; status: number; body?: string; headers?: Record<string, string> };

export interface SpnServiceOptions {
  /** @default 'spn.test' */
  name?: string;
  accessKey: string;
  secret: string;
  /** The test's clock: submissions and polls are stamped with it. */
  clock: () => number;
  /** What the `attempt`-th submission (1-based) of `url` gets. @default a capture after one poll */
  script?: (url: string, attempt: number) => SpnScript;
}

export interface SpnSubmission {
  url: string;
  at: number;
  form: Record<string, string>;
  authorization?: string;
  accept?: string;
  contentType?: string;
}

export interface SpnService {
  host: SimHost;
  submissions: SpnSubmission[];
  polls: Array<{ jobId: string; at: number }>;
}

interface Job {
  url: string;
  script: Extract<SpnScript, { kind: 'capture' }>;
  polled: number;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });

export function spnService(options: SpnServiceOptions): SpnService {
  const script = options.script ?? (() => ({ kind: 'capture' }) as const);
  const submissions: SpnSubmission[] = [];
  const polls: Array<{ jobId: string; at: number }> = [];
  const jobs = new Map<string, Job>();
  const attempts = new Map<string, number>();
  const expected = `LOW ${options.accessKey}:${options.secret}`;

  const json = (res: Parameters<Route>[1], status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  const save: Route = async (req, res) => {
    const body = await readBody(req);
    const form = Object.fromEntries(new URLSearchParams(body));
    const url = form.url ?? '';
    submissions.push({
      url,
      at: options.clock(),
      form,
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
      ...(req.headers.accept !== undefined && { accept: req.headers.accept }),
      ...(req.headers['content-type'] !== undefined && { contentType: req.headers['content-type'] }),
    });
    if (req.method !== 'POST') return json(res, 405, { message: 'POST only' });
    if (req.headers.authorization !== expected) return json(res, 401, { message: 'Unauthorized' });
    const attempt = (attempts.get(url) ?? 0) + 1;
    attempts.set(url, attempt);
    const plan = script(url, attempt);
    switch (plan.kind) {
      case 'capture': {
        const jobId = `spn2-${(jobs.size + 1).toString(16).padStart(8, '0')}`;
        jobs.set(jobId, { url, script: plan, polled: 0 });
        return json(res, 200, { url, job_id: jobId });
      }
      case 'refuse':
        return json(res, 200, { message: plan.message });
      case 'post-error':
        return json(res, 200, { status: 'error', status_ext: plan.statusExt, message: plan.message ?? '' });
      case 'http':
        res.writeHead(plan.status, { 'content-type': 'application/json', ...plan.headers });
        res.end(plan.body ?? '');
        return;
    }
  };

  const status: Route = (req, res) => {
    const jobId = decodeURIComponent((req.url ?? '').replace(/^\/save\/status\//, '').split('?')[0] ?? '');
    polls.push({ jobId, at: options.clock() });
    if (req.headers.authorization !== expected) return json(res, 401, { message: 'Unauthorized' });
    const job = jobs.get(jobId);
    if (!job)
      return json(res, 404, { status: 'error', status_ext: 'error:not-found', message: 'no such job' });
    job.polled++;
    const { polls: pending = 1, end = 'success', timestamp = '20261128031500' } = job.script;
    if (job.polled <= pending) return json(res, 200, { status: 'pending', job_id: jobId });
    if (end === 'success')
      return json(res, 200, {
        status: 'success',
        job_id: jobId,
        original_url: job.url,
        timestamp,
        duration_sec: 6.2,
      });
    return json(res, 200, {
      status: 'error',
      job_id: jobId,
      status_ext: end.statusExt,
      message: end.message ?? '',
    });
  };

  return {
    host: {
      name: options.name ?? 'spn.test',
      routes: { '/save': save },
      fallback: (req, res, ctx) =>
        (req.url ?? '').startsWith('/save/status/')
          ? status(req, res, ctx)
          : json(res, 404, { message: 'Not Found' }),
    },
    submissions,
    polls,
  };
}
