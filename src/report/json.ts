/**
 * The JSON report and its JSON Schema, both from the zod schema in `model.ts`.
 */
import { z } from 'zod';
import { CitewatchError, ERROR_CODES } from '../errors.js';
import { Report } from '../model.js';

/** Validates the report against its own schema, then serialises it. */
export function renderJson(report: Report): string {
  const parsed = Report.safeParse(report);
  if (!parsed.success) {
    throw new CitewatchError(
      ERROR_CODES.report,
      `report does not fit its schema: ${z.prettifyError(parsed.error)}`,
    );
  }
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
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
