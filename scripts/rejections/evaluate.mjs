// A small abstract evaluator of JavaScript expressions, enough to tell which strings and numbers a rejection
// object can hold. Every expression evaluates to a list of alternatives (a conditional gives both branches);
// what cannot be known statically is a hole, kept with its source text so a string with holes becomes a
// template. A parameter is resolved through the function's call sites: the evaluator throws a Fork naming the
// function, and the caller evaluates again once per call site, so the arguments of one call stay together.
import { keyName } from './program.mjs';
import { guardsOf, reachingWrites } from './flow.mjs';
import {
  Fork,
  MAX_ALTERNATIVES,
  NEVER,
  UNDEFINED,
  constantText,
  declaredFunction,
  enumMembers,
  fromLive,
  hole,
  num,
  objectKeys,
  partsOf,
  product,
  str,
} from './values.mjs';

export { Fork, NEVER, UNDEFINED, constantText, hole, num, str } from './values.mjs';

const ARRAY_CALLBACKS = new Set(['map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'flatMap']);
const SAME_ARRAY = new Set(['filter', 'slice', 'concat', 'reverse', 'sort']);
const MAX_CALL_SITES = 250;
const MAX_DEPTH = 120;
const MAX_CALL_DEPTH = 2;

export class Evaluator {
  // live(module, exportedName) → the run-time value of a module's export, or undefined (optional).
  constructor(program, { live = () => undefined } = {}) {
    this.program = program;
    this.live = live;
    this.cache = new Map();
    this.depth = 0;
  }

  // env: { choices: Map(fork key → chosen option), forkable: boolean }
  evaluate(module, node, env) {
    if (this.depth > MAX_DEPTH) return [hole(module.text(node))];
    this.depth += 1;
    try {
      return this.#evaluate(module, node, env);
    } finally {
      this.depth -= 1;
    }
  }

  #evaluate(module, node, env) {
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string') return [str([node.value])];
        if (typeof node.value === 'number') return [num(node.value)];
        return [{ k: 'other', v: node.value }];
      case 'TemplateLiteral':
        return this.#template(module, node, env);
      case 'BinaryExpression':
        return this.#binary(module, node, env);
      case 'ConditionalExpression': {
        const test = this.truth(module, node.test, env);
        if (test !== null) return this.evaluate(module, test ? node.consequent : node.alternate, env);
        return this.#union([this.evaluate(module, node.consequent, env), this.evaluate(module, node.alternate, env)], module, node);
      }
      case 'LogicalExpression':
        return this.#union([this.evaluate(module, node.left, env), this.evaluate(module, node.right, env)], module, node);
      case 'SequenceExpression':
        return this.evaluate(module, node.expressions[node.expressions.length - 1], env);
      case 'AssignmentExpression':
        return node.operator === '=' ? this.evaluate(module, node.right, env) : [hole(module.text(node))];
      case 'AwaitExpression':
      case 'ParenthesizedExpression':
      case 'ChainExpression':
        return this.evaluate(module, node.argument ?? node.expression, env);
      case 'UnaryExpression':
        if (node.operator === 'void') return [UNDEFINED];
        if (node.operator === '-') {
          const values = this.evaluate(module, node.argument, env);
          if (values.every((value) => value.k === 'num')) return values.map((value) => num(-value.v));
        }
        return [hole(module.text(node))];
      case 'Identifier':
        return node.name === 'undefined' ? [UNDEFINED] : this.#identifier(module, node, env);
      case 'MemberExpression':
        return this.#member(module, node, env);
      case 'CallExpression':
        return this.#call(module, node, env);
      case 'ObjectExpression':
        return [{ k: 'obj', node, module }];
      case 'ArrayExpression':
        return [{ k: 'arr', items: node.elements.map((element) => (element && element.type !== 'SpreadElement' ? { module, node: element } : { value: hole('...') })) }];
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return [{ k: 'fn', node, module }];
      default:
        return [hole(module.text(node))];
    }
  }

  #union(lists, module, node) {
    const all = lists.flat().filter((value) => value.k !== 'never');
    if (!all.length) return [NEVER];
    return all.length > MAX_ALTERNATIVES || all.every((value) => value.k === 'hole') ? [hole(module.text(node))] : all;
  }

  // An expression's values as one alternative per constant, or a single hole when any of them is not constant
  // (a template's `${a || b}` with `a` unknown is one placeholder, not two templates).
  #pieces(module, node, env) {
    const values = this.evaluate(module, node, env);
    if (values.some((value) => value.k === 'never')) return [NEVER];
    const constant = (value) => value.k === 'num' || constantText(value) !== null;
    return values.length > 1 && !values.every(constant) ? [hole(module.text(node))] : values;
  }

  // true or false when a condition is decided by constants, else null.
  truth(module, node, env) {
    const single = (item) => {
      const values = this.evaluate(module, item, env);
      if (values.length !== 1) return null;
      const [value] = values;
      if (value.k === 'num') return { v: value.v };
      if (value.k === 'undefined') return { v: undefined };
      const text = constantText(value);
      return text === null ? null : { v: text };
    };
    if (node.type === 'Literal') return Boolean(node.value);
    if (node.type === 'UnaryExpression' && node.operator === '!') {
      const inner = this.truth(module, node.argument, env);
      return inner === null ? null : !inner;
    }
    if (node.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(node.operator)) {
      const left = single(node.left);
      const right = single(node.right);
      if (!left || !right) return null;
      return node.operator.startsWith('=') === (left.v === right.v);
    }
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.arguments.length === 1) {
      const method = keyName(node.callee.property, node.callee.computed);
      if (!['startsWith', 'endsWith', 'includes'].includes(method)) return null;
      const receiver = single(node.callee.object);
      const argument = single(node.arguments[0]);
      if (typeof receiver?.v !== 'string' || typeof argument?.v !== 'string') return null;
      return receiver.v[method](argument.v);
    }
    return null;
  }

  #template(module, node, env) {
    const lists = [];
    node.quasis.forEach((quasi, i) => {
      lists.push([[quasi.value.cooked ?? quasi.value.raw]]);
      const expression = node.expressions[i];
      if (expression) lists.push(this.#pieces(module, expression, env).map((value) => (value.k === 'never' ? null : partsOf(value, module.text(expression)))));
    });
    const made = product(lists, (pieces) => (pieces.includes(null) ? NEVER : str(pieces.flat())));
    return made ?? [str([{ hole: module.text(node) }])];
  }

  #binary(module, node, env) {
    if (node.operator !== '+') return [hole(module.text(node))];
    const left = this.#pieces(module, node.left, env);
    const right = this.#pieces(module, node.right, env);
    const combined = product([left, right], ([a, b]) => {
      if (a.k === 'never' || b.k === 'never') return NEVER;
      if (a.k === 'num' && b.k === 'num') return num(a.v + b.v);
      if (a.k === 'str' || b.k === 'str') return str([...partsOf(a, module.text(node.left)), ...partsOf(b, module.text(node.right))]);
      return hole(module.text(node));
    });
    return combined ?? [hole(module.text(node))];
  }

  #identifier(module, node, env) {
    const variable = this.program.variableOf(module, node);
    return variable ? this.variable(variable, node, env) : [hole(node.name)];
  }

  variable(variable, reference, env) {
    const fact = this.#fact(variable, env);
    if (fact) return this.evaluate(fact.module, fact.node, env);
    const def = variable.defs[0];
    if (!def) return [hole(variable.name)];
    if (def.type === 'Parameter') return this.#parameter(variable, def, env);
    if (def.type === 'FunctionName') return [{ k: 'fn', node: def.node, module: variable.module }];
    if (def.type !== 'Variable' || def.node.id.type !== 'Identifier') return [hole(variable.name)];
    const chosen = env.choices.get(variable);
    if (chosen && 'value' in chosen) return [chosen.value];
    if (chosen) return this.#values(variable, chosen.write, env);
    const writes = reachingWrites(variable, def, reference);
    if (writes.length > 1 && env.forkable) throw new Fork(variable, writes.map((write) => ({ write })));
    const alternatives = writes.flatMap((write) => this.#values(variable, write, env));
    if (alternatives.length > 1 && env.forkable) throw new Fork(variable, alternatives.map((value) => ({ value })));
    return alternatives;
  }

  #values(variable, write, env) {
    if (!write) return [UNDEFINED];
    const module = variable.module;
    const moduleScoped = ['module', 'global'].includes(variable.scope.type) && variable.references.filter((item) => item.isWrite()).length <= 1;
    if (moduleScoped && this.cache.has(variable)) return this.cache.get(variable);
    // A module's own run-time value, when the caller can give one, is what the module built (a table filled in
    // by code, say), so it is preferred to reading the initializer.
    const live = moduleScoped ? this.live(module, variable.name) : undefined;
    const values = live !== undefined ? [fromLive(live)] : this.#initializer(module, write.writeExpr, env);
    if (moduleScoped) this.cache.set(variable, values);
    return values;
  }

  // What a chosen write tells about another variable: a write in the branch of `x === value ? (v = …) : …`
  // (or `x === value && …`, `if (x === value)`) happens only when x is that value.
  #fact(variable, env) {
    for (const [key, choice] of env.choices) {
      if (!choice?.write) continue;
      const guard = guardsOf(this.program, key.module, choice.write).find((item) => item.variable === variable);
      if (guard) return guard;
    }
    return null;
  }

  #initializer(module, expression, env) {
    const members = enumMembers(this, module, expression, env);
    return members ? [{ k: 'enum', members }] : this.evaluate(module, expression, env);
  }

  #parameter(variable, def, env) {
    const fn = def.node;
    const module = variable.module;
    const index = fn.params.findIndex((param) => param.start <= variable.identifiers[0].start && variable.identifiers[0].end <= param.end);
    const param = fn.params[index];
    const plain = param?.type === 'Identifier' || (param?.type === 'AssignmentPattern' && param.left.type === 'Identifier');
    if (!plain) return [hole(variable.name)];
    const fallback = () => (param.type === 'AssignmentPattern' ? this.evaluate(module, param.right, env) : [UNDEFINED]);
    if (env.choices.has(fn)) {
      const site = env.choices.get(fn);
      const args = site.node.arguments;
      if (args.slice(0, index + 1).some((arg) => arg.type === 'SpreadElement')) return [hole(variable.name)];
      return args[index] ? this.evaluate(site.module, args[index], env) : fallback();
    }
    const holder = module.parent(fn);
    if (index === 0 && holder?.type === 'CallExpression' && holder.arguments[0] === fn && holder.callee.type === 'MemberExpression') {
      if (ARRAY_CALLBACKS.has(keyName(holder.callee.property, holder.callee.computed))) {
        const receivers = this.evaluate(module, holder.callee.object, env);
        if (receivers.every((value) => value.k === 'arr')) {
          return this.#union(receivers.flatMap((value) => value.items.map((item) => this.#item(item, env))), module, fn);
        }
      }
      return [hole(variable.name)];
    }
    const sites = this.program.callSitesOf(module, fn);
    if (!sites.length || sites.length > MAX_CALL_SITES || !env.forkable) return [hole(variable.name)];
    throw new Fork(fn, sites);
  }

  #item(item, env) {
    return item.value ? [item.value] : this.evaluate(item.module, item.node, env);
  }

  #member(module, node, env) {
    const objects = this.evaluate(module, node.object, env);
    const keys = node.computed
      ? this.evaluate(module, node.property, env).map((value) => (value.k === 'num' ? String(value.v) : constantText(value)))
      : [node.property.name];
    const results = [];
    for (const object of objects) for (const key of keys) results.push(...this.property(object, key, env, module.text(node)));
    return results.length > MAX_ALTERNATIVES ? [hole(module.text(node))] : results;
  }

  // The values of `object[key]`; a key that is not known (null) gives every member's value.
  property(object, key, env, src) {
    if (object.k === 'undefined' || object.k === 'never') return [NEVER];
    if (object.k === 'enum') {
      if (key === null) return [...object.members.values()];
      return object.members.has(key) ? [object.members.get(key)] : [UNDEFINED];
    }
    if (object.k === 'obj') {
      const properties = object.node.properties.filter((item) => item.type === 'Property');
      if (object.node.properties.some((item) => item.type === 'SpreadElement')) return [hole(src)];
      if (key === null) return properties.flatMap((item) => this.evaluate(object.module, item.value, env));
      const found = properties.filter((item) => keyName(item.key, item.computed) === key).pop();
      return found ? this.evaluate(object.module, found.value, env) : [UNDEFINED];
    }
    if (object.k === 'arr' && key !== 'length') {
      if (key === null) return object.items.flatMap((item) => this.#item(item, env));
      const item = object.items[Number(key)];
      return item ? this.#item(item, env) : [UNDEFINED];
    }
    if (object.k === 'live' && object.v && typeof object.v === 'object') {
      return key === null ? Object.values(object.v).map(fromLive) : [fromLive(object.v[key])];
    }
    return [hole(src)];
  }

  #call(module, node, env) {
    const callee = node.callee;
    if (callee.type === 'MemberExpression') {
      const method = keyName(callee.property, callee.computed);
      const globalObject = callee.object.type === 'Identifier' && !this.program.variableOf(module, callee.object) ? callee.object.name : null;
      if (globalObject === 'Object' && (method === 'keys' || method === 'freeze') && node.arguments[0]) {
        const targets = this.evaluate(module, node.arguments[0], env);
        if (method === 'freeze') return targets;
        return targets.map((target) =>
          target.k === 'undefined' || target.k === 'never' ? NEVER : { k: 'arr', items: objectKeys(target).map((name) => ({ value: str([name]) })) },
        );
      }
      if (method && !globalObject) {
        const receivers = this.evaluate(module, callee.object, env);
        if (method === 'concat' && receivers.every((value) => value.k === 'str')) {
          const lists = [receivers, ...node.arguments.map((arg) => this.evaluate(module, arg, env))];
          const joined = product(lists, (values) => str(values.flatMap((value, i) => partsOf(value, i ? module.text(node.arguments[i - 1]) : ''))));
          if (joined) return joined;
        }
        if (SAME_ARRAY.has(method) && receivers.every((value) => value.k === 'arr')) return receivers;
      }
    }
    if (callee.type === 'Identifier' && callee.name === 'String' && !this.program.variableOf(module, callee) && node.arguments[0]) {
      return this.evaluate(module, node.arguments[0], env).map((value) => str(partsOf(value, module.text(node.arguments[0]))));
    }
    const declared = callee.type === 'Identifier' ? declaredFunction(this.program.variableOf(module, callee)) : null;
    if (declared) return this.#returned(declared, { module, node }, env);
    return [hole(module.text(node))];
  }

  // What a call of a known function returns: its return statements (not those of nested functions), evaluated
  // with its parameters bound to this call's arguments.
  #returned(fn, site, env) {
    const { node, module } = fn;
    if (env.choices.has(node) || (env.calls ?? 0) >= MAX_CALL_DEPTH) return [hole(site.module.text(site.node))];
    const inner = { ...env, choices: new Map(env.choices).set(node, site), calls: (env.calls ?? 0) + 1 };
    if (node.body.type !== 'BlockStatement') return this.evaluate(module, node.body, inner);
    const returns = [];
    const visit = (item) => {
      if (!item || typeof item.type !== 'string' || (item !== node.body && /Function/.test(item.type))) return;
      if (item.type === 'ReturnStatement') returns.push(item.argument);
      for (const key of Object.keys(item)) {
        if (key === 'loc' || key === 'range') continue;
        const value = item[key];
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value.type === 'string') visit(value);
      }
    };
    visit(node.body);
    if (!returns.length || returns.length > 8) return [hole(site.module.text(site.node))];
    return this.#union(returns.map((item) => (item ? this.evaluate(module, item, inner) : [UNDEFINED])), site.module, site.node);
  }
}
