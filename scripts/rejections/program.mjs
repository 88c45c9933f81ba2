// A set of ES modules parsed once (acorn) with their scopes (eslint-scope), and the indexes the evaluator needs:
// the parent of every node, the variable every identifier resolves to (through imports, across modules), and
// the call sites of every function (through its variable, or by method name for methods).
import fs from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';
import * as eslintScope from 'eslint-scope';

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

export const isFunction = (node) => Boolean(node) && FUNCTION_TYPES.has(node.type);

// The name a property key or member property is written with, when it is written literally.
export function keyName(key, computed) {
  if (!key) return null;
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  return null;
}

export class Module {
  constructor(file, source, program) {
    this.file = file;
    this.source = source;
    this.program = program;
    this.ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', ranges: true, locations: true });
    this.scopes = eslintScope.analyze(this.ast, { ecmaVersion: 2024, sourceType: 'module' });
    this.parents = new WeakMap();
    this.identifierVariable = new Map();
    this.nodes = [];
    this.#index();
  }

  #index() {
    const stack = [[this.ast, null]];
    while (stack.length) {
      const [node, parent] = stack.pop();
      this.parents.set(node, parent);
      this.nodes.push(node);
      for (const key of Object.keys(node)) {
        if (key === 'loc' || key === 'range') continue;
        const value = node[key];
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i -= 1) if (value[i] && typeof value[i].type === 'string') stack.push([value[i], node]);
        } else if (value && typeof value.type === 'string') stack.push([value, node]);
      }
    }
    for (const scope of this.scopes.scopes) {
      for (const variable of scope.variables) {
        variable.module = this;
        for (const id of variable.identifiers) this.identifierVariable.set(id, variable);
      }
      for (const reference of scope.references) {
        if (reference.resolved) this.identifierVariable.set(reference.identifier, reference.resolved);
      }
    }
  }

  parent(node) {
    return this.parents.get(node) ?? null;
  }

  text(node) {
    return this.source.slice(node.start, node.end);
  }

  // The variables of the module scope, by name.
  moduleVariable(name) {
    const scope = this.scopes.scopes.find((item) => item.type === 'module') ?? this.scopes.globalScope;
    return scope.set.get(name) ?? null;
  }
}

export class Program {
  // files: absolute paths of ES modules (imports between them are followed; others are opaque).
  constructor(files, readSource = (file) => fs.readFileSync(file, 'utf8')) {
    this.modules = new Map();
    for (const file of files) this.modules.set(file, new Module(file, readSource(file), this));
    this.callSites = new Map();
    this.methodCalls = new Map();
    for (const module of this.modules.values()) this.#indexCalls(module);
  }

  moduleOf(node) {
    for (const module of this.modules.values()) if (module.parents.has(node)) return module;
    return null;
  }

  // The variable an identifier names, followed through imports to the exporting module's own variable.
  variableOf(module, identifier) {
    const variable = module.identifierVariable.get(identifier);
    return variable ? this.canonical(variable) : null;
  }

  canonical(variable, seen = new Set()) {
    const def = variable.defs[0];
    if (!def || def.type !== 'ImportBinding' || seen.has(variable)) return variable;
    seen.add(variable);
    const from = variable.module;
    const target = this.modules.get(path.resolve(path.dirname(from.file), def.parent.source.value));
    if (!target) return variable;
    const imported = def.node.type === 'ImportSpecifier' ? keyName(def.node.imported) : def.node.type === 'ImportDefaultSpecifier' ? 'default' : null;
    const exported = imported && this.exportedVariable(target, imported, seen);
    return exported ?? variable;
  }

