import { MalformedPathError } from "../../common/routes.ts";
import type { ErrorPayload } from "../../common/wire.ts";
import { errorStatus } from "../request/errors.ts";

/**
 * What a page may say about an error: its status, its message, and the message with the id
 * it was logged under (describeError decides what is hidden in production).
 */
export function errorDetails(describe: (error: unknown) => ErrorPayload, error: unknown): { status: number; message: string; details: string } {
  if (error instanceof MalformedPathError) return { status: 400, message: error.message, details: error.message };
  const { message, errorId } = describe(error);
  return { status: errorStatus(error), message, details: errorId ? `${message} (error id ${errorId})` : message };
}
