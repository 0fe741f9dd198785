//! A pack as a SCORM 1.2 package, for a learning management system: one
//! SCO (`scorm.html`) that lists the pack's lessons and shows each in an
//! iframe of the built site in embed mode (`site/packs/?embed&from=...`).
//! The site tells the SCO when a lesson's goal is met (the embed events,
//! `postMessage`), and the SCO tells the LMS through the API the LMS
//! provides (no server of ours): `LMSInitialize`, then `LMSSetValue` of
//! `cmi.core.score.raw` (the share of lessons met, 0 to 100) and
//! `cmi.core.lesson_status` (`incomplete`, then `completed`), and of
//! `cmi.suspend_data` (the lessons met, so a learner resumes), each
//! followed by `LMSCommit`; `LMSFinish` when the page goes.
//!
//! This module writes the package's own files; `dockyard pack scorm` adds
//! the built site under `site/` and zips them.

use super::Pack;

/// The files of the package besides the site, by path in the zip.
pub fn package_files(pack: &Pack, pack_text: &str) -> Vec<(String, Vec<u8>)> {
    let lessons: Vec<serde_json::Value> = pack
        .lessons
        .iter()
        .map(|l| serde_json::json!({ "id": l.id, "title": l.title }))
        .collect();
    let data = serde_json::json!({
        "id": pack.id,
        "title": pack.title,
        "lessons": lessons,
    });
    // `</` inside a script element would end it: JSON may write it `<\/`.
    let data = data.to_string().replace("</", "<\\/");
    let page = SCO_PAGE
        .replace("{{TITLE}}", &escape(&pack.title))
        .replace("{{PACK}}", &data);
    vec![
        ("imsmanifest.xml".into(), manifest(pack).into_bytes()),
        ("scorm.html".into(), page.into_bytes()),
        ("pack.json".into(), pack_text.as_bytes().to_vec()),
    ]
}

