// handoff.js - what one page gives the next one it opens, in memory only
// (never in storage: it may hold a caller's phone number and notes).
// The hotline screen hands a saved contact to the registration page,
// which takes it once.

let held = null;

export function handOff(kind, value) {
  held = { kind, value };
}

// The value handed off as kind, once; null when there is none.
export function takeHandoff(kind) {
  if (!held || held.kind !== kind) return null;
  const { value } = held;
  held = null;
  return value;
}
