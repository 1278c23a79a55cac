import { describe, expect, it } from "vitest";
import { reason } from "../src/reasons";

// One sample of every sentence shape the analysis writes (facilitators.py,
// emergence.py): each must come out in French with no English left.
const SAMPLES = [
  "has no partner in the graph",
  "all 4 partners are in its own world (ECONOMIC): it bridges no world",
  "links the FUNDING, INTERMEDIARY, CIVIL_SOCIETY and PUBLIC worlds (+2 more)",
  "6 of 7 worlds among its 21 partners",
  "brokers 86 pairs of partners from different worlds who are not tied to each other (liaison 78, gatekeeper/representative 8)",
  "37% of cross-world shortest paths pass through it",
  "without it, part of the network would be cut off from the rest",
  "acts in 5 territories with its partners: Lille, Val-d'Oise, France, Alsace and 1 more",
  "constraint 0.21 (lower = partners less redundant)",
  "declared facilitator: no",
  "started 7 months ago (stage EMERGENCE)",
  "start date unknown, stage EXPERIMENTATION",
  "just started (stage EMERGENCE)",
  "3 members, more visible than only 12% of the 40 initiatives in 69123",
  "growing: 2 of its 5 members joined in the last 12 months",
  "members from 3 worlds: CIVIL_SOCIETY (2), PUBLIC (1), ECONOMIC (1)",
  "a member is a detected facilitator bridge: Le RAMEAU",
  "a member (La Fonda) works with a detected facilitator bridge (Le RAMEAU)",
  "not ranked: fewer than 2 members",
  "not ranked: all members are in one world",
  "score damped: no longer young",
];
const ENGLISH = /\b(the|of|its|with|partners|worlds|members|through|ago|ranked|declared facilitator|more)\b/;

describe("reasons", () => {
  it("every sentence shape reads in French", () => {
    for (const s of SAMPLES) {
      const fr = reason(s, "fr");
      expect(fr, s).not.toMatch(ENGLISH);
      expect(fr, s).not.toMatch(/CIVIL_SOCIETY|ECONOMIC|INTERMEDIARY|EMERGENCE/);
    }
    expect(reason("declared facilitator: yes", "fr")).toBe("facilitateur déclaré : oui");
  });
  it("English keeps the sentence but names worlds in words", () => {
    expect(reason("6 of 7 worlds among its 21 partners", "en")).toBe("6 of 7 worlds among its 21 partners");
    expect(reason("links the FUNDING and PUBLIC worlds", "en")).not.toMatch(/FUNDING/);
  });
  it("an unknown sentence passes through", () => {
    expect(reason("something new", "fr")).toBe("something new");
  });
});
