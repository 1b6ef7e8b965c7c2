/**
 * The JSON report and its JSON Schema, both from the zod schema in `model.ts`.
 */
import { z } from 'zod';
import { CitewatchError, ERROR_CODES } from '../errors.js';
import { Report } from '../model.js';

/**
 * Serialises a report. The report is built by citewatch from typed parts, so it is not
 * validated here on every run (a third of the CPU of a 2000-reference offline run went to it):
 * the tests validate what the pipeline writes (`validateReport`), and reports read back from
 * outside (`merge`) are validated where they are read.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Validates a report against its schema; throws `CW_ERR_REPORT` naming what does not fit. */
export function validateReport(report: unknown): Report {
  const parsed = Report.safeParse(report);
  if (!parsed.success) {
    throw new CitewatchError(
      ERROR_CODES.report,
      `report does not fit its schema: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** Reads a report back (e.g. for `merge`), validating it at the boundary. */
export function parseReport(text: string, subject: string): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new CitewatchError(ERROR_CODES.input, `${subject}: not JSON`, { cause });
  }
  const parsed = Report.safeParse(raw);
  if (!parsed.success) {
    throw new CitewatchError(
      ERROR_CODES.input,
      `${subject}: not a citewatch report: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** The report's JSON Schema (draft 2020-12), as printed by `citewatch schema`. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://github.com/citewatch/citewatch/report.schema.json',
    title: 'citewatch report',
    ...z.toJSONSchema(Report, { target: 'draft-2020-12' }),
  };
}
