// A registration as code: curl, the Python client's RemoteLRScheduler, and the local torch (or
// transformers) scheduler it stands for.

/** A JSON value as a Python literal (True/False/None, float('nan') for the non-finite strings). */
export function python(value, indent = 0) {
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 4);
  if (value === null || value === undefined) {
    return 'None';
  }
  if (value === true) {
    return 'True';
  }
  if (value === false) {
    return 'False';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : `float("${value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan'}")`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    if (value.every((entry) => entry === null || typeof entry !== 'object')) {
      return `[${value.map((entry) => python(entry)).join(', ')}]`;
    }
    return `[\n${value.map((entry) => inner + python(entry, indent + 4)).join(',\n')},\n${pad}]`;
  }
  const entries = Object.entries(value);
  if (!entries.length) {
    return '{}';
  }
  const flat = entries.every(([, entry]) => entry === null || typeof entry !== 'object');
  if (flat && entries.length <= 3) {
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}: ${python(entry)}`).join(', ')}}`;
  }
  return `{\n${entries.map(([key, entry]) => `${inner}${JSON.stringify(key)}: ${python(entry, indent + 4)}`).join(',\n')},\n${pad}}`;
}

function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The registration as a curl command against this service. */
export function curl(registration, { withToken } = {}) {
  const auth = withToken ? ` \\\n  -H "Authorization: Bearer $STEPWISE_TOKEN"` : '';
  return `curl -sS -X POST ${location.origin}/api/v1/schedulers \\\n  -H 'Content-Type: application/json'${auth} \\\n`
    + `  -d ${shellQuote(JSON.stringify(registration, null, 2))}`;
}

/**
 * An optimizer with these param groups, runnable as is: one placeholder parameter per group
 * (use your model's), momentum where the groups have one.
 */
function optimizer(groups) {
  const lines = groups.map((group, index) => {
    const momentum = group.momentum === null || group.momentum === undefined ? '' : `, "momentum": ${python(group.momentum)}`;
    return `    {"params": [torch.nn.Parameter(torch.zeros(1))], "lr": ${python(group.lr)}${momentum}},  # group ${index}`;
  });
  return `optimizer = torch.optim.SGD([\n${lines.join('\n')}\n])`;
}

/** The registration as the Python client's RemoteLRScheduler. */
export function remoteScheduler(registration) {
  return [
    '# pip install ./clients/python[torch]  (the client of this repository)',
    'import torch',
    'from stepwise_client import RemoteLRScheduler, StepwiseClient',
    '',
    optimizer(registration.param_groups),
    `client = StepwiseClient(${python(location.origin)})  # with authentication: token=... or STEPWISE_TOKEN`,
    `scheduler = RemoteLRScheduler(optimizer, client, ${python(registration.id)}, ${python(registration.scheduler)})`,
    '',
    'for epoch in range(10):',
    '    optimizer.step()',
    '    scheduler.step()  # a plateau spec: scheduler.step(val_loss)',
    '    print(epoch, scheduler.get_last_lr())',
  ].join('\n');
}

const EXPRESSION_VARIABLE = { lr_lambda: 'epoch', scale_fn: 'x' };

/** The catalogue's entry of a type, from GET /api/v1/scheduler-types. */
function typeOf(catalogue, name) {
  return (catalogue || []).find((type) => type.name === name);
}

/** The Hugging Face function a type stands for, as its description names it ("Hugging Face get_x: ..."). */
function huggingFaceFunction(type) {
  const match = type && /^Hugging Face (get_\w+)/.exec(type.description || '');
  return match ? match[1] : null;
}

/** One keyword argument as Python: expressions as lambdas, nested specs as constructors. */
function argument(catalogue, name, value, indent) {
  if (EXPRESSION_VARIABLE[name] && value !== null) {
    const variable = EXPRESSION_VARIABLE[name];
    const lambda = (expression) => `lambda ${variable}: ${expression}`;
    return Array.isArray(value) ? `[${value.map(lambda).join(', ')}]` : lambda(value);
  }
  if (name === 'schedulers' && Array.isArray(value)) {
    const inner = ' '.repeat(indent + 4);
    return `[\n${value.map((child) => inner + schedulerCall(catalogue, child, indent + 4)).join(',\n')},\n${' '.repeat(indent)}]`;
  }
  return python(value, indent);
}

/** A scheduler spec as the constructor call PyTorch (or transformers) would run, defaults left out. */
export function schedulerCall(catalogue, spec, indent = 0) {
  const type = typeOf(catalogue, spec.type);
  const declared = new Map((type ? type.arguments : []).map((declaration) => [declaration.name, declaration]));
  const keywords = Object.entries(spec)
    .filter(([name]) => name !== 'type')
    .filter(([name, value]) => {
      const declaration = declared.get(name);
      return !declaration || declaration.required || JSON.stringify(declaration.default) !== JSON.stringify(value);
    })
    .map(([name, value]) => `${name}=${argument(catalogue, name, value, indent)}`);
  const hf = huggingFaceFunction(type);
  const callee = hf ? `transformers.${hf}` : `lr_scheduler.${spec.type}`;
  return `${callee}(${['optimizer', ...keywords].join(', ')})`;
}

function usesHuggingFace(catalogue, spec) {
  return Boolean(huggingFaceFunction(typeOf(catalogue, spec.type)))
    || (Array.isArray(spec.schedulers) && spec.schedulers.some((child) => usesHuggingFace(catalogue, child)));
}

function usesExpressions(spec) {
  return Object.keys(spec).some((name) => EXPRESSION_VARIABLE[name] && spec[name] !== null)
    || (Array.isArray(spec.schedulers) && spec.schedulers.some(usesExpressions));
}

/** The registration as local torch code: the schedule the service computes, without the service. */
export function localTorch(catalogue, registration) {
  const spec = registration.scheduler;
  const imports = ['import torch', 'from torch.optim import lr_scheduler'];
  if (usesHuggingFace(catalogue, spec)) {
    imports.push('import transformers');
  }
  if (usesExpressions(spec)) {
    imports.push('from math import ceil, cos, e, exp, floor, log, pi, sin, sqrt, tan  # what lr_lambda and scale_fn may use');
  }
  const plateau = /plateau/i.test(spec.type);
  return [
    ...imports,
    '',
    optimizer(registration.param_groups),
    `scheduler = ${schedulerCall(catalogue, spec)}`,
    '',
    'for epoch in range(10):',
    '    optimizer.step()',
    plateau ? '    scheduler.step(val_loss)  # your metric' : '    scheduler.step()',
    `    print(epoch, ${plateau ? '[group["lr"] for group in optimizer.param_groups]' : 'scheduler.get_last_lr()'})`,
  ].join('\n');
}
