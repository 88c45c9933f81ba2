// Which writes of a variable reach a reference, and what a chosen write tells about other variables (the branch
// it is written in). Minified code is mostly straight-line, so this is a light, local reading of control flow.

// The writes of a variable that can reach a reference: going back from the nearest one before it, every
// write until one that always happens on the way (null stands for "not assigned yet": undefined).
export function reachingWrites(variable, def, reference) {
  const writes = variable.references.filter((item) => item.isWrite() && item.writeExpr).sort((a, b) => a.identifier.start - b.identifier.start);
  if (!writes.length) return [null];
  const before = writes.filter((item) => item.identifier.start < reference.start);
  if (!before.length) return [writes[writes.length - 1]];
  const reaching = [];
  for (let i = before.length - 1; i >= 0; i -= 1) {
    reaching.push(before[i]);
    if (!mayBeSkipped(variable.module, before[i].identifier, reference)) return reaching;
  }
  if (!def.node.init) reaching.push(null);
  return reaching;
}

// Whether a write may be skipped on the way to a reference: a branch, loop, catch or nested function stands
// between the write and the innermost node holding both.
function mayBeSkipped(module, write, reference) {
  const holding = new Set();
  for (let node = reference; node; node = module.parent(node)) holding.add(node);
  let child = write;
  for (let node = module.parent(write); node && !holding.has(node); child = node, node = module.parent(node)) {
    if (/Function|Loop|^For|While|SwitchCase|CatchClause/.test(node.type)) return true;
    if ((node.type === 'ConditionalExpression' || node.type === 'IfStatement') && child !== node.test) return true;
    if (node.type === 'LogicalExpression' && child === node.right) return true;
  }
  return false;
}

const guardCache = new WeakMap();

// `x === value` tests around a write (the branches it is in), as {variable, node, module}: in that write's branch,
// x holds node's value. A constant compared (`x === K`) tells nothing about K.
export function guardsOf(program, module, write) {
  if (guardCache.has(write)) return guardCache.get(write);
  const guards = [];
  const collect = (test) => {
    if (test.type === 'LogicalExpression' && test.operator === '&&') {
      collect(test.left);
      collect(test.right);
    } else if (test.type === 'BinaryExpression' && (test.operator === '===' || test.operator === '==')) {
      for (const [side, other] of [[test.left, test.right], [test.right, test.left]]) {
        const variable = side.type === 'Identifier' ? program.variableOf(module, side) : null;
        // `x === K` tells about x, not about the constant K.
        const constant = variable?.defs[0]?.type === 'Variable' && variable.defs[0].node.init?.type === 'Literal';
        if (variable && !constant) guards.push({ variable, node: other, module });
      }
    }
  };
  let child = write.identifier;
  for (let node = module.parent(child); node && !/Function/.test(node.type); child = node, node = module.parent(node)) {
    if ((node.type === 'ConditionalExpression' || node.type === 'IfStatement') && child === node.consequent) collect(node.test);
    if (node.type === 'LogicalExpression' && node.operator === '&&' && child === node.right) collect(node.left);
  }
  guardCache.set(write, guards);
  return guards;
}
