//! Registries: ECR repositories the learner creates and pushes to, with tag
//! immutability and basic scans as ECR answers them, and Docker Hub beside
//! them (pushes to the learner's own namespace, and its pull limits). Every answer, error included, is the model's
//! (`registry::desk::Desk`, which keeps the work as replayable actions);
//! this page draws it and saves it in this browser. A registry lesson
//! (`#/lesson/ID` for a lesson that works on the registry) opens this page
//! at the lesson's start, with the lesson beside it, and keeps its work
//! apart from the free registry.

use std::cell::RefCell;
use std::rc::Rc;

use dockyard_course::lessons::{self, Lesson};
use dockyard_course::storage::{Key, Load};
use dockyard_model::registry::desk::{counts, short, Action, Desk};
use dockyard_model::registry::docker_hub::{
    ANONYMOUS_PULLS_PER_WINDOW, DOCKER_HUB_LIMITS_AS_OF, FREE_ACCOUNT_PULLS_PER_WINDOW,
    WINDOW_WORDS,
};
use dockyard_model::registry::hub::DOCKER_ID;
use dockyard_model::registry::{Image, Repository};
use yew::prelude::*;

use crate::storage;

#[derive(Properties, PartialEq)]
pub struct RegistriesProps {
    /// A registry lesson's id: the page starts at the lesson's start (or
    /// where the learner left it) and shows the lesson beside the registry.
    #[prop_or_default]
    pub lesson: Option<AttrValue>,
}

/// The lesson this page works on, if any: it says where the work is kept
/// and the registry to start from.
struct Place {
    /// Shared with the lesson panel, which compares it by identity.
    lesson: Option<&'static Lesson>,
}

impl Place {
    fn of(lesson: Option<&str>) -> Place {
        Place {
            lesson: lesson.and_then(lessons::lesson),
        }
    }

    /// Where this page's work is kept: a lesson's apart from the free registry's.
    fn key(&self) -> Key<'_> {
        match &self.lesson {
            Some(lesson) => Key::Lesson(&lesson.id),
            None => Key::Registries,
        }
    }

    fn start(&self) -> Desk {
        match self.lesson.and_then(Lesson::registry) {
            Some(work) => work.start_desk(),
            None => Desk::new(),
        }
    }

    /// Marks the lesson done when the registry meets its goal.
    fn judge(&self, desk: &Desk) {
        if let Some(lesson) = &self.lesson {
            if lessons::all_met(&lesson.judge_registry(desk)) {
                super::mark_done(&lesson.id);
            }
        }
    }
}

/// A text field kept in state.
fn field(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| state.set(super::event_value(&e)))
}

/// The saved work, or the start and why the saved work was set aside (it
/// is kept under a backup key, never silently lost). A lesson's save must
/// begin with the lesson's own start.
fn restore(place: &Place) -> (Desk, Option<(bool, String)>) {
    let start = place.lesson.and_then(Lesson::registry).map(|w| &w.start);
    let read = |raw: &str| {
        Desk::from_json(raw).and_then(|desk| match start {
            Some(start) if !desk.actions().starts_with(start) => {
                Err("it does not begin with this lesson's start".to_string())
            }
            _ => Ok(desk),
        })
    };
    match storage::load(place.key(), read) {
        Load::Found(desk) => (desk, None),
        Load::SetAside(notice) => (place.start(), Some((false, notice))),
        Load::Absent | Load::Refused(_) => (place.start(), None),
    }
}

/// A moment on the desk's clock, in words.
fn when(at: u64) -> String {
    format!("day {}, {:02}:00", at / 86_400 + 1, at % 86_400 / 3600)
}

/// One image's row, as ECR and Docker Hub both list it: its digest, its
/// tags and when it arrived, then whatever else the registry shows.
fn image_row(repository: &Repository, image: &Image, more: Html) -> Html {
    let tags = repository.tags_of(&image.digest).join(", ");
    html! {
        <tr>
            <td><code>{ short(&image.digest) }</code></td>
            <td>{ if tags.is_empty() { "(untagged)".to_string() } else { tags } }</td>
            <td>{ when(image.pushed_at) }</td>
            { more }
        </tr>
    }
}

/// The repository the push form starts on: the first there is, if any.
fn first_repository(desk: &Desk) -> String {
    desk.registry
        .repositories()
        .next()
        .map(|r| r.name().to_string())
        .unwrap_or_default()
}

/// Applies one action, says what ECR answered, saves the work, and judges
/// the lesson, if there is one.
fn doer(
    place: &Rc<Place>,
    desk: &Rc<RefCell<Desk>>,
    message: &UseStateHandle<Option<(bool, String)>>,
    version: &UseStateHandle<u32>,
) -> Rc<dyn Fn(Action) -> bool> {
    let (place, desk, message, version) = (
        place.clone(),
        desk.clone(),
        message.clone(),
        version.clone(),
    );
    Rc::new(move |action: Action| {
        let result = desk.borrow_mut().apply(action);
        let done = result.is_ok();
        if done {
            let _ = storage::save(place.key(), &desk.borrow().to_json());
            place.judge(&desk.borrow());
        }
        message.set(Some(match result {
            Ok(words) => (true, words),
            Err(error) => (false, error),
        }));
        version.set(*version + 1);
        done
    })
}

