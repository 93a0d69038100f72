// The same schemas written with two Standard Schema libraries, so every path is shown to work
// through the interface alone: zod 4 and valibot.
import * as v from "valibot";
import { z } from "zod";
import type { StandardSchemaV1 } from "../../../common/validation/standard-schema.ts";

export interface Note {
  title: string;
  count: number;
  tags: string[];
  address: { city: string };
}

export interface Schemas {
  /** A positive integer id (a bound argument). */
  id: StandardSchemaV1<number, number>;
  /** A form's fields: a trimmed title, a number coerced from text, a list, a nested object. */
  note: StandardSchemaV1<unknown, Note>;
  /** A search term of at least two characters (a read's argument). */
  term: StandardSchemaV1<string, string>;
}

export const libraries: Record<"zod" | "valibot", Schemas> = {
  zod: {
    id: z.number().int().positive("The id must be positive"),
    note: z.object({
      title: z.string().trim().min(1, "A title is required").max(20, "At most 20 characters"),
      count: z.coerce.number().int().min(1, "At least one"),
      tags: z.array(z.string()).default([]),
      address: z.object({ city: z.string().min(1, "Which city?") }),
    }),
    term: z.string().min(2, "Type at least two characters"),
  },
  valibot: {
    id: v.pipe(v.number(), v.integer(), v.minValue(1, "The id must be positive")),
    note: v.object({
      title: v.pipe(v.string(), v.trim(), v.minLength(1, "A title is required"), v.maxLength(20, "At most 20 characters")),
      count: v.pipe(v.unknown(), v.transform(Number), v.integer(), v.minValue(1, "At least one")),
      tags: v.optional(v.array(v.string()), []),
      address: v.object({ city: v.pipe(v.string(), v.minLength(1, "Which city?")) }),
    }),
    term: v.pipe(v.string(), v.minLength(2, "Type at least two characters")),
  },
};
