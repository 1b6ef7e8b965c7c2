/**
 * GitHub's size limits on what citewatch hands it, and cutting text to them without breaking a
 * character: an issue or comment body holds at most 65,536 characters, a job summary at most
 * 1 MiB per step (GitHub refuses the whole summary, and fails the step's upload, past that).
 */

/** Most characters GitHub accepts in an issue or comment body. */
export const ISSUE_BODY_LIMIT = 65_536;

/** Most bytes GitHub accepts in one step's job summary (`GITHUB_STEP_SUMMARY`). */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Length as GitHub counts it for issue bodies: characters (code points), not UTF-16 units. */
export const charLength = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** The byte length of `text` in UTF-8. */
export const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Keeps whole lines of `text` from the top while `fits(kept + tail)` holds, then appends `tail`
 * (which says where the rest is). A first line too long on its own is cut on a character
 * boundary. Returns `text` unchanged when it fits.
 */
export function cutLines(text: string, tail: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  const lines = text.split('\n');
  let kept = '';
  for (const line of lines) {
    const next = `${kept}${line}\n`;
    if (!fits(next + tail)) {
      if (kept === '') kept = cutChars(line, (s) => fits(`${s}\n${tail}`));
      break;
    }
    kept = next;
  }
  return kept.endsWith('\n') || kept === '' ? `${kept}${tail}` : `${kept}\n${tail}`;
}

/** The longest prefix of `text`, whole code points only, for which `fits` holds. */
export function cutChars(text: string, fits: (candidate: string) => boolean): string {
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(chars.slice(0, mid).join(''))) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('');
}

/** Where the whole run can be seen: the workflow run's page, when GitHub says which it is. */
export function runUrlOf(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
  if (!server || !repo || !id) return undefined;
  return `${server}/${repo}/actions/runs/${id}`;
}