#[function_component(Registries)]
pub fn registries(props: &RegistriesProps) -> Html {
    // The page is keyed by lesson (app.rs), so its place never changes.
    let place = use_memo((), |_| Place::of(props.lesson.as_deref()));
    let place: Rc<Place> = place.clone();
    let restored = use_mut_ref(|| None::<Option<(bool, String)>>);
    let desk = use_mut_ref(|| {
        let (desk, notice) = restore(&place);
        place.judge(&desk);
        *restored.borrow_mut() = Some(notice);
        desk
    });
    // Bumped after every change to the registry, to draw it again.
    let version = use_state(|| 0u32);
    let message = use_state(|| restored.borrow_mut().take().flatten());
    let name = use_state(|| "shop/web".to_string());
    let immutable = use_state(|| "true".to_string());
    let scan_on_push = use_state(|| "true".to_string());
    let push_repo = use_state(|| first_repository(&desk.borrow()));
    // Where `docker push` goes: "ecr" or "hub".
    let target = use_state(|| "ecr".to_string());
    let hub_repo = use_state(|| format!("{DOCKER_ID}/web"));
    let tag = use_state(|| "v1".to_string());
    let content = use_state(|| "web build 1".to_string());
    let apply = doer(&place, &desk, &message, &version);

    let on_create = {
        let (apply, name, immutable, scan_on_push, push_repo) = (
            apply.clone(),
            name.clone(),
            immutable.clone(),
            scan_on_push.clone(),
            push_repo.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let action = Action::CreateRepository {
                name: (*name).clone(),
                immutable: *immutable == "true",
                scan_on_push: *scan_on_push == "true",
            };
            if apply(action) {
                push_repo.set((*name).clone());
            }
        })
    };
    let on_push = {
        let (apply, push_repo, hub_repo, target, tag, content) = (
            apply.clone(),
            push_repo.clone(),
            hub_repo.clone(),
            target.clone(),
            tag.clone(),
            content.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (tag, content) = ((*tag).clone(), (*content).clone());
            apply(if *target == "hub" {
                Action::PushToDockerHub {
                    repository: (*hub_repo).clone(),
                    tag,
                    content,
                }
            } else {
                Action::Push {
                    repository: (*push_repo).clone(),
                    tag,
                    content,
                }
            });
        })
    };
    let on_day = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| {
            apply(Action::Wait { hours: 24 });
        })
    };
    let on_reset = {
        let (place, desk, message, version, push_repo) = (
            place.clone(),
            desk.clone(),
            message.clone(),
            version.clone(),
            push_repo.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let start = place.start();
            // The push form must not keep naming a repository that is gone.
            push_repo.set(first_repository(&start));
            *desk.borrow_mut() = start;
            storage::forget(place.key());
            message.set(Some((
                true,
                if place.lesson.is_some() {
                    "The registry is back at the lesson's start."
                } else {
                    "The registry is empty again."
                }
                .into(),
            )));
            version.set(*version + 1);
        })
    };

    let desk_ref = desk.borrow();
    let (registry_ref, now) = (&desk_ref.registry, desk_ref.now);
    let repositories: Vec<_> = registry_ref.repositories().collect();
    let hub_repositories: Vec<_> = desk_ref.hub.repositories().collect();
    let scan = |repository: String, digest: String| {
        let apply = apply.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            apply(Action::Scan {
                repository: repository.clone(),
                digest: digest.clone(),
            });
        });
        html! { <button type="button" class="scan-now" {onclick}>{ "Scan" }</button> }
    };
    html! {
        <main class="editor-page registries-page" id="main" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Registries" }</h1>
            <p class="panel-lead">
                { format!("Amazon ECR in account 111122223333, us-east-1 ({}), and Docker Hub as {DOCKER_ID}. Simulated time: {}. Each push takes an hour. Your work is saved in this browser.", registry_ref.host(), when(now)) }
                { " " }<button type="button" class="next-day" onclick={on_day}>{ "+1 day" }</button>
                { " " }<button type="button" class="reset-registry" onclick={on_reset}>{ "Start again" }</button>
            </p>
            if let Some(lesson) = &place.lesson {
                <super::LessonPanel lesson={*lesson} judged={lesson.judge_registry(&desk_ref)} />
            }
            if let Some((ok, text)) = &*message {
                <p class={classes!("sandbox-message", ok.then_some("ok"))} role="status">{ text }</p>
            }
            <div class="editor-columns">
                <section aria-label="Create a repository" class="editor-form">
                    <h2>{ "Create a repository" }</h2>
                    <label>{ "Name" }<input name="repository-name" value={(*name).clone()} onchange={field(&name)} /></label>
                    <label class="check"><input type="checkbox" name="immutable" checked={*immutable == "true"} onchange={field(&immutable)} />{ "Tag immutability (IMMUTABLE)" }</label>
                    <label class="check"><input type="checkbox" name="scan-on-push" checked={*scan_on_push == "true"} onchange={field(&scan_on_push)} />{ "Scan on push (basic scanning)" }</label>
                    <button type="button" class="create" onclick={on_create}>{ "Create repository" }</button>
                    <h2>{ "Push an image" }</h2>
                    <label>{ "Registry" }
                        <select name="push-target" onchange={field(&target)}>
                            <option value="ecr" selected={*target == "ecr"}>{ "Amazon ECR (private)" }</option>
                            <option value="hub" selected={*target == "hub"}>{ format!("Docker Hub (signed in as {DOCKER_ID})") }</option>
                        </select>
                    </label>
                    if *target == "hub" {
                        <label>{ "Repository (NAMESPACE/NAME)" }<input name="hub-repository" value={(*hub_repo).clone()} onchange={field(&hub_repo)} /></label>
                    } else {
                        <label>{ "Repository" }
                            <select name="push-repository" onchange={field(&push_repo)}>
                                <option value="" selected={push_repo.is_empty()}>{ "(choose)" }</option>
                                { for repositories.iter().map(|r| html! { <option value={r.name().to_string()} selected={*push_repo == r.name()}>{ r.name() }</option> }) }
                            </select>
                        </label>
                    }
                    <label>{ "Tag" }<input name="tag" value={(*tag).clone()} onchange={field(&tag)} /></label>
                    <label>{ "Image content (change it to build a different image: the digest is its SHA-256)" }<input name="content" value={(*content).clone()} onchange={field(&content)} /></label>
                    <button type="button" class="push" onclick={on_push}>{ "docker push" }</button>
                    <h2>{ "Docker Hub" }</h2>
                    <p class="panel-lead">
                        { format!("You push to your own namespace ({DOCKER_ID}/NAME); a bare name such as web means library/web, Docker's official images. The first push creates the repository, public by default. Pulls are rate limited: {ANONYMOUS_PULLS_PER_WINDOW} per {WINDOW_WORDS} per IPv4 address (or IPv6 /64) without signing in, {FREE_ACCOUNT_PULLS_PER_WINDOW} per {WINDOW_WORDS} for a free account (Docker's figures as of {DOCKER_HUB_LIMITS_AS_OF}). Tasks behind one NAT gateway share its address. Copy public images to ECR, or use ECR Public, to avoid it.") }
                    </p>
                </section>
                <section aria-label="Repositories" class="repositories">
                    <h2>{ "Amazon ECR" }</h2>
                    if repositories.is_empty() {
                        <p class="panel-lead">{ "None yet." }</p>
                    }
                    { for repositories.iter().map(|r| html! {
                        <article class="repository">
                            <h3>{ r.name() }<span class="muted">{ format!(" {} · scan on push {}", r.settings().tag_mutability.as_str(), if r.settings().scan_on_push { "on" } else { "off" }) }</span></h3>
                            <p class="muted uri">{ registry_ref.repository_uri(r.name()) }</p>
                            <table class="compare-table images">
                                <thead><tr><th scope="col">{ "Digest" }</th><th scope="col">{ "Tags" }</th><th scope="col">{ "Pushed" }</th><th scope="col">{ "Scan findings" }</th><th scope="col"></th></tr></thead>
                                <tbody>
                                { for r.images().map(|image| image_row(r, image, html! { <>
                                    <td class="scan">{ image.scan.as_ref().map(counts).unwrap_or_else(|| "not scanned".into()) }</td>
                                    <td>{ scan(r.name().to_string(), image.digest.clone()) }</td>
                                </> })) }
                                </tbody>
                            </table>
                        </article>
                    }) }
                    <p class="muted">{ "Scan findings are illustrative: real ones depend on the image's packages." }</p>
                    if !hub_repositories.is_empty() {
                        <h2>{ "Docker Hub" }</h2>
                        { for hub_repositories.iter().map(|r| html! {
                            <article class="repository hub-repository">
                                <h3>{ r.name() }<span class="muted">{ " public · tags mutable" }</span></h3>
                                <p class="muted uri">{ format!("docker.io/{}", r.name()) }</p>
                                <table class="compare-table images">
                                    <thead><tr><th scope="col">{ "Digest" }</th><th scope="col">{ "Tags" }</th><th scope="col">{ "Pushed" }</th></tr></thead>
                                    <tbody>
                                    { for r.images().map(|image| image_row(r, image, Html::default())) }
                                    </tbody>
                                </table>
                            </article>
                        }) }
                    }
                </section>
            </div>
        </main>
    }
}
