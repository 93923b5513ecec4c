//! What a person does on the page, written against the page contract of
//! issue 14 (`form#choose`, `form#check`, `section#answer`, ...): choose a
//! representative, fill and submit the check form, read the answer, walk
//! the page with Tab, run axe-core, take screenshots.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::harness::{ctx, screenshot_dir, Failure, Outcome, Script, Tools};

/// How long a page may take to answer.
const PATIENCE: Duration = Duration::from_secs(15);

/// A proposal as a representative types it into the check form.
#[derive(Debug)]
pub struct Proposal {
    /// `input#title`.
    pub title: &'static str,
    /// The forum's name, chosen in `select#forum`.
    pub forum: &'static str,
    /// The one topic ticked.
    pub topic: &'static str,
    /// `(NAME, value)` typed into `#field-NAME`.
    pub fields: &'static [(&'static str, &'static str)],
    /// The meeting date, `YYYY-MM-DD`.
    pub date: &'static str,
}

async fn find(client: &Client, css: &str) -> Result<fantoccini::elements::Element, Failure> {
    match client.find(Locator::Css(css)).await {
        Ok(found) => Ok(found),
        Err(e) => Err(format!("finding `{css}` on {}: {e}", here(client).await)),
    }
}

async fn here(client: &Client) -> String {
    client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_else(|_| "the page".into())
}

/// Opens the page and chooses `representative` of `mandate` in
/// `form#choose`, then waits for `form#check`.
pub async fn choose(client: &Client, base: &str, mandate: &str, representative: &str) -> Outcome {
    client.goto(base).await.map_err(ctx("opening the page"))?;
    let mandates = client
        .find_all(Locator::Css("form#choose select#mandate"))
        .await
        .map_err(ctx("looking for select#mandate"))?;
    if let Some(select) = mandates.first() {
        select.select_by_value(mandate).await.map_err(ctx(&format!(
            "choosing mandate `{mandate}` in select#mandate"
        )))?;
    }
    find(client, "form#choose select#representative")
        .await?
        .select_by_value(representative)
        .await
        .map_err(ctx(&format!(
            "choosing `{representative}` in select#representative"
        )))?;
    // The contract's `button#choose` cannot share its id with
    // `form#choose`, so take the form's button, whatever its id. The script
    // may already have gone to the check form, so a click on a button that
    // is gone is no failure: waiting for form#check decides.
    let _ = find(client, "form#choose button").await?.click().await;
    client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("form#check"))
        .await
        .map_err(|e| format!("after choosing {mandate}/{representative}, no form#check: {e}"))?;
    Ok(())
}

/// Types `text` into the field `css`, replacing what was there.
async fn type_into(client: &Client, css: &str, text: &str) -> Outcome {
    let field = find(client, css).await?;
    field
        .clear()
        .await
        .map_err(ctx(&format!("clearing `{css}`")))?;
    field
        .send_keys(text)
        .await
        .map_err(ctx(&format!("typing into `{css}`")))
}

/// Fills `form#check` with `proposal` as a person would: typing, choosing
/// from lists, ticking a box by its label.
pub async fn fill_check(client: &Client, proposal: &Proposal) -> Outcome {
    type_into(client, "form#check input#title", proposal.title).await?;
    let forum = find(client, "form#check select#forum").await?;
    if forum.select_by_value(proposal.forum).await.is_err() {
        forum
            .select_by_label(proposal.forum)
            .await
            .map_err(ctx(&format!("choosing forum `{}`", proposal.forum)))?;
    }
    // A date input takes the digits in the browser's locale's order,
    // whatever its value's format: try day-month-year (en-GB), then
    // month-day-year (headless Chromium often stays en-US).
    let date = find(client, "form#check input#date").await?;
    let (year, rest) = proposal
        .date
        .split_once('-')
        .ok_or("date is not YYYY-MM-DD")?;
    let (month, day) = rest.split_once('-').ok_or("date is not YYYY-MM-DD")?;
    let mut typed = None;
    for digits in [format!("{day}{month}{year}"), format!("{month}{day}{year}")] {
        date.clear().await.map_err(ctx("clearing the date"))?;
        date.send_keys(&digits)
            .await
            .map_err(ctx("typing the date"))?;
        typed = date.prop("value").await.map_err(ctx("reading the date"))?;
        if typed.as_deref() == Some(proposal.date) {
            break;
        }
    }
    if typed.as_deref() != Some(proposal.date) {
        return Err(format!(
            "typed the date in both orders into input#date and its value is {typed:?}, not {}",
            proposal.date
        ));
    }
    let topic = format!("form#check input[name=topic][value=\"{}\"]", proposal.topic);
    let checkbox = find(client, &topic).await?;
    let label = format!("form#check label[for=\"topic-{}\"]", proposal.topic);
    find(client, &label)
        .await?
        .click()
        .await
        .map_err(ctx(&format!("clicking `{label}`")))?;
    if !checkbox
        .is_selected()
        .await
        .map_err(ctx("reading the topic box"))?
    {
        return Err(format!("clicked `{label}` and `{topic}` is not ticked"));
    }
    for (name, value) in proposal.fields {
        type_into(client, &format!("form#check [id=\"field-{name}\"]"), value).await?;
    }
    Ok(())
}

