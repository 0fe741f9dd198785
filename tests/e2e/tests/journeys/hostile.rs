//! Hostile input, table-driven: every payload below goes into every place a
//! learner can put text (the terminal, the command box, the role form, the
//! editor's JSON and fields, the registries' forms, the three file imports,
//! every route, the saved state in localStorage). After each probe the
//! journey asserts that no dialog opened and no payload ran (each one sets
//! `window.__pwned` if it does), that no element carries an injected event
//! handler or `javascript:` address, and that the input was either taken
//! (the place says what it did) or refused with a message the learner can
//! see: never silence. The learner's saved work elsewhere (a sandbox
//! session, lessons done) is checked after every group of probes.
//!
//! It prints, and writes to target/test-logs/hostile-inputs.txt (which
//! scripts/test shows in its summary), the counts: inputs tried, refused
//! with a message, accepted, and the slowest probe.

use std::collections::BTreeMap;
use std::time::Instant;

use super::*;

/// The payloads, as JavaScript expressions evaluated in the page (so that
/// 20 MB never crosses the WebDriver connection). Each script payload sets
/// `window.__pwned` as well as calling alert, so that it is seen even where
/// a dialog would not be.
const PAYLOADS: &[(&str, &str)] = &[
    (
        "img onerror",
        r#"'<img src=x onerror="window.__pwned=1;alert(1)">'"#,
    ),
    (
        "script element",
        r#"'<script>window.__pwned=1;alert(1)</script>'"#,
    ),
    (
        "javascript: URL",
        r#"'javascript:window.__pwned=1;alert(1)'"#,
    ),
    (
        "attribute break-out",
        r#"'"><svg onload="window.__pwned=1;alert(1)">'"#,
    ),
    ("quote break-out", r#""';window.__pwned=1;alert(1);//""#),
    (
        "template injection",
        r#""{{constructor.constructor('window.__pwned=1')()}}""#,
    ),
    (
        "encoded markup",
        r#"'%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E'"#,
    ),
    ("bidi and NUL", r#"'\u202Erole\u200B\u0000\u540d\uFEFF'"#),
    ("10,000 characters", r#"'A'.repeat(10000)"#),
    (
        "100,000-deep JSON",
        r#"'['.repeat(100000) + ']'.repeat(100000)"#,
    ),
    (
        "1 MB JSON",
        r#"JSON.stringify({family: 'x'.repeat(1000000)})"#,
    ),
    (
        "JSON with markup",
        r#"JSON.stringify({do: '<img src=x onerror=window.__pwned=1>', name: '<script>window.__pwned=1</script>'})"#,
    ),
];

/// The same, for files: a 20 MB file and binary bytes on top.
const FILE_PAYLOADS: &[(&str, &str)] = &[
    ("20 MB file", r#"'{"a":"' + 'x'.repeat(20000000) + '"}'"#),
    (
        "binary bytes",
        r#"String.fromCharCode(...Array.from({length: 3000}, (_, i) => (i * 7919) % 256))"#,
    ),
    ("empty file", "''"),
];

/// Installed after every page load: dialogs counted instead of shown, and
/// the checks each probe runs.
const HARNESS: &str = r#"
window.__pwned = window.__pwned || 0;
window.__dialogs = window.__dialogs || 0;
for (const f of ['alert', 'confirm', 'prompt', 'print']) window[f] = () => { window.__dialogs++; };
window.__injected = () => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (a.name.startsWith('on')) bad.push(e.tagName + '[' + a.name + ']');
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name) && /^\s*javascript:/i.test(a.value)) bad.push(e.tagName + '[' + a.name + '=javascript:]');
    }
  }
  for (const s of document.querySelectorAll('script')) if (!s.src && s.textContent.includes('__pwned')) bad.push('inline script');
  return bad;
};
window.__visible = (selector) => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length > 0 || e.closest('details')).map(e => e.textContent.trim()).filter(t => t.length > 0);
return null;
"#;

