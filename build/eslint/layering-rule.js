// ESLint rule enforcing the layering (VS Code's code-layering idea, our folders).
// Between processes:
//   shared/        imports nothing of ours outside shared/, and never electron or node built-ins
//   renderer/      imports renderer/ and shared/ only (+ npm packages), never electron or node built-ins
//   electron/**    imports electron/ and shared/ (+ npm); only electron/app/** may import 'electron'
// Inside electron/ (each folder a room, each room on a floor; a room imports its own floor's kernel and below):
//   stores/                                  → shared
//   core/     (dispatch, events, errors…)    → stores, shared
//   directory/, tenant/, dns/ (services)     → core, stores, shared
//   sync/, wizards/ (features)               → the services, core, stores, shared
//   app/, headless/, web/, host/ (hosts)     → anything in electron/
// A folder of electron/ that isn't in this table is an error, so a new room must be placed on a floor.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ELECTRON_RUNTIME = new Set(['electron', 'electron-store', 'electron-updater']);
const NODE_BUILTINS = new Set(builtinModules);

/** electron/ folders and what each may import (besides itself and shared/). */
export const ELECTRON_ROOMS = {
  stores: [],
  core: ['stores'],
  directory: ['core', 'stores'],
  tenant: ['core', 'stores'],
  dns: ['core', 'stores'],
  sync: ['directory', 'tenant', 'core', 'stores'],
  wizards: ['directory', 'tenant', 'dns', 'core', 'stores'],
  app: '*',
  headless: '*',
  web: '*',
  host: '*',
};

function layerOf(root, file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('..')) return { layer: 'outside' };
  if (rel.startsWith('shared/')) return { layer: 'shared' };
  if (rel.startsWith('renderer/')) return { layer: 'renderer' };
  if (rel.startsWith('electron/')) {
    const parts = rel.split('/');
    const room = parts.length > 2 ? parts[1] : '(top level)';
    return { layer: room === 'app' ? 'electron-app' : 'electron', room };
  }
  return { layer: 'free' }; // test/, bench/, scripts/, build/, config files
}

const ALLOWED = {
  shared: new Set(['shared']),
  renderer: new Set(['renderer', 'shared']),
  electron: new Set(['electron', 'shared']),
  'electron-app': new Set(['electron', 'electron-app', 'shared']),
};

/** The first reason `fromRoom` may not import `toRoom`, or null when it may. */
function roomProblem(fromRoom, toRoom) {
  const allowed = ELECTRON_ROOMS[fromRoom];
  if (allowed === undefined) return 'unknownRoom';
  if (!(toRoom in ELECTRON_ROOMS)) return 'unknownRoom';
  if (allowed === '*' || fromRoom === toRoom) return null;
  return allowed.includes(toRoom) ? null : 'upward';
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      electronRuntime: "Only electron/app/** may import '{{name}}': this code must run under plain Node.",
      nodeBuiltin: "{{from}}/ can't import the Node built-in '{{name}}': it runs in a sandboxed page or in both processes.",
      crossLayer: '{{from}}/ may not import from {{to}}/ ("{{name}}").',
      upward: 'electron/{{from}}/ may not import electron/{{to}}/ ("{{name}}"): {{from}} may import only {{allowed}}.',
      unknownRoom: 'electron/{{room}}/ is not in the layer table (build/eslint/layering-rule.js): place it on a floor first.',
    },
  },
  create(context) {
    const root = context.cwd;
    const from = layerOf(root, context.filename);
    if (from.layer === 'free' || from.layer === 'outside') return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const name = source.value;
      if (name.startsWith('.') || name.startsWith('/')) {
        const to = layerOf(root, path.resolve(path.dirname(context.filename), name));
        const targetLayer = to.layer === 'electron-app' && from.layer !== 'electron-app' ? 'electron/app' : to.layer;
        if (!ALLOWED[from.layer].has(to.layer)) {
          context.report({ node, messageId: 'crossLayer', data: { from: from.layer, to: targetLayer, name } });
          return;
        }
        if (from.room && to.room) {
          const problem = roomProblem(from.room, to.room);
          if (problem === 'unknownRoom') {
            if (from.room in ELECTRON_ROOMS) context.report({ node, messageId: 'unknownRoom', data: { room: to.room } });
          } else if (problem === 'upward') {
            const allowed = [...ELECTRON_ROOMS[from.room], 'shared'].join(', ');
            context.report({ node, messageId: 'upward', data: { from: from.room, to: to.room, name, allowed } });
          }
        }
        return;
      }
      const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      if (ELECTRON_RUNTIME.has(pkg) && from.layer !== 'electron-app') context.report({ node, messageId: 'electronRuntime', data: { name: pkg } });
      if ((from.layer === 'renderer' || from.layer === 'shared') && (name.startsWith('node:') || NODE_BUILTINS.has(pkg))) {
        context.report({ node, messageId: 'nodeBuiltin', data: { from: from.layer, name } });
      }
    };
    return {
      Program: (node) => {
        if (from.room && !(from.room in ELECTRON_ROOMS)) context.report({ node, messageId: 'unknownRoom', data: { room: from.room } });
      },
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
