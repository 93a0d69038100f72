import { ServerError } from "../errors.ts";

/** One reason a server function's input was refused. */
export interface ValidationIssue {
  /** Which argument (0 for the first; bound arguments count first). */
  readonly argument: number;
  /** Where in that argument, as the schema reports it: `["items", 0, "name"]`. Empty: the argument itself. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The arguments of a call do not match the schemas its server function declared (`{ input }`):
 * the function did not run. Status 422. On the client, the stub rejects with this class, and a
 * form's submission carries `issues` by field (`fields`).
 */
export class ValidationError extends ServerError {
  override name = "ValidationError";
  readonly issues: readonly ValidationIssue[];
  /**
   * The first message per field, by the field's dotted path (`"title"`, `"address.city"`),
   * for showing next to a form's inputs. An issue about a whole argument has no field.
   */
  readonly fields: Readonly<Record<string, string>>;

  /** `message`: summarize(issues) where they were found (check.ts), the payload's on the client. */
  constructor(issues: readonly ValidationIssue[], message: string) {
    super(message, { status: 422 });
    this.issues = issues;
    // No prototype: a field named __proto__ is a key like any other.
    const fields: Record<string, string> = Object.create(null);
    for (const issue of issues) {
      const field = issue.path.join(".");
      if (field && !Object.hasOwn(fields, field)) fields[field] = issue.message;
    }
    this.fields = fields;
  }
}

/** Issues as they arrive from the other side, in their shape whatever was sent; undefined when they are not a list. */
export function readIssues(value: unknown): ValidationIssue[] | undefined {
  return Array.isArray(value)
    ? value.map(({ argument, path, message }: Partial<ValidationIssue>) => ({ argument: Number(argument), path: Array.isArray(path) ? path.map((key) => (typeof key === "number" ? key : String(key))) : [], message: String(message) }))
    : undefined;
}