/// One place a learner can put text: where it is, how the text goes in and
/// is acted on, and how the place answers.
struct Place {
    name: &'static str,
    /// Under the site's root.
    address: &'static str,
    /// JavaScript run once after the page loads (a repository to push to).
    prepare: &'static str,
    /// JavaScript with `P` bound to the payload: puts it in and acts.
    act: &'static str,
    /// JavaScript returning 'refused', 'accepted' or '' (not yet).
    verdict: &'static str,
}

const SET: &str = r#"
const set = (selector, value, kinds = ['input', 'change']) => {
  const e = document.querySelector(selector);
  if (!e) throw new Error('no ' + selector);
  e.value = value;
  for (const kind of kinds) e.dispatchEvent(new Event(kind, {bubbles: true}));
};
const press = (selector) => { const e = document.querySelector(selector); if (!e) throw new Error('no ' + selector); e.click(); };
const attach = (selector, text) => {
  const input = document.querySelector(selector);
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], 'probe.json', {type: 'application/json'}));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', {bubbles: true}));
};
"#;

const EDITOR_SEED: &str = r#"{"family": "probe", "requiresCompatibilities": ["EC2"], "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 256, "essential": true, "portMappings": [{"containerPort": 80}]}]}"#;

/// The registries page answers every form in one message: `ok` when done.
const REGISTRIES_VERDICT: &str = r#"const said = document.querySelector('.registries-page p.sandbox-message');
    if (!said) return '';
    return said.classList.contains('ok') ? 'accepted' : 'refused';"#;

fn places() -> Vec<Place> {
    vec![
        Place {
            name: "terminal",
            address: "sandbox/web-on-fargate/",
            prepare: "",
            act: r#"const t = document.querySelector('.terminal-prompt textarea');
                window.__entries = document.querySelectorAll('.terminal-entry').length;
                t.value = P;
                t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));"#,
            verdict: r#"const t = document.querySelector('.terminal-prompt textarea');
                // An open quote waits for the rest, as a shell's second prompt does.
                if (t.value.length > 0) { t.value = ''; return 'accepted'; }
                const entries = document.querySelectorAll('.terminal-entry');
                if (entries.length <= window.__entries) return '';
                const last = entries[entries.length - 1];
                if (!last.classList.contains('failed')) return 'accepted';
                return last.querySelector('.terminal-stderr') ? 'refused' : 'silent';"#,
        },
        Place {
            name: "JSON command box",
            address: "sandbox/web-on-fargate/",
            prepare: "",
            act: r#"set('textarea[name=command-text]', P); press('button.run-command');"#,
            verdict: r#"if (__visible('.command-box .sandbox-message').length) return 'refused';
                if (__visible('.command-box .sandbox-answer').length) return 'accepted'; return '';"#,
        },
        Place {
            name: "role name",
            address: "sandbox/web-on-fargate/",
            prepare: "",
            act: r#"set('input[name=role-name]', P); press('button.create-role');"#,
            verdict: r#"if (__visible('.roles-panel .sandbox-message').length) return 'refused';
                if (__visible('.roles-panel .sandbox-answer').length) return 'accepted'; return '';"#,
        },
        Place {
            name: "role policy",
            address: "sandbox/web-on-fargate/",
            prepare: "",
            act: r#"set('input[name=role-name]', 'probe-' + Math.random().toString(36).slice(2, 8));
                set('textarea[name=role-policy]', P); press('button.create-role');"#,
            verdict: r#"if (__visible('.roles-panel .sandbox-message').length) return 'refused';
                if (__visible('.roles-panel .sandbox-answer').length) return 'accepted'; return '';"#,
        },
        Place {
            name: "editor JSON",
            address: "editor/",
            prepare: "",
            act: r#"set('#editor-text', P, ['input']);"#,
            verdict: r#"const s = document.querySelector('.checker-summary').textContent;
                if (/Not JSON|error|refused|64 KiB/.test(s)) return 'refused';
                return /Valid/.test(s) ? 'accepted' : '';"#,
        },
        Place {
            name: "editor family",
            address: "editor/",
            prepare: "",
            act: "set('#editor-text', SEED, ['input']); set('input[name=family]', P, ['input']);",
            verdict: r#"if (__visible('#family-error').length) return 'refused';
                const s = document.querySelector('.checker-summary').textContent;
                if (/error/.test(s) && __visible('.editor-form .finding').length) return 'refused';
                return /Valid/.test(s) ? 'accepted' : '';"#,
        },
        Place {
            name: "editor image",
            address: "editor/",
            prepare: "",
            act: "set('#editor-text', SEED, ['input']); set('input[name=c0-image]', P, ['input']);",
            verdict: r#"if (__visible('#c0-image-error').length) return 'refused';
                const s = document.querySelector('.checker-summary').textContent;
                if (/error/.test(s) && __visible('.editor-form .finding').length) return 'refused';
                return /Valid/.test(s) ? 'accepted' : '';"#,
        },
        Place {
            name: "editor container port",
            address: "editor/",
            prepare: "",
            act: "set('#editor-text', SEED, ['input']); set('input[name=c0-port]', P, ['input']);",
            verdict: r#"if (__visible('#c0-port-error').length) return 'refused';
                const s = document.querySelector('.checker-summary').textContent;
                if (/error/.test(s) && __visible('.editor-form .finding').length) return 'refused';
                return /Valid/.test(s) ? 'accepted' : '';"#,
        },
        Place {
            name: "editor volume",
            address: "editor/",
            prepare: "",
            act: "set('#editor-text', SEED, ['input']); set('input[name=volume-name]', P, ['input']); press('button.attach');",
            verdict: r#"const said = document.querySelector('button.attach + .sandbox-message');
                if (!said) return '';
                if (!said.classList.contains('ok')) return 'refused';
                const s = document.querySelector('.checker-summary').textContent;
                return /error/.test(s) && __visible('.volume-row .finding').length ? 'refused' : 'accepted';"#,
        },
        Place {
            name: "repository name",
            address: "registries/",
            prepare: "",
            act: "window.__said = __visible('.registries-page p.sandbox-message').join(); set('input[name=repository-name]', P); press('button.create');",
            verdict: REGISTRIES_VERDICT,
        },
        Place {
            name: "image tag",
            address: "registries/",
            prepare: "set('input[name=repository-name]', 'probe'); press('button.create');",
            act: "set('select[name=push-repository]', 'probe'); set('input[name=tag]', P); press('button.push');",
            verdict: REGISTRIES_VERDICT,
        },
        Place {
            name: "Docker Hub repository",
            address: "registries/",
            prepare: "set('select[name=push-target]', 'hub');",
            act: "set('input[name=hub-repository]', P); set('input[name=tag]', 'v1'); press('button.push');",
            verdict: REGISTRIES_VERDICT,
        },
    ]
}