fn manifest(pack: &Pack) -> String {
    let title = escape(&pack.title);
    let id = &pack.id; // checked: letters, digits, hyphens
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="dockyard-{id}" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="dockyard-{id}-org">
    <organization identifier="dockyard-{id}-org">
      <title>{title}</title>
      <item identifier="dockyard-{id}-item" identifierref="dockyard-{id}-sco" isvisible="true">
        <title>{title}</title>
        <adlcp:masteryscore>100</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="dockyard-{id}-sco" type="webcontent" adlcp:scormtype="sco" href="scorm.html">
      <file href="scorm.html"/>
      <file href="pack.json"/>
    </resource>
  </resources>
</manifest>
"#
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The SCO: plain HTML and script, so that it runs in any LMS's frame
/// before (and without) the app's wasm.
const SCO_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 0.5rem 1rem; border-bottom: 1px solid #999; }
  h1 { font-size: 1.2rem; margin: 0.2rem 0; }
  ol { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 0.3rem 0; }
  button { font: inherit; padding: 0.3rem 0.6rem; }
  button[aria-current="true"] { font-weight: bold; }
  .met::before { content: "\2713  "; }
  iframe { flex: 1; border: 0; width: 100%; }
  #lms { font-size: 0.9rem; margin: 0.2rem 0; }
</style>
</head>
<body>
<header>
  <h1>{{TITLE}}</h1>
  <ol id="lessons" aria-label="Lessons"></ol>
  <p id="lms" role="status"></p>
</header>
<iframe id="lesson" title="Dockyard lesson"></iframe>
<script>
"use strict";
const PACK = {{PACK}};
// The SCORM 1.2 runtime's API: the nearest window up the frames (or the
// opener's) with an object called API, as the specification says to find it.
function findAPI(win) {
  for (let hops = 0; win && hops < 10; hops++) {
    if (win.API) return win.API;
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}
const api = findAPI(window) || (window.opener && findAPI(window.opener));
const status = document.getElementById("lms");
const met = new Set();
let started = Date.now();
if (api) {
  api.LMSInitialize("");
  try {
    for (const id of JSON.parse(api.LMSGetValue("cmi.suspend_data") || "[]")) met.add(id);
  } catch (e) { /* a fresh attempt */ }
  if (met.size === 0) { api.LMSSetValue("cmi.core.lesson_status", "incomplete"); api.LMSCommit(""); }
  status.textContent = "Your progress is reported to your course.";
} else {
  status.textContent = "No learning management system was found: progress is not reported.";
}
function report() {
  const score = Math.round(100 * met.size / PACK.lessons.length);
  if (!api) return;
  api.LMSSetValue("cmi.core.score.min", "0");
  api.LMSSetValue("cmi.core.score.max", "100");
  api.LMSSetValue("cmi.core.score.raw", String(score));
  api.LMSSetValue("cmi.suspend_data", JSON.stringify([...met]));
  api.LMSSetValue("cmi.core.lesson_status", met.size === PACK.lessons.length ? "completed" : "incomplete");
  api.LMSCommit("");
}
const list = document.getElementById("lessons");
function open(index) {
  const lesson = PACK.lessons[index];
  document.getElementById("lesson").src =
    "site/packs/?embed&from=" + encodeURIComponent("../../pack.json") + "&open=" + encodeURIComponent(lesson.id);
  for (const b of list.querySelectorAll("button")) b.setAttribute("aria-current", String(b.dataset.id === lesson.id));
}
PACK.lessons.forEach((lesson, index) => {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = lesson.title;
  button.dataset.id = lesson.id;
  if (met.has(lesson.id)) button.className = "met";
  button.addEventListener("click", () => open(index));
  item.appendChild(button);
  list.appendChild(item);
});
window.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.source !== "dockyard" || data.event !== "goal-met") return;
  // The site names a pack lesson "pack-id/lesson-id".
  const id = String(data.lesson).slice(PACK.id.length + 1);
  if (!PACK.lessons.some((l) => l.id === id) || met.has(id)) return;
  met.add(id);
  const button = list.querySelector('button[data-id="' + CSS.escape(id) + '"]');
  if (button) button.className = "met";
  report();
});
let finished = false;
function finish() {
  if (!api || finished) return;
  finished = true;
  const seconds = Math.round((Date.now() - started) / 1000);
  const pad = (n) => String(n).padStart(2, "0");
  api.LMSSetValue("cmi.core.session_time", pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60));
  api.LMSSetValue("cmi.core.exit", met.size === PACK.lessons.length ? "" : "suspend");
  api.LMSFinish("");
}
window.addEventListener("pagehide", finish);
window.addEventListener("beforeunload", finish);
open(Math.max(0, PACK.lessons.findIndex((l) => !met.has(l.id))));
</script>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_names_its_sco_and_carries_the_pack() {
        let text = include_str!("../../../../packs/example.pack.json");
        let pack = Pack::parse(text).unwrap();
        let files = package_files(&pack, text);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["imsmanifest.xml", "scorm.html", "pack.json"]);
        let manifest = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(manifest.contains("<schemaversion>1.2</schemaversion>"));
        assert!(manifest.contains(r#"adlcp:scormtype="sco" href="scorm.html""#));
        let page = String::from_utf8(files[1].1.clone()).unwrap();
        assert!(
            page.contains(r#""id":"three-tasks-on-fargate""#),
            "the lessons are listed"
        );
        assert!(!page.contains("{{"), "every placeholder filled");
        assert_eq!(files[2].1, text.as_bytes());
    }

    #[test]
    fn a_title_cannot_break_out_of_the_markup() {
        let text = include_str!("../../../../packs/example.pack.json");
        let mut pack = Pack::parse(text).unwrap();
        pack.title = "A & B \"quoted\" </script>".into();
        let files = package_files(&pack, text);
        let page = String::from_utf8(files[1].1.clone()).unwrap();
        assert!(!page.contains("</script>\","), "{page}");
        assert!(page.contains("<title>A &amp; B &quot;quoted&quot; &lt;/script&gt;</title>"));
    }
}
