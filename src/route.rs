//! The URL is the learner's place: `notes/<chapter>/` under the site's
//! root. Every route is a real file in the built site (dockyard-site writes
//! one `index.html` per address, with the page's text already in it), so a
//! static host at any sub-path serves it with no rewrites. The older
//! `#/notes/<chapter>` links still work: the app rewrites them to the path
//! form on arrival. Share links stay in the hash (`#/share/<json>`), which a
//! browser never sends to the server.

use dockyard_course::chapters::{chapter, Chapter};
use dockyard_model::iam::{policy_check, PolicyCheck};
use dockyard_model::sim::{refusal, Refusal};
use dockyard_model::taskdef::{rule, Rule};
use wasm_bindgen::{JsCast, JsValue};

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
    /// Exam practice: a chapter's questions, or (None) the review queue.
    Practice(Option<&'static Chapter>),
    /// The timed practice exam.
    Exam,
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
    /// One lesson, in the sandbox (its id, checked): a shipped lesson, or
    /// a lesson of a loaded pack by its qualified id (`pack-id/lesson-id`,
    /// at `#/pack/pack-id/lesson-id`, since no file of the site is there).
    Lesson(&'static str),
    /// Lesson packs: load one from a file or a URL, and the ones loaded.
    Packs,
    /// The class page: receipts replayed, who completed what.
    Class,
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
        if path.trim_end_matches('/') == "/packs" {
            return Route::Packs;
        }
        if path.trim_end_matches('/') == "/class" {
            return Route::Class;
        }
        if let Some(qualified) = path.strip_prefix("/pack/") {
            // Only an offered pack's lessons are found: a pack that is not
            // loaded in this browser is a page not found, which says so.
            return match dockyard_course::lessons::lesson(qualified.trim_end_matches('/')) {
                Some(lesson) if qualified.contains('/') => Route::Lesson(lesson.id.as_str()),
                _ => Route::NotFound(path.to_string()),
            };
        }
        if path.trim_end_matches('/') == "/practice" {
            return Route::Practice(None);
        }
        if path.trim_end_matches('/') == "/practice/exam" {
            return Route::Exam;
        }
        if let Some(slug) = path.strip_prefix("/practice/") {
            return match chapter(slug.trim_end_matches('/')) {
                Some(found) => Route::Practice(Some(found)),
                None => Route::NotFound(path.to_string()),
            };
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
            Route::Practice(Some(chapter)) => {
                format!("Practice: {} \u{b7} Dockyard", chapter.short)
            }
            Route::Practice(None) => "Practice: review \u{b7} Dockyard".to_string(),
            Route::Exam => "Practice exam \u{b7} Dockyard".to_string(),
            Route::SandboxStart => "Sandbox \u{b7} Dockyard".to_string(),
            Route::Sandbox(s) => format!("Sandbox: {} \u{b7} Dockyard", scenario_name(s)),
            Route::Share(_) => "Shared sandbox \u{b7} Dockyard".to_string(),
            Route::Editor => "Task definition editor \u{b7} Dockyard".to_string(),
            Route::Registries => "Registries \u{b7} Dockyard".to_string(),
            Route::Lessons => "Lessons \u{b7} Dockyard".to_string(),
            Route::Packs => "Lesson packs \u{b7} Dockyard".to_string(),
            Route::Class => "Class: receipts \u{b7} Dockyard".to_string(),
            Route::Lesson(id) => match dockyard_course::lessons::lesson(id) {
                Some(lesson) => format!("Lesson: {} \u{b7} Dockyard", lesson.title),
                None => format!("Lesson: {id} \u{b7} Dockyard"),
            },
            Route::Compare(a, b) => format!(
                "Side by side: {} and {} \u{b7} Dockyard",
                scenario_name(a),
                scenario_name(b)
            ),
            Route::NotFound(_) => "Page not found \u{b7} Dockyard".to_string(),
        }
    }

    /// The place the address bar names: the path under the site's root, or
    /// at the root a `#/...` route (a share link, or an old link that
    /// [`redirect_legacy_hash`] has not rewritten yet).
    pub fn current() -> Route {
        let Some(location) = web_sys::window().map(|window| window.location()) else {
            return Route::Start;
        };
        let path = location.pathname().unwrap_or_default();
        let relative = path
            .strip_prefix(root_path().as_str())
            .unwrap_or_default()
            .trim_end_matches("index.html");
        if relative.is_empty() {
            // A fragment that is no route (`#main`, the skip link's) leaves
            // the root the root.
            let hash = location.hash().unwrap_or_default();
            return match hash.starts_with("#/") {
                true => Route::parse(&decode_hash(&hash)),
                false => Route::Start,
            };
        }
        Route::parse(&format!("/{}", decode_hash(relative)))
    }
}

/// A shipped scenario's name in words (its file's `name`), for titles.
fn scenario_name(shipped: &ShippedScenario) -> String {
    dockyard_course::session::base(shipped).name
}

/// The site's root path (`/courses/dockyard/`): where the web app manifest
/// is, which every page at any depth links to (so does `trunk serve`'s).
/// Falls back to the page's own directory (the browser tests' page).
pub fn root_path() -> String {
    thread_local! {
        static ROOT: String = find_root_path();
    }
    ROOT.with(String::clone)
}