/// The file imports: where, and how each answers.
fn file_places() -> Vec<Place> {
    vec![
        Place {
            name: "editor import",
            address: "editor/",
            prepare: "",
            act: "attach('.editor-page input[type=file]', P);",
            verdict: r#"const said = document.querySelector('.editor-page .checker-actions + .sandbox-message');
                if (!said) return '';
                return said.classList.contains('ok') ? 'accepted' : 'refused';"#,
        },
        Place {
            name: "session import",
            address: "sandbox/web-on-fargate/",
            prepare: "",
            act: "attach('.sandbox-session input[type=file]', P);",
            verdict: r#"if (__visible('.sandbox-session ~ .sandbox-message').length) return 'refused'; return '';"#,
        },
        Place {
            name: "pack import",
            address: "packs/",
            prepare: "",
            act: "attach('.packs-page input.pack-file', P);",
            verdict: r#"const said = document.querySelector('.packs-page .pack-message');
                if (!said || !said.textContent) return '';
                return said.classList.contains('ok') ? 'accepted' : 'refused';"#,
        },
        Place {
            name: "receipts import",
            address: "class/",
            prepare: "",
            act: "attach('.class-page input.receipt-files', P);",
            verdict: r#"const said = document.querySelector('.class-page .receipt-verdict');
                if (!said) return '';
                return said.textContent.startsWith('unreadable') ? 'refused' : 'accepted';"#,
        },
        Place {
            name: "progress import",
            address: "lessons/",
            prepare: "",
            act: "attach('.course-map input[type=file]', P);",
            verdict: r#"const said = document.querySelector('.course-map .checker-actions + .sandbox-message');
                if (!said) return '';
                return said.classList.contains('ok') ? 'accepted' : 'refused';"#,
        },
    ]
}

