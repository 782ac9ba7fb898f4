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

/** A picked file's bytes as base64, the way commands take files. */
export async function fileAsBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
