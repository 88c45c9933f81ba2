// The rejection objects of a program and what each can hold. A rejection object is an object literal with an
// `errorCode` and a `type` or `reason`, or with a `type` and a `reason` (the SDK's rejections without a code),
// and none of the keys of a server answer or a log record. Each one is evaluated once per combination of call
// sites its fields depend on (see evaluate.mjs), so `failure(type, code, reason)` called from fifty places
// gives fifty rejections, each located at the call that supplied its values.
import { Fork, UNDEFINED, constantText } from './evaluate.mjs';
import { isFunction, keyName } from './program.mjs';

export const FIELDS = ['type', 'reason', 'errorCode', 'subCode'];
const NOT_A_REJECTION = new Set(['errorMessage', 'status', 'result', 'detectAction', 'payload', 'code']);
const MAX_CONTEXTS = 2000;
const MAX_RECORDS_PER_CONTEXT = 32;

export function isRejectionObject(node) {
  if (node.type !== 'ObjectExpression') return false;
  const keys = new Set(node.properties.map((item) => (item.type === 'Property' ? keyName(item.key, item.computed) : null)));
  if ([...keys].some((key) => NOT_A_REJECTION.has(key))) return false;
  return (keys.has('errorCode') && (keys.has('type') || keys.has('reason'))) || (keys.has('type') && keys.has('reason'));
}

export function rejectionObjects(module) {
  return module.nodes.filter(isRejectionObject).sort((a, b) => a.start - b.start);
}

// Every (type, reason, errorCode, subCode) the object can hold, each with the call site that supplied it.
export function rejectionsOf(evaluator, module, object) {
  const properties = new Map(object.properties.filter((item) => item.type === 'Property').map((item) => [keyName(item.key, item.computed), item]));
  const records = [];
  const queue = [new Map()];
  let contexts = 0;
  while (queue.length) {
    const choices = queue.shift();
    contexts += 1;
    const env = { choices, forkable: contexts + queue.length < MAX_CONTEXTS };
    let fields;
    try {
      fields = FIELDS.map((name) => (properties.has(name) ? evaluator.evaluate(module, properties.get(name).value, env) : [UNDEFINED]));
    } catch (error) {
      if (!(error instanceof Fork)) throw error;
      for (const option of error.options) queue.push(new Map([...choices, [error.key, option]]));
      continue;
    }
    const site = outermostSite(choices);
    let combinations = [[]];
    for (const values of fields) combinations = combinations.flatMap((prefix) => values.map((value) => [...prefix, value]));
    combinations = combinations.filter((values) => !values.some((value) => value.k === 'never'));
    for (const [type, reason, errorCode, subCode] of combinations.slice(0, MAX_RECORDS_PER_CONTEXT)) {
      records.push({ type: describeType(type), ...describeReason(reason), ...describeCode(errorCode), ...describeSubCode(subCode), site });
    }
  }
  return records;
}

// Of the call sites chosen, the one not inside another chosen function: where the values were written.
function outermostSite(choices) {
  const sites = [...choices].filter(([key]) => isFunction(key)).map(([, site]) => site);
  const chosen = new Set([...choices.keys()]);
  for (const site of sites) {
    let inside = false;
    for (let node = site.module.parent(site.node); node && !inside; node = site.module.parent(node)) inside = chosen.has(node);
    if (!inside) return site;
  }
  return null;
}

function describeType(value) {
  if (value.k === 'undefined') return null;
  return constantText(value) ?? { dynamic: value.k === 'hole' ? value.src : value.k };
}

function describeReason(value) {
  if (value.k === 'undefined') return { reason: null };
  const text = constantText(value);
  if (text !== null) return { reason: text };
  const parts = value.k === 'str' ? value.parts : [{ hole: value.k === 'hole' ? value.src : value.k }];
  return { reason: null, template: templateOf(parts) };
}

function describeCode(value) {
  if (value.k === 'num') return { errorCode: value.v, ...(value.name ? { code_constant: value.name } : {}) };
  if (value.k === 'undefined') return { errorCode: null };
  return { errorCode: null, errorCode_dynamic: value.k === 'hole' ? value.src : value.k };
}

function describeSubCode(value) {
  if (value.k === 'undefined') return {};
  return value.k === 'num' ? { subCode: value.v } : { subCode_dynamic: value.k === 'hole' ? value.src : value.k };
}

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A string with holes: `pattern` numbers the holes ({1}, {2} …; literal braces are doubled), `placeholders`
// gives the source of each, `regex` matches every string it can be.
export function templateOf(parts) {
  const pattern = [];
  const regex = ['^'];
  const placeholders = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      pattern.push(part.replace(/[{}]/g, '$&$&'));
      regex.push(escapeRegex(part));
    } else {
      placeholders.push(part.hole);
      pattern.push(`{${placeholders.length}}`);
      regex.push('([\\s\\S]*)');
    }
  }
  regex.push('$');
  return { pattern: pattern.join(''), placeholders, regex: regex.join('') };
}
