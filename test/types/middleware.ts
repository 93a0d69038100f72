// Type tests for middleware values: what createMiddleware hands to next() is what value() gives.
import { action, createMiddleware, ServerError, type Middleware } from "sortie";
import { assertType, type Equal } from "./assert.ts";

interface User {
  id: string;
  name: string;
}

const requireUser = createMiddleware<User>(async (_call, next) => {
  const user: User | null = null as User | null;
  if (!user) throw new ServerError("Unauthorized", { status: 401 });
  return next(user);
});

export const rename = action(async (name: string) => {
  const user = requireUser.value();
  assertType<Equal<typeof user, User>>();
  return `${user.name} renamed to ${name}`;
}, { use: [requireUser] });

// The middleware is a Middleware, usable in createSortie({ middleware }) too.
export const asMiddleware: Middleware = requireUser;

// next() takes the declared value, nothing else.
// @ts-expect-error a number is not a User
createMiddleware<User>(async (_call, next) => next(42));