/// Routes with a payload where a name goes, as old `#/...` links (which
/// the app reads whatever the host serves).
const ROUTES: &[&str] = &[
    "#/notes/",
    "#/lesson/",
    "#/sandbox/",
    "#/findings/",
    "#/compare/web-on-fargate/",
    "#/share/",
    "#/pack/",
];

/// Saved state, corrupted: where it lives, and the page that reads it.
const STORES: &[(&str, &str)] = &[
    ("dockyard.v2.packs", "packs/"),
    ("dockyard.v2.settings", "notes/docker-basics/"),
    ("dockyard.v2.progress", "lessons/"),
    (
        "dockyard.v2.sandbox.web-on-fargate",
        "sandbox/web-on-fargate/",
    ),
];

#[derive(Default)]
struct Tally {
    tried: usize,
    refused: usize,
    accepted: usize,
    slowest: (u128, String),
    by_place: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    fn add(&mut self, place: &str, payload: &str, verdict: &str, took: u128) {
        self.tried += 1;
        let entry = self.by_place.entry(place.to_string()).or_default();
        match verdict {
            "refused" => {
                self.refused += 1;
                entry.0 += 1;
            }
            "accepted" => {
                self.accepted += 1;
                entry.1 += 1;
            }
            other => panic!(
                "{place} with {payload}: no answer ({other:?}): the learner is left in silence"
            ),
        }
        if took > self.slowest.0 {
            self.slowest = (took, format!("{place} with {payload}"));
        }
    }
}

async fn arm(client: &Client) {
    wait_for_app(client).await;
    script(client, HARNESS).await;
}

/// Nothing ran, nothing was injected, no dialog opened.
async fn assert_harmless(client: &Client, what: &str) {
    let found = script(
        client,
        "return [window.__pwned || 0, window.__dialogs || 0, window.__injected()];",
    )
    .await;
    assert_eq!(found[0], Value::from(0), "{what}: a payload ran");
    assert_eq!(found[1], Value::from(0), "{what}: a dialog opened");
    assert_eq!(
        found[2],
        Value::Array(vec![]),
        "{what}: injected into the page"
    );
}

/// The learner's work kept outside the probed places: a session of
/// another scenario and the lessons done.
const SEEDS: &[(&str, &str)] = &[
    (
        "dockyard.v2.sandbox.az-outage",
        r#"{"session":1,"scenario":"az-outage","steps":[{"at":60,"do":"loseAz","az":"us-east-1b"}],"at":60000}"#,
    ),
    (
        "dockyard.v2.progress",
        r#"{"progress":1,"done":["pods-on-a-fargate-profile"]}"#,
    ),
];

async fn assert_work_kept(client: &Client, what: &str) {
    for (key, value) in SEEDS {
        let kept = script(client, &format!("return localStorage.getItem('{key}');")).await;
        assert_eq!(
            kept.as_str(),
            Some(*value),
            "{what}: the learner's saved work under {key} changed"
        );
    }
}

async fn seed(client: &Client) {
    for (key, value) in SEEDS {
        script(
            client,
            &format!(
                "localStorage.setItem({}, {}); return null;",
                Value::from(*key),
                Value::from(*value)
            ),
        )
        .await;
    }
}

