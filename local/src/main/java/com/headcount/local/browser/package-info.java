/**
 * The dashboard's pages in headless Chromium, for the browser tests and {@code bin/bench checkin}:
 * {@link com.headcount.local.browser.BrowserDriver} drives dashboard/test/driver.mjs, and
 * {@link com.headcount.local.browser.QrVideo} makes the film its fake camera plays.
 */
package com.headcount.local.browser;
