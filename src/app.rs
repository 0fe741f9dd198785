//! The page: header with the course navigation, the notes, and beside them
//! the sandbox pane. Owns the route, the saved state and the notice.

use gloo_events::EventListener;
use yew::prelude::*;

use dockyard_course::scenarios::{ShippedScenario, SCENARIOS};
use dockyard_course::session::Session;

use crate::components::{
    BadShareLink, ClassPage, Compare, ConceptsPane, CourseHeader, CourseMap, ExamPage,
    FindingsPage, NotFound, NotesPane, Notice, PacksPage, PolicySimulator, PracticePage,
    Registries, Sandbox, TaskDefinitionEditor,
};
use crate::persist::{self, Saved, Theme};
use crate::route::Route;
use dockyard_course::{Chapter, CHAPTERS};

#[function_component(App)]
pub fn app() -> Html {
    // Packs loaded on earlier visits are offered before the route is read,
    // so that a pack lesson's address finds its lesson.
    let loaded = use_memo((), |_| {
        let mut loaded = persist::load();
        if let Some(said) = crate::packs::restore() {
            loaded.notice = Some(match loaded.notice.take() {
                Some(before) => format!("{before} {said}"),
                None => said,
            });
        }
        loaded
    });
    let saved = use_state(|| loaded.saved.clone());
    let notice = use_state(|| loaded.notice.clone());
    let route = use_state(Route::current);

    // Back and forward arrive as popstate, and so do links inside the site
    // (route::follow_links_in_app takes their clicks); a typed `#/...` (an
    // old link or a share link) arrives as a hash change. Listening starts
    // as the App first draws (a memo, not an effect: effects can run after
    // the page is already clickable) and ends when the App goes.
    {
        let route = route.clone();
        use_memo((), move |_| {
            web_sys::window().map(|window| {
                let on_history = move |_: &web_sys::Event| {
                    crate::route::redirect_legacy_hash();
                    route.set(Route::current());
                };
                [
                    EventListener::new(&window, "popstate", on_history.clone()),
                    EventListener::new(&window, "hashchange", on_history),
                ]
            })
        });
    }
    // The page's text arrived as HTML before the app (dockyard-site wrote
    // it); the app has now drawn the same page, so the copy goes, in the
    // same task, before the browser paints again.
    use_effect_with((), |_| remove_prerendered());

    // An empty URL opens the remembered chapter (or the first), and the URL
    // is rewritten to say so, so that it can be bookmarked and shared.
    let chapter: Option<&'static Chapter> = match &*route {
        Route::Chapter(chapter) => Some(chapter),
        Route::Start => Some(
            saved
                .last_chapter
                .as_deref()
                .and_then(dockyard_course::chapter)
                .unwrap_or(&CHAPTERS[0]),
        ),
        Route::Findings
        | Route::Finding(_)
        | Route::Refusal(_)
        | Route::PolicyCheck(_)
        | Route::PolicySimulator
        | Route::Practice(_)
        | Route::Exam
        | Route::SandboxStart
        | Route::Sandbox(_)
        | Route::Share(_)
        | Route::Compare(..)
        | Route::Editor
        | Route::Registries
        | Route::Lessons
        | Route::Lesson(_)
        | Route::Packs
        | Route::Class
        | Route::NotFound(_) => None,
    };
    {
        let route = route.clone();
        use_effect_with(
            ((*route).clone(), chapter.map(|c| c.slug)),
            move |(current, slug)| {
                if let (Route::Start, Some(slug)) = (current, slug) {
                    replace_url(&crate::route::href(&format!("notes/{slug}/")));
                    route.set(Route::current());
                }
            },
        );
    }

    // An address with a fragment (`findings/#policy-checks`) shows that part
    // once the place is drawn. Any other move to a new place (not the first
    // page load, nor the rewrite of an empty address) starts at the new
    // page's top, with focus on its heading, so that a screen reader says
    // where the learner arrived and the next Tab starts from there.
    {
        let previous = use_mut_ref(|| None::<Route>);
        use_effect_with((*route).clone(), move |now| {
            let before = previous.borrow_mut().replace(now.clone());
            let moved = before.is_some_and(|before| before != Route::Start && before != *now);
            if !scroll_to_fragment() && moved {
                // After the new page's components have drawn (they are made
                // after this effect runs), not before: a zero timeout.
                yew::platform::spawn_local(async {
                    yew::platform::time::sleep(std::time::Duration::ZERO).await;
                    arrive_at_top();
                });
            }
        });
    }

    // Name the page after the place.
    let title = match (&*route, chapter) {
        (Route::Start, Some(chapter)) => Route::Chapter(chapter).title(),
        (other, _) => other.title(),
    };
    use_effect_with(title, |title| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(title);
        }
    });

    // Remember the chapter the learner is reading.
    {
        let saved = saved.clone();
        let notice = notice.clone();
        use_effect_with(chapter.map(|c| c.slug), move |slug| {
            if let Some(slug) = slug {
                if saved.last_chapter.as_deref() != Some(slug) {
                    let next = Saved {
                        last_chapter: Some(slug.to_string()),
                        ..(*saved).clone()
                    };
                    store(&next, &notice);
                    saved.set(next);
                }
            }
        });
    }

    // The theme is an attribute on <html>, so the CSS can follow the system
    // when the learner has not chosen.
    use_effect_with(saved.theme, |theme| apply_theme(*theme));
    use_effect_with((), |_| {
        if crate::embed::embedded() {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("data-embedded", "");
            }
        }
    });

    let on_theme = {
        let saved = saved.clone();
        let notice = notice.clone();
        Callback::from(move |theme: Theme| {
            let next = Saved {
                theme,
                ..(*saved).clone()
            };
            store(&next, &notice);
            saved.set(next);
        })
    };
    let on_dismiss = {
        let notice = notice.clone();
        Callback::from(move |_| notice.set(None))
    };

    let current = chapter.map(|c| c.slug);
    html! {
        <>
            <a class="skip-link" href="#main" onclick={skip_to_main()}>{ "Skip to the content" }</a>
            // In a course page's iframe the host has the navigation.
            if !crate::embed::embedded() {
                <CourseHeader current={current} theme={saved.theme} on_theme={on_theme} />
            }
            if let Some(message) = (*notice).clone() {
                <Notice message={message} on_dismiss={on_dismiss} />
            }
            <div class="workspace">
                {
                    match (&*route, chapter) {
                        (_, Some(chapter)) => html! {
                            <>
                                <NotesPane chapter={chapter.slug} />
                                <ConceptsPane chapter={chapter.slug} />
                            </>
                        },
                        (Route::Findings, _) => html! { <FindingsPage /> },
                        (Route::Finding(rule), _) => html! { <FindingsPage code={rule.code} /> },
                        (Route::Refusal(refusal), _) => html! { <FindingsPage code={refusal.code} /> },
                        (Route::PolicyCheck(check), _) => html! { <FindingsPage code={check.code} /> },
                        (Route::PolicySimulator, _) => html! { <PolicySimulator /> },
                        (Route::Exam, _) => html! { <ExamPage /> },
                        (Route::Practice(chapter), _) => html! { <PracticePage key={chapter.map(|c| c.slug).unwrap_or("review")} chapter={*chapter} /> },
                        (Route::Editor, _) => html! { <TaskDefinitionEditor /> },
                        (Route::Registries, _) => html! { <Registries key="registries" /> },
                        (Route::Lessons, _) => html! { <CourseMap /> },
                        (Route::Packs, _) => html! { <PacksPage /> },
                        (Route::Class, _) => html! { <ClassPage /> },
                        (Route::Lesson(id), _) => match dockyard_course::lessons::lesson(id) {
                            Some(lesson) => match lesson.sandbox() {
                                Some(work) => html! { <Sandbox key={format!("lesson/{id}")} scenario={work.scenario} lesson={Some(AttrValue::from(*id))} /> },
                                None => html! { <Registries key={*id} lesson={Some(AttrValue::from(*id))} /> },
                            },
                            None => html! { <NotFound path={format!("/lesson/{id}")} /> },
                        },
                        (Route::Compare(left, right), _) => html! { <Compare key={format!("{}|{}", left.slug, right.slug)} left={*left} right={*right} /> },
                        (Route::SandboxStart, _) => {
                            let scenario = saved_scenario();
                            html! { <Sandbox key={format!("sandbox/{}", scenario.slug)} {scenario} /> }
                        }
                        (Route::Sandbox(scenario), _) => html! { <Sandbox key={format!("sandbox/{}", scenario.slug)} scenario={*scenario} /> },
                        (Route::Share(json), _) => match Session::parse(json) {
                            Ok(session) => {
                                let scenario = session.shipped().expect("checked when parsed");
                                html! { <Sandbox key={json.clone()} scenario={scenario} shared={Some(AttrValue::from(json.clone()))} /> }
                            }
                            Err(error) => html! { <BadShareLink error={error} /> },
                        },
                        (Route::NotFound(path), _) => html! { <NotFound path={path.clone()} /> },
                        _ => html! {},
                    }
                }
            </div>
        </>
    }
}

