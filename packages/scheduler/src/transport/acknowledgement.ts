import type { CampaignControl } from '../types.js';

/** What a 2xx answer amounts to: an acknowledgement (with the server's control, if any) or not, and why. */
export type Verdict =
  | { readonly acknowledged: true; readonly control?: readonly CampaignControl[] }
  | { readonly acknowledged: false; readonly reason: string };

/** A 2xx answer as the transport read it. */
export interface Answer {
  readonly status: number;
  /** The `Content-Type` header, or null. */
  readonly contentType: string | null;
  readonly text: string;
}

const CONTROL_STATES = ['running', 'paused', 'cancelled'];

/**
 * The bulk rule: a 2xx whose body is JSON matching the contract's `bulkUpdateResponse` exactly, whatever its
 * content type. `accepted` is an integer from 0 to the batch's event count, `duplicate` a boolean, `control`
 * (optional) an array of `{ campaignId, state }` with a non-empty campaign id and a state of running, paused or
 * cancelled; no other key, at the top or in a control entry.
 */
export function readBulkAnswer(answer: Answer, eventCount: number): Verdict {
  const refuse = (problem: string): Verdict => ({
    acknowledged: false,
    reason: `${answer.status} answer is not the contract's bulk answer { accepted, duplicate, control? }: ${problem}${excerpt(answer.text)}`,
  });
  const body = parseJson(answer.text);
  if (body === NOT_JSON) return refuse(notJson(answer));
  if (!isObject(body)) return refuse(`a JSON ${kindOf(body)}, not an object`);
  const unknown = Object.keys(body).find((key) => !['accepted', 'duplicate', 'control'].includes(key));
  if (unknown !== undefined) return refuse(`unknown key \`${unknown}\``);
  const { accepted, duplicate, control } = body;
  if (typeof accepted !== 'number' || !Number.isInteger(accepted) || accepted < 0 || accepted > eventCount) {
    return refuse(
      `\`accepted\` must be an integer from 0 to ${eventCount} (the batch's events), got ${shown(accepted)}`,
    );
  }
  if (typeof duplicate !== 'boolean') return refuse(`\`duplicate\` must be a boolean, got ${shown(duplicate)}`);
  if (control === undefined) return { acknowledged: true };
  if (!Array.isArray(control)) return refuse(`\`control\` must be an array, got ${shown(control)}`);
  for (const [i, item] of control.entries()) {
    if (!isObject(item)) return refuse(`\`control[${i}]\` must be an object, got ${shown(item)}`);
    const extra = Object.keys(item).find((key) => key !== 'campaignId' && key !== 'state');
    if (extra !== undefined) return refuse(`unknown key \`control[${i}].${extra}\``);
    if (typeof item.campaignId !== 'string' || item.campaignId === '') {
      return refuse(`\`control[${i}].campaignId\` must be a non-empty string, got ${shown(item.campaignId)}`);
    }
    if (typeof item.state !== 'string' || !CONTROL_STATES.includes(item.state)) {
      return refuse(`\`control[${i}].state\` must be running, paused or cancelled, got ${shown(item.state)}`);
    }
  }
  return control.length > 0 ? { acknowledged: true, control: control as CampaignControl[] } : { acknowledged: true };
}

/**
 * The legacy rule: a 2xx that is not HTML (`text/html` or `application/xhtml+xml`) and either is a 204 or has a body
 * that is a JSON object which does not say it failed: not `accepted: false`, `ok: false` or `success: false`, and
 * no `error` other than null or false.
 */
export function readLegacyAnswer(answer: Answer): Verdict {
  const refuse = (problem: string): Verdict => ({
    acknowledged: false,
    reason: `${answer.status} answer is not a legacy acknowledgement (a 204, or a JSON object that does not say it failed): ${problem}${excerpt(answer.text)}`,
  });
  const type = mediaType(answer.contentType);
  if (type === 'text/html' || type === 'application/xhtml+xml') return refuse(`an HTML page (content-type ${type})`);
  if (answer.status === 204) return { acknowledged: true };
  const body = parseJson(answer.text);
  if (body === NOT_JSON) return refuse(notJson(answer));
  if (!isObject(body)) return refuse(`a JSON ${kindOf(body)}, not an object`);
  for (const key of ['accepted', 'ok', 'success']) {
    if (body[key] === false) return refuse(`it says \`${key}: false\``);
  }
  if ('error' in body && body.error !== null && body.error !== false) {
    return refuse(`it carries \`error\`: ${shown(body.error)}`);
  }
  return { acknowledged: true };
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  if (text.trim() === '') return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function notJson({ text, contentType }: Answer): string {
  const type = contentType === null ? 'no content-type' : `content-type ${mediaType(contentType)}`;
  return text.trim() === '' ? `an empty body (${type})` : `not JSON (${type})`;
}

function mediaType(contentType: string | null): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** `; body "<start of the body>"` for a reason, its runs of white space made one space; nothing for an empty body. */
function excerpt(text: string, length = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '';
  return `; body ${JSON.stringify(flat.length > length ? `${flat.slice(0, length)}…` : flat)}`;
}
