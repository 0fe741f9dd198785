//! The URL is the learner's place: `#/notes/<chapter>`. A hash route works
//! from any static host and any sub-path, with no server rewrites.

use dockyard_course::chapters::{chapter, Chapter};
use dockyard_model::iam::{policy_check, PolicyCheck};
use dockyard_model::sim::{refusal, Refusal};
use dockyard_model::taskdef::{rule, Rule};

use dockyard_course::scenarios::{scenario, ShippedScenario};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// No place in the URL: go to the remembered chapter, or the first.
    Start,
    Chapter(&'static Chapter),
    /// Every finding code of the task definition validator.
    Findings,
    /// One finding code: why AWS has the rule, and where the notes teach it.
    Finding(&'static Rule),
    /// One refusal code of the simulation, on the same kind of page (the
    /// three catalogues share no code).
    Refusal(&'static Refusal),
    /// One policy check code (the policy simulator's and `dockyard iam
    /// check`'s findings), on the same kind of page.
    PolicyCheck(&'static PolicyCheck),
    /// The policy simulator.
    PolicySimulator,
    /// The sandbox without a scenario named: the saved session's, or the first.
    SandboxStart,
    /// The sandbox, playing one shipped scenario.
    Sandbox(&'static ShippedScenario),
    /// The task definition editor.
    Editor,
    /// ECR repositories and Docker Hub.
    Registries,
    /// Two scenarios side by side on one clock.
    Compare(&'static ShippedScenario, &'static ShippedScenario),
    /// The course map: every lesson, done or not.
    Lessons,
    /// One lesson, in the sandbox (its id, checked).
    Lesson(&'static str),
    /// A share link: a sandbox session's JSON, not yet checked.
    Share(String),
    /// The URL names something that does not exist (a typo, a stale link,
    /// a tampered URL). Kept as typed so the page can say what it was.
    NotFound(String),
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        if path.is_empty() || path == "/" {
            return Route::Start;
        }
        if path.trim_end_matches('/') == "/findings" {
            return Route::Findings;
        }
        if path.trim_end_matches('/') == "/editor" {
            return Route::Editor;
        }
        if path.trim_end_matches('/') == "/registries" {
            return Route::Registries;
        }
        if path.trim_end_matches('/') == "/iam" {
            return Route::PolicySimulator;
        }
        if path.trim_end_matches('/') == "/lessons" {
            return Route::Lessons;
        }
        if let Some(id) = path.strip_prefix("/lesson/") {
            let id = id.trim_end_matches('/');
            return match dockyard_course::lessons::LESSON_FILES
                .iter()
                .find(|(known, _)| *known == id)
            {
                Some((known, _)) => Route::Lesson(known),
                None => Route::NotFound(path.to_string()),
            };
        }
        if path.trim_end_matches('/') == "/compare" {
            let pick = |slug| scenario(slug).expect("a shipped scenario");
            return Route::Compare(pick("web-on-fargate"), pick("web-on-ec2-capacity-provider"));
        }
        if let Some(pair) = path.strip_prefix("/compare/") {
            let mut slugs = pair.trim_end_matches('/').splitn(2, '/');
            return match (
                slugs.next().and_then(scenario),
                slugs.next().and_then(scenario),
            ) {
                (Some(left), Some(right)) => Route::Compare(left, right),
                _ => Route::NotFound(path.to_string()),
            };
        }
        if let Some(json) = path.strip_prefix("/share/") {
            return Route::Share(json.to_string());
        }
        if path.trim_end_matches('/') == "/sandbox" {
            return Route::SandboxStart;
        }
        if let Some(slug) = path.strip_prefix("/sandbox/") {
            return match scenario(slug.trim_end_matches('/')) {
                Some(found) => Route::Sandbox(found),
                None => Route::NotFound(path.to_string()),
            };
        }
        if let Some(code) = path.strip_prefix("/findings/") {
            let code = code.trim_end_matches('/');
            return match (rule(code), refusal(code), policy_check(code)) {
                (Some(found), _, _) => Route::Finding(found),
                (None, Some(found), _) => Route::Refusal(found),
                (None, None, Some(found)) => Route::PolicyCheck(found),
                (None, None, None) => Route::NotFound(path.to_string()),
            };
        }
        match path
            .strip_prefix("/notes/")
            .map(|rest| rest.trim_end_matches('/'))
        {
            Some(slug) => match chapter(slug) {
                Some(found) => Route::Chapter(found),
                None => Route::NotFound(path.to_string()),
            },
            None => Route::NotFound(path.to_string()),
        }
    }

    /// The page title for this place.
    pub fn title(&self) -> String {
        match self {
            Route::Start => "Dockyard".to_string(),
            Route::Chapter(chapter) => format!("{} \u{b7} Dockyard", chapter.title),
            Route::Findings => "Validator findings \u{b7} Dockyard".to_string(),
            Route::Finding(rule) => format!("{} \u{b7} Dockyard", rule.code),
            Route::Refusal(refusal) => format!("{} \u{b7} Dockyard", refusal.code),
            Route::PolicyCheck(check) => format!("{} \u{b7} Dockyard", check.code),
            Route::PolicySimulator => "Policy simulator \u{b7} Dockyard".to_string(),
            Route::SandboxStart => "Sandbox \u{b7} Dockyard".to_string(),
            Route::Sandbox(s) => format!("Sandbox: {} \u{b7} Dockyard", s.slug),
            Route::Share(_) => "Shared sandbox \u{b7} Dockyard".to_string(),
            Route::Editor => "Task definition editor \u{b7} Dockyard".to_string(),
            Route::Registries => "Registries \u{b7} Dockyard".to_string(),
            Route::Lessons => "Lessons \u{b7} Dockyard".to_string(),
            Route::Lesson(id) => format!("Lesson: {id} \u{b7} Dockyard"),
            Route::Compare(a, b) => format!("{} vs {} \u{b7} Dockyard", a.slug, b.slug),
            Route::NotFound(_) => "Page not found \u{b7} Dockyard".to_string(),
        }
    }

    pub fn current() -> Route {
        let hash = web_sys::window()
            .and_then(|window| window.location().hash().ok())
            .unwrap_or_default();
        Route::parse(&decode_hash(&hash))
    }
}

/// Percent-decodes a hash for display and lookup; invalid sequences stay as
/// typed, since a slug never needs them.
pub fn decode_hash(hash: &str) -> String {
    let bytes = hash.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| hash.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