/// The scenario of the saved sandbox session, or the first one.
fn saved_scenario() -> &'static ShippedScenario {
    crate::storage::read(dockyard_course::storage::Key::Sandbox)
        .and_then(|raw| Session::parse(&raw).ok())
        .and_then(|session| session.shipped())
        .unwrap_or(&SCENARIOS[0])
}

fn store(saved: &Saved, notice: &UseStateHandle<Option<String>>) {
    if let Err(error) = persist::save(saved) {
        notice.set(Some(format!("Dockyard could not save your place ({error}); it will be forgotten when you close the tab.")));
    }
}

fn replace_url(url: &str) {
    if let Some(window) = web_sys::window() {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
    }
}

/// Shows the part of the page the address's fragment names; false if it
/// names none (or nothing on the page).
fn scroll_to_fragment() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let hash = window.location().hash().unwrap_or_default();
    let Some(id) = hash
        .strip_prefix('#')
        .filter(|id| !id.is_empty() && !id.starts_with('/'))
    else {
        return false;
    };
    match window.document().and_then(|d| d.get_element_by_id(id)) {
        Some(element) => {
            element.scroll_into_view();
            true
        }
        None => false,
    }
}

/// The top of a newly opened page, with focus on its main heading (made
/// focusable by script only, so that Tab does not stop on it).
fn arrive_at_top() {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    window.scroll_to_with_x_and_y(0.0, 0.0);
    let heading = window
        .document()
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        if !heading.has_attribute("tabindex") {
            let _ = heading.set_attribute("tabindex", "-1");
        }
        // The page is already at its top: focusing must not scroll to
        // wherever the heading sits under a header.
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = heading.focus_with_options(&options);
    }
}

/// Removes the page's prerendered copy (`#prerendered`), once the app has
/// drawn the page itself.
fn remove_prerendered() {
    if let Some(copy) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("prerendered"))
    {
        copy.remove();
    }
}

fn apply_theme(theme: Theme) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.key()),
        };
    }
}

/// The skip link moves focus to the page's `<main>` (every page has one,
/// `id="main"`) without adding a fragment to the address.
fn skip_to_main() -> Callback<MouseEvent> {
    Callback::from(|event: MouseEvent| {
        event.prevent_default();
        crate::components::focus_by_id("main");
    })
}