/// Presses `button#submit` and waits for `section#answer`.
pub async fn submit(client: &Client) -> Outcome {
    find(client, "form#check button#submit")
        .await?
        .click()
        .await
        .map_err(ctx("pressing button#submit"))?;
    let waited = client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("section#answer"))
        .await;
    if let Err(e) = waited {
        return Err(format!(
            "after submitting, no section#answer on {}: {e}",
            here(client).await
        ));
    }
    Ok(())
}

/// The answer says `outcome` (in `data-outcome` and in words in its `h2`)
/// and one of its reasons contains `reason`.
pub async fn expect_answer(client: &Client, outcome: &str, reason: &str) -> Outcome {
    let section = find(client, "section#answer").await?;
    let text = section.text().await.map_err(ctx("reading the answer"))?;
    let seen = section
        .attr("data-outcome")
        .await
        .map_err(ctx("reading data-outcome"))?;
    if seen.as_deref() != Some(outcome) {
        return Err(format!(
            "section#answer has data-outcome {seen:?}, not {outcome:?}; it says:\n{text}"
        ));
    }
    let heading = find(client, "section#answer h2")
        .await?
        .text()
        .await
        .map_err(ctx("reading the answer's h2"))?;
    if !heading.to_lowercase().contains(outcome) {
        return Err(format!(
            "the answer's h2 is {heading:?}, which does not say {outcome:?}"
        ));
    }
    let mut reasons = Vec::new();
    for li in client
        .find_all(Locator::Css("ol#reasons > li"))
        .await
        .map_err(ctx("finding ol#reasons > li"))?
    {
        reasons.push(li.text().await.map_err(ctx("reading a reason"))?);
    }
    if !reasons.iter().any(|r| r.contains(reason)) {
        return Err(format!(
            "no reason in ol#reasons contains {reason:?}; the reasons are {reasons:#?}"
        ));
    }
    Ok(())
}

/// With the script on, it ran (the topic search box is shown); with it
/// off, it did not.
pub async fn expect_script(client: &Client, script: Script) -> Outcome {
    let mut shown = false;
    for search in client
        .find_all(Locator::Css("input#topics-find"))
        .await
        .map_err(ctx("looking for input#topics-find"))?
    {
        shown |= search
            .is_displayed()
            .await
            .map_err(ctx("reading whether input#topics-find shows"))?;
    }
    match (script, shown) {
        (Script::On, false) => Err(
            "JavaScript is on and input#topics-find is not shown: the page's script did not run"
                .into(),
        ),
        (Script::Off, true) => Err(
            "JavaScript is off and input#topics-find is shown: the browser ran the script anyway"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Describes `document.activeElement`, or null for the body. `index` is
/// its place among all elements, so document order can be compared.
const ACTIVE: &str = r#"
const describe = (el) => el.tagName.toLowerCase()
  + (el.id ? '#' + el.id : '')
  + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '')
  + (el.getAttribute('value') && el.type === 'checkbox' ? '[value=' + el.getAttribute('value') + ']' : '')
  + (el.tagName === 'A' ? '[href=' + el.getAttribute('href') + ']' : '');
const all = Array.from(document.getElementsByTagName('*'));
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const s = getComputedStyle(el);
const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
const shadow = s.boxShadow !== '' && s.boxShadow !== 'none';
return { index: all.indexOf(el), name: describe(el), visible: outline || shadow,
         style: 'outline: ' + s.outlineStyle + ' ' + s.outlineWidth + '; box-shadow: ' + s.boxShadow };
"#;

/// Every control a person can reach, in document order.
const REACHABLE: &str = r#"
const describe = (el) => el.tagName.toLowerCase()
  + (el.id ? '#' + el.id : '')
  + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '')
  + (el.getAttribute('value') && el.type === 'checkbox' ? '[value=' + el.getAttribute('value') + ']' : '')
  + (el.tagName === 'A' ? '[href=' + el.getAttribute('href') + ']' : '');
const all = Array.from(document.getElementsByTagName('*'));
return Array.from(document.querySelectorAll('a[href], button, input, select, textarea, summary'))
  .filter((el) => !el.disabled && el.type !== 'hidden' && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden')
  .map((el) => ({ index: all.indexOf(el), name: describe(el) }));
"#;

async fn press_tab(client: &Client) -> Outcome {
    let tab: char = Key::Tab.into();
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: tab })
        .then(KeyAction::Up { value: tab });
    client
        .perform_actions(keys)
        .await
        .map_err(ctx("pressing Tab"))
}