  // The variable a module exports under a name (local exports, `export {a as b}`, and re-exports).
  exportedVariable(module, name, seen = new Set()) {
    for (const statement of module.ast.body) {
      if (statement.type === 'ExportNamedDeclaration') {
        const declaration = statement.declaration;
        if (declaration) {
          const ids = declaration.type === 'VariableDeclaration' ? declaration.declarations.map((item) => item.id) : [declaration.id];
          if (ids.some((id) => id?.type === 'Identifier' && id.name === name)) return module.moduleVariable(name);
          continue;
        }
        for (const specifier of statement.specifiers) {
          if (keyName(specifier.exported) !== name) continue;
          const local = keyName(specifier.local);
          if (!statement.source) {
            const variable = module.moduleVariable(local);
            return variable ? this.canonical(variable, seen) : null;
          }
          const target = this.modules.get(path.resolve(path.dirname(module.file), statement.source.value));
          return target ? this.exportedVariable(target, local, seen) : null;
        }
      } else if (statement.type === 'ExportDefaultDeclaration' && name === 'default' && statement.declaration.id) {
        return module.moduleVariable(statement.declaration.id.name);
      } else if (statement.type === 'ExportAllDeclaration' && !statement.exported) {
        const target = this.modules.get(path.resolve(path.dirname(module.file), statement.source.value));
        const found = target && this.exportedVariable(target, name, seen);
        if (found) return found;
      }
    }
    return null;
  }

  #indexCalls(module) {
    for (const node of module.nodes) {
      if (node.type !== 'CallExpression' && node.type !== 'NewExpression') continue;
      const callee = node.callee;
      if (callee.type === 'Identifier') {
        const variable = this.variableOf(module, callee);
        if (!variable) continue;
        if (!this.callSites.has(variable)) this.callSites.set(variable, []);
        this.callSites.get(variable).push({ module, node });
      } else if (callee.type === 'MemberExpression') {
        const name = keyName(callee.property, callee.computed);
        if (!name) continue;
        if (!this.methodCalls.has(name)) this.methodCalls.set(name, []);
        this.methodCalls.get(name).push({ module, node });
      }
    }
  }

  // Where a function is called: through the variable it is bound to, or, for a method (class or object
  // method, `this.name = function`), any call of a member with its name (by name only: a superset).
  callSitesOf(module, fn) {
    const holder = module.parent(fn);
    let variable = null;
    if (fn.type === 'FunctionDeclaration' && fn.id) variable = module.identifierVariable.get(fn.id);
    else if (holder?.type === 'VariableDeclarator' && holder.init === fn && holder.id.type === 'Identifier') variable = module.identifierVariable.get(holder.id);
    if (variable) return this.callSites.get(this.canonical(variable)) ?? [];
    const name = methodName(module, fn);
    return name ? (this.methodCalls.get(name) ?? []) : [];
  }
}

// The name under which a function is reachable as a member: class method, object method or property,
// or the target of `x.name = function`.
export function methodName(module, fn) {
  const holder = module.parent(fn);
  if (!holder) return null;
  if ((holder.type === 'MethodDefinition' || holder.type === 'Property' || holder.type === 'PropertyDefinition') && holder.value === fn) {
    return keyName(holder.key, holder.computed);
  }
  // `this.name = function` or `C.prototype.name = function`; not a property descriptor's `d.value = function`.
  const target = holder.type === 'AssignmentExpression' && holder.right === fn && holder.left.type === 'MemberExpression' ? holder.left : null;
  const owner = target?.object;
  if (owner && (owner.type === 'ThisExpression' || (owner.type === 'MemberExpression' && keyName(owner.property, owner.computed) === 'prototype'))) {
    return keyName(target.property, target.computed);
  }
  return null;
}

// The name of the nearest enclosing function that has one: a method or property name, else the variable or
// declaration name (minified in a bundle). Anonymous callbacks are skipped.
export function enclosingName(module, node) {
  for (let current = module.parent(node); current; current = module.parent(current)) {
    if (!isFunction(current)) continue;
    const name = methodName(module, current);
    if (name) return name;
    if (current.id) return current.id.name;
    const holder = module.parent(current);
    if (holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') return holder.id.name;
  }
  return null;
}
