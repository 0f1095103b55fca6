//! The `--html` page in a real browser: headless Chromium (Debian's `chromium`) renders it at a
//! desk's width (1280x800) and at a phone's (390x844). Checked: the screenshots (not blank, the
//! incident's and the chart's colours on screen, nothing cut at the phone's right edge; decoded
//! by tests/desk/png_stats.py), and the page's DOM as the browser laid it out (no horizontal
//! overflow: the document's scrollWidth within the viewport; the text a desk must find).
//!
//! Headless Chromium lays a window out at least 500 px wide, so the phone width is made the way
//! a phone's viewport is: the page in a 390 px wide frame. The measurements come from a wrapper
//! page of this test's own (with a script); the page under test has none.
//!
//! `DESK_SCREENSHOTS=DIR` keeps the screenshots there.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::reports;

/// Debian's Chromium.
pub const CHROMIUM: &str = "chromium";

/// The flags that make headless Chromium work here without touching the network.
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // The wrapper page reads the framed page's DOM (both are local files).
    "--allow-file-access-from-files",
];

/// The page's colours a screenshot must show: the incident's background, the chart's first.
const INCIDENT: &str = "#fde8e8";
const CHART: &str = "#1f77b4";

/// Runs Chromium on `url` with a new empty profile, at `width`x`height`.
fn chromium(work: &Path, width: u32, height: u32, extra: &[String], url: &str) -> String {
    let profile = tempfile::tempdir_in(work).unwrap();
    let mut command = Command::new(CHROMIUM);
    command
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},{height}"))
        .args(extra)
        .arg(url);
    let out = reports::run_bounded(command, Duration::from_secs(90));
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A page of this test's that frames `page` at `width`x`height`; with `measure`, a script
/// writes what the frame's layout gives into `<pre id="out">` as JSON.
fn frame(work: &Path, page: &Path, width: u32, height: u32, measure: bool) -> PathBuf {
    let script = if measure {
        r#"<script>window.onload = function () {
  var f = document.getElementById('f'), d = f.contentDocument;
  document.getElementById('out').textContent = JSON.stringify({
    scrollWidth: d.documentElement.scrollWidth, clientWidth: d.documentElement.clientWidth,
    innerWidth: f.contentWindow.innerWidth,
    text: d.body.innerText, all: d.body.textContent,
    details: d.querySelectorAll('details').length, rows: d.querySelectorAll('tr.row').length,
    bars: d.querySelectorAll('svg rect').length, scripts: d.querySelectorAll('script').length
  });
};</script>"#
    } else {
        ""
    };
    let html = format!(
        "<!DOCTYPE html><html><body style=\"margin:0;overflow:hidden\"><iframe id=\"f\" src=\"{}\" \
         style=\"border:0;display:block;width:{width}px;height:{height}px\"></iframe>\
         <pre id=\"out\"></pre>{script}</body></html>",
        url(page)
    );
    let path = work.join(format!("frame-{width}-{measure}.html"));
    std::fs::write(&path, html).unwrap();
    path
}

/// The layout facts the measuring frame wrote.
fn measure(work: &Path, page: &Path, width: u32, height: u32) -> Value {
    let wrapper = frame(work, page, width, height, true);
    let dom = chromium(
        work,
        width.max(500),
        height,
        &["--dump-dom".into()],
        &url(&wrapper),
    );
    let start = dom
        .find("<pre id=\"out\">")
        .expect("the measuring frame wrote nothing")
        + 14;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// A screenshot of `url` at `width`x`height`, and png_stats.py's facts about it.
fn screenshot(work: &Path, name: &str, width: u32, height: u32, url: &str) -> Value {
    let png = work.join(name);
    // Scrollbars hidden: the right edge is then the page's own.
    chromium(
        work,
        width,
        height,
        &[
            format!("--screenshot={}", png.display()),
            "--hide-scrollbars".into(),
        ],
        url,
    );
    if let Some(keep) = std::env::var_os("DESK_SCREENSHOTS") {
        let _ = std::fs::create_dir_all(&keep);
        std::fs::copy(&png, Path::new(&keep).join(name)).unwrap();
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desk/png_stats.py");
    let mut command = Command::new("python3");
    command.arg(script).arg(&png).args([INCIDENT, CHART]);
    let out = reports::run_bounded(command, Duration::from_secs(120));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What a desk must find on the page, laid out by the browser (`text`: what shows; `all`: the
/// text behind the clicks too).
fn check_dom(dom: &Value, width: u32) {
    let scroll = dom["scrollWidth"].as_u64().unwrap();
    let inner = dom["innerWidth"].as_u64().unwrap();
    assert_eq!(inner, u64::from(width), "{dom}");
    assert!(
        scroll <= inner,
        "horizontal overflow at {width}: {scroll} > {inner}"
    );
    let text = dom["text"].as_str().unwrap();
    for words in [
        "MARS access reports",
        "HMS incident: MARS is failing",
        "5 reports from 5 different computers",
        "Reports per day, by cause",
        "Verdict, steps and evidence",
        "Causes, by who acts",
        "Harvard University VPN",
        "HMS IT (MARS's side)",
    ] {
        assert!(
            text.contains(words),
            "{words:?} not shown at {width}:\n{text}"
        );
    }
    let all = dom["all"].as_str().unwrap();
    assert!(
        all.contains("Open GlobalProtect"),
        "no steps behind the clicks"
    );
    assert!(!all.contains(reports::FORGED), "a forged step on the page");
    assert_eq!(dom["scripts"], 0, "the page runs no script");
    assert!(dom["bars"].as_u64().unwrap() > 0, "{dom}");
    assert_eq!(dom["details"], dom["rows"], "a details block per report");
}

pub fn the_page_renders_in_chromium_at_desk_and_phone_widths() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    let folder = reports::folder(work);
    let page = work.join("triage.html");
    let mut command = reports::hmsaccess();
    command
        .args(["explain", "--summary", "--html"])
        .arg(&page)
        .arg(&folder);
    let out = reports::run_bounded(command, Duration::from_secs(60));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for (width, height) in [(1280, 800), (390, 844)] {
        check_dom(&measure(work, &page, width, height), width);
    }

    let desk = screenshot(work, "desk-1280x800.png", 1280, 800, &url(&page));
    assert_eq!(
        (desk["width"].as_u64(), desk["height"].as_u64()),
        (Some(1280), Some(800))
    );
    assert!(desk["non_white"].as_f64().unwrap() > 0.03, "blank? {desk}");
    assert!(desk["colours"].as_u64().unwrap() >= 6, "{desk}");
    assert_eq!(desk["seen"], serde_json::json!([CHART, INCIDENT]), "{desk}");

    let phone_frame = frame(work, &page, 390, 844, false);
    let phone = screenshot(work, "phone-390x844.png", 390, 844, &url(&phone_frame));
    assert_eq!(
        (phone["width"].as_u64(), phone["height"].as_u64()),
        (Some(390), Some(844))
    );
    assert!(
        phone["non_white"].as_f64().unwrap() > 0.03,
        "blank? {phone}"
    );
    assert!(
        phone["seen"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == INCIDENT),
        "{phone}"
    );
    // Nothing runs into the phone's right edge (the page keeps a margin; overflowing text or
    // a wide table would be cut there).
    assert!(
        phone["right_edge_non_white"].as_f64().unwrap() < 0.01,
        "{phone}"
    );
}