fn entry(v: &Value) -> (i64, String) {
    (
        v.get("index").and_then(Value::as_i64).unwrap_or(-1),
        v.get("name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string(),
    )
}

/// From the top of a freshly loaded page (focus on the body), presses Tab
/// until focus leaves the page, and checks that it met every control in
/// document order, each with a visible focus (an outline or a box shadow).
/// Chromium starts Tab from the last element focused, even after a blur,
/// so call this before the test has touched the page.
pub async fn tab_walk(client: &Client, what: &str) -> Outcome {
    let start = client
        .execute(ACTIVE, vec![])
        .await
        .map_err(ctx("reading document.activeElement"))?;
    if !start.is_null() {
        return Err(format!(
            "{what}: before any key was pressed, focus is already on {} (a page should load with focus at the top)",
            entry(&start).1
        ));
    }
    let expected = client
        .execute(REACHABLE, vec![])
        .await
        .map_err(ctx("listing the controls"))?;
    let expected: Vec<(i64, String)> = expected
        .as_array()
        .ok_or("the list of controls is not an array")?
        .iter()
        .map(entry)
        .collect();
    if expected.is_empty() {
        return Err(format!("{what}: the page has no control to reach"));
    }
    let mut reached: Vec<(i64, String)> = Vec::new();
    let mut unseen_focus = Vec::new();
    for _ in 0..expected.len() * 4 + 5 {
        press_tab(client).await?;
        let active = client
            .execute(ACTIVE, vec![])
            .await
            .map_err(ctx("reading document.activeElement"))?;
        if active.is_null() {
            break;
        }
        let here = entry(&active);
        if reached.first() == Some(&here) {
            break;
        }
        // A date input takes several Tabs (day, month, year): one control.
        if reached.last() == Some(&here) {
            continue;
        }
        if active.get("visible").and_then(Value::as_bool) != Some(true) {
            let style = active.get("style").and_then(Value::as_str).unwrap_or("?");
            unseen_focus.push(format!("{} ({style})", here.1));
        }
        reached.push(here);
    }
    let names = |v: &[(i64, String)]| v.iter().map(|e| e.1.clone()).collect::<Vec<_>>();
    if reached != expected {
        return Err(format!(
            "{what}: Tab from the top reached\n  {:?}\nbut the controls in document order are\n  {:?}",
            names(&reached),
            names(&expected)
        ));
    }
    if !unseen_focus.is_empty() {
        return Err(format!(
            "{what}: focus is not visible (no outline, no box shadow) on {unseen_focus:?}"
        ));
    }
    Ok(())
}

/// axe-core's script, read once.
#[derive(Debug)]
pub struct Axe {
    source: String,
}

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] })
  .then((r) => done(r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))))
  .catch((e) => done({ error: String(e) }));
"#;

impl Axe {
    /// Reads `node_modules/axe-core/axe.min.js`.
    pub fn load(tools: &Tools) -> Result<Axe, Failure> {
        let source = std::fs::read_to_string(&tools.axe)
            .map_err(|e| format!("reading {}: {e}", tools.axe.display()))?;
        Ok(Axe { source })
    }

