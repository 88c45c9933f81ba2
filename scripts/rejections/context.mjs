// What the table says about where a rejection is made, beyond the object itself: which methods a decorator
// guards, which event a type-less payload is emitted with (a pending call rejects with `{type: event,
// ...payload}`), and the rejections that are not exception-code objects (thrown errors and plain strings).
import { constantText } from './evaluate.mjs';
import { templateOf } from './find.mjs';
import { enclosingName, isFunction, keyName } from './program.mjs';

// Which methods each decorator guards. Matches the two compiled forms of legacy decorators:
// `apply(C.prototype, "name", [d1, d2(...)], descriptor, …)` and `__decorate([d1, d2(...)], C.prototype, "name", …)`,
// where an element may also be a variable holding a factory's result (`v = d2(...)`, then `[v]`).
// Returns `methods` (decorator or factory variable → method names) and `factoryCalls` (a factory call → the
// methods its result decorates).
export function decoratedMethods(program, module) {
  const methods = new Map();
  const factoryCalls = new Map();
  const add = (map, key, name) => {
    if (!key) return;
    if (!map.has(key)) map.set(key, new Set());
    map.get(key).add(name);
  };
  const factory = (call, name) => {
    if (call.callee.type !== 'Identifier') return;
    add(factoryCalls, call, name);
    add(methods, program.variableOf(module, call.callee), name);
  };
  for (const node of module.nodes) {
    if (node.type !== 'CallExpression' || node.arguments.length < 3) continue;
    const [a, b, c] = node.arguments;
    const [list, name] = b.type === 'Literal' && c.type === 'ArrayExpression' ? [c, b] : a.type === 'ArrayExpression' && c.type === 'Literal' ? [a, c] : [];
    if (!list || typeof name.value !== 'string' || !list.elements.length) continue;
    if (!list.elements.every((item) => item?.type === 'Identifier' || (item?.type === 'CallExpression' && item.callee.type === 'Identifier'))) continue;
    for (const item of list.elements) {
      if (item.type === 'CallExpression') {
        factory(item, name.value);
        continue;
      }
      const variable = program.variableOf(module, item);
      add(methods, variable, name.value);
      for (const reference of variable?.references ?? []) {
        if (reference.isWrite() && reference.writeExpr?.type === 'CallExpression') factory(reference.writeExpr, name.value);
      }
    }
  }
  return { methods, factoryCalls };
}

// The decorator a node is written in (the outermost enclosing one) and the methods it guards, or null.
export function decorates(program, module, node, methods) {
  let found = null;
  for (let current = module.parent(node); current; current = module.parent(current)) {
    if (!isFunction(current)) continue;
    const holder = module.parent(current);
    const id = current.type === 'FunctionDeclaration' ? current.id : holder?.type === 'VariableDeclarator' && holder.init === current ? holder.id : null;
    const variable = id?.type === 'Identifier' ? program.variableOf(module, id) : null;
    if (variable && methods.has(variable)) found = { name: variable.name, methods: [...methods.get(variable)].sort() };
  }
  return found;
}

// The events a type-less payload is emitted with: `emit("EVENT", payload)`, also through `Object.assign({},
// payload, …)`, a const holding it, or the return value of the function that builds it.
export function emittedWith(program, evaluator, module, node, depth = 0) {
  const events = new Set();
  if (depth > 4) return events;
  const parent = module.parent(node);
  if (!parent) return events;
  const env = { choices: new Map(), forkable: false };
  if (parent.type === 'CallExpression' && parent.arguments.includes(node)) {
    const first = parent.arguments[0];
    const event = first !== node ? evaluator.evaluate(module, first, env) : [];
    if (parent.arguments[1] === node && event.length === 1 && constantText(event[0])) events.add(constantText(event[0]));
    else for (const item of emittedWith(program, evaluator, module, parent, depth + 1)) events.add(item);
  } else if (parent.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier') {
    const variable = program.variableOf(module, parent.id);
    for (const reference of variable?.references ?? []) {
      if (reference.identifier === parent.id) continue;
      for (const item of emittedWith(program, evaluator, module, reference.identifier, depth + 1)) events.add(item);
    }
  } else if (parent.type === 'ReturnStatement' || (parent.type === 'ArrowFunctionExpression' && parent.body === node)) {
    let fn = parent;
    while (fn && !isFunction(fn)) fn = module.parent(fn);
    for (const site of fn ? program.callSitesOf(module, fn) : []) {
      for (const item of emittedWith(program, evaluator, site.module, site.node, depth + 1)) events.add(item);
    }
  } else if (['ConditionalExpression', 'LogicalExpression', 'SequenceExpression', 'AwaitExpression'].includes(parent.type)) {
    for (const item of emittedWith(program, evaluator, module, parent, depth + 1)) events.add(item);
  }
  return events;
}

const ERROR_CLASS = /^(?:\w*Error|DOMException)$/;

