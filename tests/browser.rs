//! The page in a real browser: headless Chromium over WebDriver
//! (ChromeDriver, driven by fantoccini) against `mandate serve rules/`.
//!
//! - a representative checks a proposal with JavaScript on, and again with
//!   it off (forms post and the server answers with the page, and a
//!   mistake with an error summary whose link leads to the field);
//! - a keyboard-only pass: Tab from the top reaches every control in
//!   document order, each with a visible focus;
//! - axe-core finds no serious or critical violation, before and after a
//!   check;
//! - screenshots at desktop and phone width under `target/screenshots/`,
//!   and no horizontal scroll at 320 px.
//!
//! Without Chromium, ChromeDriver or axe-core each test says loudly on
//! stderr that it did not run and passes; with `CI=true` it fails.
//! `.ci/browser-setup` installs them. Tests run one at a time.
#![cfg(unix)]

#[path = "browser/fake.rs"]
mod fake;
#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/page.rs"]
mod page;

use harness::{block_on, one_at_a_time, tools, with_browser, Driver, Outcome, Script, Server};

/// The proposal of `rules/ashdown/proposals/ag-cardiology.json`, as a
/// representative types it.
fn cardiology() -> page::Proposal {
    page::Proposal {
        title: "Advice and guidance before routine cardiology referral",
        forum: "Acute Trust Interface Group",
        topic: "interface.outpatients",
        fields: &[("cost", "30000"), ("duration_months", "6")],
        date: "2026-12-03",
    }
}

/// Checks the cardiology proposal as Dr Patel and reads the answer.
async fn check_as_patel(client: &fantoccini::Client, base: &str) -> Outcome {
    page::choose(client, base, "ashdown", "patel").await?;
    page::fill_check(client, &cardiology()).await?;
    page::submit(client).await?;
    page::expect_answer(client, "agree", "Line 163").await
}

#[test]
fn check_with_javascript() -> Outcome {
    let _one = one_at_a_time();
    let Some(tools) = tools("check_with_javascript", false)? else {
        return Ok(());
    };
    block_on(async {
        let driver = Driver::start(&tools)?;
        let server = Server::start()?;
        with_browser(&tools, &driver, Script::On, async |client| {
            check_as_patel(client, &server.url).await?;
            page::expect_script(client, Script::On).await
        })
        .await
    })
}

#[test]
fn check_without_javascript() -> Outcome {
    let _one = one_at_a_time();
    let Some(tools) = tools("check_without_javascript", false)? else {
        return Ok(());
    };
    block_on(async {
        let driver = Driver::start(&tools)?;
        let server = Server::start()?;
        with_browser(&tools, &driver, Script::Off, async |client| {
            page::choose(client, &server.url, "ashdown", "patel").await?;
            page::expect_script(client, Script::Off).await?;
            page::fill_check(client, &cardiology()).await?;
            page::submit(client).await?;
            page::expect_answer(client, "agree", "Line 163").await?;
            // A mistake comes back from the server as an error summary
            // whose link leads to the field.
            page::choose(client, &server.url, "ashdown", "patel").await?;
            let mut wrong = cardiology();
            wrong.fields = &[("cost", "thirty thousand"), ("duration_months", "6")];
            page::fill_check(client, &wrong).await?;
            find_submit(client).await?;
            page::expect_error_for(client, "field-cost").await
        })
        .await
    })
}

/// Presses the check form's button without waiting for an answer.
async fn find_submit(client: &fantoccini::Client) -> Outcome {
    client
        .find(fantoccini::Locator::Css("form#check button#submit"))
        .await
        .map_err(harness::ctx("finding button#submit"))?
        .click()
        .await
        .map_err(harness::ctx("pressing button#submit"))
}

#[test]
fn keyboard_only() -> Outcome {
    let _one = one_at_a_time();
    let Some(tools) = tools("keyboard_only", false)? else {
        return Ok(());
    };
    block_on(async {
        let driver = Driver::start(&tools)?;
        let server = Server::start()?;
        with_browser(&tools, &driver, Script::On, async |client| {
            client
                .goto(&server.url)
                .await
                .map_err(harness::ctx("opening the page"))?;
            page::tab_walk(client, "the choice of representative").await?;
            page::choose(client, &server.url, "ashdown", "patel").await?;
            page::tab_walk(client, "the check form").await
        })
        .await
    })
}

#[test]
fn accessibility_and_screenshots() -> Outcome {
    let _one = one_at_a_time();
    let Some(tools) = tools("accessibility_and_screenshots", true)? else {
        return Ok(());
    };
    block_on(async {
        let driver = Driver::start(&tools)?;
        let server = Server::start()?;
        let axe = page::Axe::load(&tools)?;
        with_browser(&tools, &driver, Script::On, async |client| {
            client
                .goto(&server.url)
                .await
                .map_err(harness::ctx("opening the page"))?;
            axe.expect_none_serious(client, "the first page").await?;
            page::choose(client, &server.url, "ashdown", "patel").await?;
            axe.expect_none_serious(client, "the check form").await?;
            page::screenshots(client, "before").await?;
            page::fill_check(client, &cardiology()).await?;
            page::submit(client).await?;
            page::expect_answer(client, "agree", "Line 163").await?;
            axe.expect_none_serious(client, "the answer").await?;
            page::screenshots(client, "after").await
        })
        .await
    })
}

/// The harness against a stand-in page it serves itself: that the script
/// really is off when asked, that a check posts, that the Tab walk and
/// axe-core run. Failures here are the harness's, not the page's.
#[test]
fn harness_against_a_stand_in_page() -> Outcome {
    let _one = one_at_a_time();
    let Some(tools) = tools("harness_against_a_stand_in_page", true)? else {
        return Ok(());
    };
    block_on(async {
        let driver = Driver::start(&tools)?;
        let base = fake::start()?;
        let axe = page::Axe::load(&tools)?;
        for script in [Script::On, Script::Off] {
            with_browser(&tools, &driver, script, async |client| {
                page::choose(client, &base, "ashdown", "patel").await?;
                page::expect_script(client, script).await?;
                if script == Script::On {
                    page::tab_walk(client, "the stand-in's form").await?;
                    axe.expect_none_serious(client, "the stand-in").await?;
                }
                page::fill_check(client, &cardiology()).await?;
                page::submit(client).await?;
                page::expect_answer(client, "agree", "Line 163").await?;
                if script == Script::On {
                    page::screenshots(client, "stand-in").await?;
                }
                Ok(())
            })
            .await?;
        }
        Ok(())
    })
}
