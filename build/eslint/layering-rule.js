// ESLint rule enforcing the process layering (VS Code's code-layering idea, our folders):
//   shared/        imports nothing of ours outside shared/, and never electron
//   renderer/      imports renderer/ and shared/ only (+ npm packages), never electron or node built-ins
//   electron/**    imports electron/ and shared/ (+ npm); only electron/app/** may import 'electron'
import path from 'node:path';
import { builtinModules } from 'node:module';

const ELECTRON_RUNTIME = new Set(['electron', 'electron-store', 'electron-updater']);
const NODE_BUILTINS = new Set(builtinModules);

function layerOf(root, file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('..')) return 'outside';
  if (rel.startsWith('shared/')) return 'shared';
  if (rel.startsWith('renderer/')) return 'renderer';
  if (rel.startsWith('electron/app/')) return 'electron-app';
  if (rel.startsWith('electron/')) return 'electron';
  return 'free'; // test/, bench/, scripts/, build/, config files
}

const ALLOWED = {
  shared: new Set(['shared']),
  renderer: new Set(['renderer', 'shared']),
  electron: new Set(['electron', 'electron-app-types', 'shared']),
  'electron-app': new Set(['electron', 'electron-app', 'shared']),
};

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      electronRuntime: "Only electron/app/** may import '{{name}}': this code must run under plain Node.",
      nodeBuiltin: "renderer/ can't import the Node built-in '{{name}}': it runs in a sandboxed page.",
      crossLayer: '{{from}}/ may not import from {{to}}/ ("{{name}}").',
    },
  },
  create(context) {
    const root = context.cwd;
    const from = layerOf(root, context.filename);
    if (from === 'free' || from === 'outside') return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const name = source.value;
      if (name.startsWith('.') || name.startsWith('/')) {
        const target = layerOf(root, path.resolve(path.dirname(context.filename), name));
        const targetLayer = target === 'electron-app' && from !== 'electron-app' ? 'electron/app' : target;
        if (!ALLOWED[from].has(target)) context.report({ node, messageId: 'crossLayer', data: { from, to: targetLayer, name } });
        return;
      }
      const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      if (ELECTRON_RUNTIME.has(pkg) && from !== 'electron-app') context.report({ node, messageId: 'electronRuntime', data: { name: pkg } });
      if (from === 'renderer' && (name.startsWith('node:') || NODE_BUILTINS.has(pkg))) context.report({ node, messageId: 'nodeBuiltin', data: { name } });
      if (from === 'shared' && (name.startsWith('node:') || NODE_BUILTINS.has(pkg))) context.report({ node, messageId: 'nodeBuiltin', data: { name } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0]);
      },
    };
  },
};
