// Type tests for { input }: the schemas' output types the function's parameters, their input
// types the callers' (a stub's) arguments, with zod and with valibot.
import { action, query, ValidationError, type Query, type ServerError } from "sortie";
import { action as clientAction, query as clientQuery } from "../../client/api.ts";
import * as v from "valibot";
import { z } from "zod";
import { assertType, type Equal } from "./assert.ts";

const note = z.object({ title: z.string().trim(), count: z.coerce.number(), tags: z.array(z.string()).default([]) });

// One schema per parameter; the parameters need no annotations.
export const save = action(async (id, input) => {
  assertType<Equal<typeof id, number>>();
  assertType<Equal<typeof input, { title: string; count: number; tags: string[] }>>();
  return input.count;
}, { input: [z.number(), note] });

// Callers pass what the schemas accept: the coerced count as anything, the defaulted list optional,
// and a FormData where the input is an object (read by the form rule).
assertType<Equal<Parameters<typeof save>, [number, z.input<typeof note> | FormData]>>();
assertType<Equal<Parameters<ReturnType<typeof save.with<[number]>>>, [z.input<typeof note> | FormData]>>();
assertType<Equal<ReturnType<typeof save>, Promise<number>>>();
// @ts-expect-error the id's schema takes a number
void save("1", { title: "x", count: 1 });

// One schema for a one-parameter function, here valibot's, with a transform: string in, number out.
export const find = query(async (term) => {
  assertType<Equal<typeof term, number>>();
  return [term];
}, "find", { input: v.pipe(v.string(), v.transform(Number)) });
assertType<Equal<typeof find, Query<(term: string) => Promise<number[]>>>>();

// The name may come first, and the middleware beside the input.
export const rename = action(async ({ name }) => name.toUpperCase(), "rename", { use: [], input: v.object({ name: v.string() }) });
assertType<Equal<Parameters<typeof rename>, [{ name: string } | FormData]>>();

// No parameters at all: input: [].
export const ping = action(async () => "pong" as const, { input: [] });
assertType<Equal<Parameters<typeof ping>, []>>();

// Without { input }, the function's own types, as before.
export const plain = action(async (a: string, b: number) => `${a}${b}`);
assertType<Equal<Parameters<typeof plain>, [string, number]>>();

// The browser's action() and query() type the stub the same way.
export const clientSave = clientAction(async (id, input) => input.title + id, { input: [z.number(), note] });
assertType<Equal<Parameters<typeof clientSave>, [number, z.input<typeof note> | FormData]>>();
export const clientFind = clientQuery(async (term) => term * 2, "find", { input: v.pipe(v.string(), v.transform(Number)) });
assertType<Equal<typeof clientFind, Query<(term: string) => Promise<number>>>>();

// A ValidationError is a ServerError with issues and fields.
declare const error: ValidationError;
export const asServerError: ServerError = error;
assertType<Equal<typeof error.issues[number]["path"], readonly (string | number)[]>>();
assertType<Equal<typeof error.fields, Readonly<Record<string, string>>>>();