/// Runs one probe: the payload in, then polls (two seconds at most) for
/// the place's answer.
async fn probe(client: &Client, place: &Place, payload: &str) -> (String, u128) {
    let source = format!(
        "{SET} const SEED = {seed}; const P = {payload}; {act} return null;",
        seed = Value::from(EDITOR_SEED),
        act = place.act
    );
    let started = Instant::now();
    script(client, &source).await;
    let verdict_source = format!("{SET} {}", place.verdict);
    let mut verdict = String::new();
    for _ in 0..100 {
        verdict = script(client, &verdict_source)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !verdict.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (verdict, started.elapsed().as_millis())
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_input_everywhere_is_inert_answered_and_loses_no_work() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1280, 900).await;
    let mut tally = Tally::default();
    client.goto(&server.base_url).await.unwrap();
    arm(&client).await;
    seed(&client).await;

    // Typed and pasted into every field, and chosen as files (which get
    // the field payloads too): each probe on the place loaded afresh, so
    // that an answer on screen is this probe's, not the last one's.
    let groups = [
        (places(), PAYLOADS.to_vec()),
        (file_places(), [FILE_PAYLOADS, PAYLOADS].concat()),
    ];
    for (places, payloads) in &groups {
        for place in places {
            for (label, payload) in payloads {
                client
                    .goto(&format!("{}{}", server.base_url, place.address))
                    .await
                    .unwrap();
                arm(&client).await;
                if !place.prepare.is_empty() {
                    script(&client, &format!("{SET} {} return null;", place.prepare)).await;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                let (verdict, took) = probe(&client, place, payload).await;
                assert_harmless(&client, &format!("{} with {label}", place.name)).await;
                tally.add(place.name, label, &verdict, took);
                assert_work_kept(&client, place.name).await;
            }
        }
    }
    screenshot(&client, "hostile-inputs.png").await;

    // In the address, where a name goes.
    for route in ROUTES {
        for (label, payload) in PAYLOADS.iter().take(9) {
            let encoded = script(&client, &format!("return encodeURIComponent({payload});")).await;
            let started = Instant::now();
            client
                .goto(&format!(
                    "{}{route}{}",
                    server.base_url,
                    encoded.as_str().unwrap()
                ))
                .await
                .unwrap();
            arm(&client).await;
            // A share link changes only the fragment: the app redraws on
            // hashchange, without a reload.
            let mut heading = String::new();
            for _ in 0..50 {
                heading = script(
                    &client,
                    "return (document.querySelector('main h1') || {}).textContent || '';",
                )
                .await
                .as_str()
                .unwrap_or_default()
                .to_string();
                if heading == "No such page" || heading == "This share link cannot be opened" {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let what = format!("{route} with {label}");
            assert_harmless(&client, &what).await;
            let verdict =
                if heading == "No such page" || heading == "This share link cannot be opened" {
                    "refused"
                } else {
                    ""
                };
            tally.add(route, label, verdict, started.elapsed().as_millis());
        }
        assert_work_kept(&client, route).await;
    }

    // In the saved state: set aside with a notice, the page still there.
    for (key, address) in STORES {
        for (label, payload) in PAYLOADS.iter().chain(FILE_PAYLOADS.iter().skip(1)) {
            script(
                &client,
                &format!("try {{ localStorage.setItem({}, {payload}); return null; }} catch (e) {{ return String(e); }}", Value::from(*key)),
            )
            .await;
            let started = Instant::now();
            client
                .goto(&format!("{}{address}", server.base_url))
                .await
                .unwrap();
            arm(&client).await;
            let what = format!("{key} holding {label}");
            assert_harmless(&client, &what).await;
            let said = script(
                &client,
                "return __visible('.notice, .sandbox-message').some(t => /could not read|set aside|cannot be read|unreadable/i.test(t));",
            )
            .await;
            let drawn = script(&client, "return !!document.querySelector('main h1');").await;
            assert_eq!(drawn, Value::Bool(true), "{what}: the page did not draw");
            tally.add(
                key,
                label,
                if said == Value::Bool(true) {
                    "refused"
                } else {
                    "accepted"
                },
                started.elapsed().as_millis(),
            );
            // Each probe starts from the learner's own data again.
            script(&client, &format!("localStorage.removeItem({}); localStorage.removeItem({} + '.unreadable'); return null;", Value::from(*key), Value::from(*key))).await;
            seed(&client).await;
        }
    }

    let report = format!(
        "hostile inputs: {} tried, {} refused with a message, {} accepted, 0 silent; no script ran, no dialog, nothing injected, no saved work lost; slowest {} ms ({})\n{}",
        tally.tried,
        tally.refused,
        tally.accepted,
        tally.slowest.0,
        tally.slowest.1,
        tally
            .by_place
            .iter()
            .map(|(place, (refused, accepted))| format!("  {place}: {refused} refused, {accepted} accepted"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    println!("{report}");
    let logs = screenshot_dir().join("../test-logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(logs.join("hostile-inputs.txt"), format!("{report}\n")).unwrap();
    assert!(tally.tried >= 140, "{report}");
    client.close().await.expect("close the session");
}

/// Whether the page fits the window's width, and where it does not.
async fn fits(client: &Client) -> (bool, String) {
    let found = script(
        client,
        "const over = [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('pre, .terminal-log, .scroll-x, textarea, table')).slice(0, 3).map(e => e.tagName + '.' + e.className);
         return [document.documentElement.scrollWidth <= window.innerWidth, over.join(', ')];",
    )
    .await;
    (
        found[0] == Value::Bool(true),
        found[1].as_str().unwrap_or_default().to_string(),
    )
}

/// Issue 20, item 10: long values wrap or scroll in their own box, and on
/// a phone every button can be reached: the editor's Register, a 128
/// character tag (Docker's longest; 200 is refused), a lesson's solution.
#[tokio::test(flavor = "multi_thread")]
async fn long_values_keep_every_page_within_a_phones_width() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(390, 844).await;

    client
        .goto(&format!("{}editor/", server.base_url))
        .await
        .unwrap();
    wait_for_text(&client, ".checker-summary", "").await;
    let register = script(
        &client,
        "const b = document.querySelector('button.register'); b.scrollIntoView({block: 'center'});
         const r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth;",
    )
    .await;
    assert_eq!(
        register,
        Value::Bool(true),
        "Register is off screen at 390 px"
    );
    let (fit, over) = fits(&client).await;
    assert!(fit, "the editor is wider than a phone: {over}");
    // The definition an import replaced, kept under a 255-character
    // family (the longest AWS allows), with its two buttons.
    script(
        &client,
        "localStorage.setItem('dockyard.v2.editor-before', JSON.stringify({family: 'f'.repeat(255), containerDefinitions: []})); return null;",
    )
    .await;
    client.refresh().await.unwrap();
    wait_for_text(&client, ".kept-definition", "Kept from before an import").await;
    let (fit, over) = fits(&client).await;
    assert!(fit, "the kept definition widens the editor: {over}");
    script(
        &client,
        "document.querySelector('.kept-definition').scrollIntoView({block: 'center'}); return null;",
    )
    .await;
    screenshot(&client, "phone-kept-definition.png").await;
    script(
        &client,
        "localStorage.removeItem('dockyard.v2.editor-before'); return null;",
    )
    .await;

    client
        .goto(&format!("{}registries/", server.base_url))
        .await
        .unwrap();
    wait_for_app(&client).await;
    let push = |tag: String| {
        format!(
            "const set = (sel, v) => {{ const e = document.querySelector(sel); e.value = v; e.dispatchEvent(new Event('change')); }};
             set('input[name=repository-name]', 'wide'); document.querySelector('button.create').click();
             setTimeout(() => {{ set('select[name=push-repository]', 'wide'); set('input[name=tag]', '{tag}');
               set('input[name=content]', 'build 1'); document.querySelector('button.push').click(); }}, 100);
             return null;"
        )
    };
    script(&client, &push("v".repeat(200))).await;
    wait_for_text(
        &client,
        ".registries-page p.sandbox-message",
        "invalid reference format",
    )
    .await;
    let said = text(&client, ".registries-page p.sandbox-message").await;
    assert!(
        said.contains("at most 128 characters; this one has 200"),
        "{said}"
    );
    script(&client, &push("v".repeat(128))).await;
    wait_for_text(
        &client,
        ".registries-page p.sandbox-message",
        "Pushed wide:",
    )
    .await;
    let (fit, over) = fits(&client).await;
    assert!(
        fit,
        "a 128-character tag widens the registries page: {over}"
    );
    screenshot(&client, "phone-long-tag.png").await;

    client
        .goto(&format!(
            "{}lesson/pull-from-another-account/",
            server.base_url
        ))
        .await
        .unwrap();
    wait_for_app(&client).await;
    click(&client, "button.show-solution").await;
    click(&client, "button.confirm-solution").await;
    wait_for_text(&client, ".solution", "").await;
    let (fit, over) = fits(&client).await;
    assert!(fit, "the solution widens the lesson page: {over}");
    screenshot(&client, "phone-solution.png").await;
    client.close().await.expect("close the session");
}
