// Type-checks one TypeScript file as the project's strict tsconfig would,
// through the compiler API: only that file's diagnostics are computed (its
// imports are parsed and bound, not checked), which keeps it to seconds.
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../harness/paths.js';

function projectOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile).options;
}

// Parsed files are kept for the next check, which only parses its own file.
let cached: { options: ts.CompilerOptions; host: ts.CompilerHost } | undefined;

function compilerHost(): { options: ts.CompilerOptions; host: ts.CompilerHost } {
  if (cached) return cached;
  const options = projectOptions();
  const host = ts.createCompilerHost(options);
  const files = new Map<string, ts.SourceFile | undefined>();
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, fresh) => {
    if (name.includes(`${path.sep}.cache${path.sep}`)) return read(name, language, onError, fresh);
    if (!files.has(name)) files.set(name, read(name, language, onError, fresh));
    return files.get(name);
  };
  return (cached = { options, host });
}

/** The compile errors of `file` under the project's tsconfig, as `file(line,col): message` lines. */
export function typeErrors(file: string): string[] {
  const { options, host } = compilerHost();
  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file);
  if (!source) return [`${file}: not found`];
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  return diagnostics.map((d) => {
    const { line, character } = d.file?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: 0, character: 0 };
    return `${path.basename(file)}(${line + 1},${character + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The syntax errors of `source` read as a TypeScript module. */
export function syntaxErrors(source: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, noLib: true, noResolve: true },
  });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
