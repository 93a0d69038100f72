import { describe, expect, it } from "vitest";
import { createRedirect, RedirectTargetError } from "../../../common/redirect.ts";

const base = new URL("https://app.example/products/1?tab=2");

describe("redirect targets", () => {
  it.each([
    ["/todos", "/todos"],
    ["/todos?done=1#top", "/todos?done=1#top"],
    ["edit", "/products/edit"],
    ["../posts", "/posts"],
    ["https://app.example/posts", "/posts"],
    ["/a/../posts", "/posts"],
  ])("keeps the same-origin target %s as %s", (target, location) => {
    expect(createRedirect(target, base, 303).location).toBe(location);
  });

  // Each resolves on the app's origin or leaves it; a browser following any of them as a
  // Location would end up on evil.example.
  it.each([
    "https://evil.example/phish",
    "//evil.example",
    "/\\evil.example",
    "/.//evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
  ])("refuses %s", (target) => {
    expect(() => createRedirect(target, base, 303)).toThrow(RedirectTargetError);
  });
});
