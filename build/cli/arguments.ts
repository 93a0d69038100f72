/** A command line Sortie cannot act on; the CLI prints its message as one line and exits 1. */
export class CliError extends Error {
  override name = "CliError";
}

/** The options one command accepts: a flag (no value) or an option taking a value. */
export type OptionSpec = Record<string, "flag" | "value">;

export interface ParsedArguments {
  readonly options: Readonly<Record<string, string | true>>;
  readonly positionals: readonly string[];
}

/**
 * Reads `--name`, `--name value` and `--name=value` against `spec`; anything else starting
 * with `-` is an unknown option, named in the error with the options there are.
 */
export function parseArguments(args: readonly string[], spec: OptionSpec): ParsedArguments {
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  const known = Object.entries(spec).map(([name, kind]) => (kind === "value" ? `--${name} <value>` : `--${name}`)).join(", ");
  for (let index = 0; index < args.length; index++) {
    const argument = args[index]!;
    if (!argument.startsWith("-")) {
      positionals.push(argument);
      continue;
    }
    const [flag, inline] = splitOnce(argument);
    const name = flag.replace(/^--?/, "");
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!kind) throw new CliError(`unknown option ${flag}${known ? ` (the options are ${known})` : " (it takes none)"}`);
    if (kind === "flag") {
      if (inline !== undefined) throw new CliError(`${flag} takes no value`);
      options[name] = true;
      continue;
    }
    const value = inline ?? args[++index];
    if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) {
      throw new CliError(`${flag} needs a value: ${flag} <value>`);
    }
    options[name] = value;
  }
  return { options, positionals };
}

function splitOnce(argument: string): [string, string | undefined] {
  const equals = argument.indexOf("=");
  return equals === -1 ? [argument, undefined] : [argument.slice(0, equals), argument.slice(equals + 1)];
}
