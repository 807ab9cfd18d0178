// A customer in headless Chromium (Debian's, driven by playwright-core): opens the
// portal's form, fills it, attaches a file, submits, reads the reference and token,
// opens the ticket page, adds a comment, and saves a screenshot of every step.
//
//   NODE_PATH=<node_modules> node web_portal.cjs <base url> <screenshot dir> <file to attach>
//
// Prints one JSON line {"reference", "token"} on success; exits non-zero on failure.

// CommonJS, because require() honours NODE_PATH (the build tree's node_modules) and
// import does not.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { basename, join } = require('node:path');
const { chromium } = require('playwright-core');

const [base, shots, attachment] = process.argv.slice(2);
if (!base || !shots || !attachment) {
  console.error('usage: node web_portal.cjs <base url> <screenshot dir> <file to attach>');
  process.exit(2);
}

function check(condition, what) {
  if (!condition) {
    throw new Error(what);
  }
}

async function main() {
  // A fresh profile: no cookies or cache from an earlier run.
  const profile = mkdtempSync(join(tmpdir(), 'supportgw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(30_000);

    await page.goto(base + '/');
    check((await page.title()).length > 0, 'the form page has no title');
    await page.screenshot({ path: join(shots, '1-form.png'), fullPage: true });

    await page.fill('#subject', 'Tunnel drops every hour <b>since Monday</b>');
    await page.fill('#description', 'The HyperIP tunnel to the DR site drops at :00.\nLogs attached.');
    await page.selectOption('#severity', '2');
    await page.fill('#customer_name', 'Chromium Customer');
    await page.fill('#customer_email', 'chromium@example.com');
    await page.fill('#product', 'HyperIP');
    await page.fill('#product_version', '6.1');
    await page.setInputFiles('#attachments', attachment);
    await page.screenshot({ path: join(shots, '2-filled.png'), fullPage: true });

    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    const reference = (await page.textContent('#reference'))?.trim();
    const token = (await page.textContent('#token'))?.trim();
    check(reference, 'no reference on the page after submitting');
    check(token, 'no token on the page after submitting');
    check((await page.content()).includes(basename(attachment)), 'the attachment is not listed');
    await page.screenshot({ path: join(shots, '3-created.png'), fullPage: true });

    await Promise.all([page.waitForNavigation(), page.click('#ticket-link')]);
    check((await page.textContent('#reference'))?.trim() === reference, 'the ticket page shows another reference');
    // The subject is shown as text, never as markup.
    check((await page.locator('b', { hasText: 'since Monday' }).count()) === 0, 'the subject was not escaped');
    check((await page.textContent('body')).includes('<b>since Monday</b>'), 'the subject is missing');
    await page.screenshot({ path: join(shots, '4-ticket.png'), fullPage: true });

    await page.fill('#comment', 'It happened again at 14:00.');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    check((await page.textContent('#history')).includes('It happened again at 14:00.'), 'the comment is not in the history');
    await page.screenshot({ path: join(shots, '5-commented.png'), fullPage: true });

    console.log(JSON.stringify({ reference, token }));
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
