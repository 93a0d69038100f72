import { describe, expect, it } from "vitest";
import { deriveSessionKey } from "../../../worker/session/keys.ts";
import { newSessionId, openTicket, sealTicket } from "../../../worker/session/ticket.ts";

const OLD = "old-password-0123456789-abcdefghijklmnop";
const NEW = "new-password-0123456789-abcdefghijklmnop";
const NAME = "__Host-session";
const NOW = 1_800_000_000;

async function sealed(password = NEW, name = NAME, expiresAt = NOW + 3600) {
  const id = newSessionId();
  return { id, value: await sealTicket({ id, expiresAt }, await deriveSessionKey(password), name) };
}

describe("session keys", () => {
  it("derives once per password per isolate", async () => {
    expect(deriveSessionKey(NEW)).toBe(deriveSessionKey(NEW));
    const [a, b] = await Promise.all([deriveSessionKey(NEW), deriveSessionKey(OLD)]);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.key.algorithm).toMatchObject({ name: "AES-GCM", length: 256 });
    expect(a.key.extractable).toBe(false);
  });
});

describe("sealed session tickets", () => {
  it("round-trips the id and expiry in the versioned format", async () => {
    const key = await deriveSessionKey(NEW);
    const { id, value } = await sealed();
    expect(value).toMatch(new RegExp(`^v1\\.${key.id}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+$`));
    expect(value).not.toContain(id);
    expect(await openTicket(value, [key], NAME, NOW)).toEqual({ id, expiresAt: NOW + 3600, stale: false });
  });

  it("uses a fresh IV for every seal", async () => {
    const key = await deriveSessionKey(NEW);
    const ticket = { id: newSessionId(), expiresAt: NOW + 60 };
    const [a, b] = await Promise.all([sealTicket(ticket, key, NAME), sealTicket(ticket, key, NAME)]);
    expect(a.split(".")[2]).not.toBe(b.split(".")[2]);
    expect(a).not.toBe(b);
  });

  it("rejects tampered, truncated, foreign, relabelled, expired and garbage values", async () => {
    const keys = [await deriveSessionKey(NEW)];
    const { value } = await sealed();
    const [version, kid, iv, ciphertext] = value.split(".") as [string, string, string, string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
    const rejected = [
      `${version}.${kid}.${iv}.${flip(ciphertext, 5)}`,
      `${version}.${kid}.${flip(iv, 3)}.${ciphertext}`,
      `${version}.${kid}.${iv}.${flip(ciphertext, ciphertext.length - 1)}`,
      `v2.${kid}.${iv}.${ciphertext}`,
      `${version}.${flip(kid, 0)}.${iv}.${ciphertext}`,
      value.slice(0, -4),
      value.slice(0, value.lastIndexOf(".")),
      `${value}.extra`,
      (await sealed(OLD)).value,
      (await sealed(NEW, "__Host-other")).value,
      (await sealed(NEW, NAME, NOW)).value,
      (await sealed(NEW, NAME, NOW - 1)).value,
      "",
      ".",
      "v1...",
      "v1.x.y.z",
      `${version}.${kid}.${iv}.${ciphertext.replace(/.$/, "*")}`,
      `${version}.${kid}.${iv}.${"A".repeat(2000)}`,
      "%E0%A4%A",
      "\u0000\uffff",
    ];
    for (const candidate of rejected) {
      expect(await openTicket(candidate, keys, NAME, NOW), candidate).toBeUndefined();
    }
  });

  it("opens with every listed password and marks older ones stale", async () => {
    const keys = await Promise.all([deriveSessionKey(NEW), deriveSessionKey(OLD)]);
    const old = await sealed(OLD);
    expect(await openTicket(old.value, keys, NAME, NOW)).toEqual({ id: old.id, expiresAt: NOW + 3600, stale: true });
    const current = await sealed(NEW);
    expect((await openTicket(current.value, keys, NAME, NOW))?.stale).toBe(false);
  });
});