// `throw X` and `Promise.reject(X)` (and the `reject` of a `new Promise` executor) where X is a new Error-like
// object or a string: what a call can reject with that is not an exception-code object. A superset: the
// bundle's libraries throw too.
export function errorRejections(program, evaluator, module) {
  const found = [];
  const env = { choices: new Map(), forkable: false };
  for (const node of module.nodes) {
    let value = null;
    if (node.type === 'ThrowStatement') value = node.argument;
    else if (node.type === 'CallExpression' && node.arguments.length === 1 && isRejectCall(program, module, node.callee)) value = node.arguments[0];
    if (!value) continue;
    let kind = null;
    let message = null;
    const construct = ['NewExpression', 'CallExpression'].includes(value.type) && value.callee.type === 'Identifier';
    if (construct && ERROR_CLASS.test(value.callee.name) && !program.variableOf(module, value.callee)) {
      kind = value.callee.name;
      message = value.arguments[0] ?? null;
    } else if (['Literal', 'TemplateLiteral', 'BinaryExpression'].includes(value.type)) {
      kind = 'string';
      message = value;
    }
    if (!kind) continue;
    const values = message ? evaluator.evaluate(module, message, env) : [];
    const texts = values.length === 1 && values[0].k === 'str' ? values[0] : null;
    const described = !message ? { message: null } : texts && constantText(texts) !== null ? { message: constantText(texts) } : { message: null, template: templateOf(texts ? texts.parts : [{ hole: module.text(message) }]) };
    found.push({ kind, ...described, how: node.type === 'ThrowStatement' ? 'throw' : 'reject', in: enclosingName(module, node), node });
  }
  return found;
}

function isRejectCall(program, module, callee) {
  if (callee.type === 'MemberExpression') {
    return callee.object.type === 'Identifier' && callee.object.name === 'Promise' && !program.variableOf(module, callee.object) && keyName(callee.property, callee.computed) === 'reject';
  }
  if (callee.type !== 'Identifier') return false;
  const def = program.variableOf(module, callee)?.defs[0];
  if (def?.type !== 'Parameter' || def.node.params[1]?.type !== 'Identifier' || def.node.params[1].name !== callee.name) return false;
  const holder = module.parent(def.node);
  return holder?.type === 'NewExpression' && holder.callee.type === 'Identifier' && holder.callee.name === 'Promise';
}

// The types a type-less payload gets from a wrapper that spreads it into a typed rejection, as in
// `.catch(e => Promise.reject({type: T, ...e}))` chained on a call of the function that makes the payload, or
// `error: e => reject({type: T, ...e})` in a function that holds it.
export function wrapperTypes(program, evaluator, module, node) {
  const wrappers = (module.wrappers ??= module.nodes.filter(
    (item) =>
      item.type === 'ObjectExpression' &&
      item.properties.some((property) => property.type === 'SpreadElement') &&
      item.properties.some((property) => property.type === 'Property' && keyName(property.key, property.computed) === 'type'),
  ));
  const env = { choices: new Map(), forkable: false };
  const types = new Set();
  const collect = (fn) => {
    for (const wrapper of wrappers) {
      if (wrapper.start < fn.start || wrapper.end > fn.end) continue;
      const type = wrapper.properties.find((property) => property.type === 'Property' && keyName(property.key, property.computed) === 'type');
      const values = evaluator.evaluate(module, type.value, env);
      if (values.length === 1 && constantText(values[0])) types.add(constantText(values[0]));
    }
  };
  const enclosing = [];
  for (let current = module.parent(node); current && enclosing.length < 4; current = module.parent(current)) {
    if (isFunction(current)) enclosing.push(current);
  }
  enclosing.slice(0, 2).forEach(collect);
  const named = enclosing.find((fn) => program.callSitesOf(module, fn).length) ?? null;
  for (const site of named ? program.callSitesOf(module, named) : []) {
    // Up the chain `site.then(...).catch(...)`: the callbacks of each link.
    let link = site.node;
    for (let parent = module.parent(link); parent?.type === 'MemberExpression' && parent.object === link; parent = module.parent(link)) {
      const call = module.parent(parent);
      if (call?.type !== 'CallExpression' || call.callee !== parent) break;
      if (['catch', 'then'].includes(keyName(parent.property, parent.computed))) call.arguments.filter(isFunction).forEach(collect);
      link = call;
    }
  }
  return types;
}

// The source of the fields merged into a rejection object besides its own (`{...payload, type}`,
// `Object.assign(payload, {type, errorCode})`), or null: such a rejection may carry a reason from there.
export function mergedFrom(module, node) {
  const spread = node.properties.find((property) => property.type === 'SpreadElement');
  if (spread) return module.text(spread.argument);
  const parent = module.parent(node);
  const assign = parent?.type === 'CallExpression' && parent.callee.type === 'MemberExpression' && keyName(parent.callee.property, parent.callee.computed) === 'assign';
  return assign && parent.arguments[0] !== node ? module.text(parent.arguments[0]) : null;
}
