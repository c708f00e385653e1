import { createsFor, expect, expectCompleted, generate, test } from './support/fixtures';
import { E2E } from './support/env';

/**
 * Framing and script injection: every page says `frame-ancestors 'none'`
 * (and X-Frame-Options: DENY) and carries a nonce-based CSP, with a fresh
 * nonce each time. The app itself works under it: generating, opening a
 * picture and the live stream produce no console errors or CSP violations.
 */
test('pages carry a strict CSP that forbids framing, with a fresh nonce each time', async ({ request }) => {
  const first = await request.get('/');
  const second = await request.get('/');
  const csp = first.headers()['content-security-policy'];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp).not.toContain("'unsafe-eval'");
  expect(first.headers()['x-frame-options']).toBe('DENY');
  expect(second.headers()['content-security-policy']).not.toBe(csp);
  // The nonce in the header is the one on the page's scripts.
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  expect(await first.text()).toContain(`nonce="${nonce}"`);
});

test('the app runs under its CSP without a console error or violation', async ({ page, tag }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  await page.goto('/');
  await generate(page, `${tag} csp lantern`, { ratio: '1280:720', seed: '5' });
  const image = await expectCompleted(page, tag);
  await image.click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox').first().fill(tag);
  await expect.poll(async () => (await createsFor(tag)).length).toBe(1);
  expect(problems).toEqual([]);
});

test('a page cannot be framed by another site', async ({ page }) => {
  const blocked: string[] = [];
  page.on('console', (message) => blocked.push(message.text()));
  await page.setContent(`<iframe id="f" src="${E2E.appUrl}/" width="400" height="300"></iframe>`);
  // Chromium refuses to render the framed document because of frame-ancestors.
  await expect.poll(() => blocked.some((text) => /frame-ancestors|Refused to frame|refused to display/i.test(text))).toBe(true);
});
