import { describe, expect, it } from "vitest";
import { ENROLL_RETRY_MS, enrollmentDue } from "./trainer-enrollment.ts";

const now = new Date("2026-12-01T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const STALE = 20_000;
const healthy = {
  id: "http://gpu1:4100",
  lastSeenAt: ago(1000),
  credentialHash: "ab",
  enrolledAt: ago(60_000),
  enrollRequestedAt: null,
};

describe("enrollmentDue", () => {
  it("leaves a trainer that reports with its credential alone", () => {
    expect(enrollmentDue(healthy, now, STALE)).toBe(false);
  });

  it("enrolls a trainer without a credential, or that asked since its last enrollment", () => {
    expect(enrollmentDue({ ...healthy, credentialHash: null, enrolledAt: null }, now, STALE)).toBe(true);
    expect(enrollmentDue({ ...healthy, enrollRequestedAt: ago(500) }, now, STALE)).toBe(true);
    expect(enrollmentDue({ ...healthy, enrollRequestedAt: ago(90_000) }, now, STALE)).toBe(false);
  });

  it("enrolls a trainer silent for the timeout since its last heartbeat and enrollment", () => {
    expect(enrollmentDue({ ...healthy, lastSeenAt: ago(STALE) }, now, STALE)).toBe(true);
    expect(enrollmentDue({ ...healthy, lastSeenAt: null }, now, STALE)).toBe(true);
    expect(enrollmentDue({ ...healthy, lastSeenAt: null, enrolledAt: ago(STALE - 1) }, now, STALE)).toBe(
      false,
    );
    // A web process that just started heard nothing because it was not listening: not silence yet.
    expect(enrollmentDue({ ...healthy, lastSeenAt: ago(STALE * 3) }, now, STALE, ago(STALE - 1))).toBe(false);
    expect(enrollmentDue({ ...healthy, lastSeenAt: ago(STALE * 3) }, now, STALE, ago(STALE))).toBe(true);
  });

  it(`tries each trainer at most every ${ENROLL_RETRY_MS} ms`, () => {
    const asked = { ...healthy, enrollRequestedAt: ago(10) };
    expect(enrollmentDue({ ...asked, enrolledAt: ago(ENROLL_RETRY_MS - 1) }, now, STALE)).toBe(false);
    expect(enrollmentDue({ ...asked, enrolledAt: ago(ENROLL_RETRY_MS) }, now, STALE)).toBe(true);
  });
});
