// Turning the core's validation errors into what a form shows: a message
// beside each field, and a summary at the top that links to each field.
import type { FieldError } from "./bindings/FieldError";
import { ApiError } from "./api";

export type Errors = Record<string, string>;

/** The first message for each field path ("skills[1].expires_on"). */
export function errorsByField(details: FieldError[]): Errors {
  const errors: Errors = {};
  for (const { field, message } of details) {
    if (!(field in errors)) errors[field] = message;
  }
  return errors;
}

/** A DOM id for a field path: "skills[1].expires_on" → "f-skills-1-expires_on". */
export function fieldId(path: string): string {
  return "f-" + path.replace(/[[\].]+/g, "-").replace(/-$/, "");
}

/** What a failed save means for the form: field errors, or one message. */
export function describeFailure(error: unknown): { errors: Errors; message: string } {
  if (error instanceof ApiError) {
    return { errors: errorsByField(error.details), message: error.message };
  }
  return { errors: {}, message: String(error) };
}