    /// Injects axe-core into the page, runs it, and fails listing every
    /// violation of impact serious or critical.
    pub async fn expect_none_serious(&self, client: &Client, what: &str) -> Outcome {
        client
            .execute(&self.source, vec![])
            .await
            .map_err(ctx("injecting axe-core"))?;
        let found = client
            .execute_async(AXE_RUN, vec![])
            .await
            .map_err(ctx("running axe-core"))?;
        if let Some(error) = found.get("error") {
            return Err(format!("{what}: axe.run failed: {error}"));
        }
        let serious: Vec<&Value> = found
            .as_array()
            .ok_or("axe.run's violations are not an array")?
            .iter()
            .filter(|v| {
                matches!(
                    v.get("impact").and_then(Value::as_str),
                    Some("serious" | "critical")
                )
            })
            .collect();
        if serious.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = serious
            .iter()
            .map(|v| {
                format!(
                    "{} ({}): {} at {}",
                    v.get("id").and_then(Value::as_str).unwrap_or("?"),
                    v.get("impact").and_then(Value::as_str).unwrap_or("?"),
                    v.get("help").and_then(Value::as_str).unwrap_or("?"),
                    v.get("nodes").map(Value::to_string).unwrap_or_default()
                )
            })
            .collect();
        Err(format!(
            "{what}: axe-core found {} serious or critical violation(s) on {}:\n  {}",
            list.len(),
            here(client).await,
            list.join("\n  ")
        ))
    }
}

/// The viewport's width and height and the page's width, in CSS pixels.
async fn widths(client: &Client) -> Result<(i64, i64, i64), Failure> {
    let w = client
        .execute(
            "return [window.innerWidth, window.innerHeight, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .map_err(ctx("reading the page's size"))?;
    let get = |i: usize| w.get(i).and_then(Value::as_i64).unwrap_or(-1);
    Ok((get(0), get(1), get(2)))
}

/// Resizes the window so its viewport is `width` x `height` CSS pixels
/// (headless Chromium's window is taller than its viewport: measured and
/// made up for).
async fn resize(client: &Client, width: u32, height: u32) -> Outcome {
    let mut window_height = height;
    for _ in 0..2 {
        client
            .set_window_size(width, window_height)
            .await
            .map_err(ctx(&format!(
                "resizing the window to {width}x{window_height}"
            )))?;
        let (inner_width, inner_height, _) = widths(client).await?;
        if inner_width != i64::from(width) {
            return Err(format!(
                "resized the window to {width} wide and the viewport is {inner_width} wide"
            ));
        }
        let frame = i64::from(window_height) - inner_height;
        if inner_height == i64::from(height) {
            return Ok(());
        }
        window_height = u32::try_from(i64::from(height) + frame).unwrap_or(height);
    }
    Ok(())
}

/// Saves the whole page at desktop (1280) and phone (375) width as
/// `target/screenshots/{desktop,phone}-PHASE.png`, and checks that at 320
/// wide nothing scrolls sideways. Leaves the window at 1280 x 900.
pub async fn screenshots(client: &Client, phase: &str) -> Outcome {
    let dir = screenshot_dir()?;
    resize(client, 320, 700).await?;
    let (inner, _, page) = widths(client).await?;
    if page > inner {
        return Err(format!(
            "at 320 px wide the page is {page} px wide: it scrolls sideways ({phase} the check)"
        ));
    }
    for (name, width, height) in [("desktop", 1280, 900), ("phone", 375, 812)] {
        resize(client, width, height).await?;
        let tall = client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .map_err(ctx("reading the page's height"))?
            .as_u64()
            .unwrap_or(u64::from(height));
        let tall = u32::try_from(tall).unwrap_or(height).clamp(height, 10_000);
        resize(client, width, tall).await?;
        let png = client
            .screenshot()
            .await
            .map_err(ctx("taking a screenshot"))?;
        let path = dir.join(format!("{name}-{phase}.png"));
        std::fs::write(&path, png).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    resize(client, 1280, 900).await
}

/// The page shows `div#error-summary` (role=alert) with a link to
/// `#field_id`, and following the link puts focus on that field.
pub async fn expect_error_for(client: &Client, field_id: &str) -> Outcome {
    let waited = client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("div#error-summary"))
        .await;
    let summary = match waited {
        Ok(summary) => summary,
        Err(e) => {
            return Err(format!(
                "expected div#error-summary on {}: {e}",
                here(client).await
            ))
        }
    };
    let role = summary
        .attr("role")
        .await
        .map_err(ctx("reading its role"))?;
    if role.as_deref() != Some("alert") {
        return Err(format!(
            "div#error-summary has role {role:?}, not \"alert\""
        ));
    }
    let link = format!("div#error-summary a[href=\"#{field_id}\"]");
    find(client, &link)
        .await?
        .click()
        .await
        .map_err(ctx(&format!("following `{link}`")))?;
    let active = client
        .execute(
            "return document.activeElement && document.activeElement.id;",
            vec![],
        )
        .await
        .map_err(ctx("reading document.activeElement"))?;
    if active.as_str() != Some(field_id) {
        return Err(format!(
            "followed `{link}` and focus is on {active}, not #{field_id}"
        ));
    }
    Ok(())
}
