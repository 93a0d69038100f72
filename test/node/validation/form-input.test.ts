// The form rule (common/validation/form-input.ts): how a posted form becomes a schema's input.
import { describe, expect, it } from "vitest";
import { formInput, MAX_FIELD_DEPTH } from "../../../common/validation/form-input.ts";

function read(fields: [string, string | File][]) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  return formInput(form, 1);
}

describe("the form rule", () => {
  it("keeps values as sent (strings and files, nothing coerced); a.b nests", () => {
    const file = new File(["x"], "a.txt");
    expect(read([["count", "3"], ["agree", "on"], ["address.city", "Lyon"], ["address.zip", "69001"], ["photo", file]])).toEqual({
      value: { count: "3", agree: "on", address: { city: "Lyon", zip: "69001" }, photo: file },
    });
  });

  it("name[] is always a list; a repeated name becomes one; an empty file input is left out", () => {
    expect(read([["tags[]", "a"], ["size", "S"], ["size", "M"], ["empty", new File([], "")], ["text", ""]])).toEqual({
      value: { tags: ["a"], size: ["S", "M"], text: "" },
    });
    expect(read([["item.tags[]", "a"], ["item.tags[]", "b"]])).toEqual({ value: { item: { tags: ["a", "b"] } } });
  });

  it("refuses names it cannot place, each an issue of its field, and never touches a prototype", () => {
    const result = read([
      ["a", "1"],
      ["a.b", "2"],
      ["c.d", "3"],
      ["c", "4"],
      ["x..y", "5"],
      ["__proto__.polluted", "6"],
      ["constructor.prototype.polluted", "7"],
      [Array.from({ length: MAX_FIELD_DEPTH + 1 }, () => "k").join("."), "8"],
    ]);
    expect("issues" in result && result.issues.map((issue) => [issue.argument, issue.path[0]])).toEqual([
      [1, "a.b"],
      [1, "c"],
      [1, "x..y"],
      [1, "__proto__.polluted"],
      [1, "constructor.prototype.polluted"],
      [1, Array.from({ length: MAX_FIELD_DEPTH + 1 }, () => "k").join(".")],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
