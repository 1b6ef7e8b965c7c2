/**
 * Inline maintenance templates and their common redirects, by lower-cased name, with the
 * text Wikipedia shows for them. Pure data: the extractor looks names up here.
 */
import type { TagKind } from '../model.js';

export interface TagTemplate {
  kind: TagKind;
  /** The tag as a reader sees it, e.g. `citation needed`. */
  text: string;
}

const GROUPS: Array<[TagKind, string, string[]]> = [
  [
    'citation-needed',
    'citation needed',
    [
      'citation needed',
      'cn',
      'fact',
      'citation required',
      'cite needed',
      'citeneeded',
      'citationneeded',
      'citation-needed',
      'ref needed',
      'reference needed',
      'source needed',
      'sources needed',
      'needs citation',
      'needcitation',
      'cite missing',
      'cit needed',
      'proveit',
      'prove it',
      'are you sure?',
      'citation needed span',
      'cns',
      'cn span',
      'fact span',
      'citation needed (lead)',
      'citation needed lead',
    ],
  ],
  ['who', 'who?', ['who', 'who?', 'which person', 'whom?', 'whom']],
  ['when', 'when?', ['when', 'when?', 'year needed', 'date needed']],
  ['which', 'which?', ['which', 'which?', 'which one', 'which ones']],
  ['by-whom', 'by whom?', ['by whom', 'by whom?', 'bywhom']],
  ['according-to-whom', 'according to whom?', ['according to whom', 'according to whom?', 'atw', 'says who']],
  ['dubious', 'dubious', ['dubious', 'dubious – discuss', 'disputed inline', 'dubious-inline', 'doubtful']],
  [
    'better-source-needed',
    'better source needed',
    [
      'better source needed',
      'better source',
      'bsn',
      'better citation needed',
      'better ref',
      'better reference needed',
      'primary source inline',
      'primary source-inline',
      'third-party inline',
      'self-published inline',
      'sps inline',
      'non-primary source needed',
      'medical citation needed',
      'mcn',
      'unreliable medical source',
    ],
  ],
  [
    'failed-verification',
    'failed verification',
    [
      'failed verification',
      'fv',
      'failed-verification',
      'not in citation',
      'not in source',
      'not in reference',
      'notinsource',
      'verification failed',
      'failed verification span',
      'source does not support',
      'not verified in body',
    ],
  ],
  [
    'original-research',
    'original research?',
    [
      'original research inline',
      'or',
      'original research?',
      'or?',
      'synthesis inline',
      'synthesis?',
      'synth?',
    ],
  ],
  [
    'clarification-needed',
    'clarification needed',
    [
      'clarify',
      'clarification needed',
      'clarify me',
      'huh',
      'what?',
      'clarify span',
      'vague',
      'definition needed',
    ],
  ],
  [
    'unreliable-source',
    'unreliable source?',
    [
      'unreliable source?',
      'unreliable source',
      'unreliable source inline',
      'unreliable',
      'rs?',
      'self-published source',
    ],
  ],
  [
    'page-needed',
    'page needed',
    [
      'page needed',
      'page number',
      'pn',
      'page?',
      'pages needed',
      'page numbers needed',
      'page citation needed',
    ],
  ],
  ['dead-link', 'dead link', ['dead link', 'deadlink', 'dead url', 'broken link']],
  [
    'other',
    'verification needed',
    [
      'verification needed',
      'verify source',
      'full citation needed',
      'full',
      'specify',
      'examples needed',
      'irrelevant citation',
      'update inline',
      'update after',
    ],
  ],
];

const TABLE = new Map<string, TagTemplate>();
for (const [kind, text, names] of GROUPS) for (const n of names) TABLE.set(n, { kind, text });

/** The maintenance tag a template name stands for, if any (names are lower-cased keys). */
export const maintenanceTag = (name: string): TagTemplate | undefined => TABLE.get(name);

/** `{{citation needed span|text|…}}` and friends: the first parameter is article text. */
export const SPAN_TAGS = new Set([
  'citation needed span',
  'cns',
  'cn span',
  'fact span',
  'failed verification span',
  'clarify span',
]);
