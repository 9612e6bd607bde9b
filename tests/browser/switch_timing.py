"""How far a slide change may land from the instant the clock rule names, measured, not fixed.

Two things separate a change from its instant, and both are measured while the test runs:
- the player's clock estimate: the player states an interval that holds the server's offset
  (from the round trips of its timed probes), so its estimate is off by at most that interval's
  width; a bundle page uses the machine's own clock, which is the test's too;
- the page's timers firing late: a loaded machine delays the player's timer as much as any other.
  A probe in the page (TIMER_PROBE) notes how late its own 50 ms timers fire all along.

The allowance is FLOOR_S + the clock's bound + LATENESS_MULTIPLE x the worst lateness seen during
the observation, and never more than CAP_S: however loaded the machine, a clock a second off or a
player one item behind (items last 1 s or more) still fails. On an idle machine it comes to about
0.1 s. A clock bound over CLOCK_CAP_S fails on its own: such a player is not in step.
"""

from __future__ import annotations

FLOOR_S = 0.06  # the probe's period (a stall may start just after a probe) and the work of a swap
LATENESS_MULTIPLE = 2
CAP_S = 0.5
CLOCK_CAP_S = 0.3  # the widest clock interval accepted: +/-150 ms

# Runs in every page before its own scripts. Samples go to a fixed ring of typed arrays, so the
# probe neither grows the heap (the memory test measures it) nor needs to be turned off.
TIMER_PROBE = """
(() => {
  const PERIOD_MS = 50;
  const SIZE = 8192; // almost 7 minutes of samples
  const probe = { due: new Float64Array(SIZE), late: new Float64Array(SIZE), next: 0 };
  window.__timers = probe;
  (function arm() {
    const due = Date.now() + PERIOD_MS;
    setTimeout(() => {
      const slot = probe.next++ % SIZE;
      probe.due[slot] = due;
      probe.late[slot] = Date.now() - due;
      arm();
    }, PERIOD_MS);
  })();
})();
"""

WORST_LATENESS_MS = """([since, until]) => {
  const probe = window.__timers;
  let worst = 0;
  for (let i = 0; i < Math.min(probe.next, probe.due.length); i++) {
    const due = probe.due[i];
    if (due >= since && due <= until) worst = Math.max(worst, probe.late[i]);
  }
  return worst;
}"""


def watch_timers(page) -> None:
    """Probe the page's timer lateness from its next navigation on."""
    page.add_init_script(TIMER_PROBE)


def worst_lateness(page, since: float, until: float) -> float:
    """The latest any probe timer due in [since, until] (the page's clock, seconds) fired."""
    return page.evaluate(WORST_LATENESS_MS, [since * 1000, until * 1000]) / 1000


def switch_tolerance(page, since: float, until: float, clock_bound_s: float = 0.0) -> float:
    """The allowance for changes due in [since, until] (the page's clock, in seconds)."""
    late = worst_lateness(page, since, until)
    return min(FLOOR_S + clock_bound_s + LATENESS_MULTIPLE * late, CAP_S)
