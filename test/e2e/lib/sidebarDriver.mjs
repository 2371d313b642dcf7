// The BudgetML sidebar as a user drives it: its decision cards, its steering box and its buttons,
// inside the webview's nested frames.
import { assert } from './checks.mjs';
import * as wb from './workbench.mjs';

/** Opens the BudgetML view and returns the webview frame that holds the sidebar. */
export async function openSidebar(page, timeout = 20000) {
  await wb.openActivity(page, 'BudgetML');
  return wb.findFrame(page, '#app', timeout);
}

/** The pending decision card, once one is shown: its kind, id and text. */
export async function waitForDecision(frame, { timeout = 60000, other } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const card = await frame.evaluate(() => {
      const section = document.querySelector('#app section.decision');
      const button = section && !section.hidden ? section.querySelector('button[data-decide]') : null;
      if (!button) return null;
      return {
        kind: section.classList.contains('decision-edit') ? 'edit' : 'run',
        id: button.dataset.id,
        text: section.textContent.replace(/\s+/g, ' ').trim(),
        labels: [...section.querySelectorAll('button[data-decide]')].map((b) => `${b.textContent}|${b.getAttribute('aria-label')}`),
      };
    });
    if (card && card.id !== other) return card;
    assert(Date.now() < deadline, `no decision card within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Clicks a card's button (Run, Decline, Accept, Reject) after writing `reason`, and waits until the card is answered. */
export async function decide(frame, card, label, reason) {
  if (reason) await frame.locator('#app section.decision textarea.reason').fill(reason);
  await frame.locator(`#app section.decision button[data-id="${card.id}"]`, { hasText: new RegExp(`^${label}$`) }).click();
  const deadline = Date.now() + 15000;
  while (await frame.locator(`#app section.decision button[data-id="${card.id}"]`).count()) {
    assert(Date.now() < deadline, `the ${label} of card ${card.id} was not taken`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Types a note into the steering box and sends it to the planner. */
export async function steer(frame, note) {
  await frame.locator('#app .steering textarea').fill(note);
  await frame.locator('#app .steering button.steer-send').click();
}

/** The run header's phase text ("Running", "Waiting for you", "Finished", "Stopped" …). */
export async function phase(frame) {
  return ((await frame.locator('#app .phase').first().textContent()) ?? '').trim();
}

/** Waits until the run header's phase matches `pattern`. */
export async function waitForPhase(frame, pattern, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await phase(frame).catch(() => '');
    if (pattern.test(text)) return text;
    assert(Date.now() < deadline, `the run header says "${text}", not ${pattern}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Notification toasts that are still shown, as their text. */
export async function visibleToasts(page) {
  return page.locator('.notifications-toasts .notification-list-item:visible').allInnerTexts();
}
