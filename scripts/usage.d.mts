// Types of scripts/usage.mjs, for the TypeScript entry points (policy/validate.ts, scripts/diff/main.ts,
// scripts/environments.ts, workloads/photo-view/app/local.ts).

/** What an option takes: nothing, one value, or one of these values. */
export type OptionKind = 'flag' | 'value' | ReadonlyArray<string>;
export type OptionSpec = Readonly<Record<`--${string}`, OptionKind>>;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type ValueOf<K> = K extends 'flag' ? boolean : K extends ReadonlyArray<infer V> ? V : string;

/** The options of a command line by name in camelCase (`--fail-on` is `failOn`); absent when not given. */
export type Options<S extends OptionSpec> = { readonly help: boolean } & {
  readonly [F in keyof S as F extends `--${infer N}` ? CamelCase<N> : never]?: ValueOf<S[F]>;
};

export type ParsedArgs<S extends OptionSpec> =
  | { readonly options: Options<S>; readonly operands: string[]; readonly error?: undefined }
  | { readonly error: string; readonly options?: undefined; readonly operands?: undefined };

export function parseArgs<const S extends OptionSpec>(args: ReadonlyArray<string>, spec: S, settings?: { operands?: boolean }): ParsedArgs<S>;
export function quoted(value: string): string;
/** A parsed command line: parseArgs's, or a script's own on top of it. */
type CommandLine = { readonly error?: string; readonly options?: { readonly help: boolean } };
type Parsed<P> = Exclude<P, { readonly error: string }>;

export function commandLineOrExitCode<P extends CommandLine>(
  parsed: P,
  usage: string,
  io?: { out(text: string): void; err(text: string): void },
): Parsed<P> | 0 | 2;
export function optionsOrExit<P extends CommandLine>(parsed: P, usage: string): NonNullable<Parsed<P>['options']>;
export function exitWhenFlushed(): void;
