// The abstract values the evaluator works with (evaluate.mjs), and the helpers that build or read them.
import { keyName } from './program.mjs';

export const UNDEFINED = Object.freeze({ k: 'undefined' });
// What a path that would throw holds (a member of undefined): records holding it are dropped.
export const NEVER = Object.freeze({ k: 'never' });
export const hole = (src) => ({ k: 'hole', src });
export const num = (v, name = null) => ({ k: 'num', v, name });

export function str(parts, name = null) {
  const merged = [];
  for (const part of parts) {
    if (typeof part === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += part;
    else if (part !== '') merged.push(part);
  }
  return { k: 'str', parts: merged, name };
}

export const constantText = (value) => (value.k === 'str' && value.parts.every((part) => typeof part === 'string') ? value.parts.join('') : null);

export class Fork {
  constructor(key, options) {
    this.key = key;
    this.options = options;
  }
}

export const MAX_ALTERNATIVES = 64;

export function product(lists, combine) {
  let results = [[]];
  for (const list of lists) {
    const next = [];
    for (const prefix of results) for (const item of list) next.push([...prefix, item]);
    results = next;
    if (results.length > MAX_ALTERNATIVES) return null;
  }
  return results.map(combine);
}

export function partsOf(value, src) {
  if (value.k === 'str') return value.parts;
  if (value.k === 'num') return [String(value.v)];
  return [{ hole: value.k === 'hole' ? value.src : src }];
}

// The function a variable is declared as (`function f`, `const f = () => …`), not one passed in.
export function declaredFunction(variable) {
  const def = variable?.defs[0];
  if (def?.type === 'FunctionName') return { k: 'fn', node: def.node, module: variable.module };
  const init = def?.type === 'Variable' && variable.references.filter((item) => item.isWrite()).length === 1 ? def.node.init : null;
  return init && ['FunctionExpression', 'ArrowFunctionExpression'].includes(init.type) ? { k: 'fn', node: init, module: variable.module } : null;
}

export function objectKeys(value) {
  if (value.k === 'obj') return value.node.properties.filter((item) => item.type === 'Property').map((item) => keyName(item.key, item.computed)).filter((name) => name !== null);
  if (value.k === 'enum') return [...value.members.keys()];
  if (value.k === 'live' && value.v && typeof value.v === 'object') return Object.keys(value.v);
  return [];
}

export function fromLive(value) {
  if (typeof value === 'string') return str([value]);
  if (typeof value === 'number') return num(value);
  if (value === undefined) return UNDEFINED;
  if (value && typeof value === 'object') return { k: 'live', v: value };
  return hole(String(value));
}

// A TypeScript enum compiled to `function(e){return e[e.A=1]="A",e.B="b",e}({})`: its members, both ways,
// or null when the expression is not one.
export function enumMembers(evaluator, module, expression, env) {
  if (expression.type !== 'CallExpression') return null;
  const fn = expression.callee;
  if (!['FunctionExpression', 'ArrowFunctionExpression'].includes(fn.type) || fn.params[0]?.type !== 'Identifier') return null;
  const self = fn.params[0].name;
  const statements = fn.body.type === 'BlockStatement' ? fn.body.body : [{ type: 'ReturnStatement', argument: fn.body }];
  const expressions = statements.flatMap((statement) => {
    const item = statement.type === 'ReturnStatement' ? statement.argument : statement.type === 'ExpressionStatement' ? statement.expression : null;
    return item?.type === 'SequenceExpression' ? item.expressions : item ? [item] : [];
  });
  const isSelf = (node) => node?.type === 'Identifier' && node.name === self;
  const single = (node) => {
    const values = evaluator.evaluate(module, node, env);
    return values.length === 1 && (values[0].k === 'num' || constantText(values[0]) !== null) ? values[0] : null;
  };
  const members = new Map();
  for (const item of expressions) {
    if (item.type !== 'AssignmentExpression' || item.left.type !== 'MemberExpression' || !isSelf(item.left.object)) continue;
    const inner = item.left.property;
    if (item.left.computed && inner.type === 'AssignmentExpression' && inner.left.type === 'MemberExpression' && isSelf(inner.left.object)) {
      const name = keyName(inner.left.property, inner.left.computed);
      const value = single(inner.right);
      if (name === null || !value) continue;
      members.set(name, value.k === 'num' ? num(value.v, name) : str(value.parts, name));
      members.set(value.k === 'num' ? String(value.v) : constantText(value), str([name]));
    } else {
      const key = item.left.computed ? single(inner) : null;
      const name = item.left.computed ? (key && (key.k === 'num' ? String(key.v) : constantText(key))) : keyName(inner, false);
      const value = single(item.right);
      if (name === null || !value) continue;
      members.set(name, value.k === 'num' ? num(value.v, name) : str(value.parts, name));
    }
  }
  return members.size ? members : null;
}