fn find_root_path() -> String {
    let document = web_sys::window().and_then(|w| w.document());
    let script = document
        .as_ref()
        .and_then(|d| d.query_selector("link[rel=manifest]").ok().flatten())
        .and_then(|link| link.dyn_into::<web_sys::HtmlLinkElement>().ok())
        .map(|link| link.href())
        .and_then(|href| web_sys::Url::new(&href).ok())
        .map(|url| url.pathname());
    let page = || {
        web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_else(|| "/".to_string())
    };
    let path = script.unwrap_or_else(page);
    match path.rfind('/') {
        Some(slash) => path[..=slash].to_string(),
        None => "/".to_string(),
    }
}

/// The address of a place, from its path under the root (`notes/fargate/`,
/// `findings/#policy-checks`, or `` for the root itself).
pub fn href(relative: &str) -> String {
    format!("{}{relative}", root_path())
}

/// A parameter of a query string (`?embed&from=...&build=x`), decoded:
/// `Some("")` when it is named without a value, `None` when it is absent.
pub fn query_value(search: &str, name: &str) -> Option<String> {
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| {
            js_sys::decode_uri_component(&value.replace('+', " "))
                .map(String::from)
                .unwrap_or_else(|_| value.to_string())
        })
    })
}

/// The current page's query parameter `name` (see [`query_value`]).
pub fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    query_value(&search, name)
}

/// A lesson's address: a shipped lesson's page, or a pack lesson's place
/// in the hash at the root (`#/pack/pack-id/lesson-id`).
pub fn lesson_href(id: &str) -> String {
    match id.contains('/') {
        true => href(&format!("#/pack/{id}")),
        false => href(&format!("lesson/{id}/")),
    }
}

/// The path form of an old `#/...` route (`#/notes/x` becomes `notes/x/`,
/// `#/findings#policy-checks` becomes `findings/#policy-checks`); `None` for
/// what stays in the hash (share links) or is no route.
pub fn legacy_hash_path(hash: &str) -> Option<String> {
    let route = hash.strip_prefix("#/")?;
    if route.starts_with("share/") || route.starts_with("pack/") {
        return None;
    }
    let (route, fragment) = match route.split_once('#') {
        Some((route, fragment)) => (route, format!("#{fragment}")),
        None => (route, String::new()),
    };
    let route = route.trim_end_matches('/');
    if route.is_empty() {
        return Some(fragment);
    }
    Some(format!("{route}/{fragment}"))
}

/// Takes clicks on links inside the site for the app, once per page (not
/// per mounted App: an App being torn down must not take a click first).
pub fn follow_links_in_app() {
    thread_local! {
        static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if INSTALLED.with(|installed| installed.replace(true)) {
        return;
    }
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        gloo_events::EventListener::new_with_options(
            &document,
            "click",
            gloo_events::EventListenerOptions::enable_prevent_default(),
            |event| {
                follow_in_app(event);
            },
        )
        .forget();
    }
}

/// Takes a plain click on a link to a place inside the site: pushes its
/// address and tells the app (a popstate, as Back does), which draws the
/// place without a page load. Anything else (a new tab, a download, another site, a fragment of
/// the page already shown) is left to the browser.
fn follow_in_app(event: &web_sys::Event) -> bool {
    let Some(click) = event.dyn_ref::<web_sys::MouseEvent>() else {
        return false;
    };
    if click.default_prevented()
        || click.button() != 0
        || click.ctrl_key()
        || click.meta_key()
        || click.shift_key()
        || click.alt_key()
    {
        return false;
    }
    let Some(anchor) = click
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return false;
    }
    let Some(window) = web_sys::window() else {
        return false;
    };
    let location = window.location();
    let origin = location.origin().unwrap_or_default();
    let root = format!("{origin}{}", root_path());
    let destination = anchor.href();
    if !destination.starts_with(&root) {
        return false;
    }
    let here = location.href().unwrap_or_default();
    let (destination_page, fragment) = destination
        .split_once('#')
        .map_or((destination.as_str(), None), |(page, fragment)| {
            (page, Some(fragment))
        });
    let same_page = here.split('#').next() == Some(destination_page);
    if same_page && fragment.is_some_and(|f| !f.starts_with('/')) {
        return false;
    }
    click.prevent_default();
    navigate(&destination);
    true
}

/// Goes to another place in the app, as a click on a link would: a new
/// history entry, the view at the new place's top (or at the part its
/// address names), and the app told through the popstate it listens to.
pub fn navigate(address: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(address));
    }
    redirect_legacy_hash();
    let target = address
        .split_once('#')
        .map(|(_, fragment)| fragment)
        .filter(|f| !f.is_empty() && !f.starts_with('/'))
        .and_then(|f| window.document()?.get_element_by_id(f));
    match target {
        Some(element) => element.scroll_into_view(),
        None => window.scroll_to_with_x_and_y(0.0, 0.0),
    }
    if let Ok(event) = web_sys::Event::new("popstate") {
        let _ = window.dispatch_event(&event);
    }
}

/// Rewrites an old `#/...` address at the root into its path form, in place
/// (the history entry is replaced, so Back does not return to it).
pub fn redirect_legacy_hash() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let at_root = location
        .pathname()
        .map(|path| path.trim_end_matches("index.html") == root_path())
        .unwrap_or(false);
    let hash = location.hash().unwrap_or_default();
    if let (true, Some(path)) = (at_root, legacy_hash_path(&hash)) {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&href(&path)));
        }
    }
}

/// Percent-decodes a hash for display and lookup (the course crate's, so
/// that share links are read, and fuzzed, natively as in the browser).
pub use dockyard_course::session::percent_decode as decode_hash;
