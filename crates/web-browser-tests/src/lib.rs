//! Nothing but tests: see `tests/browser.rs`. They need Debian's
//! `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`) and the seed reviews in `../shared/seeds`, and
//! skip with a message when either is missing — unless
//! `VERDICT_REQUIRE_BROWSER=1` (as in CI), where a missing browser fails.
//! Screenshots go to `target/screenshots/`.
